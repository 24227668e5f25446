// From one export item and the company's configuration to balanced documents, or a typed failure.
// Pure: no I/O, no clock, no randomness; the same input always gives the same output, and no input of
// the ExportItem type makes it throw.
import type { ExportItem, ExportItemLine } from '../../pleo/types';
import type { Capabilities, ResolvedVendor } from '../../accounting-systems/port';
import { PLEO_MESSAGES, type ItemFailure } from '../../shared/failure-reasons';
import type { CompanyAccountingConfig } from './config';
import { currencyExponent, deriveRate } from './currency';
import { consolidatedDescription } from './description';
import type {
  AccountRef,
  AccountingDocument,
  BillLine,
  BillPayment,
  Dimension,
  DocumentHeader,
  Posting,
  SupplierBill,
  TaxDetail,
  VendorRef,
} from './documents';
import { findRule, type Funding, type LineSide, type MappingRule } from './mapping';

export interface BuildContext {
  /** The accounting system's answer for the item's vendor (see vendorToResolve); undefined = not found. */
  vendor?: ResolvedVendor;
  target: Pick<Capabilities, 'accountsPayable' | 'foreignCurrencyDocuments'>;
}

export type BuildResult = { ok: true; documents: AccountingDocument[] } | { ok: false; failure: ItemFailure };

class ItemError extends Error {
  constructor(readonly failure: ItemFailure) {
    super(failure.message);
  }
}
const fail = (reasonType: ItemFailure['reasonType'], message: string): never => {
  throw new ItemError({ reasonType, message });
};

export function documentReference(accountingEntryId: string, role: 'main' | 'payment'): string {
  return role === 'main' ? `pleo-${accountingEntryId}` : `pleo-${accountingEntryId}-payment`;
}

/** Throws when a document's postings do not sum to exactly zero (a bug, never an input problem). */
export function assertBalanced(document: AccountingDocument): void {
  const sum = document.postings.reduce((total, posting) => total + posting.amount, 0);
  if (sum !== 0 || document.postings.some((p) => !Number.isSafeInteger(p.amount))) {
    throw new Error(`Document ${document.reference} does not balance (off by ${sum})`);
  }
}

type Method = 'journal' | 'accounts_payable' | 'none' | 'legacy';

function methodOf(item: ExportItem): Method {
  const method = item.bookkeeping?.method;
  if (method === undefined || method === null) return 'legacy';
  if (method === 'journal' || method === 'accounts_payable' || method === 'none') return method;
  return fail('validation_failure', `Unknown bookkeeping method "${method}" on this expense; expected journal, accounts_payable or none.`);
}

/** Legacy items (no `bookkeeping`) of payable types carry their vendor in `supplier`. */
function legacySupplierRef(item: ExportItem): VendorRef | undefined {
  const s = item.supplier;
  if (!s || !(s.code || s.account || s.taxIdentifier)) return undefined;
  return {
    name: s.name ?? 'Unknown supplier',
    code: s.code ?? undefined,
    account: s.account ?? undefined,
    taxRegistrationNumber: s.taxIdentifier ?? undefined,
    country: s.country ?? undefined,
  };
}

function vendorRefOf(item: ExportItem): VendorRef | undefined {
  const v = item.vendor;
  if (!v) return undefined;
  return {
    name: v.name,
    code: v.code,
    externalId: v.externalId,
    taxRegistrationNumber: v.taxRegistrationNumber,
    country: v.country,
  };
}

/** Which vendor must be resolved in the accounting system before building (AP, and legacy payables). */
export function vendorToResolve(item: ExportItem, _config: CompanyAccountingConfig): VendorRef | undefined {
  const rule = findRule(item.type, item.subType);
  if (!rule?.payables) return undefined;
  const method = item.bookkeeping?.method ?? null;
  if (method === 'accounts_payable') return vendorRefOf(item);
  if (method === null && (rule.funding === 'payable' || rule.lineSide === 'payable')) return legacySupplierRef(item);
  return undefined;
}

