// Documents → beancount text. Pure: the embedded ledger writes it, and tests feed it to bean-check as
// an independent check that every document balances and every account is used consistently.
import type { AccountingDocument, Posting } from '../../accounting/core/documents';
import { currencyExponent, formatMinor } from '../../accounting/core/currency';

/**
 * Beancount account for a chart account: the root from its kind (or the code's first digit), then code
 * and name, e.g. 6300 "Software subscriptions" → `Expenses:6300-Software-subscriptions`; the code alone
 * when the chart gives no name. Code first, so accounts sort by code in reports.
 */
export function beancountAccount(code: string, kind?: string, name?: string): string {
  const root =
    kind === 'asset'
      ? 'Assets'
      : kind === 'liability'
        ? 'Liabilities'
        : kind === 'income'
          ? 'Income'
          : kind === 'expense'
            ? 'Expenses'
            : kind === 'equity'
              ? 'Equity'
              : rootByNumber(code);
  // Character for character in the code, so distinct codes stay distinct accounts.
  const words = name ? accountWords(name) : '';
  const component = `${code.replace(/[^A-Za-z0-9-]/g, '-')}${words ? `-${words}` : ''}`;
  // A component must start with a capital letter or a digit.
  return `${root}:${/^[A-Z0-9]/.test(component) ? component : `A${component}`}`;
}

const SPELLED_OUT: Record<string, string> = {
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  þ: 'th',
};

/** Words as account-name characters (ASCII letters, digits, dashes): "Meals & Entertainment" → "Meals-Entertainment". */
function accountWords(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øØæÆœßłđþ]/g, (c) => SPELLED_OUT[c]!)
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function rootByNumber(code: string): string {
  // BAS-style numbering: 1 assets, 2 equity and liabilities, 3 income, 4–8 expenses.
  switch (code[0]) {
    case '1':
      return 'Assets';
    case '2':
      return 'Liabilities';
    case '3':
      return 'Income';
    default:
      return 'Expenses';
  }
}

export function quote(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n\t]+/g, ' ')}"`;
}

export interface RenderOptions {
  kindOf?: (code: string) => string | undefined;
  nameOf?: (code: string) => string | undefined;
  createdAt?: string;
}

/** The account a code is booked on, named from the chart when the options know it. */
export function accountOf(code: string, options: RenderOptions = {}): string {
  return beancountAccount(code, options.kindOf?.(code), options.nameOf?.(code));
}

/** One transaction block, ending in a blank line (the ledger uses that to detect a torn write). */
export function renderTransaction(document: AccountingDocument, options: RenderOptions = {}): string {
  const exponent = currencyExponent(document.currency);
  if (exponent === undefined)
    throw new Error(`cannot render amounts in unknown currency ${document.currency}`);
  const flag = document.status === 'posted' ? '*' : '!';
  const payee = document.vendor?.name ?? document.counterparty ?? '';
  const meta: [string, string | undefined][] = [
    ['pleo-ref', document.reference],
    ['kind', document.kind],
    ['accounting-entry-id', document.references.accountingEntryId],
    ['reconciliation-id', document.references.reconciliationId],
    ['reconciled-entries', document.references.reconciledEntries.join(',') || undefined],
    ['deep-link', document.references.deepLink],
    ['attendees', document.attendees.join(', ') || undefined],
    ['original-date', document.originalDate],
    ['journal', document.journal],
    ['settles', 'settles' in document ? document.settles || undefined : undefined],
    ['invoice-number', 'invoice' in document ? document.invoice.invoiceNumber : undefined],
    ['due-date', 'invoice' in document ? document.invoice.dueDate : undefined],
    [
      'service-period',
      document.servicePeriod ? `${document.servicePeriod.from}..${document.servicePeriod.to}` : undefined,
    ],
    ['created-at', options.createdAt],
  ];
  const lines = [`${document.date} ${flag} ${quote(payee)} ${quote(document.description)}`];
  for (const [key, value] of meta) if (value !== undefined) lines.push(`  ${key}: ${quote(value)}`);
  for (const posting of document.postings)
    lines.push(...renderPosting(posting, document.currency, exponent, options));
  return `${lines.join('\n')}\n\n`;
}

