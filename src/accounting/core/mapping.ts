// Accounts mapping: for each export item type (and sub-type), which side carries the item's lines and
// which account funds it, and what accounts payable makes of it. The builder reads this table;
// docs/accounting-mapping.md is generated from the independent expectations in
// test/accounting/mapping-cases.ts, which the tests check against what the builder produces.
import type { ExportItemSubType, ExportItemType } from '@pleo-export/pleo-api/types';

/** `out`: money leaves (debit the line side, credit the funding side); `in`: money comes back (reversed). */
export type Direction = 'out' | 'in';

/**
 * What the item's lines are booked on:
 * - `lines`: each line's own account (the expense category); required.
 * - `lines_or_<x>`: the line's account when Pleo gives one, else the configured account <x>.
 * - `<x>`: always the configured account <x> (the item moves money between balance-sheet accounts).
 */
export type LineSide =
  | 'lines'
  | 'lines_or_reimbursement'
  | 'lines_or_cashback'
  | 'lines_or_fee'
  | 'lines_or_interest'
  | 'lines_or_personal_spend'
  | 'lines_or_cash'
  | 'reimbursement'
  | 'payable'
  | 'bank';

/** The account on the other side of the lines. */
export type Funding = 'wallet' | 'out_of_pocket' | 'external_reimbursement' | 'payable' | 'bank';

/** Under accounts payable: the documents produced instead of one journal entry. */
export type PayablesDocuments = 'bill' | 'bill_and_payment' | 'credit_note_and_payment' | 'payment';

export interface MappingRule {
  type: ExportItemType;
  /** `null` = no sub-type (or any sub-type without a rule of its own). */
  subType: ExportItemSubType | null;
  direction: Direction;
  lineSide: LineSide;
  funding: Funding;
  /** Documents under accounts payable; undefined = always a journal entry. */
  payables?: PayablesDocuments;
  why: string;
}