export function buildDocuments(item: ExportItem, config: CompanyAccountingConfig, context: BuildContext): BuildResult {
  try {
    const documents = build(item, config, context);
    documents.forEach(assertBalanced);
    return { ok: true, documents };
  } catch (err) {
    if (err instanceof ItemError) return { ok: false, failure: err.failure };
    return {
      ok: false,
      failure: {
        reasonType: 'unexpected_failure',
        message: `The expense could not be turned into an accounting entry (${(err as Error).message}). Contact the integration's support.`,
      },
    };
  }
}

function build(item: ExportItem, config: CompanyAccountingConfig, context: BuildContext): AccountingDocument[] {
  const rule = findRule(item.type, item.subType);
  if (!rule) {
    fail('validation_failure', `Export item type "${item.type}"${item.subType ? ` (sub-type "${item.subType}")` : ''} is not supported by this integration.`);
  }
  const r = rule as MappingRule;
  const method = methodOf(item);
  const money = checkAmounts(item);
  const date = postingDate(item.date);

  const wallet = walletAccount(item, config, money.currency);
  const vendorRef = vendorToResolve(item, config);
  const apApplies = Boolean(r.payables) && (method === 'accounts_payable' || (method === 'legacy' && vendorRef !== undefined));
  if (apApplies && !context.vendor) {
    fail('vendor_unknown', vendorRef ? PLEO_MESSAGES.vendorUnknown : `${PLEO_MESSAGES.vendorUnknown} (Pleo sent no vendor for this accounts payable expense.)`);
  }
  const payable = () => payableAccount(item, config, context.vendor);

  const fundingAccount = (funding: Funding): AccountRef =>
    funding === 'wallet'
      ? wallet
      : funding === 'out_of_pocket'
        ? configured(config.outOfPocketAccount, 'Pleo out-of-pocket')
        : funding === 'external_reimbursement'
          ? configured(config.externalReimbursementAccount, 'external reimbursement')
          : funding === 'bank'
            ? configured(config.contraAccount, 'Pleo contra (bank)')
            : payable();

  const sign = r.direction === 'out' ? 1 : -1;
  const lineDebits = item.accountingEntryLines.flatMap((line, index) =>
    linePostings(item, line, index, r.lineSide, config, payable, money),
  );
  const header = (reference: string, postings: Posting[], receipts: boolean): DocumentHeader => ({
    reference,
    date,
    description: consolidatedDescription(
      { supplier: item.vendor?.name ?? item.supplier?.name, user: item.user?.name, note: item.note },
      item.additionalInformation.reconciliationId,
      config.description.maxLength,
    ),
    references: {
      accountingEntryId: item.accountingEntryId,
      reconciliationId: item.additionalInformation.reconciliationId,
      reconciledEntries: (item.additionalInformation.reconciledEntries ?? []).filter((e): e is string => Boolean(e)),
      deepLink: item._links.web?.exportItem,
    },
    attendees: (item.additionalInformation.attendees ?? []).filter((a): a is string => Boolean(a)),
    status: config.postingMode,
    currency: money.currency,
    postings,
    receipts: receipts
      ? (item.files ?? []).flatMap((file, fileIndex) => (file ? [{ fileIndex, type: file.type, size: file.size }] : []))
      : [],
    servicePeriod: item.servicePeriod ?? undefined,
  });
  const signed = (postings: Posting[], factor: number) => postings.map((p) => ({ ...p, amount: p.amount * factor }));
  const against = (account: AccountRef, role: Posting['role'], amount: number): Posting => ({
    role,
    account,
    amount,
    dimensions: [],
  });

  if (!apApplies) {
    const funding = fundingAccount(r.funding);
    const postings = [...signed(lineDebits, sign), against(funding, r.funding === 'payable' ? 'payable' : 'funding', -sign * money.total)];
    return [{ kind: 'journal_entry', ...header(documentReference(item.accountingEntryId, 'main'), postings, true), journal: config.journals.journalEntry }];
  }

  const vendor = { ...(vendorRef as VendorRef) };
  const payableRef = payable();
  const billFor = (kind: SupplierBill['kind'], factor: number): SupplierBill => ({
    kind,
    ...header(documentReference(item.accountingEntryId, 'main'), [...signed(lineDebits, factor), against(payableRef, 'payable', -factor * money.total)], true),
    journal: config.journals.bill,
    vendor,
    payableAccount: payableRef,
    lines: billLines(item, lineDebits),
    total: money.total,
    invoice: invoiceDetails(item),
  });
  const paymentFor = (factor: number, role: 'main' | 'payment', settles: string, receipts: boolean): BillPayment => ({
    kind: 'bill_payment',
    ...header(
      documentReference(item.accountingEntryId, role),
      [against(payableRef, 'payable', factor * money.total), against(wallet, 'funding', -factor * money.total)],
      receipts,
    ),
    journal: config.journals.payment,
    settles,
    vendor,
    payableAccount: payableRef,
    paymentAccount: wallet,
    amount: money.total,
  });

  const main = documentReference(item.accountingEntryId, 'main');
  switch (r.payables) {
    case 'bill':
      return [billFor('supplier_bill', 1)];
    case 'bill_and_payment':
      return [billFor('supplier_bill', 1), paymentFor(1, 'payment', main, false)];
    case 'credit_note_and_payment':
      return [billFor('supplier_credit_note', -1), paymentFor(-1, 'payment', main, false)];
    default: {
      const settled = (item.additionalInformation.reconciledEntries ?? []).find((e): e is string => Boolean(e));
      return [paymentFor(sign, 'main', settled ? documentReference(settled, 'main') : '', true)];
    }
  }
}

