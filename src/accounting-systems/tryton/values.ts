// Documents → the values Tryton creates: journal entries and payments as `account.move`, bills and
// credit notes as supplier `account.invoice`. Pure: ids and rates come from Tryton, read beforehand.
// Amounts stay exact: integer minor units become decimal text, never floats.
//
// What a bookkeeper reads in Tryton's reports follows from these rules:
// - moves are in the company currency; a document in another currency is converted at Tryton's own rate
//   for its date, each line keeping the document amount as its second currency;
// - a line with a tax code carries Tryton tax lines (base on the expense line, tax on the VAT line; both
//   children for reverse charge), so the tax codes in Tryton's tax report add them up;
// - analytic amounts sit on expense lines only (never on VAT), once per analytic axis: two tags of one
//   group share the line's amount evenly (the remainder on the first), so every axis adds up to the net.
import type {
  AccountingDocument,
  BillLine,
  BillPayment,
  Dimension,
  JournalEntry,
  Posting,
  SupplierBill,
} from '../../accounting/core/documents';
import { currencyExponent, formatMinor, splitEvenly } from '../../accounting/core/currency';
import { date, decimal } from './json-rpc';
import type { TrytonChart, TrytonTax } from './chart';

export interface MoveTarget {
  journalId: number;
  periodId: number;
  /** The party of a line whose account requires one (accounts payable, employee liabilities). */
  partyFor: (posting: Posting) => number | undefined;
  /** Set when the document is not in the company currency: its minor units → company minor units at Tryton's rate. */
  conversion?: { currencyId: number; toCompany: (minor: number) => number };
  /** A payment of a posted invoice: its payable line takes the invoice's open amount, see settle(). */
  settlement?: Settlement;
}

export interface Settlement {
  /** The invoice's open payable amount in company minor units, signed as the payment's payable line. */
  payableAmount: number;
  /** The invoice's own currency amount for the payable line, when the invoice is not in the company currency. */
  second?: { currencyId: number; amount: ReturnType<typeof decimal> };
  /** Where the realised exchange difference goes; without it a difference leaves the payment as it is. */
  fxAccountId?: number;
}

/** The idempotency reference is the move's own number (Tryton keeps a number set at creation when posting). */
export function moveValues(
  document: JournalEntry | BillPayment,
  chart: TrytonChart,
  target: MoveTarget,
): Record<string, unknown> {
  const company = amountFormatter(chart.currencyCode);
  const { amounts, payable, extra } = settle(
    document.postings,
    companyAmounts(document.postings, target.conversion?.toCompany),
    target.settlement,
  );
  return {
    number: document.reference,
    company: chart.companyId,
    journal: target.journalId,
    period: target.periodId,
    date: date(document.date),
    description: documentText(document),
    lines: [
      [
        'create',
        [
          ...document.postings.map((posting, i) => ({
            ...lineValues(posting, amounts[i]!, document, chart, target, company),
            ...(i === payable && target.settlement?.second
              ? {
                  second_currency: target.settlement.second.currencyId,
                  amount_second_currency: target.settlement.second.amount,
                }
              : {}),
          })),
          ...extra.map((line) => ({
            account: line.accountId,
            debit: company(Math.max(line.amount, 0)),
            credit: company(Math.max(-line.amount, 0)),
            description: line.description,
          })),
        ],
      ],
    ],
  };
}

/**
 * Each posting in company minor units. Converted one by one, the lines may miss balancing by a minor
 * unit; the funding or payable line (the document's total) takes that difference, as an ERP's own
 * conversion does.
 */
function companyAmounts(postings: Posting[], toCompany?: (minor: number) => number): number[] {
  if (!toCompany) return postings.map((p) => p.amount);
  const converted = postings.map((p) => toCompany(p.amount));
  const off = converted.reduce((sum, value) => sum + value, 0);
  if (off !== 0) {
    const total = postings.findIndex((p) => p.role === 'funding' || p.role === 'payable');
    converted[total < 0 ? 0 : total]! -= off;
  }
  return converted;
}

