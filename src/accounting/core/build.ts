// From one export item and the company's configuration to balanced documents, or a typed failure.
// Pure: no I/O, no clock, no randomness; the same input always gives the same output, and no input of
// the ExportItem type makes it throw.
import type { ExportItem, ExportItemLine } from '@pleo-export/pleo-api/types';
import type { Capabilities, ResolvedVendor } from '../../accounting-systems/port';
import { PLEO_MESSAGES, type ItemFailure } from '../../shared/failure-reasons';
import { checkAmounts, type CheckedAmounts, type LineMoney } from './amounts';
import type { CompanyAccountingConfig } from './config';
import { deriveRate } from './currency';
import { consolidatedDescription, reconciliationIdFits } from './description';
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
import { fail, ItemError, own } from './failure';
import { findRule, type Funding, type LineSide } from './mapping';

export interface BuildContext {
  /** The accounting system's answer for the item's vendor (see vendorToResolve); undefined = not found. */
  vendor?: ResolvedVendor;
  target: Pick<Capabilities, 'accountsPayable' | 'foreignCurrencyDocuments'>;
}

export type BuildResult = { ok: true; documents: AccountingDocument[] } | { ok: false; failure: ItemFailure };

export function documentReference(accountingEntryId: string, role: 'main' | 'payment'): string {
  return role === 'main' ? `pleo-${accountingEntryId}` : `pleo-${accountingEntryId}-payment`;
}

/** Throws when a document's postings do not sum to exactly zero (a bug, never an input problem). */
export function assertBalanced(document: AccountingDocument): void {
  if (document.postings.some((p) => !Number.isSafeInteger(p.amount))) {
    throw new Error(`Document ${document.reference} has a posting that is not a whole number of minor units`);
  }
  const sum = document.postings.reduce((total, posting) => total + BigInt(posting.amount), 0n);
  if (sum !== 0n) throw new Error(`Document ${document.reference} does not balance (off by ${sum})`);
}

type Method = 'journal' | 'accounts_payable' | 'none' | 'legacy';

function methodOf(item: ExportItem): Method {
  const method = item.bookkeeping?.method;
  if (method === undefined || method === null) return 'legacy';
  if (method === 'journal' || method === 'accounts_payable' || method === 'none') return method;
  return fail(
    'validation_failure',
    `Unknown bookkeeping method "${method}" on this expense; expected journal, accounts_payable or none.`,
  );
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
  if (method === null && (rule.funding === 'payable' || rule.lineSide === 'payable'))
    return legacySupplierRef(item);
  return undefined;
}

export function buildDocuments(
  item: ExportItem,
  config: CompanyAccountingConfig,
  context: BuildContext,
): BuildResult {
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
        message: `The expense could not be turned into an accounting entry (${err instanceof Error ? err.message : 'unknown error'}). Contact the integration's support.`,
      },
    };
  }
}

/** `value × factor` without ever producing -0 (it would make equal documents compare unequal). */
const times = (value: number, factor: number): number => value * factor || 0;