interface CheckedAmounts {
  currency: string;
  exponent: number;
  supplierCurrency: string;
  supplierExponent: number;
  /** Absolute total in wallet minor units. */
  total: number;
}

/** Per-item validation before any mapping (Pleo rule 15 and issue rule 1). */
function checkAmounts(item: ExportItem): CheckedAmounts {
  const wallet = item.amount.inWalletCurrency;
  const supplier = item.amount.inSupplierCurrency;
  const exponent = currencyExponent(wallet.currency);
  if (exponent === undefined) fail('validation_failure', `The wallet currency "${wallet.currency}" is not a known ISO 4217 currency; check the expense's currency in Pleo.`);
  const supplierExponent = currencyExponent(supplier.currency);
  if (supplierExponent === undefined) fail('validation_failure', `The supplier currency "${supplier.currency}" is not a known ISO 4217 currency; check the expense in Pleo.`);

  const amounts: { where: string; value: number }[] = [
    { where: 'amount.inWalletCurrency', value: wallet.value },
    { where: 'amount.inSupplierCurrency', value: supplier.value },
  ];
  item.accountingEntryLines.forEach((line, i) => {
    for (const money of [line.lineAmount.inWalletCurrency, line.lineAmount.inSupplierCurrency, line.netAmount.inWalletCurrency]) {
      if (money.currency !== (money === line.lineAmount.inSupplierCurrency ? supplier.currency : wallet.currency)) {
        fail('validation_failure', `Line ${i + 1} is in ${money.currency} but the expense is in ${wallet.currency}/${supplier.currency}; Pleo sent inconsistent currencies.`);
      }
    }
    amounts.push({ where: `line ${i + 1} amount`, value: line.lineAmount.inWalletCurrency.value });
    amounts.push({ where: `line ${i + 1} supplier amount`, value: line.lineAmount.inSupplierCurrency.value });
    if (line.tax) amounts.push({ where: `line ${i + 1} tax`, value: line.tax.amount.inWalletCurrency.value });
  });
  for (const { where, value } of amounts) {
    if (!Number.isSafeInteger(value)) fail('validation_failure', `The ${where} (${value}) is not a whole number of minor units; Pleo sent an invalid amount.`);
  }
  if (wallet.value === 0) fail('validation_failure', 'The expense amount is zero: there is nothing to book. Check the expense in Pleo.');
  // Pleo does not document the sign of money flowing back: either sign is accepted, but consistently.
  const positive = wallet.value > 0;
  const inconsistent = amounts.filter(({ value, where }) => value !== 0 && value > 0 !== positive && !where.endsWith('tax'));
  if (inconsistent.length > 0) fail('validation_failure', `The ${inconsistent[0]!.where} has the opposite sign of the expense total; Pleo sent inconsistent amounts.`);
  const lineSum = item.accountingEntryLines.reduce((sum, line) => sum + line.lineAmount.inWalletCurrency.value, 0);
  if (lineSum !== wallet.value) {
    fail('validation_failure', `The expense's lines add up to ${lineSum} but its total is ${wallet.value} (minor units of ${wallet.currency}); the split is inconsistent in Pleo.`);
  }
  return {
    currency: wallet.currency,
    exponent: exponent as number,
    supplierCurrency: supplier.currency,
    supplierExponent: supplierExponent as number,
    total: Math.abs(wallet.value),
  };
}

