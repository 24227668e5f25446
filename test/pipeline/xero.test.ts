// The pipeline into Xero: a job mixing every export item type, exported through the real workflows
// into the Xero stand-in over HTTP, then read back through the stand-in's own API as a bookkeeper's
// Xero would show it: documents balanced, amounts and currencies as Pleo sent them, receipts attached,
// payments settling their bills, each Pleo reference once; a second export of the same items books
// nothing twice. Drafts are Pleo's default, and Xero pays approved bills only: a bill paid in its own
// item is booked approved with its payment either way. A company exporting posted gets its entries
// from a wallet outside the base currency booked as spend or receive money on that wallet's account.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import type { XeroConfig } from '../../src/accounting-systems/config';
import { documentReference } from '../../src/accounting/core';
import type { AccountingDocument } from '../../src/accounting/core/documents';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { currencyExponent } from '../../src/accounting/core/currency';
import { API_PREFIX, startXeroSandbox, type XeroSandbox } from '@pleo-export/xero-sandbox/server';
import { saveStandInTokens, standInConfig } from '../support/xero-connection';
import { startHarness, type Harness } from '../support/pipeline-harness';

type Json = Record<string, unknown>;
const COLLECTIONS = ['ManualJournals', 'BankTransactions', 'Invoices', 'CreditNotes', 'Payments'] as const;
type Collection = (typeof COLLECTIONS)[number];
/** Where each Xero document carries the Pleo reference (as a trailing `[reference]`). */
const TEXT_FIELD: Record<Collection, string> = {
  ManualJournals: 'Narration',
  BankTransactions: 'Reference',
  Invoices: 'InvoiceNumber',
  CreditNotes: 'CreditNoteNumber',
  Payments: 'Reference',
};
const ID_FIELD: Record<Collection, string> = {
  ManualJournals: 'ManualJournalID',
  BankTransactions: 'BankTransactionID',
  Invoices: 'InvoiceID',
  CreditNotes: 'CreditNoteID',
  Payments: 'PaymentID',
};
const TAG = /\[([^\]]+)\]$/;
const GONE = new Set(['DELETED', 'VOIDED']);

interface Held {
  collection: Collection;
  id: string;
  reference: string;
  row: Json;
}

let h: Harness;
let xero: XeroSandbox;
const tokenKey = randomBytes(32).toString('hex');