/**
 * A payment settles its invoice exactly: the payable line carries the invoice's open amount in company
 * currency (so the two reconcile and the vendor's balance is zero), and the difference to what the
 * wallet paid at today's rate is the realised exchange gain or loss, booked as its own line on the
 * configured FX account (an explicit write-off line, not Tryton's exchange-difference wizard).
 */
function settle(
  postings: Posting[],
  amounts: number[],
  settlement: Settlement | undefined,
): {
  amounts: number[];
  payable: number;
  extra: { accountId: number; amount: number; description: string }[];
} {
  const payable = postings.findIndex((p) => p.role === 'payable');
  if (!settlement || payable < 0) return { amounts, payable: -1, extra: [] };
  const settled = amounts.map((a, i) => (i === payable ? settlement.payableAmount : a));
  const difference = settled.reduce((sum, a) => sum + a, 0);
  if (difference === 0) return { amounts: settled, payable, extra: [] };
  if (settlement.fxAccountId === undefined) return { amounts, payable: -1, extra: [] };
  return {
    amounts: settled,
    payable,
    extra: [
      {
        accountId: settlement.fxAccountId,
        amount: -difference,
        description: difference > 0 ? 'Realised exchange gain' : 'Realised exchange loss',
      },
    ],
  };
}

function lineValues(
  posting: Posting,
  amount: number,
  document: JournalEntry | BillPayment,
  chart: TrytonChart,
  target: MoveTarget,
  company: (minor: number) => ReturnType<typeof decimal>,
): Record<string, unknown> {
  const account = chart.accounts.get(posting.account.code)!;
  const debit = amount > 0 ? amount : 0;
  const credit = amount < 0 ? -amount : 0;
  const analytic = posting.role === 'expense' ? analyticSplit(amount, posting.dimensions, chart) : [];
  const taxLines = moveTaxLines(posting, amount, chart);
  return {
    account: account.id,
    debit: company(debit),
    credit: company(credit),
    description: posting.memo ?? posting.role,
    ...(account.partyRequired ? { party: target.partyFor(posting) } : {}),
    ...secondCurrency(posting, document, chart, target),
    ...(analytic.length
      ? {
          analytic_lines: [
            [
              'create',
              analytic.map((a) => ({
                account: a.accountId,
                debit: company(Math.max(a.amount, 0)),
                credit: company(Math.max(-a.amount, 0)),
                date: date(document.date),
              })),
            ],
          ],
        }
      : {}),
    ...(taxLines.length
      ? {
          tax_lines: [
            ['create', taxLines.map((t) => ({ tax: t.tax, type: t.type, amount: company(t.amount) }))],
          ],
        }
      : {}),
  };
}

/** The amount in the document currency (converted documents), else in the supplier currency Tryton knows. */
function secondCurrency(
  posting: Posting,
  document: AccountingDocument,
  chart: TrytonChart,
  target: MoveTarget,
): Record<string, unknown> {
  if (target.conversion) {
    return {
      second_currency: target.conversion.currencyId,
      amount_second_currency: decimal(formatMinor(posting.amount, currencyExponent(document.currency)!)),
    };
  }
  const foreign = posting.foreignAmount;
  if (!foreign || foreign.currency === document.currency || foreign.currency === chart.currencyCode)
    return {};
  const currencyId = chart.currencies.get(foreign.currency);
  if (currencyId === undefined) return {};
  return {
    second_currency: currencyId,
    amount_second_currency: decimal(
      formatMinor(
        Math.sign(posting.amount) * Math.abs(foreign.value),
        currencyExponent(foreign.currency) ?? 2,
      ),
    ),
  };
}

/**
 * Tryton tax lines for a move line, signed like the line (debit positive): the base on the expense line
 * (for reverse charge on both children), the tax on the VAT line (for reverse charge the ingoing child on
 * the input VAT line, the outgoing child on the output VAT line).
 */