function build(
  item: ExportItem,
  config: CompanyAccountingConfig,
  context: BuildContext,
): AccountingDocument[] {
  const rule = findRule(item.type, item.subType);
  if (!rule) {
    return fail(
      'validation_failure',
      `Export item type "${item.type}"${item.subType ? ` with sub-type "${item.subType}"` : ''} is not a combination this integration books; check the expense in Pleo or contact the integration's support.`,
    );
  }
  const method = methodOf(item);
  const reconciliationId = item.additionalInformation.reconciliationId;
  if (!reconciliationIdFits(reconciliationId, config.description.maxLength)) {
    fail(
      'validation_failure',
      `The reconciliation id "${reconciliationId}" is longer than the description field (${config.description.maxLength} characters); raise the configured description length.`,
    );
  }
  const money = checkAmounts(item);
  const date = postingDate(item.date);

  const vendorRef = vendorToResolve(item, config);
  const apApplies =
    Boolean(rule.payables) &&
    (method === 'accounts_payable' || (method === 'legacy' && vendorRef !== undefined));
  if (apApplies && !context.vendor) {
    fail(
      'vendor_unknown',
      vendorRef
        ? PLEO_MESSAGES.vendorUnknown
        : `${PLEO_MESSAGES.vendorUnknown} (Pleo sent no vendor for this accounts payable expense.)`,
    );
  }
  const accounts = accountsFor(item, config, context.vendor, money.currency);
  const foreign = money.supplierCurrency !== money.currency;
  const itemRate = foreign
    ? deriveRate(
        { value: money.total, exponent: money.exponent },
        { value: money.supplierTotal, exponent: money.supplierExponent },
      )
    : undefined;

  const sign = rule.direction === 'out' ? 1 : -1;
  const lineDebits = item.accountingEntryLines.flatMap((line, index) =>
    linePostings(item, line, index, money.lines[index] as LineMoney, rule.lineSide, accounts, money),
  );
  /** A posting of the item's total (the funding or payable side), signed, with its supplier-currency amount. */
  const totalPosting = (account: AccountRef, role: Posting['role'], factor: number): Posting => ({
    role,
    account,
    amount: times(money.total, factor),
    ...(foreign
      ? {
          foreignAmount: { currency: money.supplierCurrency, value: times(money.supplierTotal, factor) },
          rate: itemRate,
        }
      : {}),
    dimensions: [],
  });
  const signed = (postings: Posting[], factor: number): Posting[] =>
    postings.map((p) => ({
      ...p,
      amount: times(p.amount, factor),
      ...(p.foreignAmount
        ? { foreignAmount: { ...p.foreignAmount, value: times(p.foreignAmount.value, factor) } }
        : {}),
    }));
  const header = (reference: string, postings: Posting[], receipts: boolean): DocumentHeader => ({
    reference,
    date,
    description: consolidatedDescription(
      { supplier: item.vendor?.name ?? item.supplier?.name, user: item.user?.name, note: item.note },
      reconciliationId,
      config.description.maxLength,
    ),
    counterparty: counterpartyOf(item),
    references: {
      accountingEntryId: item.accountingEntryId,
      reconciliationId,
      reconciledEntries: (item.additionalInformation.reconciledEntries ?? []).filter((e): e is string =>
        Boolean(e),
      ),
      deepLink: item._links.web?.exportItem,
    },
    attendees: (item.additionalInformation.attendees ?? []).filter((a): a is string => Boolean(a)),
    ...(item.note ? { note: item.note } : {}),
    ...(item.user
      ? {
          user: {
            id: item.user.id,
            name: item.user.name,
            ...(item.user.code ? { code: item.user.code } : {}),
          },
        }
      : {}),
    status: config.postingMode,
    currency: money.currency,
    postings,
    receipts: receipts
      ? (item.files ?? []).flatMap((file, fileIndex) =>
          file ? [{ fileIndex, type: file.type, size: file.size }] : [],
        )
      : [],
    servicePeriod: item.servicePeriod
      ? { from: item.servicePeriod.from, to: item.servicePeriod.to }
      : undefined,
  });

  if (!apApplies) {
    const funding = accounts.funding(rule.funding);
    const postings = [
      ...signed(lineDebits, sign),
      totalPosting(funding, rule.funding === 'payable' ? 'payable' : 'funding', -sign),
    ];
    const named = vendorRefOf(item) ?? legacySupplierRef(item);
    return [
      {
        kind: 'journal_entry',
        ...header(documentReference(item.accountingEntryId, 'main'), postings, true),
        journal: config.journals.journalEntry,
        ...(named ? { vendor: named } : {}),
        ...(foreign && rule.lineSide === 'payable' && config.fxDifferenceAccount
          ? { fxDifferenceAccount: { code: config.fxDifferenceAccount } }
          : {}),
      },
    ];
  }

  const vendor = { ...(vendorRef as VendorRef) };
  const payableRef = accounts.payable();
  // Foreign-currency bills (target permitting) are issued in the supplier's currency; their payments stay in the wallet currency.
  const foreignBill = foreign && context.target.foreignCurrencyDocuments;
  const fxDifferenceAccount = foreignBill
    ? accounts.configured(config.fxDifferenceAccount, 'realised FX gains and losses')
    : undefined;

  const billFor = (kind: SupplierBill['kind'], factor: number): SupplierBill => {
    const base = header(
      documentReference(item.accountingEntryId, 'main'),
      [...signed(lineDebits, factor), totalPosting(payableRef, 'payable', -factor)],
      true,
    );
    const bill: SupplierBill = {
      kind,
      ...base,
      journal: config.journals.bill,
      vendor,
      payableAccount: payableRef,
      lines: billLines(item, lineDebits, money, foreignBill),
      total: money.total,
      invoice: invoiceDetails(item),
    };
    if (!foreignBill) return bill;
    // Pleo's supplier-currency lines may not add up to its supplier-currency total; the difference is booked explicitly.
    const linesTotal = money.lines.reduce((sum, line) => sum + BigInt(line.supplierGross), 0n);
    const difference = Number(BigInt(money.supplierTotal) - linesTotal);
    const foreignCurrency = {
      currency: money.supplierCurrency,
      total: money.supplierTotal,
      rate: itemRate as string,
    };
    if (difference === 0) return { ...bill, foreignCurrency };
    const account = accounts.configured(config.roundingAccount, 'rounding differences');
    return {
      ...bill,
      foreignCurrency: { ...foreignCurrency, rounding: { amount: difference, account } },
      notes: [
        `The ${money.supplierCurrency} lines add up to ${linesTotal} but the ${money.supplierCurrency} total is ${money.supplierTotal} (minor units); the difference of ${difference} is booked on rounding account ${account.code}.`,
      ],
    };
  };
  const paymentFor = (
    factor: number,
    role: 'main' | 'payment',
    settles: string,
    receipts: boolean,
  ): BillPayment => ({
    kind: 'bill_payment',
    ...header(
      documentReference(item.accountingEntryId, role),
      [totalPosting(payableRef, 'payable', factor), totalPosting(accounts.wallet(), 'funding', -factor)],
      receipts,
    ),
    journal: config.journals.payment,
    settles,
    vendor,
    payableAccount: payableRef,
    paymentAccount: accounts.wallet(),
    amount: money.total,
    ...(foreign ? { foreignAmount: { currency: money.supplierCurrency, value: money.supplierTotal } } : {}),
    ...(fxDifferenceAccount ? { fxDifferenceAccount } : {}),
  });

  const main = documentReference(item.accountingEntryId, 'main');
  switch (rule.payables) {
    case 'bill':
      return [billFor('supplier_bill', 1)];
    case 'bill_and_payment':
      return [billFor('supplier_bill', 1), paymentFor(1, 'payment', main, false)];
    case 'credit_note_and_payment':
      return [billFor('supplier_credit_note', -1), paymentFor(-1, 'payment', main, false)];
    default:
      // A payment exported on its own: the bill came in another export job (matched by the AS, see BillPayment.settles).
      return [paymentFor(sign, 'main', '', true)];
  }
}

