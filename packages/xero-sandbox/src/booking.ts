// Xero's rules for the documents the adapter creates: each request element is checked the way Xero
// checks it (accounts, tax types, tracking, contacts, lock dates, totals) and either becomes a stored
// document or returns its validation messages. `postings` is the general ledger effect of a document,
// what Xero's journals and trial balance would show.
import { randomUUID } from 'node:crypto';
import { dayOf, fromMinor, toMinor, xeroDate } from './money';
import type { Organisation, StoredDocument, StoredLine, TrackingRef } from './organisation';

type Json = Record<string, unknown>;
export type Parsed = { ok: true; document: StoredDocument } | { ok: false; messages: string[] };

const STATUSES: Record<string, string[]> = {
  ManualJournal: ['DRAFT', 'POSTED'],
  BankTransaction: ['AUTHORISED'],
  Invoice: ['DRAFT', 'SUBMITTED', 'AUTHORISED'],
  CreditNote: ['DRAFT', 'SUBMITTED', 'AUTHORISED'],
};

const fmtDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

function checkDate(org: Organisation, value: unknown, messages: string[]): string {
  const day = dayOf(value);
  if (!day) {
    messages.push('A valid Date must be supplied.');
    return '';
  }
  const locked = org.lockedThrough;
  if (locked && day <= locked)
    messages.push(
      `The document date cannot be on or before the lock date (${fmtDay(locked)}). Change the date or ask an adviser to move the lock date.`,
    );
  return day;
}

function tracking(org: Organisation, raw: unknown, messages: string[]): TrackingRef[] {
  const items = Array.isArray(raw) ? (raw as Json[]) : [];
  if (items.length > 2) messages.push('A line can have a maximum of two tracking categories.');
  return items.flatMap((t) => {
    const category = org.trackingCategories.find(
      (c) => c.Status === 'ACTIVE' && (c.TrackingCategoryID === t.TrackingCategoryID || c.Name === t.Name),
    );
    const option = category?.Options.find(
      (o) => o.Status === 'ACTIVE' && (o.TrackingOptionID === t.TrackingOptionID || o.Name === t.Option),
    );
    if (!category || !option) {
      messages.push(
        `Tracking option '${String(t.Option ?? t.TrackingOptionID)}' in category '${String(t.Name ?? t.TrackingCategoryID)}' does not exist.`,
      );
      return [];
    }
    return [
      {
        TrackingCategoryID: category.TrackingCategoryID,
        TrackingOptionID: option.TrackingOptionID,
        Name: category.Name,
        Option: option.Name,
      },
    ];
  });
}

function line(
  org: Organisation,
  raw: Json,
  currency: string,
  amountField: 'LineAmount' | 'UnitAmount',
  messages: string[],
): StoredLine {
  const code = typeof raw.AccountCode === 'string' ? raw.AccountCode : '';
  if (!org.account(code)) messages.push(`Account code '${code}' is not a valid code for this document.`);
  const taxType = typeof raw.TaxType === 'string' ? raw.TaxType : undefined;
  const rate = taxType ? org.taxRate(taxType) : undefined;
  if (taxType && !rate)
    messages.push(
      `The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.`,
    );
  const quantity = amountField === 'UnitAmount' ? Number(raw.Quantity ?? 1) : 1;
  const unit = toMinor(raw[amountField], currency);
  if (unit === undefined)
    messages.push(`${amountField} must be a number with at most the currency's decimals.`);
  const amount = Math.round((unit ?? 0) * quantity);
  // Xero computes the tax from the rate and accepts a supplied TaxAmount that differs by rounding only.
  const computed = rate ? Math.round((Math.abs(amount) * Number(rate.rate)) / 100) * Math.sign(amount) : 0;
  const given = raw.TaxAmount === undefined ? computed : toMinor(raw.TaxAmount, currency);
  if (given === undefined || Math.abs(given - computed) > Math.max(2, Math.abs(computed) * 0.01))
    messages.push(
      `The TaxAmount ${String(raw.TaxAmount)} does not match the tax rate ${taxType ?? 'NONE'} for the line amount.`,
    );
  return {
    id: randomUUID(),
    AccountCode: code,
    Description: typeof raw.Description === 'string' ? raw.Description : undefined,
    amount,
    TaxType: taxType,
    taxAmount: given ?? computed,
    Tracking: tracking(org, raw.Tracking, messages),
  };
}

const taxOf = (org: Organisation, l: StoredLine) => (l.TaxType ? org.taxRate(l.TaxType) : undefined);
/** Tax that adds to the total (reverse charge is paid in and out, so it does not). */
const addedTax = (org: Organisation, l: StoredLine) => (taxOf(org, l)?.reverse ? 0 : l.taxAmount);