export const MAPPING_RULES: readonly MappingRule[] = [
  {
    type: 'card_purchase',
    subType: null,
    direction: 'out',
    lineSide: 'lines',
    funding: 'wallet',
    payables: 'bill_and_payment',
    why: 'Card spend: expense debited, wallet credited; under AP a bill paid at once from the wallet.',
  },
  {
    type: 'card_invoice',
    subType: null,
    direction: 'out',
    lineSide: 'lines',
    funding: 'wallet',
    payables: 'bill_and_payment',
    why: 'Invoice paid by card: as a card purchase; under AP a bill and its card payment.',
  },
  {
    type: 'out_of_pocket',
    subType: null,
    direction: 'out',
    lineSide: 'lines',
    funding: 'out_of_pocket',
    why: 'Employee paid privately: expense debited, liability to the employee credited until reimbursed.',
  },
  {
    type: 'mileage',
    subType: null,
    direction: 'out',
    lineSide: 'lines',
    funding: 'out_of_pocket',
    why: 'Mileage allowance owed to the employee.',
  },
  {
    type: 'per_diem',
    subType: null,
    direction: 'out',
    lineSide: 'lines',
    funding: 'out_of_pocket',
    why: 'Per diem allowance owed to the employee.',
  },
  {
    type: 'external_reimbursement',
    subType: null,
    direction: 'out',
    lineSide: 'reimbursement',
    funding: 'external_reimbursement',
    why: 'Reimbursed outside Pleo (payroll, cash): the employee liability is settled against the external reimbursement account; no wallet impact.',
  },
  {
    type: 'direct_reimbursement',
    subType: null,
    direction: 'out',
    lineSide: 'reimbursement',
    funding: 'wallet',
    why: 'Reimbursed from the wallet: the employee liability is settled, the wallet credited.',
  },
  {
    type: 'direct_reimbursement',
    subType: 'reimbursement_to_employee',
    direction: 'out',
    lineSide: 'reimbursement',
    funding: 'wallet',
    why: 'Reimbursement paid to the employee from the wallet.',
  },
  {
    type: 'direct_reimbursement',
    subType: 'reimbursement_to_employee_refund',
    direction: 'in',
    lineSide: 'reimbursement',
    funding: 'wallet',
    why: 'A reimbursement that bounced comes back to the wallet: the employee is owed again.',
  },
  {
    type: 'direct_reimbursement',
    subType: 'reimbursement_to_company',
    direction: 'in',
    lineSide: 'lines_or_reimbursement',
    funding: 'wallet',
    why: 'The employee pays the company back (e.g. personal spend): wallet debited, the receivable credited.',
  },
  {
    type: 'external_reimbursement',
    subType: 'reimbursement_to_company',
    direction: 'in',
    lineSide: 'lines_or_reimbursement',
    funding: 'external_reimbursement',
    why: 'The employee pays the company back outside Pleo.',
  },
  {
    type: 'invoice',
    subType: null,
    direction: 'out',
    lineSide: 'lines',
    funding: 'payable',
    payables: 'bill',
    why: 'Supplier invoice: expense debited, accounts payable (vendor or fallback) credited; under AP a bill.',
  },
  {
    type: 'invoice_payment',
    subType: null,
    direction: 'out',
    lineSide: 'payable',
    funding: 'wallet',
    payables: 'payment',
    why: 'Invoice paid from the wallet: the payable is settled.',
  },
  {
    type: 'invoice_payment',
    subType: 'invoice_payment_sent',
    direction: 'out',
    lineSide: 'payable',
    funding: 'wallet',
    payables: 'payment',
    why: 'Invoice payment sent from the wallet.',
  },
  {
    type: 'invoice_payment',
    subType: 'invoice_payment_returned',
    direction: 'in',
    lineSide: 'payable',
    funding: 'wallet',
    payables: 'payment',
    why: 'A returned invoice payment: money back in the wallet, the payable open again.',
  },
  {
    type: 'chargeback',
    subType: null,
    direction: 'in',
    lineSide: 'lines',
    funding: 'wallet',
    payables: 'credit_note_and_payment',
    why: 'Funds returned after a dispute: the original booking reversed; under AP a credit note and the refund received.',
  },
  {
    type: 'refund',
    subType: null,
    direction: 'in',
    lineSide: 'lines',
    funding: 'wallet',
    payables: 'credit_note_and_payment',
    why: 'Refund from the supplier: the expense reversed; under AP a credit note and the refund received.',
  },
  {
    type: 'cashback',
    subType: null,
    direction: 'in',
    lineSide: 'lines_or_cashback',
    funding: 'wallet',
    payables: 'credit_note_and_payment',
    why: 'Pleo cashback: wallet debited, cashback income credited; under AP (vendor-tagged) a credit note from the vendor and the money received.',
  },
  {
    type: 'atm_withdrawal',
    subType: null,
    direction: 'out',
    lineSide: 'lines_or_cash',
    funding: 'wallet',
    why: 'Cash withdrawn: the cash account (or the line account) debited, the wallet credited.',
  },
  {
    type: 'wallet_topup',
    subType: null,
    direction: 'in',
    lineSide: 'bank',
    funding: 'wallet',
    why: 'Bank → wallet: always a journal entry (no vendor liability): wallet debited, bank credited.',
  },
  {
    type: 'wallet_unload',
    subType: null,
    direction: 'out',
    lineSide: 'bank',
    funding: 'wallet',
    why: 'Wallet → bank: always a journal entry: bank debited, wallet credited.',
  },
  {
    type: 'personal_spend',
    subType: null,
    direction: 'out',
    lineSide: 'lines_or_personal_spend',
    funding: 'wallet',
    why: 'Private spend on a company card: a receivable from the employee (or the line account) debited, the wallet credited.',
  },
  {
    type: 'fee',
    subType: null,
    direction: 'out',
    lineSide: 'lines_or_fee',
    funding: 'wallet',
    payables: 'bill_and_payment',
    why: 'Pleo fees (FX, overdraft): fee expense debited, wallet credited; under AP (vendor-tagged) a bill paid at once from the wallet.',
  },
  {
    type: 'fee',
    subType: 'interest',
    direction: 'out',
    lineSide: 'lines_or_interest',
    funding: 'wallet',
    payables: 'bill_and_payment',
    why: 'Interest charged by Pleo: interest expense debited, wallet credited; under AP a bill paid at once.',
  },
];

/**
 * Sub-types that only confirm the type's usual direction: a type without a row of its own for them is
 * booked by its general rule. Every other sub-type (the ones that reverse money, and any value Pleo may
 * add later) must have its own row, so money is never booked in a direction nobody decided.
 */
const CONFIRMING_SUB_TYPES: readonly (string | null)[] = [
  null,
  'reimbursement_to_employee',
  'invoice_payment_sent',
  'interest',
];

/** The rule for a type and sub-type: an exact sub-type rule first, else the type's general rule for a confirming sub-type. */
export function findRule(type: string, subType: string | null | undefined): MappingRule | undefined {
  const wanted = subType ?? null;
  return (
    MAPPING_RULES.find((r) => r.type === type && r.subType === wanted) ??
    (CONFIRMING_SUB_TYPES.includes(wanted)
      ? MAPPING_RULES.find((r) => r.type === type && r.subType === null)
      : undefined)
  );
}