function postingDate(date: string): string {
  const day = date.slice(0, 10);
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : undefined;
  // The round trip rejects dates such as 2026-02-30, which Date accepts and silently rolls over.
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    fail('validation_failure', `The expense date "${date}" is not a valid date.`);
  }
  return day;
}

interface Accounts {
  configured(code: string | undefined, what: string): AccountRef;
  /** The wallet the money moved through: Pleo's contra account for the item (multi-currency wallets), else the configured one. */
  wallet(): AccountRef;
  payable(): AccountRef;
  funding(funding: Funding): AccountRef;
  config: CompanyAccountingConfig;
}

/** Accounts are resolved only when a document needs them, so a missing account fails only the items that use it. */
function accountsFor(
  item: ExportItem,
  config: CompanyAccountingConfig,
  vendor: ResolvedVendor | undefined,
  currency: string,
): Accounts {
  const configured = (code: string | undefined, what: string): AccountRef => {
    if (!code) fail('missing_configuration', PLEO_MESSAGES.accountMissingInConfig(what));
    return { code: code as string };
  };
  const wallet = (): AccountRef => {
    const contra = item.contraAccount;
    if (contra?.code)
      return { code: contra.code, name: contra.name, identifier: contra.identifier ?? undefined };
    return configured(own(config.walletAccounts, currency), `Pleo wallet ${currency}`);
  };
  // A vendor object, when present, replaces the legacy supplier entirely (Pleo's AP guide).
  const payable = (): AccountRef =>
    configured(
      vendor?.payableAccountCode ??
        own(config.vendorPayableAccounts, item.vendor ? item.vendor.code : item.supplier?.code) ??
        config.accountsPayableAccount,
      'accounts payable',
    );
  const funding = (kind: Funding): AccountRef => {
    switch (kind) {
      case 'wallet':
        return wallet();
      case 'out_of_pocket':
        return configured(config.outOfPocketAccount, 'Pleo out-of-pocket');
      case 'external_reimbursement':
        return configured(config.externalReimbursementAccount, 'external reimbursement');
      case 'bank':
        return configured(config.contraAccount, 'Pleo contra (bank)');
      default:
        return payable();
    }
  };
  return { configured, wallet, payable, funding, config };
}

