// Documents → the values Tryton creates: journal entries and payments as `account.move`, bills and
// credit notes as supplier `account.invoice`. Pure: ids come from the chart read beforehand.
// Amounts stay exact: integer minor units become decimal text, never floats.
import type {
  BillPayment,
  Dimension,
  JournalEntry,
  Posting,
  SupplierBill,
} from '../../accounting/core/documents';
import { currencyExponent, formatMinor } from '../../accounting/core/currency';
import { date, decimal } from './json-rpc';
import type { TrytonChart } from './chart';

export interface MoveTarget {
  journalId: number;
  periodId: number;
  /** The party of a line whose account requires one (accounts payable, employee liabilities). */
  partyFor: (posting: Posting) => number | undefined;
}

/** The idempotency reference is the move's own number (Tryton lets the creator set it; posting adds a post number). */
export function moveValues(
  document: JournalEntry | BillPayment,
  chart: TrytonChart,
  target: MoveTarget,
): Record<string, unknown> {
  const money = amountFormatter(document.currency);
  return {
    number: document.reference,
    company: chart.companyId,
    journal: target.journalId,
    period: target.periodId,
    date: date(document.date),
    description: document.description,
    lines: [
      ['create', document.postings.map((posting) => lineValues(posting, document, chart, target, money))],
    ],
  };
}

function lineValues(
  posting: Posting,
  document: JournalEntry | BillPayment,
  chart: TrytonChart,
  target: MoveTarget,
  money: (minor: number) => ReturnType<typeof decimal>,
): Record<string, unknown> {
  const account = chart.accounts.get(posting.account.code)!;
  const debit = posting.amount > 0 ? posting.amount : 0;
  const credit = posting.amount < 0 ? -posting.amount : 0;
  // The supplier-currency amount rides along as Tryton's second currency when Tryton knows that currency.
  const foreign =
    posting.foreignAmount &&
    posting.foreignAmount.currency !== document.currency &&
    posting.foreignAmount.currency !== chart.currencyCode
      ? posting.foreignAmount
      : undefined;
  const secondCurrency = foreign && chart.currencies.get(foreign.currency);
  const foreignExponent = foreign ? (currencyExponent(foreign.currency) ?? 2) : 2;
  const analytic = analyticLines(posting.dimensions, chart).map((accountId) => ({
    account: accountId,
    debit: money(debit),
    credit: money(credit),
    date: date(document.date),
  }));
  return {
    account: account.id,
    debit: money(debit),
    credit: money(credit),
    description: posting.memo ?? posting.role,
    ...(account.partyRequired ? { party: target.partyFor(posting) } : {}),
    ...(foreign && secondCurrency
      ? {
          second_currency: secondCurrency,
          amount_second_currency: decimal(
            formatMinor(Math.sign(posting.amount) * Math.abs(foreign.value), foreignExponent),
          ),
        }
      : {}),
    ...(analytic.length ? { analytic_lines: [['create', analytic]] } : {}),
  };
}

/** One analytic account per dimension (each group is its own analytic root in Tryton). */
function analyticLines(dimensions: Dimension[], chart: TrytonChart): number[] {
  return dimensions.map((d) => chart.analytic.get(d.group)!.values.get(d.code)!);
}

export interface InvoiceTarget {
  journalId: number;
  partyId: number;
  addressId: number;
  /** Idempotency reference line in the invoice comment (invoice numbers come from Tryton's strict sequence). */
  comment: string;
}

/**
 * A supplier invoice whose lines carry the net amounts and whose taxes are Pleo's exact tax amounts as
 * manual tax lines: Tryton would otherwise recompute tax from the net and may round differently.
 * A credit note is the same invoice with negative quantities (Tryton's way: there is no separate type).
 */
export function invoiceValues(
  bill: SupplierBill,
  chart: TrytonChart,
  target: InvoiceTarget,
): Record<string, unknown> {
  const money = amountFormatter(bill.currency);
  const sign = bill.kind === 'supplier_credit_note' ? -1 : 1;
  const taxes: Record<string, unknown>[] = [];
  const lines = bill.lines.map((line) => {
    const tax = line.tax?.code ? chart.taxes.get(line.tax.code) : undefined;
    if (line.tax && tax) {
      const base = money(sign * line.netAmount);
      const parts: [number, number][] =
        line.tax.type === 'reverse'
          ? tax.childs.map((id) => [
              id,
              Math.sign(Number(chart.taxesById.get(id)?.rate ?? '1')) * line.tax!.amount,
            ])
          : [[tax.id, line.tax.amount]];
      for (const [taxId, amount] of parts) {
        const child = chart.taxesById.get(taxId)!;
        taxes.push({
          description: child.name,
          tax: taxId,
          account: child.accountId,
          base,
          amount: money(sign * amount),
          manual: true,
        });
      }
    }
    return {
      type: 'line',
      company: chart.companyId,
      currency: chart.currencyId,
      account: chart.accounts.get(line.account.code)!.id,
      description: lineDescription(bill, line.lineId, line.description),
      quantity: sign,
      unit_price: money(line.netAmount),
      ...(line.dimensions.length
        ? {
            analytic_accounts: [
              [
                'create',
                line.dimensions.map((d) => ({
                  root: chart.analytic.get(d.group)!.rootId,
                  account: chart.analytic.get(d.group)!.values.get(d.code),
                })),
              ],
            ],
          }
        : {}),
    };
  });
  return {
    type: 'in',
    company: chart.companyId,
    currency: chart.currencyId,
    journal: target.journalId,
    party: target.partyId,
    invoice_address: target.addressId,
    account: chart.accounts.get(bill.payableAccount.code)!.id,
    invoice_date: date(bill.invoice.invoiceDate ?? bill.date),
    accounting_date: date(bill.date),
    ...(bill.invoice.invoiceNumber ? { reference: bill.invoice.invoiceNumber } : {}),
    description: bill.description,
    comment: target.comment,
    lines: [['create', lines]],
    ...(taxes.length ? { taxes: [['create', taxes]] } : {}),
  };
}

/** The supplier-currency amount of a line, kept visible on the invoice line (the invoice is in the wallet currency). */
function lineDescription(bill: SupplierBill, lineId: string, description: string): string {
  const foreign = bill.postings.find((p) => p.lineId === lineId && p.role === 'expense')?.foreignAmount;
  if (!foreign || foreign.currency === bill.currency) return description;
  return `${description} (${formatMinor(foreign.value, currencyExponent(foreign.currency) ?? 2)} ${foreign.currency})`;
}

function amountFormatter(currency: string): (minor: number) => ReturnType<typeof decimal> {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new Error(`unknown currency ${currency}`);
  return (minor) => decimal(formatMinor(minor, exponent));
}

/** The comment line that carries a document's idempotency reference on an invoice. */
export function referenceComment(reference: string, deepLink?: string): string {
  return [`pleo-ref: ${reference}`, deepLink ? `Pleo: ${deepLink}` : undefined].filter(Boolean).join('\n');
}
