// Documents → Xero objects. Journal entries become manual journals (one line per posting; a tax
// posting folds into its expense line as that line's TaxAmount, so Xero's VAT reports see it); bills
// and credit notes become ACCPAY invoices / ACCPAYCREDIT credit notes with Exclusive line amounts and
// Pleo's exact tax amounts; payments settle them. The deterministic reference is written where Xero
// lets us search for it: in brackets at the end of the narration, invoice or credit-note number, or
// payment reference.
import type {
  BillPayment,
  Dimension,
  JournalEntry,
  Posting,
  SupplierBill,
} from '../../accounting/core/documents';
import { currencyExponent } from '../../accounting/core/currency';
import { PLEO_MESSAGES, type ItemFailure } from '../../shared/failure-reasons';
import type { XeroChart } from './chart';

type Json = Record<string, unknown>;

export const referenceTag = (reference: string): string => `[${reference}]`;

/** Minor units → the decimal number Xero expects. */
export function decimal(minor: number, currency: string): number {
  const exponent = currencyExponent(currency) ?? 2;
  return Number((minor / 10 ** exponent).toFixed(exponent));
}

/** Pleo tag groups → Xero tracking categories, as configured. */
export class TrackingMap {
  constructor(private readonly mapping: Record<string, string | null>) {}

  /** The category a group maps to; null when the configuration says the group is not tracked in Xero. */
  category(group: string): string | null {
    return group in this.mapping ? this.mapping[group]! : group;
  }

  /** Xero tracking for one line's dimensions, or the item failure when a tag cannot be mapped. */
  line(dimensions: Dimension[], chart: XeroChart): Json[] | ItemFailure {
    const out: Json[] = [];
    for (const d of dimensions) {
      const name = this.category(d.group);
      if (name === null) continue;
      const option = chart.tracking.get(name)?.options.get(d.code);
      if (!option) return { reasonType: 'tag_unknown', message: PLEO_MESSAGES.tagUnknown(d.code) };
      if (out.some((t) => t.Name === name))
        return {
          reasonType: 'accounting_system_validation_failure',
          message: `Tags ${dimensions.map((x) => x.code).join(', ')} map to the Xero tracking category "${name}" more than once on one line; map each tag group to its own category.`,
        };
      out.push({
        Name: name,
        Option: d.code,
        TrackingCategoryID: chart.tracking.get(name)!.id,
        TrackingOptionID: option,
      });
    }
    if (out.length > 2)
      return {
        reasonType: 'accounting_system_validation_failure',
        message: `Xero allows two tracking categories per line; tags ${dimensions.map((d) => d.code).join(', ')} need ${out.length}. Map at most two tag groups to Xero tracking categories (set the others to null under "tracking").`,
      };
    return out;
  }
}

const TAX_ROLES = new Set<Posting['role']>(['tax', 'reverse_charge_in', 'reverse_charge_out']);

/** Manual-journal lines: expense lines carry their tax; other postings are lines of their own. */
export function journalLines(
  document: JournalEntry | BillPayment,
  chart: XeroChart,
  tracking: TrackingMap,
): Json[] | ItemFailure {
  const carriesTax = (p: Posting) => p.role === 'expense' && p.taxCode && p.lineId !== undefined;
  const hostOf = (t: Posting) =>
    TAX_ROLES.has(t.role) && t.taxCode
      ? document.postings.find((p) => carriesTax(p) && p.lineId === t.lineId && p.taxCode === t.taxCode)
      : undefined;
  const lines: Json[] = [];
  for (const p of document.postings) {
    if (hostOf(p)) continue;
    const lineTracking = tracking.line(p.dimensions, chart);
    if (!Array.isArray(lineTracking)) return lineTracking;
    // Xero books the reverse-charge output side itself; the deductible side is the line's tax.
    const taxAmount = carriesTax(p)
      ? document.postings
          .filter((t) => hostOf(t) === p && t.role !== 'reverse_charge_out')
          .reduce((s, t) => s + t.amount, 0)
      : 0;
    lines.push({
      AccountCode: p.account.code,
      Description: p.memo ?? document.description,
      LineAmount: decimal(p.amount, document.currency),
      TaxType: carriesTax(p) ? p.taxCode : 'NONE',
      TaxAmount: decimal(taxAmount, document.currency),
      Tracking: lineTracking,
    });
  }
  return lines;
}

export function manualJournal(document: JournalEntry | BillPayment, lines: Json[]): Json {
  return {
    Narration: `${document.description} ${referenceTag(document.reference)}`,
    Date: document.date,
    Status: document.status === 'posted' ? 'POSTED' : 'DRAFT',
    LineAmountTypes: 'Exclusive',
    JournalLines: lines,
  };
}

