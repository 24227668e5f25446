// The accounts mapping as an accountant states it, written by hand and independently of the builder's
// table (src/accounting/core/mapping.ts): one case per export item type × sub-type × bookkeeping method.
// mapping.test.ts checks every case against what the builder produces, and docs/accounting-mapping.md is
// generated from this list (and checked against it), so the documentation, the tests and the code agree.
import {
  EXPORT_ITEM_SUB_TYPES,
  EXPORT_ITEM_TYPES,
  type ExportItemSubType,
  type ExportItemType,
} from '@pleo-export/pleo-api/types';
import type { DocumentKind } from '../../src/accounting/core/documents';

/**
 * Where money is booked. `line` is the line's own account (Pleo category); `line|x` is the line's account
 * when Pleo gives one, else the configured account x.
 */
export type Side =
  | 'line'
  | 'wallet'
  | 'outOfPocket'
  | 'reimbursement'
  | 'externalReimbursement'
  | 'bank'
  | 'payable'
  | 'line|reimbursement'
  | 'line|cashback'
  | 'line|fee'
  | 'line|interest'
  | 'line|personalSpend'
  | 'line|cash';

export const SIDE_NAMES: Record<Side, string> = {
  line: 'Line account (Pleo category `account.code`)',
  wallet: "Pleo wallet: the item's `contraAccount.code`, else `walletAccounts[wallet currency]`",
  outOfPocket: '`outOfPocketAccount` (owed to the employee)',
  reimbursement: '`reimbursementAccount` (else `outOfPocketAccount`)',
  externalReimbursement: '`externalReimbursementAccount` (payroll / cash)',
  bank: '`contraAccount` (company bank)',
  payable:
    "Accounts payable: the vendor's AP account in the AS, else `vendorPayableAccounts[code]`, else `accountsPayableAccount`",
  'line|reimbursement': 'Line account, else `reimbursementAccount`',
  'line|cashback': 'Line account, else `cashbackAccount`',
  'line|fee': 'Line account, else `feeAccount`',
  'line|interest': 'Line account, else `interestAccount` (else `feeAccount`)',
  'line|personalSpend': 'Line account, else `personalSpendAccount` (receivable from the employee)',
  'line|cash': 'Line account, else `cashAccount`',
};

export type Method = 'journal' | 'none' | 'accounts_payable' | 'legacy';
export const METHODS: readonly Method[] = ['journal', 'none', 'accounts_payable', 'legacy'];
export const METHOD_NAMES: Record<Method, string> = {
  journal: '`journal`',
  none: '`none`',
  accounts_payable: '`accounts_payable`',
  legacy: '`bookkeeping: null` (legacy, `supplier` identified)',
};

export interface ExpectedDocument {
  kind: DocumentKind;
  debit: Side;
  credit: Side;
}

export interface MappingCase {
  type: ExportItemType;
  subType: ExportItemSubType | null;
  method: Method;
  documents: ExpectedDocument[];
  notes: string;
}

interface TypeSpec {
  type: ExportItemType;
  subType: ExportItemSubType | null;
  /** The journal entry: debit and credit. */
  journal: [Side, Side];
  /** Documents under accounts payable (absent: a journal entry whatever the method). */
  payables?: ExpectedDocument[];
  /** Legacy items with an identified `supplier` are booked through accounts payable too (invoices and their payments). */
  legacyPayables?: boolean;
  notes: string;
}

const bill = (debit: Side): ExpectedDocument => ({ kind: 'supplier_bill', debit, credit: 'payable' });
const creditNote = (credit: Side): ExpectedDocument => ({
  kind: 'supplier_credit_note',
  debit: 'payable',
  credit,
});
const paymentOut: ExpectedDocument = { kind: 'bill_payment', debit: 'payable', credit: 'wallet' };
const paymentIn: ExpectedDocument = { kind: 'bill_payment', debit: 'wallet', credit: 'payable' };