function renderPosting(
  posting: Posting,
  currency: string,
  exponent: number,
  options: RenderOptions,
): string[] {
  const account = accountOf(posting.account.code, options);
  const out = [`  ${account}  ${formatMinor(posting.amount, exponent)} ${currency}`];
  const meta: [string, string | undefined][] = [
    ['role', posting.role],
    ['line-id', posting.lineId],
    ['tax-code', posting.taxCode],
    ['dimensions', posting.dimensions.map((d) => `${d.group}=${d.code}`).join(',') || undefined],
    [
      'foreign-amount',
      posting.foreignAmount
        ? `${formatMinor(posting.foreignAmount.value, currencyExponent(posting.foreignAmount.currency) ?? 2)} ${posting.foreignAmount.currency}`
        : undefined,
    ],
    ['rate', posting.rate],
  ];
  for (const [key, value] of meta) if (value !== undefined) out.push(`    ${key}: ${quote(value)}`);
  return out;
}

/**
 * The date accounts are opened on: before any date a Pleo export item carries, so an entry exported
 * late for an early date still finds its account open.
 */
export const ACCOUNTS_OPEN_ON = '2000-01-01';

/** `open` directives, each with the chart's code and name as metadata. */
export function renderOpenDirectives(codes: Iterable<string>, options: RenderOptions = {}): string {
  const lines: string[] = [];
  for (const code of codes) {
    lines.push(`${ACCOUNTS_OPEN_ON} open ${accountOf(code, options)}`);
    lines.push(`  code: ${quote(code)}`);
    const name = options.nameOf?.(code);
    if (name) lines.push(`  name: ${quote(name)}`);
  }
  return lines.length ? `${lines.join('\n')}\n\n` : '';
}

/** What a person opening the file reads first: what it holds and what its flags and fields mean. */
export function renderHeader(options: { title: string; currency?: string }): string {
  return `${[
    '; Pleo export items booked by pleo-export: one transaction per document (an expense, a bill, its',
    '; payment), appended as they are exported; reports sort them by date.',
    ';',
    '; Flag  "!" = draft: booked for the bookkeeper to review (posting mode "draft", the default);',
    ';       "*" = posted (posting mode "posted"). In fava, filter by flag to find what awaits review.',
    '; Payee = the merchant (card spend) or vendor (bills); else the employee, or Pleo for its fees and',
    '; cashback. Narration = merchant, user and note as Pleo gives them, then the reconciliation id.',
    '; Accounts are "<code>-<name>" from the chart of accounts, opened in this file before first use.',
    '; pleo-ref is the idempotency reference (an item is never booked twice); accounting-entry-id and',
    '; deep-link lead back to the item in Pleo.',
    '',
    `option "title" ${quote(options.title)}`,
    ...(options.currency ? [`option "operating_currency" ${quote(options.currency)}`] : []),
  ].join('\n')}\n\n`;
}

/** A whole ledger from documents: header, open directives, then transactions by date (tests and tools). */
export function renderBeancount(documents: AccountingDocument[], options: RenderOptions = {}): string {
  const codes = new Set(documents.flatMap((d) => d.postings.map((p) => p.account.code)));
  const ordered = [...documents].sort(byDateAndReference);
  return `${renderHeader({ title: 'Pleo export', currency: documents[0]?.currency })}${renderOpenDirectives([...codes].sort(), options)}${ordered.map((d) => renderTransaction(d, options)).join('')}`;
}

/** The order entries are appended in when several are written together: by date, then reference. */
export function byDateAndReference(
  a: { date: string; reference: string },
  b: { date: string; reference: string },
): number {
  return a.date.localeCompare(b.date) || a.reference.localeCompare(b.reference);
}
