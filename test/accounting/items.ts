// Hand-made export items and a configuration with self-describing account codes, so a test reads as
// the accounting it checks ("debit LINE-6000, credit WALLET-EUR").
import {
  companyAccountingConfigSchema,
  type CompanyAccountingConfig,
} from '../../src/accounting/core/config';
import { buildDocuments, type BuildContext } from '../../src/accounting/core';
import type { ExportItem, ExportItemLine } from '@pleo-export/pleo-api/types';

type Currency = ExportItem['amount']['inWalletCurrency']['currency'];

export const ACCOUNTS = {
  line: 'LINE-6000',
  walletEur: 'WALLET-EUR',
  walletGbp: 'WALLET-GBP',
  itemContra: 'PLEO-CONTRA-EUR',
  outOfPocket: 'OUT-OF-POCKET',
  reimbursement: 'REIMBURSEMENT',
  externalReimbursement: 'EXTERNAL-REIMBURSEMENT',
  bank: 'BANK',
  payable: 'AP',
  vendorPayable: 'AP-ACME',
  cashback: 'CASHBACK',
  fee: 'FEES',
  interest: 'INTEREST',
  personalSpend: 'PERSONAL-SPEND',
  cash: 'CASH',
  inputVat: 'INPUT-VAT',
  inputVatByCode: 'INPUT-VAT-25',
  rounding: 'ROUNDING',
  fxDifference: 'FX-DIFFERENCE',
} as const;

export function testConfig(
  overrides: Partial<Parameters<typeof companyAccountingConfigSchema.parse>[0] & object> = {},
): CompanyAccountingConfig {
  const a = ACCOUNTS;
  return companyAccountingConfigSchema.parse({
    walletAccounts: { EUR: a.walletEur, GBP: a.walletGbp },
    outOfPocketAccount: a.outOfPocket,
    reimbursementAccount: a.reimbursement,
    externalReimbursementAccount: a.externalReimbursement,
    contraAccount: a.bank,
    accountsPayableAccount: a.payable,
    vendorPayableAccounts: { 'V-ACME': a.vendorPayable },
    cashbackAccount: a.cashback,
    feeAccount: a.fee,
    interestAccount: a.interest,
    personalSpendAccount: a.personalSpend,
    cashAccount: a.cash,
    inputVatAccount: a.inputVat,
    taxAccounts: { VAT25: a.inputVatByCode },
    roundingAccount: a.rounding,
    fxDifferenceAccount: a.fxDifference,
    ...overrides,
  });
}

export const WALLET_TARGET: BuildContext['target'] = {
  accountsPayable: true,
  foreignCurrencyDocuments: false,
};
export const RESOLVED_VENDOR = { externalId: 'as-vendor-1', name: 'ACME Ltd' };

export interface LineSpec {
  amount: number;
  supplierAmount?: number;
  /** `null`: the line has no account; a string: its code. Default: ACCOUNTS.line. */
  account?: string | null;
  tax?: {
    type: string;
    amount: number;
    supplierAmount?: number;
    code?: string | null;
    ingoing?: string;
    outgoing?: string;
    rate?: number;
  };
  tags?: { groupCode: string; code: string }[];
}

export interface ItemSpec {
  id?: string;
  type: string;
  subType?: string | null;
  /** `legacy`: no bookkeeping object (vendor tagging off). */
  method?: 'journal' | 'none' | 'accounts_payable' | 'legacy' | string;
  lines?: LineSpec[];
  currency?: string;
  supplierCurrency?: string;
  /** Total in supplier currency (default: the sum of the lines' supplier amounts). */
  supplierTotal?: number;
  contraAccount?: string | null;
  vendorCode?: string | null;
  supplierCode?: string | null;
  date?: string;
  reconciliationId?: string;
}

const money = (currency: string, value: number) => ({ currency: currency as Currency, value });
const pair = (currency: string, supplierCurrency: string, value: number, supplierValue: number) => ({
  inWalletCurrency: money(currency, value),
  inSupplierCurrency: money(supplierCurrency, supplierValue),
});