/**
 * The one funding posting on a Xero bank account in the entry's currency, when a journal entry has
 * exactly that (a bank transaction is always in its bank account's currency).
 */
export function bankFunding(document: JournalEntry, chart: XeroChart): Posting | undefined {
  const funding = document.postings.filter((p) => p.role === 'funding');
  const account = funding.length === 1 ? chart.accounts.get(funding[0]!.account.code) : undefined;
  return account?.bank && account.currency === document.currency ? funding[0] : undefined;
}

/** Spend (or receive) money on the funding bank account; the other postings are its lines. */
export function bankTransaction(
  document: JournalEntry,
  funding: Posting,
  lines: Json[],
  contact: string,
): Json {
  const sign = funding.amount <= 0 ? 1 : -1;
  return {
    Type: sign > 0 ? 'SPEND' : 'RECEIVE',
    Contact: { Name: contact },
    BankAccount: { Code: funding.account.code },
    // Xero converts a foreign-currency transaction at its day rate.
    CurrencyCode: document.currency,
    Date: document.date,
    Reference: `${document.description} ${referenceTag(document.reference)}`,
    Status: 'AUTHORISED',
    LineAmountTypes: 'Exclusive',
    LineItems: lines.map(({ LineAmount, TaxAmount, ...line }) => ({
      ...line,
      Quantity: 1,
      UnitAmount: sign * (LineAmount as number),
      TaxAmount: sign * (TaxAmount as number),
    })),
  };
}

/** A bill or credit note in the supplier's currency when the core issued it so, else the wallet's. */
export function billObject(
  bill: SupplierBill,
  contactId: string,
  chart: XeroChart,
  tracking: TrackingMap,
): Json | ItemFailure {
  const foreign = bill.foreignCurrency;
  const currency = foreign?.currency ?? bill.currency;
  const items: Json[] = [];
  for (const line of bill.lines) {
    const lineTracking = tracking.line(line.dimensions, chart);
    if (!Array.isArray(lineTracking)) return lineTracking;
    const net = foreign ? (line.foreign?.netAmount ?? line.netAmount) : line.netAmount;
    const tax = foreign ? (line.foreign?.taxAmount ?? line.tax?.amount ?? 0) : (line.tax?.amount ?? 0);
    items.push({
      Description: line.description,
      Quantity: 1,
      UnitAmount: decimal(net, currency),
      AccountCode: line.account.code,
      TaxType: line.tax?.code ?? 'NONE',
      TaxAmount: decimal(tax, currency),
      Tracking: lineTracking,
    });
  }
  if (foreign?.rounding)
    items.push({
      Description: 'Rounding difference (Pleo)',
      Quantity: 1,
      UnitAmount: decimal(foreign.rounding.amount, currency),
      AccountCode: foreign.rounding.account.code,
      TaxType: 'NONE',
      TaxAmount: 0,
      Tracking: [],
    });
  const credit = bill.kind === 'supplier_credit_note';
  const number = `${bill.invoice.invoiceNumber ?? ''} ${referenceTag(bill.reference)}`.trim();
  return {
    Type: credit ? 'ACCPAYCREDIT' : 'ACCPAY',
    Contact: { ContactID: contactId },
    Date: bill.date,
    ...(bill.invoice.dueDate && !credit ? { DueDate: bill.invoice.dueDate } : {}),
    ...(credit ? { CreditNoteNumber: number } : { InvoiceNumber: number }),
    ...(bill.references.deepLink ? { Url: bill.references.deepLink } : {}),
    CurrencyCode: currency,
    ...(foreign ? { CurrencyRate: Number((1 / Number(foreign.rate)).toFixed(10)) } : {}),
    Status: bill.status === 'posted' ? 'AUTHORISED' : 'DRAFT',
    LineAmountTypes: 'Exclusive',
    LineItems: items,
  };
}

export function paymentObject(
  payment: BillPayment,
  target: { collection: 'Invoices' | 'CreditNotes'; id: string; currency: string },
): Json {
  const amount =
    target.currency === payment.currency ? payment.amount : (payment.foreignAmount?.value ?? payment.amount);
  return {
    ...(target.collection === 'Invoices'
      ? { Invoice: { InvoiceID: target.id } }
      : { CreditNote: { CreditNoteID: target.id } }),
    Account: { Code: payment.paymentAccount.code },
    Date: payment.date,
    Amount: decimal(amount, target.currency),
    Reference: referenceTag(payment.reference),
  };
}
