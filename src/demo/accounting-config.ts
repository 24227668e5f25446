// The demo company's accounting configuration, built from the demo chart's accounts and tax codes, so
// `npm start`, the sandbox and the tests book against the same books.
import type { z } from 'zod';
import { companyAccountingConfigSchema, type CompanyAccountingConfig } from '../accounting/core/config';
import { DEMO_ACCOUNTS, DEMO_TAX_CODES, DEMO_VENDORS, DEMO_WALLETS } from '@pleo-export/demo-company/chart';

/** The demo company's configuration; `overrides` replace whole top-level settings. */
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