/** A GET through the stand-in's API, with a token of its own. */
async function getJson(tenantId: string, path: string): Promise<Json> {
  const res = await fetch(`${xero.url}${API_PREFIX}${path}`, {
    headers: {
      authorization: `Bearer ${xero.connect().access_token}`,
      'xero-tenant-id': tenantId,
      accept: 'application/json',
    },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** What the organisation holds. */
async function readXero(tenantId: string): Promise<Held[]> {
  const held: Held[] = [];
  for (const collection of COLLECTIONS) {
    const rows = (await getJson(tenantId, `/${collection}`))[collection] as Json[];
    for (const row of rows) {
      if (GONE.has(String(row.Status))) continue;
      const text = String(row[TEXT_FIELD[collection]] ?? '');
      held.push({
        collection,
        id: String(row[ID_FIELD[collection]]),
        reference: TAG.exec(text)?.[1] ?? `(untagged ${text})`,
        row,
      });
    }
  }
  return held;
}

/** The adapter's configuration for an organisation, signed in as `pleo-export connect xero` leaves it. */
async function connectOrganisation(tenantId: string): Promise<XeroConfig> {
  const connection = { tenantId, tokenDir: join(h.dir, 'xero-tokens'), tokenKey };
  await saveStandInTokens(xero, connection);
  // The stand-in is told to take far more than Xero's 60 a minute (below); the adapter is told the same,
  // so the job's pacing does not make the test wait minutes. Pacing at Xero's real limits is the bench's.
  return standInConfig(xero, connection, {
    tracking: { DEPT: 'Department', PROJ: 'Project', team: null },
    limits: { callsPerMinute: 6_000 },
  });
}

beforeAll(async () => {
  xero = await startXeroSandbox({
    logger: pino({ level: 'silent' }),
    // Xero's 60 calls a minute would make the test wait minutes; the budget is the adapter's own tests' concern.
    limits: { perMinute: 100_000 },
  });
  h = await startHarness();
}, 300_000);
afterAll(async () => {
  await h?.close();
  await xero?.close();
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A decimal as Xero shows it → minor units of the currency. */
const minor = (value: unknown, currency: string) =>
  Math.round(Number(value) * 10 ** (currencyExponent(currency) ?? 2));
const pleoMinor = (money: { value: number }) => Math.abs(money.value);

/**
 * What Xero cannot book, known before the export from the Pleo item alone (the adapter's known gaps):
 * the failure reason and the words the bookkeeper is told; undefined: the item is booked.
 */
/** Booked through a Xero contact: accounts payable, or a legacy payable naming its supplier's identifiers
 * (a legacy payable without any is a journal entry against the fallback payables account). */
function viaContact(item: ExportItem): boolean {
  const method = item.bookkeeping?.method ?? null;
  const s = item.supplier;
  return (
    method === 'accounts_payable' ||
    (method === null &&
      ['invoice', 'invoice_payment', 'card_invoice'].includes(item.type) &&
      !!(s?.code || s?.account || s?.taxIdentifier))
  );
}

/** Paid by card, refunded or reimbursed in the same item: a bill or credit note and its payment. */
const paidInItem = (item: ExportItem) =>
  viaContact(item) && !['invoice', 'invoice_payment'].includes(item.type);

function knownGap(item: ExportItem, posted: boolean): { reason: string; words: string } | undefined {
  const validation = (words: string) => ({ reason: 'accounting_system_validation_failure', words });
  if (viaContact(item) && item.type === 'invoice_payment')
    return validation('Record the payment on the bill in Xero.');
  // Outside the base currency an entry is spend or receive money on its wallet's bank account, which
  // Xero holds only approved.
  const wallet = item.amount.inWalletCurrency.currency;
  if (!viaContact(item) && wallet !== 'EUR' && !posted)
    return validation(`this ${wallet} entry cannot be exported as a draft: export it posted`);
  return undefined;
}

/** Exports the mixed job for a new company into the organisation, checks Pleo and Xero, then re-exports it. */
async function exportMixedJob(tenantId: string, posted: boolean): Promise<void> {
  const config = await connectOrganisation(tenantId);
  // Posting as the company's "export in draft status" setting off would: the core's documents, posted.
  const companyId = h.addCompany(
    config,
    posted
      ? (system) =>
          new Proxy(system, {
            get: (target, name, receiver) => {
              if (name === 'post')
                return (document: AccountingDocument) => target.post({ ...document, status: 'posted' });
              const value: unknown = Reflect.get(target, name, receiver);
              return typeof value === 'function'
                ? (value as (...a: unknown[]) => unknown).bind(target)
                : value;
            },
          })
      : undefined,
  );
  // Drawn for a fixed company id, so every run exports the same items.
  const items: ExportItem[] = generateExportItems({
    seed: 'xero',
    count: 40,
    companyId: 'xero-pipeline',
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  }).map((item) => ({ ...item, companyId }));
  expect(new Set(items.map((i) => i.type)).size).toBe(17);
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId);

  // (a) Pleo: every item booked, or failed with the specific reason and what to do about it.
  const jobItems = new Map(h.sandbox.jobItems(job.id).map((i) => [i.accountingEntryId, i]));
  const outcome = (id: string) => {
    const i = jobItems.get(id)!;
    return i.status === 'successful'
      ? 'successful'
      : `${i.status} ${i.failureReasonType}: ${i.failureReason}`;
  };
  const outcomes = (predicted: boolean) =>
    items.map((item) => {
      const gap = knownGap(item, posted);
      const expected = gap
        ? expect.stringMatching(`^failed ${gap.reason}: .*${escape(gap.words)}`)
        : 'successful';
      return {
        id: item.accountingEntryId,
        type: item.type,
        outcome: predicted ? expected : outcome(item.accountingEntryId),
      };
    });
  expect(outcomes(false)).toEqual(outcomes(true));
  expect(items.filter((i) => !knownGap(i, posted)).length).toBeGreaterThan(20);
  expect(h.sandbox.getJob(job.id).status).toBe('completed_with_errors');
  expect([...h.sandbox.itemUpdateCounts(job.id).values()].every((n) => n === 1)).toBe(true);

  // (b) Xero: what the organisation holds, through its API.
  const held = await readXero(tenantId);
  const taxRates = (
    (await getJson(tenantId, '/TaxRates')).TaxRates as { TaxType: string; ReportTaxType?: string }[]
  ).filter((t) => t.ReportTaxType === 'ECACQUISITIONS');
  const reverse = new Set(taxRates.map((t) => t.TaxType));
  const references = held.map((d) => d.reference);
  expect(references.filter((r, i) => references.indexOf(r) !== i)).toEqual([]);
  // Nothing in Xero but this job's documents, each carrying its item's reference.
  const known = new Set(
    items.flatMap((i) => [
      documentReference(i.accountingEntryId, 'main'),
      documentReference(i.accountingEntryId, 'payment'),
    ]),
  );
  expect(references.filter((r) => !known.has(r))).toEqual([]);
  const byReference = new Map(held.map((d) => [d.reference, d]));
  for (const item of items) {
    const jobItem = jobItems.get(item.accountingEntryId)!;
    const main = byReference.get(documentReference(item.accountingEntryId, 'main'));
    const payment = byReference.get(documentReference(item.accountingEntryId, 'payment'));
    if (jobItem.status !== 'successful') {
      expect({ id: item.accountingEntryId, payment: payment?.id }).toEqual({
        id: item.accountingEntryId,
        payment: undefined,
      });
      continue;
    }
    expect({ id: item.accountingEntryId, externalId: main && `${main.collection}/${main.id}` }).toEqual({
      id: item.accountingEntryId,
      externalId: jobItem.externalId,
    });
    const d = main!;
    const lines = (d.row.JournalLines ?? d.row.LineItems) as {
      LineAmount: number;
      TaxAmount: number;
      TaxType: string;
    }[];
    if (d.collection === 'ManualJournals') {
      // Balanced in the base currency, and the debits are what left (or came into) the wallet.
      const effect = lines.map(
        (l) => minor(l.LineAmount, 'EUR') + (reverse.has(l.TaxType) ? 0 : minor(l.TaxAmount, 'EUR')),
      );
      expect({ id: item.accountingEntryId, balance: effect.reduce((t, v) => t + v, 0) }).toEqual({
        id: item.accountingEntryId,
        balance: 0,
      });
      expect({
        id: item.accountingEntryId,
        debits: effect.filter((v) => v > 0).reduce((t, v) => t + v, 0),
      }).toEqual({
        id: item.accountingEntryId,
        debits: pleoMinor(item.amount.inWalletCurrency),
      });
    } else {
      // Spend or receive money in the wallet's currency for what left the wallet; a bill or credit
      // note in the supplier's currency for what the supplier charged.
      const pleo =
        d.collection === 'BankTransactions' ? item.amount.inWalletCurrency : item.amount.inSupplierCurrency;
      const currency = String(d.row.CurrencyCode);
      const subTotal = lines.reduce((t, l) => t + minor(l.LineAmount, currency), 0);
      const tax = lines.reduce((t, l) => t + (reverse.has(l.TaxType) ? 0 : minor(l.TaxAmount, currency)), 0);
      expect({
        id: item.accountingEntryId,
        currency,
        total: minor(d.row.Total, currency),
        lines: subTotal + tax,
      }).toEqual({
        id: item.accountingEntryId,
        currency: pleo.currency,
        total: pleoMinor(pleo),
        lines: minor(d.row.Total, currency),
      });
    }
    if (paidInItem(item)) {
      // The payment settles this very document, in its currency, for all of it.
      const p = payment!.row;
      const settled = (p.Invoice ?? p.CreditNote) as Json;
      const currency = String(d.row.CurrencyCode);
      expect({
        id: item.accountingEntryId,
        settles: settled.InvoiceID ?? settled.CreditNoteID,
        amount: minor(p.Amount, currency),
        due: minor(d.row.AmountDue ?? d.row.RemainingCredit, currency),
      }).toEqual({
        id: item.accountingEntryId,
        settles: d.id,
        amount: pleoMinor(item.amount.inSupplierCurrency),
        due: 0,
      });
    } else
      expect({ id: item.accountingEntryId, payment: payment?.id }).toEqual({
        id: item.accountingEntryId,
        payment: undefined,
      });
    const files = (item.files ?? []).filter((f) => f !== null);
    const attachments = (await getJson(tenantId, `/${d.collection}/${d.id}/Attachments`))
      .Attachments as unknown[];
    expect({ id: item.accountingEntryId, attachments: attachments.length }).toEqual({
      id: item.accountingEntryId,
      attachments: files.length,
    });
  }

  // (c) Re-export: the same items in a new job book nothing twice and tell Pleo the same documents.
  const again = h.sandbox.createJob(companyId, items);
  await h.exportNow(companyId);
  expect((await readXero(tenantId)).map((d) => `${d.collection}/${d.id}`).sort()).toEqual(
    held.map((d) => `${d.collection}/${d.id}`).sort(),
  );
  const second = new Map(h.sandbox.jobItems(again.id).map((i) => [i.accountingEntryId, i]));
  for (const item of items) {
    const [first, next] = [jobItems.get(item.accountingEntryId)!, second.get(item.accountingEntryId)!];
    expect({
      id: item.accountingEntryId,
      status: next.status,
      externalId: next.externalId,
      reason: next.failureReason,
    }).toEqual({
      id: item.accountingEntryId,
      status: first.status,
      externalId: first.externalId,
      reason: first.failureReason,
    });
  }
}

test('a job mixing every export item type, exported as drafts, is booked once per item', async () => {
  await exportMixedJob(xero.demo.tenantId, false);
}, 600_000);

test('the same mix exported posted books bills with their payments, settled in full', async () => {
  await exportMixedJob(xero.addOrganisation('Pleo Posted Ltd').tenantId, true);
}, 600_000);
