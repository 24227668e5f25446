import { z } from 'zod';
import { DEMO_ACCOUNTS, DEMO_TAX_CODES, DEMO_VENDORS, DEMO_WALLETS } from '@pleo-export/demo-company/chart';

const accountCode = z.string().min(1);

/**
 * The company's accounting configuration (Pleo rule 7: the user configures wallet, out-of-pocket,
 * contra and fallback AP accounts, journals, closed-period adjustment and draft vs finalised posting).
 */
export const companyAccountingConfigSchema = z.object({
  /** Pleo wallet account per wallet currency; used when an item carries no `contraAccount.code`. */
  walletAccounts: z.record(z.string().length(3), accountCode).default({}),
  /** Liability to employees until reimbursed (out-of-pocket, mileage, per diem). */
  outOfPocketAccount: accountCode.optional(),
  /** Reimbursements paid from the wallet settle this account (defaults to the out-of-pocket account). */
  reimbursementAccount: accountCode.optional(),
  /** Reimbursements paid outside Pleo (payroll, cash) are credited here. */
  externalReimbursementAccount: accountCode.optional(),
  /** The company bank account on the other side of wallet top-ups and unloads. */
  contraAccount: accountCode.optional(),
  /** Fallback accounts payable; vendors may have their own. */
  accountsPayableAccount: accountCode.optional(),
  vendorPayableAccounts: z.record(z.string(), accountCode).default({}),
  cashbackAccount: accountCode.optional(),
  feeAccount: accountCode.optional(),
  interestAccount: accountCode.optional(),
  /** Receivable from employees for private spend on a company card, when Pleo's line has no account. */
  personalSpendAccount: accountCode.optional(),
  /** Cash account for ATM withdrawals, when Pleo's line has no account. */
  cashAccount: accountCode.optional(),
  /** Input VAT when the tax code has no account of its own. */
  inputVatAccount: accountCode.optional(),
  /** Input VAT account per tax code (inclusive / exclusive tax). */
  taxAccounts: z.record(z.string(), accountCode).default({}),
  /** Absorbs a rounding difference an accounting system introduces (e.g. recomputed tax), always reported. */
  roundingAccount: accountCode.optional(),
  /** Realised FX gain/loss when the accounting system settles a supplier-currency bill with a wallet-currency payment. */
  fxDifferenceAccount: accountCode.optional(),
  journals: z
    .object({
      journalEntry: z.string().optional(),
      bill: z.string().optional(),
      payment: z.string().optional(),
    })
    .default({}),
  /** Pleo's "Export in draft status": drafts unless configured otherwise. */
  postingMode: z.enum(['draft', 'posted']).default('draft'),
  /** Pleo's "Closed period date adjustment". */
  closedPeriod: z
    .object({
      strategy: z.enum(['adjust', 'fail']).default('adjust'),
      adjustTo: z.enum(['next_open_period_start', 'today']).default('next_open_period_start'),
    })
    .prefault({}),
  description: z
    .object({
      /** The target's description field length; the reconciliation id always survives shortening. */
      maxLength: z.number().int().min(60).default(255),
    })
    .prefault({}),
  /** What happens when a receipt cannot be moved: fail the item (default, nothing dropped silently) or book and report. */
  attachmentPolicy: z.enum(['fail_item', 'book_and_report']).default('fail_item'),
});

export type CompanyAccountingConfig = z.infer<typeof companyAccountingConfigSchema>;

/** The demo company's configuration, matching the demo chart in packages/demo-company. */
export function demoAccountingConfig(
  overrides: Partial<z.input<typeof companyAccountingConfigSchema>> = {},
): CompanyAccountingConfig {
  const a = DEMO_ACCOUNTS;
  return companyAccountingConfigSchema.parse({
    walletAccounts: { ...DEMO_WALLETS },
    outOfPocketAccount: a.outOfPocket.code,
    reimbursementAccount: a.outOfPocket.code,
    externalReimbursementAccount: a.externalReimbursement.code,
    contraAccount: a.bank.code,
    accountsPayableAccount: a.accountsPayable.code,
    vendorPayableAccounts: Object.fromEntries(
      DEMO_VENDORS.filter((v) => 'payableAccount' in v).map((v) => [
        v.code,
        (v as { payableAccount: string }).payableAccount,
      ]),
    ),
    cashbackAccount: a.cashback.code,
    feeAccount: a.fees.code,
    interestAccount: a.interest.code,
    personalSpendAccount: a.personalSpend.code,
    cashAccount: a.cash.code,
    inputVatAccount: a.inputVat.code,
    taxAccounts: Object.fromEntries(
      Object.values(DEMO_TAX_CODES)
        .filter((t) => 'account' in t)
        .map((t) => [t.code, (t as { account: string }).account]),
    ),
    roundingAccount: a.rounding.code,
    fxDifferenceAccount: a.fxDifference.code,
    ...overrides,
  });
}