export function moveTaxLines(
  posting: Posting,
  amount: number,
  chart: TrytonChart,
): { tax: number; type: 'base' | 'tax'; amount: number }[] {
  const tax = posting.taxCode ? chart.taxes.get(posting.taxCode) : undefined;
  if (!tax) return [];
  const leaves = tax.childs.length ? tax.childs.map((id) => chart.taxesById.get(id)!) : [tax];
  const outgoing = (t: TrytonTax) => Number(t.rate ?? '0') < 0;
  switch (posting.role) {
    case 'expense':
      return leaves.map((t) => ({ tax: t.id, type: 'base' as const, amount }));
    case 'tax':
      return [{ tax: tax.id, type: 'tax', amount }];
    case 'reverse_charge_in':
    case 'reverse_charge_out': {
      const child = leaves.find((t) => outgoing(t) === (posting.role === 'reverse_charge_out'));
      return child ? [{ tax: child.id, type: 'tax', amount }] : [];
    }
    default:
      return [];
  }
}

/** Analytic amounts per axis: each group's tags share the amount evenly, so each axis adds up to it once. */
export function analyticSplit(
  amount: number,
  dimensions: Dimension[],
  chart: TrytonChart,
): { accountId: number; amount: number }[] {
  return [...groupedDimensions(dimensions)].flatMap(([group, codes]) => {
    const parts = splitEvenly(amount, codes.length);
    return codes.map((code, i) => ({
      accountId: chart.analytic.get(group)!.values.get(code)!,
      amount: parts[i]!,
    }));
  });
}

function groupedDimensions(dimensions: Dimension[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const d of dimensions) {
    const codes = groups.get(d.group) ?? [];
    if (!codes.includes(d.code)) codes.push(d.code);
    groups.set(d.group, codes);
  }
  return groups;
}

export interface InvoiceTarget {
  journalId: number;
  partyId: number;
  addressId: number;
  /** Idempotency reference line in the invoice comment (invoice numbers come from Tryton's strict sequence). */
  comment: string;
}

/** The currency a bill is issued in: the supplier's when Pleo gives it and Tryton knows it, else the wallet's. */
export function invoiceCurrency(bill: SupplierBill, chart: TrytonChart): { code: string; total: number } {
  const foreign = bill.foreignCurrency;
  return foreign && chart.currencies.has(foreign.currency)
    ? { code: foreign.currency, total: foreign.total }
    : { code: bill.currency, total: bill.total };
}

/**
 * A supplier invoice whose lines carry the net amounts and whose taxes are Pleo's exact tax amounts as
 * manual tax lines: Tryton would otherwise recompute tax from the net and may round differently. It is
 * in the supplier currency when Tryton knows it (Tryton converts to the company currency at its rate
 * when posting). A credit note is the same invoice with negative quantities (Tryton's way: there is no
 * separate type). Pleo's due date is the payment term date, so the payable line matures then.
 */
