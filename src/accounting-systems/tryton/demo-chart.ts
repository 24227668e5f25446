// The demo chart (packages/demo-company/src/chart.ts) in the shape scripts/tryton/setup_db.py builds a Tryton database
// from, plus the journal codes the demo Tryton configuration uses.
import {
  DEMO_ACCOUNTS,
  DEMO_TAG_GROUPS,
  DEMO_TAX_CODES,
  DEMO_TEAMS,
  DEMO_VENDORS,
  DEMO_WALLET_CURRENCY,
} from '@pleo-export/demo-company/chart';

export const DEMO_TRYTON_JOURNALS = { journalEntry: 'MISC', bill: 'EXP', payment: 'CASH' } as const;

export function trytonDemoChart() {
  return {
    walletCurrency: DEMO_WALLET_CURRENCY,
    accounts: Object.values(DEMO_ACCOUNTS).map((a) => ({ code: a.code, name: a.name, kind: a.kind })),
    // Tryton's payable type: invoices need it, and lines on it carry the vendor (party required).
    payableAccounts: [DEMO_ACCOUNTS.accountsPayable.code, DEMO_ACCOUNTS.accountsPayableAcme.code],
    defaultPayableAccount: DEMO_ACCOUNTS.accountsPayable.code,
    // Tryton's currency exchange accounts (rounding of converted foreign invoices).
    fxDifferenceAccount: DEMO_ACCOUNTS.fxDifference.code,
    // What the company owes its employees (out of pocket, reimbursements via payroll): kept per party
    // and reconcilable, as a Tryton company tracks employee balances; not accounts payable.
    employeeAccounts: [DEMO_ACCOUNTS.outOfPocket.code, DEMO_ACCOUNTS.externalReimbursement.code],
    journals: {
      [DEMO_TRYTON_JOURNALS.journalEntry]: ['Miscellaneous', 'general'],
      [DEMO_TRYTON_JOURNALS.bill]: ['Expense', 'expense'],
      [DEMO_TRYTON_JOURNALS.payment]: ['Cash', 'cash'],
    },
    taxes: Object.values(DEMO_TAX_CODES),
    dimensions: { ...DEMO_TAG_GROUPS, team: DEMO_TEAMS },
    vendors: DEMO_VENDORS,
  };
}