function dimensionsOf(item: ExportItem, line: ExportItemLine): Dimension[] {
  const tags = (line.tags ?? []).flatMap((tag) => (tag ? [{ group: tag.groupCode, code: tag.code }] : []));
  return item.team?.code ? [...tags, { group: 'team', code: item.team.code }] : tags;
}

/** The configured account a `lines_or_<x>` side falls back to when Pleo's line has no account. */
function fallbackAccount(side: LineSide, config: CompanyAccountingConfig): [string | undefined, string] {
  switch (side) {
    case 'lines_or_reimbursement':
      return [config.reimbursementAccount ?? config.outOfPocketAccount, 'Pleo reimbursement'];
    case 'lines_or_cashback':
      return [config.cashbackAccount, 'cashback'];
    case 'lines_or_fee':
      return [config.feeAccount, 'Pleo fees'];
    case 'lines_or_interest':
      return [config.interestAccount ?? config.feeAccount, 'interest'];
    case 'lines_or_personal_spend':
      return [config.personalSpendAccount, 'personal spend receivable'];
    default:
      return [config.cashAccount, 'cash (ATM withdrawals)'];
  }
}

function lineAccountOf(line: ExportItemLine, index: number, side: LineSide, accounts: Accounts): AccountRef {
  const fromPleo = line.account?.code
    ? { code: line.account.code, name: line.account.name, identifier: line.account.identifier ?? undefined }
    : undefined;
  switch (side) {
    case 'lines': {
      if (fromPleo) return fromPleo;
      const category = line.account?.name
        ? `for category "${line.account.name}"`
        : 'for the expense category';
      return fail(
        'missing_configuration',
        `${PLEO_MESSAGES.accountMissingInConfig(`${category} (line ${index + 1})`)}. Set the category's account code in Pleo (Settings → Accounting → Categories) or choose a category on the expense.`,
      );
    }
    case 'reimbursement':
      return accounts.configured(
        accounts.config.reimbursementAccount ?? accounts.config.outOfPocketAccount,
        'Pleo reimbursement',
      );
    case 'payable':
      return accounts.payable();
    case 'bank':
      return accounts.funding('bank');
    default: {
      const [code, what] = fallbackAccount(side, accounts.config);
      return fromPleo ?? accounts.configured(code, what);
    }
  }
}