export function invoiceValues(
  bill: SupplierBill,
  chart: TrytonChart,
  target: InvoiceTarget,
): Record<string, unknown> {
  const currency = invoiceCurrency(bill, chart);
  const inSupplierCurrency = currency.code !== bill.currency;
  const money = amountFormatter(currency.code);
  const sign = bill.kind === 'supplier_credit_note' ? -1 : 1;
  const net = (line: BillLine) => (inSupplierCurrency ? (line.foreign?.netAmount ?? 0) : line.netAmount);
  const taxAmount = (line: BillLine) =>
    inSupplierCurrency ? (line.foreign?.taxAmount ?? 0) : (line.tax?.amount ?? 0);
  const currencyId = chart.currencies.get(currency.code)!;
  const taxes: Record<string, unknown>[] = [];
  const lines = bill.lines.flatMap((line) => {
    const tax = line.tax?.code ? chart.taxes.get(line.tax.code) : undefined;
    if (line.tax && tax) {
      const base = money(sign * net(line));
      const parts: [number, number][] =
        line.tax.type === 'reverse'
          ? tax.childs.map((id) => [
              id,
              Math.sign(Number(chart.taxesById.get(id)?.rate ?? '1')) * taxAmount(line),
            ])
          : [[tax.id, taxAmount(line)]];
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
    return invoiceLines(line, net(line)).map(({ amount, dimensions }) => ({
      type: 'line',
      company: chart.companyId,
      currency: currencyId,
      account: chart.accounts.get(line.account.code)!.id,
      description: line.description,
      quantity: sign,
      unit_price: money(amount),
      ...(dimensions.length
        ? {
            analytic_accounts: [
              [
                'create',
                dimensions.map((d) => ({
                  root: chart.analytic.get(d.group)!.rootId,
                  account: chart.analytic.get(d.group)!.values.get(d.code),
                })),
              ],
            ],
          }
        : {}),
    }));
  });
  const rounding = inSupplierCurrency ? bill.foreignCurrency?.rounding : undefined;
  if (rounding) {
    // Pleo's supplier-currency lines do not add up to its total: the difference, explicitly.
    lines.push({
      type: 'line',
      company: chart.companyId,
      currency: currencyId,
      account: chart.accounts.get(rounding.account.code)!.id,
      description: 'Rounding difference (Pleo supplier-currency lines vs total)',
      quantity: sign,
      unit_price: money(rounding.amount),
    });
  }
  const invoiceDate = bill.invoice.invoiceDate ?? bill.date;
  return {
    type: 'in',
    company: chart.companyId,
    currency: currencyId,
    journal: target.journalId,
    party: target.partyId,
    invoice_address: target.addressId,
    account: chart.accounts.get(bill.payableAccount.code)!.id,
    invoice_date: date(invoiceDate),
    accounting_date: date(bill.date),
    payment_term_date: date(bill.invoice.dueDate ?? invoiceDate),
    ...(bill.invoice.invoiceNumber ? { reference: bill.invoice.invoiceNumber } : {}),
    description: bill.description,
    comment: [target.comment, ...extraText(bill)].join('\n'),
    lines: [['create', lines]],
    ...(taxes.length ? { taxes: [['create', taxes]] } : {}),
  };
}

/**
 * An invoice line carries one analytic account per axis, so a line tagged twice in one group becomes
 * one invoice line per tag, sharing the net evenly; tags of two groups with several each are refused
 * upstream (see splitProblem).
 */
function invoiceLines(line: BillLine, net: number): { amount: number; dimensions: Dimension[] }[] {
  const groups = [...groupedDimensions(line.dimensions)];
  const multi = groups.find(([, codes]) => codes.length > 1);
  const single = groups
    .filter(([, codes]) => codes.length === 1)
    .map(([group, [code]]) => ({ group, code: code! }));
  if (!multi) return [{ amount: net, dimensions: single }];
  const [group, codes] = multi;
  const parts = splitEvenly(net, codes.length);
  return codes.map((code, i) => ({ amount: parts[i]!, dimensions: [...single, { group, code }] }));
}

/** Why a bill's analytic tags cannot be split onto invoice lines (two groups with several tags each). */
export function splitProblem(bill: SupplierBill): string | undefined {
  for (const line of bill.lines) {
    const multi = [...groupedDimensions(line.dimensions)].filter(([, codes]) => codes.length > 1);
    if (multi.length > 1)
      return `A bill line has several tags in each of the groups ${multi.map(([g]) => g).join(' and ')}; Tryton can split a line over the tags of one group only. Keep one tag per group but one, then export again.`;
  }
  return undefined;
}

/** What Pleo knows beyond the short description, kept in full: attendees, the note, reconciled entries. */
function extraText(document: AccountingDocument): string[] {
  const reconciled = document.references.reconciledEntries;
  return [
    document.attendees.length ? `Attendees: ${document.attendees.join(', ')}` : undefined,
    document.note ? `Note: ${document.note}` : undefined,
    reconciled.length ? `Reconciled with Pleo entries: ${reconciled.join(', ')}` : undefined,
  ].filter((t): t is string => Boolean(t));
}

/** A move's description: the short description, then attendees and the full note (Tryton's Char has no length limit). */
function documentText(document: AccountingDocument): string {
  return [document.description, ...extraText(document)].join(' · ');
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