function status(type: string, raw: unknown, fallback: string, messages: string[]): string {
  const s = typeof raw === 'string' ? raw : fallback;
  if (!STATUSES[type]!.includes(s)) messages.push(`Status '${s}' is not valid for a ${type}.`);
  return s;
}

function base(
  type: StoredDocument['type'],
  org: Organisation,
  now: number,
): Omit<StoredDocument, 'status' | 'date' | 'text' | 'lines' | 'total'> {
  return {
    type,
    id: randomUUID(),
    currency: org.baseCurrency,
    rate: 1,
    createdAt: now,
    updatedAt: now,
    paid: 0,
  };
}

export function parseManualJournal(org: Organisation, raw: Json, now: number): Parsed {
  const messages: string[] = [];
  if (typeof raw.Narration !== 'string' || !raw.Narration) messages.push('Narration cannot be empty.');
  const date = checkDate(org, raw.Date, messages);
  const rows = Array.isArray(raw.JournalLines) ? (raw.JournalLines as Json[]) : [];
  if (rows.length < 2) messages.push('A manual journal must have at least two lines.');
  const lines = rows.map((r) => line(org, r, org.baseCurrency, 'LineAmount', messages));
  const debits = lines.reduce((t, l) => t + Math.max(0, l.amount + addedTax(org, l)), 0);
  const credits = lines.reduce((t, l) => t + Math.max(0, -(l.amount + addedTax(org, l))), 0);
  if (debits !== credits)
    messages.push(
      `The total debits (${fromMinor(debits, org.baseCurrency)}) must equal total credits (${fromMinor(credits, org.baseCurrency)}).`,
    );
  const s = status('ManualJournal', raw.Status, 'DRAFT', messages);
  if (messages.length) return { ok: false, messages };
  return {
    ok: true,
    document: {
      ...base('ManualJournal', org, now),
      status: s,
      date,
      text: raw.Narration as string,
      lines,
      total: debits,
    },
  };
}

/** A bill (`ACCPAY` invoice) or a supplier credit note (`ACCPAYCREDIT`). */
export function parseBill(org: Organisation, raw: Json, type: 'Invoice' | 'CreditNote', now: number): Parsed {
  const messages: string[] = [];
  const expected = type === 'Invoice' ? 'ACCPAY' : 'ACCPAYCREDIT';
  if (raw.Type !== expected) messages.push(`Type must be ${expected}.`);
  const contactRaw = (raw.Contact ?? {}) as Json;
  const contact = org.contacts.find(
    (c) =>
      c.ContactStatus === 'ACTIVE' &&
      (c.ContactID === contactRaw.ContactID || (!contactRaw.ContactID && c.Name === contactRaw.Name)),
  );
  if (!contact) messages.push('The contact does not exist or has been archived.');
  const date = checkDate(org, raw.Date, messages);
  const currency = typeof raw.CurrencyCode === 'string' ? raw.CurrencyCode : org.baseCurrency;
  const rate = currency === org.baseCurrency ? 1 : Number(raw.CurrencyRate);
  if (!(rate > 0)) messages.push(`A CurrencyRate is required for ${currency}.`);
  if (raw.LineAmountTypes !== undefined && raw.LineAmountTypes !== 'Exclusive')
    messages.push('The stand-in books Exclusive line amounts only.');
  const rows = Array.isArray(raw.LineItems) ? (raw.LineItems as Json[]) : [];
  if (!rows.length) messages.push('At least one line item is required.');
  const lines = rows.map((r) => line(org, r, currency, 'UnitAmount', messages));
  const s = status(type, raw.Status, 'DRAFT', messages);
  const text = String((type === 'Invoice' ? raw.InvoiceNumber : raw.CreditNoteNumber) ?? '');
  const total = lines.reduce((t, l) => t + l.amount + addedTax(org, l), 0);
  if (total < 0) messages.push('The total must not be negative.');
  if (messages.length) return { ok: false, messages };
  return {
    ok: true,
    document: {
      ...base(type, org, now),
      status: s,
      date,
      currency,
      rate,
      text,
      contactId: contact!.ContactID,
      lines,
      total,
    },
  };
}