const SPECS: TypeSpec[] = [
  {
    type: 'card_purchase',
    subType: null,
    journal: ['line', 'wallet'],
    payables: [bill('line'), paymentOut],
    notes: 'Card spend. Under AP: a bill, and its payment from the wallet.',
  },
  {
    type: 'card_invoice',
    subType: null,
    journal: ['line', 'wallet'],
    payables: [bill('line'), paymentOut],
    notes: 'Invoice paid by card (invoice and payment in one).',
  },
  {
    type: 'out_of_pocket',
    subType: null,
    journal: ['line', 'outOfPocket'],
    notes: 'Owed to the employee until reimbursed; never a vendor bill.',
  },
  {
    type: 'mileage',
    subType: null,
    journal: ['line', 'outOfPocket'],
    notes: 'Mileage allowance owed to the employee.',
  },
  {
    type: 'per_diem',
    subType: null,
    journal: ['line', 'outOfPocket'],
    notes: 'Per diem allowance owed to the employee.',
  },
  {
    type: 'external_reimbursement',
    subType: null,
    journal: ['reimbursement', 'externalReimbursement'],
    notes: 'Employee repaid outside Pleo: no wallet impact.',
  },
  {
    type: 'external_reimbursement',
    subType: 'reimbursement_to_employee',
    journal: ['reimbursement', 'externalReimbursement'],
    notes: 'As the row without a sub-type.',
  },
  {
    type: 'external_reimbursement',
    subType: 'reimbursement_to_company',
    journal: ['externalReimbursement', 'line|reimbursement'],
    notes: 'Money back: the employee repays the company outside Pleo.',
  },
  {
    type: 'direct_reimbursement',
    subType: null,
    journal: ['reimbursement', 'wallet'],
    notes: 'Employee repaid from the wallet.',
  },
  {
    type: 'direct_reimbursement',
    subType: 'reimbursement_to_employee',
    journal: ['reimbursement', 'wallet'],
    notes: 'Employee repaid from the wallet.',
  },
  {
    type: 'direct_reimbursement',
    subType: 'reimbursement_to_employee_refund',
    journal: ['wallet', 'reimbursement'],
    notes: 'Money back: a bounced reimbursement returns to the wallet; the employee is owed again.',
  },
  {
    type: 'direct_reimbursement',
    subType: 'reimbursement_to_company',
    journal: ['wallet', 'line|reimbursement'],
    notes: 'Money back: the employee repays the company into the wallet.',
  },
  {
    type: 'invoice',
    subType: null,
    journal: ['line', 'payable'],
    payables: [bill('line')],
    legacyPayables: true,
    notes: 'Supplier invoice; paid later by an `invoice_payment` item.',
  },
  {
    type: 'invoice_payment',
    subType: null,
    journal: ['payable', 'wallet'],
    payables: [paymentOut],
    legacyPayables: true,
    notes: 'Settles the payable from the wallet.',
  },
  {
    type: 'invoice_payment',
    subType: 'invoice_payment_sent',
    journal: ['payable', 'wallet'],
    payables: [paymentOut],
    legacyPayables: true,
    notes: 'Settles the payable from the wallet.',
  },
  {
    type: 'invoice_payment',
    subType: 'invoice_payment_returned',
    journal: ['wallet', 'payable'],
    payables: [paymentIn],
    legacyPayables: true,
    notes: 'Money back: the payment returned, the payable is open again.',
  },
  {
    type: 'chargeback',
    subType: null,
    journal: ['wallet', 'line'],
    payables: [creditNote('line'), paymentIn],
    notes: 'Money back after a dispute: the spend reversed. Under AP: a credit note and the money received.',
  },
  {
    type: 'refund',
    subType: null,
    journal: ['wallet', 'line'],
    payables: [creditNote('line'), paymentIn],
    notes: 'Money back from the supplier. Under AP: a credit note and the money received.',
  },
  {
    type: 'cashback',
    subType: null,
    journal: ['wallet', 'line|cashback'],
    payables: [creditNote('line|cashback'), paymentIn],
    notes: 'Money back: Pleo cashback is income.',
  },
  {
    type: 'atm_withdrawal',
    subType: null,
    journal: ['line|cash', 'wallet'],
    notes: 'Cash taken from the wallet.',
  },
  {
    type: 'wallet_topup',
    subType: null,
    journal: ['wallet', 'bank'],
    notes: 'Bank → wallet: always a journal entry.',
  },
  {
    type: 'wallet_unload',
    subType: null,
    journal: ['bank', 'wallet'],
    notes: 'Wallet → bank (money back to the bank): always a journal entry.',
  },
  {
    type: 'personal_spend',
    subType: null,
    journal: ['line|personalSpend', 'wallet'],
    notes: 'Private spend on a company card: a receivable from the employee.',
  },
  {
    type: 'fee',
    subType: null,
    journal: ['line|fee', 'wallet'],
    payables: [bill('line|fee'), paymentOut],
    notes: 'Pleo fees. Under AP (vendor-tagged): a bill and its payment.',
  },
  {
    type: 'fee',
    subType: 'interest',
    journal: ['line|interest', 'wallet'],
    payables: [bill('line|interest'), paymentOut],
    notes: 'Interest charged by Pleo.',
  },
];

function documentsFor(spec: TypeSpec, method: Method): ExpectedDocument[] {
  const journalEntry: ExpectedDocument[] = [
    { kind: 'journal_entry', debit: spec.journal[0], credit: spec.journal[1] },
  ];
  if (method === 'accounts_payable') return spec.payables ?? journalEntry;
  if (method === 'legacy' && spec.legacyPayables) return spec.payables ?? journalEntry;
  return journalEntry;
}

export const MAPPING_CASES: readonly MappingCase[] = SPECS.flatMap((spec) =>
  METHODS.map((method) => ({
    type: spec.type,
    subType: spec.subType,
    method,
    documents: documentsFor(spec, method),
    notes: spec.notes,
  })),
);

/** Sub-types that do not change a type's direction: on a type without a row for them, the type's own row applies. */
const CONFIRMING: readonly ExportItemSubType[] = [
  'reimbursement_to_employee',
  'invoice_payment_sent',
  'interest',
];

export interface OtherCombination {
  type: ExportItemType;
  subType: ExportItemSubType;
  /** `as-type`: booked as the type's row without a sub-type; `fails`: the item fails with validation_failure. */
  outcome: 'as-type' | 'fails';
}

/** Every type × sub-type pair without a row of its own. */
export const OTHER_COMBINATIONS: readonly OtherCombination[] = EXPORT_ITEM_TYPES.flatMap((type) =>
  EXPORT_ITEM_SUB_TYPES.filter((subType) => !SPECS.some((s) => s.type === type && s.subType === subType)).map(
    (subType) => ({
      type,
      subType,
      outcome: CONFIRMING.includes(subType) ? ('as-type' as const) : ('fails' as const),
    }),
  ),
);

/** The journal-entry expectation of a type's row without a sub-type (for `as-type` combinations). */
export function casesOfType(type: ExportItemType): MappingCase[] {
  return MAPPING_CASES.filter((c) => c.type === type && c.subType === null);
}