function postingDate(date: string): string {
  const day = date.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    fail('validation_failure', `The expense date "${date}" is not a valid date.`);
  }
  return day;
}

function configured(code: string | undefined, what: string): AccountRef {
  if (!code) fail('missing_configuration', PLEO_MESSAGES.accountMissingInConfig(what));
  return { code: code as string };
}

function walletAccount(item: ExportItem, config: CompanyAccountingConfig, currency: string): AccountRef {
  // Multi-currency wallets: Pleo's contra account for this item's wallet overrides the configured one.
  const contra = item.contraAccount;
  if (contra?.code) return { code: contra.code, name: contra.name, identifier: contra.identifier ?? undefined };
  return configured(config.walletAccounts[currency], `Pleo wallet ${currency}`);
}

function payableAccount(item: ExportItem, config: CompanyAccountingConfig, vendor: ResolvedVendor | undefined): AccountRef {
  const code = item.vendor?.code ?? item.supplier?.code ?? undefined;
  return configured(
    vendor?.payableAccountCode ?? (code ? config.vendorPayableAccounts[code] : undefined) ?? config.accountsPayableAccount,
    'accounts payable',
  );
}

function dimensionsOf(item: ExportItem, line: ExportItemLine): Dimension[] {
  const tags = (line.tags ?? []).flatMap((tag) => (tag ? [{ group: tag.groupCode, code: tag.code }] : []));
  return item.team?.code ? [...tags, { group: 'team', code: item.team.code }] : tags;
}