/** Spend or receive money on a bank account; Xero keeps these only as AUTHORISED (no drafts). */
export function parseBankTransaction(org: Organisation, raw: Json, now: number): Parsed {
  const messages: string[] = [];
  const bankType = raw.Type === 'SPEND' || raw.Type === 'RECEIVE' ? raw.Type : undefined;
  if (!bankType) messages.push('Type must be SPEND or RECEIVE.');
  const account = org.account(String(((raw.BankAccount ?? {}) as Json).Code ?? ''));
  if (!account || account.Type !== 'BANK') messages.push('The BankAccount must be an active bank account.');
  const contactRaw = (raw.Contact ?? {}) as Json;
  let contact = org.contacts.find(
    (c) =>
      c.ContactStatus === 'ACTIVE' && (c.ContactID === contactRaw.ContactID || c.Name === contactRaw.Name),
  );
  if (!contact && typeof contactRaw.Name === 'string' && contactRaw.Name && !contactRaw.ContactID) {
    // Xero creates a contact named on a transaction when it does not exist yet.
    contact = { ContactID: randomUUID(), Name: contactRaw.Name, ContactStatus: 'ACTIVE' };
    org.contacts.push(contact);
  }
  if (!contact) messages.push('A Contact must be specified for this type of transaction.');
  const date = checkDate(org, raw.Date, messages);
  if (raw.LineAmountTypes !== undefined && raw.LineAmountTypes !== 'Exclusive')
    messages.push('The stand-in books Exclusive line amounts only.');
  // A bank transaction is in its bank account's currency; Xero converts at its day rate unless told one.
  const currency = account?.CurrencyCode ?? org.baseCurrency;
  if (typeof raw.CurrencyCode === 'string' && raw.CurrencyCode !== currency)
    messages.push(`The currency ${raw.CurrencyCode} does not match the bank account's currency ${currency}.`);
  const rate =
    currency === org.baseCurrency ? 1 : Number(raw.CurrencyRate ?? org.dayRates[currency] ?? Number.NaN);
  if (!(rate > 0)) messages.push(`No exchange rate is available for ${currency}.`);
  const rows = Array.isArray(raw.LineItems) ? (raw.LineItems as Json[]) : [];
  if (!rows.length) messages.push('At least one line item is required.');
  const lines = rows.map((r) => line(org, r, currency, 'UnitAmount', messages));
  const total = lines.reduce((t, l) => t + l.amount + addedTax(org, l), 0);
  if (total <= 0) messages.push('The total of a bank transaction must be positive.');
  const s = status('BankTransaction', raw.Status, 'AUTHORISED', messages);
  if (messages.length) return { ok: false, messages };
  return {
    ok: true,
    document: {
      ...base('BankTransaction', org, now),
      currency,
      rate,
      status: s,
      date,
      text: typeof raw.Reference === 'string' ? raw.Reference : '',
      contactId: contact!.ContactID,
      lines,
      total,
      bankAccountCode: account!.Code,
      bankType,
    },
  };
}

export function parsePayment(org: Organisation, raw: Json, now: number): Parsed {
  const messages: string[] = [];
  const invoice = (raw.Invoice ?? {}) as Json;
  const credit = (raw.CreditNote ?? {}) as Json;
  const target = [...org.documents.values()].find(
    (d) =>
      (d.type === 'Invoice' && d.id === invoice.InvoiceID) ||
      (d.type === 'CreditNote' && d.id === credit.CreditNoteID),
  );
  if (!target) messages.push('The document the payment is for could not be found.');
  else if (target.status !== 'AUTHORISED')
    messages.push('Payment can only be made against Authorised documents.');
  const account = org.account(String(((raw.Account ?? {}) as Json).Code ?? ''));
  if (!account || account.Type !== 'BANK')
    messages.push('Account type is invalid for making a payment to/from.');
  const date = checkDate(org, raw.Date, messages);
  const amount = toMinor(raw.Amount, target?.currency ?? org.baseCurrency);
  if (amount === undefined || amount <= 0) messages.push('Payment amount must be greater than zero.');
  else if (target && amount > target.total - target.paid)
    messages.push('Payment amount exceeds the amount outstanding on this document.');
  if (messages.length) return { ok: false, messages };
  return {
    ok: true,
    document: {
      ...base('Payment', org, now),
      status: 'AUTHORISED',
      date,
      currency: target!.currency,
      rate: target!.rate,
      text: typeof raw.Reference === 'string' ? raw.Reference : '',
      lines: [],
      total: amount!,
      bankAccountCode: account!.Code,
      settles: { type: target!.type as 'Invoice' | 'CreditNote', id: target!.id },
    },
  };
}

/** The document's effect on the general ledger, Σ per account code in base-currency minor units (debit positive). */
export function postings(org: Organisation, d: StoredDocument): Record<string, number> {
  const out: Record<string, number> = {};
  const toBase = (minor: number) => Math.round(minor / d.rate);
  const add = (code: string | undefined, minor: number) => {
    if (code && minor) out[code] = (out[code] ?? 0) + minor;
  };
  const sign = d.type === 'CreditNote' || d.bankType === 'RECEIVE' ? -1 : 1;
  for (const l of d.lines) {
    add(l.AccountCode, sign * toBase(l.amount));
    const rate = taxOf(org, l);
    add(rate?.accounts.input, sign * toBase(l.taxAmount));
    if (rate?.reverse) add(rate.accounts.output, -sign * toBase(l.taxAmount));
  }
  if (d.type === 'Invoice' || d.type === 'CreditNote') {
    // The payable side takes whatever rounding the conversion left, so the entry balances.
    add(org.creditors.Code, -Object.values(out).reduce((t, v) => t + v, 0));
  }
  // The bank side takes whatever rounding converting the lines left, so the entry balances.
  if (d.type === 'BankTransaction') add(d.bankAccountCode, -Object.values(out).reduce((t, v) => t + v, 0));
  if (d.type === 'Payment') {
    const f = d.settles!.type === 'Invoice' ? 1 : -1;
    add(org.creditors.Code, f * toBase(d.total));
    add(d.bankAccountCode, -f * toBase(d.total));
  }
  for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
  return out;
}

