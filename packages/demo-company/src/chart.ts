// The demo company's books, shared by the sandbox seed data, the demo configuration, the embedded
// ledger and the Tryton demo database, so that `npm start` and the tests book against one chart.
// Codes follow a BAS-like numbering; names are what a bookkeeper sees.

export const DEMO_WALLET_CURRENCY = 'EUR';

export const DEMO_ACCOUNTS = {
  // Expense (Pleo categories → line accounts)
  travel: { code: '6000', name: 'Travel', kind: 'expense' },
  meals: { code: '6100', name: 'Meals and entertainment', kind: 'expense' },
  software: { code: '6200', name: 'Software and subscriptions', kind: 'expense' },
  office: { code: '6300', name: 'Office supplies', kind: 'expense' },
  marketing: { code: '6400', name: 'Marketing', kind: 'expense' },
  mileage: { code: '6500', name: 'Mileage allowance', kind: 'expense' },
  perDiem: { code: '6600', name: 'Per diem allowance', kind: 'expense' },
  fees: { code: '6570', name: 'Bank and Pleo fees', kind: 'expense' },
  interest: { code: '8400', name: 'Interest expense', kind: 'expense' },
  personalSpend: { code: '1680', name: 'Receivable from employees (personal spend)', kind: 'asset' },
  // Funding and balance sheet
  walletEur: { code: '1910', name: 'Pleo wallet EUR', kind: 'asset' },
  walletGbp: { code: '1911', name: 'Pleo wallet GBP', kind: 'asset' },
  bank: { code: '1930', name: 'Bank account (Pleo contra)', kind: 'asset' },
  cash: { code: '1900', name: 'Cash (ATM withdrawals)', kind: 'asset' },
  outOfPocket: { code: '2890', name: 'Employee reimbursements payable', kind: 'liability' },
  externalReimbursement: { code: '2891', name: 'Reimbursements via payroll', kind: 'liability' },
  accountsPayable: { code: '2440', name: 'Accounts payable', kind: 'liability' },
  accountsPayableAcme: { code: '2441', name: 'Accounts payable ACME Ltd', kind: 'liability' },
  // Tax
  inputVat: { code: '2640', name: 'Input VAT', kind: 'liability' },
  reverseChargeIn: { code: '2645', name: 'Input VAT reverse charge', kind: 'liability' },
  reverseChargeOut: { code: '2614', name: 'Output VAT reverse charge', kind: 'liability' },
  // Income and adjustments
  cashback: { code: '3990', name: 'Pleo cashback', kind: 'income' },
  rounding: { code: '3740', name: 'Rounding differences', kind: 'income' },
  fxDifference: { code: '7960', name: 'Realised FX gains and losses', kind: 'expense' },
} as const;

export type DemoAccountKey = keyof typeof DEMO_ACCOUNTS;

/** The company's Pleo wallets: wallet currency → wallet account. */
export const DEMO_WALLETS = {
  EUR: DEMO_ACCOUNTS.walletEur.code,
  GBP: DEMO_ACCOUNTS.walletGbp.code,
} as const;

export const DEMO_TAX_CODES = {
  VAT25: { code: 'VAT25', rate: '0.25', type: 'inclusive', account: '2640' },
  VAT12: { code: 'VAT12', rate: '0.12', type: 'inclusive', account: '2640' },
  VAT6: { code: 'VAT6', rate: '0.06', type: 'exclusive', account: '2640' },
  RC25: {
    code: 'RC25',
    rate: '0.25',
    type: 'reverse',
    ingoingTaxAccount: '2645',
    outgoingTaxAccount: '2614',
  },
} as const;

/** Tag groups (dimensions) and their values; `team` is a dimension of its own. */
export const DEMO_TAG_GROUPS = {
  DEPT: ['SALES', 'ENG', 'OPS'],
  PROJ: ['P100', 'P200'],
} as const;
export const DEMO_TEAMS = ['T-OPS', 'T-GTM'] as const;

export const DEMO_VENDORS = [
  {
    code: 'V1001',
    name: 'ACME Ltd',
    taxRegistrationNumber: 'GB123456789',
    payableAccount: '2441',
    currency: 'EUR',
  },
  { code: 'V1002', name: 'Globex GmbH', taxRegistrationNumber: 'DE811111111', currency: 'EUR' },
] as const;

/** Codes that exist nowhere in the demo books: seed data uses them for items that must fail. */
export const DEMO_UNKNOWN = {
  account: '9999',
  taxCode: 'XX99',
  tagCode: 'NOPE',
  vendorCode: 'V9999',
} as const;