export function exportItem(spec: ItemSpec): ExportItem {
  const currency = spec.currency ?? 'EUR';
  const supplierCurrency = spec.supplierCurrency ?? currency;
  const id = spec.id ?? '0f0e0d0c-0000-4000-8000-000000000001';
  const lines: ExportItemLine[] = (spec.lines ?? [{ amount: 10000 }]).map((l, i) => {
    const supplierAmount = l.supplierAmount ?? l.amount;
    const taxAmount = l.tax?.amount ?? 0;
    const supplierTax = l.tax?.supplierAmount ?? taxAmount;
    const reverse = l.tax?.type === 'reverse';
    return {
      accountingEntryLineId: `${id.slice(0, -2)}${String(i + 10).padStart(2, '0')}`,
      lineAmount: pair(currency, supplierCurrency, l.amount, supplierAmount),
      netAmount: pair(
        currency,
        supplierCurrency,
        reverse ? l.amount : l.amount - taxAmount,
        reverse ? supplierAmount : supplierAmount - supplierTax,
      ),
      account:
        l.account === null
          ? null
          : { id: 'acc-id', name: 'Travel', code: l.account ?? ACCOUNTS.line, identifier: null },
      tax: l.tax
        ? {
            id: 'tax-id',
            code: l.tax.code === undefined ? 'VAT25' : l.tax.code,
            rate: l.tax.rate ?? 0.25,
            type: l.tax.type,
            amount: pair(currency, supplierCurrency, taxAmount, supplierTax),
            ...(l.tax.ingoing ? { ingoingTaxAccount: l.tax.ingoing } : {}),
            ...(l.tax.outgoing ? { outgoingTaxAccount: l.tax.outgoing } : {}),
          }
        : null,
      tags: (l.tags ?? []).map((t) => ({ ...t, id: 'tag-id' })),
    };
  });
  const total = lines.reduce((s, l) => s + l.lineAmount.inWalletCurrency.value, 0);
  const supplierTotal =
    spec.supplierTotal ?? lines.reduce((s, l) => s + l.lineAmount.inSupplierCurrency.value, 0);
  const method = spec.method ?? 'journal';
  return {
    _links: { web: { exportItem: `https://app.pleo.io/export/${id}` } },
    accountingEntryId: id,
    companyId: 'company-1',
    type: spec.type,
    subType: spec.subType ?? undefined,
    date: spec.date ?? '2026-04-15T13:22:10Z',
    amount: pair(currency, supplierCurrency, total, supplierTotal),
    accountingEntryLines: lines,
    additionalInformation: {
      reconciliationId: spec.reconciliationId ?? '4113617',
      attendees: null,
      reconciledEntries: null,
      invoiceInformation: null,
    },
    bookkeeping: method === 'legacy' ? null : { method },
    contraAccount: spec.contraAccount
      ? { id: 'contra-id', name: 'Pleo EUR Account', code: spec.contraAccount }
      : null,
    files: [{ url: 'https://files.example.invalid/r.pdf', type: 'application/pdf', size: 1234 }],
    note: 'Client dinner',
    servicePeriod: null,
    supplier: { name: 'ACME LTD', code: spec.supplierCode === undefined ? 'S-100' : spec.supplierCode },
    vendor:
      method === 'accounts_payable' || spec.vendorCode
        ? {
            id: 'vendor-id',
            name: 'ACME Ltd',
            defaultCurrency: supplierCurrency,
            code: spec.vendorCode ?? 'V-OTHER',
          }
        : null,
    team: { id: 'team-id', name: 'Operations', code: 'T-OPS' },
    user: { id: 'user-id', name: 'Luke Richardson', code: 'E042' },
  };
}

/** The same item with every amount negated: Pleo does not document the sign of money flowing back. */
export function negated(item: ExportItem): ExportItem {
  const flip = <T extends { inWalletCurrency: { value: number }; inSupplierCurrency: { value: number } }>(
    m: T,
  ): T => ({
    ...m,
    inWalletCurrency: { ...m.inWalletCurrency, value: -m.inWalletCurrency.value || 0 },
    inSupplierCurrency: { ...m.inSupplierCurrency, value: -m.inSupplierCurrency.value || 0 },
  });
  return {
    ...item,
    amount: flip(item.amount),
    accountingEntryLines: item.accountingEntryLines.map((l) => ({
      ...l,
      lineAmount: flip(l.lineAmount),
      netAmount: flip(l.netAmount),
      tax: l.tax ? { ...l.tax, amount: flip(l.tax.amount) } : l.tax,
    })),
  };
}

interface BuildOptions {
  config?: CompanyAccountingConfig;
  context?: Partial<BuildContext>;
}

/** The core's build over the test config, a wallet target and a resolved vendor unless overridden. */
const build = (item: ExportItem, options: BuildOptions) =>
  buildDocuments(item, options.config ?? testConfig(), {
    target: WALLET_TARGET,
    vendor: RESOLVED_VENDOR,
    ...options.context,
  });

/** Builds and returns the documents, or fails the test with the item failure. */
export function documentsOf(item: ExportItem, options: BuildOptions = {}) {
  const result = build(item, options);
  if (!result.ok)
    throw new Error(`expected documents, got ${result.failure.reasonType}: ${result.failure.message}`);
  return result.documents;
}

/** Builds and returns the item failure, or fails the test. */
export function failureOf(item: ExportItem, options: BuildOptions = {}) {
  const result = build(item, options);
  if (result.ok) throw new Error(`expected a failure, got ${result.documents.length} document(s)`);
  return result.failure;
}

/** Postings as `[account code, amount]` pairs, the way an accountant reads a journal. */
export const postingsOf = (document: { postings: { account: { code: string }; amount: number }[] }) =>
  document.postings.map((p) => [p.account.code, p.amount] as const);