// ---- the API shape -----------------------------------------------------------------------------

function lineJson(org: Organisation, d: StoredDocument, l: StoredLine): Json {
  const money = (m: number) => fromMinor(m, d.currency);
  const common = {
    AccountCode: l.AccountCode,
    ...(l.Description !== undefined ? { Description: l.Description } : {}),
    TaxType: l.TaxType ?? 'NONE',
    TaxAmount: money(l.taxAmount),
    Tracking: l.Tracking,
  };
  return d.type === 'ManualJournal'
    ? { ...common, LineAmount: money(l.amount) }
    : { ...common, LineItemID: l.id, Quantity: 1, UnitAmount: money(l.amount), LineAmount: money(l.amount) };
}

export function documentJson(org: Organisation, d: StoredDocument): Json {
  const money = (m: number) => fromMinor(m, d.currency);
  const files = org.attachments.get(d.id) ?? [];
  const common = {
    Date: xeroDate(Date.parse(`${d.date}T00:00:00Z`)),
    Status: d.status,
    UpdatedDateUTC: xeroDate(d.updatedAt),
    HasAttachments: files.length > 0,
  };
  switch (d.type) {
    case 'ManualJournal':
      return {
        ManualJournalID: d.id,
        Narration: d.text,
        LineAmountTypes: 'Exclusive',
        JournalLines: d.lines.map((l) => lineJson(org, d, l)),
        ...common,
      };
    case 'BankTransaction': {
      const contact = org.contacts.find((c) => c.ContactID === d.contactId)!;
      return {
        BankTransactionID: d.id,
        Type: d.bankType,
        Contact: { ContactID: contact.ContactID, Name: contact.Name },
        BankAccount: { Code: d.bankAccountCode },
        Reference: d.text,
        IsReconciled: false,
        LineAmountTypes: 'Exclusive',
        LineItems: d.lines.map((l) => lineJson(org, d, l)),
        CurrencyCode: d.currency,
        ...(d.currency !== org.baseCurrency ? { CurrencyRate: d.rate } : {}),
        SubTotal: money(d.lines.reduce((t, l) => t + l.amount, 0)),
        TotalTax: money(d.lines.reduce((t, l) => t + addedTax(org, l), 0)),
        Total: money(d.total),
        ...common,
      };
    }
    case 'Payment': {
      const target =
        d.settles!.type === 'Invoice'
          ? { Invoice: { InvoiceID: d.settles!.id } }
          : { CreditNote: { CreditNoteID: d.settles!.id } };
      return {
        PaymentID: d.id,
        ...target,
        Account: { Code: d.bankAccountCode },
        Amount: money(d.total),
        Reference: d.text,
        CurrencyRate: d.rate,
        PaymentType: d.settles!.type === 'Invoice' ? 'ACCPAYPAYMENT' : 'APCREDITPAYMENT',
        Date: common.Date,
        Status: d.status,
        UpdatedDateUTC: common.UpdatedDateUTC,
      };
    }
    default: {
      const contact = org.contacts.find((c) => c.ContactID === d.contactId)!;
      const subTotal = d.lines.reduce((t, l) => t + l.amount, 0);
      const totalTax = d.lines.reduce((t, l) => t + addedTax(org, l), 0);
      const shared = {
        Contact: { ContactID: contact.ContactID, Name: contact.Name },
        LineAmountTypes: 'Exclusive',
        LineItems: d.lines.map((l) => lineJson(org, d, l)),
        CurrencyCode: d.currency,
        CurrencyRate: d.rate,
        SubTotal: money(subTotal),
        TotalTax: money(totalTax),
        Total: money(d.total),
        ...common,
      };
      return d.type === 'Invoice'
        ? {
            InvoiceID: d.id,
            Type: 'ACCPAY',
            InvoiceNumber: d.text,
            AmountDue: money(d.total - d.paid),
            AmountPaid: money(d.paid),
            ...shared,
          }
        : {
            CreditNoteID: d.id,
            Type: 'ACCPAYCREDIT',
            CreditNoteNumber: d.text,
            RemainingCredit: money(d.total - d.paid),
            ...shared,
          };
    }
  }
}
