// Documents → beancount text. Pure: the embedded ledger writes it, and tests feed it to bean-check as
// an independent check that every document balances and every account is used consistently.
import type { AccountingDocument, Posting } from '../../accounting/core/documents';
import { currencyExponent, formatMinor } from '../../accounting/core/currency';

/** Beancount account for an account code: the root from the code's kind (or its first digit), e.g. 6000 → Expenses:A6000. */
export function beancountAccount(code: string, kind?: string): string {
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
  return `${root}:A${code.replace(/[^A-Za-z0-9-]/g, '-')}`;
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
  createdAt?: string;
}

/** One transaction block, ending in a blank line (the ledger uses that to detect a torn write). */
export function renderTransaction(document: AccountingDocument, options: RenderOptions = {}): string {
  const exponent = currencyExponent(document.currency);
  if (exponent === undefined)
    throw new Error(`cannot render amounts in unknown currency ${document.currency}`);
  const flag = document.status === 'posted' ? '*' : '!';
  const payee = document.kind !== 'journal_entry' ? document.vendor.name : '';
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
  const account = beancountAccount(posting.account.code, options.kindOf?.(posting.account.code));
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

/** `open` directives for accounts first used by these documents (dated early so every entry is after them). */
export function renderOpenDirectives(
  codes: Iterable<string>,
  options: RenderOptions & { nameOf?: (code: string) => string | undefined } = {},
): string {
  const lines: string[] = [];
  for (const code of codes) {
    lines.push(`1970-01-01 open ${beancountAccount(code, options.kindOf?.(code))}`);
    const name = options.nameOf?.(code);
    if (name) lines.push(`  name: ${quote(name)}`);
  }
  return lines.length ? `${lines.join('\n')}\n\n` : '';
}

/** A whole ledger from documents: open directives, then transactions (used by tests and tools). */
export function renderBeancount(documents: AccountingDocument[], options: RenderOptions = {}): string {
  const codes = new Set(documents.flatMap((d) => d.postings.map((p) => p.account.code)));
  return `${renderOpenDirectives([...codes].sort(), options)}${documents.map((d) => renderTransaction(d, options)).join('')}`;
}