/** The line's postings in the "money out" orientation (debits positive); the caller flips them for money in. */
function linePostings(
  item: ExportItem,
  line: ExportItemLine,
  index: number,
  amounts: LineMoney,
  side: LineSide,
  accounts: Accounts,
  money: CheckedAmounts,
): Posting[] {
  const { gross, supplierGross } = amounts;
  const account = lineAccountOf(line, index, side, accounts);
  const rate =
    money.supplierCurrency !== money.currency
      ? deriveRate(
          { value: gross, exponent: money.exponent },
          { value: supplierGross, exponent: money.supplierExponent },
        )
      : undefined;
  const fx = (supplierValue: number) =>
    money.supplierCurrency !== money.currency
      ? {
          foreignAmount: { currency: money.supplierCurrency, value: supplierValue },
          ...(rate ? { rate } : {}),
        }
      : {};
  const base = { lineId: line.accountingEntryLineId, dimensions: dimensionsOf(item, line) };
  // Tax belongs to spend lines; balance-sheet moves (reimbursements, payments, transfers) carry none.
  const tax = side === 'lines' || side.startsWith('lines_or') ? line.tax : undefined;
  if (!tax) return [{ role: 'expense', account, amount: gross, ...fx(supplierGross), ...base }];

  const at = `Line ${index + 1}`;
  if (tax.type !== 'inclusive' && tax.type !== 'exclusive' && tax.type !== 'reverse') {
    fail(
      'validation_failure',
      `${at} has tax type "${tax.type}"; expected inclusive, exclusive or reverse. Check the tax code in Pleo.`,
    );
  }
  const taxCode = tax.code ?? undefined;
  const codeName = taxCode ?? tax.id;
  // A 0 % code still goes on the line (exempt purchases appear in VAT reports); there is nothing to post for it.
  if (amounts.tax === 0 && amounts.supplierTax === 0)
    return [{ role: 'expense', account, amount: gross, taxCode, ...fx(supplierGross), ...base }];
  // Pleo's own tax account for the code comes first, then the integration's per-code and default input VAT.
  const inputVat = () =>
    accounts.configured(
      tax.ingoingTaxAccount ?? own(accounts.config.taxAccounts, taxCode) ?? accounts.config.inputVatAccount,
      `input VAT for tax code ${codeName}`,
    );
  if (tax.type === 'reverse') {
    // Reverse charge: the buyer books output VAT and the same input VAT on top of the line; net zero.
    const outgoing = accounts.configured(
      tax.outgoingTaxAccount,
      `outgoing VAT (reverse charge) for tax code ${codeName}`,
    );
    return [
      { role: 'expense', account, amount: gross, taxCode, ...fx(supplierGross), ...base },
      {
        role: 'reverse_charge_in',
        account: inputVat(),
        amount: amounts.tax,
        taxCode,
        ...fx(amounts.supplierTax),
        ...base,
      },
      {
        role: 'reverse_charge_out',
        account: outgoing,
        amount: -amounts.tax || 0,
        taxCode,
        ...fx(-amounts.supplierTax || 0),
        ...base,
      },
    ];
  }
  if (amounts.tax > gross || amounts.supplierTax > supplierGross) {
    fail(
      'validation_failure',
      `${at}'s tax (${amounts.tax} / ${amounts.supplierTax} in the supplier currency) is larger than the line (${gross} / ${supplierGross}); Pleo sent inconsistent tax.`,
    );
  }
  // Inclusive or exclusive, the wallet paid the line amount (the lines add up to the total); Pleo's tax
  // amount inside it, as given and never recomputed, goes to input VAT.
  return [
    {
      role: 'expense',
      account,
      amount: gross - amounts.tax,
      taxCode,
      ...fx(supplierGross - amounts.supplierTax),
      ...base,
    },
    { role: 'tax', account: inputVat(), amount: amounts.tax, taxCode, ...fx(amounts.supplierTax), ...base },
  ];
}

function billLines(
  item: ExportItem,
  lineDebits: Posting[],
  money: CheckedAmounts,
  foreignBill: boolean,
): BillLine[] {
  return item.accountingEntryLines.map((line, index) => {
    const amounts = money.lines[index] as LineMoney;
    const expense = lineDebits.find((p) => p.lineId === line.accountingEntryLineId && p.role === 'expense');
    const tax = line.tax;
    const reverse = tax?.type === 'reverse';
    const detail: TaxDetail | undefined = tax
      ? {
          code: tax.code ?? undefined,
          rate: String(tax.rate),
          type: tax.type as TaxDetail['type'],
          amount: amounts.tax,
          ingoingTaxAccount: tax.ingoingTaxAccount,
          outgoingTaxAccount: tax.outgoingTaxAccount,
        }
      : undefined;
    const supplierNet = reverse || !tax ? amounts.supplierGross : amounts.supplierGross - amounts.supplierTax;
    return {
      lineId: line.accountingEntryLineId,
      account: expense?.account ?? { code: line.account?.code ?? '' },
      description: line.account?.name ?? item.type,
      netAmount: Math.abs(expense?.amount ?? 0),
      tax: detail,
      dimensions: expense?.dimensions ?? [],
      ...(foreignBill
        ? { foreign: { netAmount: supplierNet, ...(tax ? { taxAmount: amounts.supplierTax } : {}) } }
        : {}),
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
    paymentDate: info.paymentDate?.slice(0, 10),
    status: info.status,
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

/** Items between the company and Pleo itself: no merchant, no employee on the other side. */
const PLEO_ITEM_TYPES = ['cashback', 'fee', 'wallet_topup', 'wallet_unload'];

function counterpartyOf(item: ExportItem): string | undefined {
  return (
    item.vendor?.name ??
    item.supplier?.name ??
    (PLEO_ITEM_TYPES.includes(item.type) ? 'Pleo' : item.user?.name) ??
    undefined
  );
}