/** The line's postings in the "money out" orientation (debits positive); the caller flips them for money in. */
function linePostings(
  item: ExportItem,
  line: ExportItemLine,
  index: number,
  side: LineSide,
  config: CompanyAccountingConfig,
  payable: () => AccountRef,
  money: CheckedAmounts,
): Posting[] {
  const gross = Math.abs(line.lineAmount.inWalletCurrency.value);
  const supplierGross = Math.abs(line.lineAmount.inSupplierCurrency.value);
  const dimensions = dimensionsOf(item, line);
  const lineAccount = line.account?.code ? { code: line.account.code, name: line.account.name, identifier: line.account.identifier ?? undefined } : undefined;
  const fallback: Partial<Record<LineSide, [string | undefined, string]>> = {
    lines_or_reimbursement: [config.reimbursementAccount ?? config.outOfPocketAccount, 'Pleo reimbursement'],
    lines_or_cashback: [config.cashbackAccount, 'cashback'],
    lines_or_fee: [config.feeAccount, 'Pleo fees'],
    lines_or_interest: [config.interestAccount ?? config.feeAccount, 'interest'],
  };
  let account: AccountRef;
  if (side === 'lines') {
    if (!lineAccount) fail('missing_configuration', `${PLEO_MESSAGES.accountMissingInConfig(`for category "${line.account?.name ?? 'none'}" (line ${index + 1})`)}; set the category's account code in Pleo.`);
    account = lineAccount as AccountRef;
  } else if (side === 'reimbursement') {
    account = configured(config.reimbursementAccount ?? config.outOfPocketAccount, 'Pleo reimbursement');
  } else if (side === 'payable') {
    account = payable();
  } else if (side === 'bank') {
    account = configured(config.contraAccount, 'Pleo contra (bank)');
  } else {
    const [code, what] = fallback[side] ?? [undefined, side];
    account = lineAccount ?? configured(code, what);
  }
  const foreign =
    money.supplierCurrency !== money.currency
      ? {
          foreignAmount: { currency: money.supplierCurrency, value: supplierGross },
          rate: deriveRate({ value: gross, exponent: money.exponent }, { value: supplierGross, exponent: money.supplierExponent }),
        }
      : {};
  const base = { lineId: line.accountingEntryLineId, dimensions };
  const tax = side === 'lines' || side.startsWith('lines_or') ? line.tax : undefined;
  if (!tax || tax.amount.inWalletCurrency.value === 0) {
    return [{ role: 'expense', account, amount: gross, ...foreign, ...base }];
  }
  const taxAmount = Math.abs(tax.amount.inWalletCurrency.value);
  const taxCode = tax.code ?? undefined;
  if (tax.type === 'reverse') {
    // Reverse charge: the buyer books output VAT and the same input VAT; net zero, the line at its full amount.
    const ingoing = configured(tax.ingoingTaxAccount ?? (taxCode ? config.taxAccounts[taxCode] : undefined) ?? config.inputVatAccount, `ingoing VAT for tax code ${taxCode ?? tax.id}`);
    const outgoing = configured(tax.outgoingTaxAccount, `outgoing VAT for tax code ${taxCode ?? tax.id}`);
    return [
      { role: 'expense', account, amount: gross, taxCode, ...foreign, ...base },
      { role: 'reverse_charge_in', account: ingoing, amount: taxAmount, taxCode, ...base },
      { role: 'reverse_charge_out', account: outgoing, amount: -taxAmount, taxCode, ...base },
    ];
  }
  if (tax.type !== 'inclusive' && tax.type !== 'exclusive') {
    fail('validation_failure', `Line ${index + 1} has tax type "${tax.type}"; expected inclusive, exclusive or reverse.`);
  }
  if (taxAmount > gross) fail('validation_failure', `Line ${index + 1}'s tax (${taxAmount}) is larger than the line (${gross}); Pleo sent inconsistent tax.`);
  // The wallet paid the gross line amount; the deductible VAT inside it goes to the input VAT account.
  const vat = configured((taxCode ? config.taxAccounts[taxCode] : undefined) ?? tax.ingoingTaxAccount ?? config.inputVatAccount, `input VAT for tax code ${taxCode ?? tax.id}`);
  return [
    { role: 'expense', account, amount: gross - taxAmount, taxCode, ...foreign, ...base },
    { role: 'tax', account: vat, amount: taxAmount, taxCode, ...base },
  ];
}

function billLines(item: ExportItem, lineDebits: Posting[]): BillLine[] {
  return item.accountingEntryLines.map((line) => {
    const expense = lineDebits.find((p) => p.lineId === line.accountingEntryLineId && p.role === 'expense');
    const tax = line.tax && line.tax.amount.inWalletCurrency.value !== 0 ? line.tax : undefined;
    const detail: TaxDetail | undefined = tax && {
      code: tax.code ?? undefined,
      rate: String(tax.rate),
      type: tax.type as TaxDetail['type'],
      amount: Math.abs(tax.amount.inWalletCurrency.value),
      ingoingTaxAccount: tax.ingoingTaxAccount,
      outgoingTaxAccount: tax.outgoingTaxAccount,
    };
    return {
      lineId: line.accountingEntryLineId,
      account: expense?.account ?? { code: line.account?.code ?? '' },
      description: line.account?.name ?? item.type,
      netAmount: Math.abs(expense?.amount ?? 0),
      tax: detail,
      dimensions: expense?.dimensions ?? [],
    };
  });
}

function invoiceDetails(item: ExportItem): SupplierBill['invoice'] {
  const info = item.additionalInformation.invoiceInformation;
  if (!info) return {};
  const bank = info.supplierBankAccount;
  return {
    invoiceNumber: info.invoiceNumber,
    invoiceDate: info.invoiceDate.slice(0, 10),
    dueDate: info.dueDate?.slice(0, 10),
    supplierBankAccount: bank
      ? {
          bankName: bank.bankName,
          country: bank.country,
          accountNumber: bank.accountNumber ?? undefined,
          bankCode: bank.bankCode ?? undefined,
          bic: bank.bic ?? undefined,
          iban: bank.iban ?? undefined,
        }
      : undefined,
  };
}
