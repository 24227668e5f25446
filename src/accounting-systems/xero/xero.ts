// Xero over its Accounting API: journal entries as manual journals (Xero keeps them as drafts or
// posts them, and they take any balanced set of postings, unlike bank transactions, which Xero cannot
// hold as drafts), bills as ACCPAY invoices, credit notes as ACCPAYCREDIT, payments settling them, and
// receipts as attachments on the created object.
//
// Calls are the budget (60 a minute per organisation): posts arriving together share one look-up and
// one create request (./coalescer), the organisation's set-up and contacts are read once and kept, and
// each receipt is uploaded once. Every request waits for its turn at the job's pacing (`gated()`).
//
// Idempotency: every create carries an Idempotency-Key made of the deterministic reference(s) and a
// hash of the request, so sending the same request again (after a lost reply) gets Xero's first
// answer; and every batch looks its references up first, which covers what a key cannot: a later
// attempt in another batch or worker, a different request (re-dated, approved) or a key Xero no
// longer remembers.
import { createHash } from 'node:crypto';
import type {
  AccountingDocument,
  BillPayment,
  SupplierBill,
  VendorRef,
} from '../../accounting/core/documents';
import { unknownCode } from '../known-codes';
import { PLEO_MESSAGES, type ItemFailure, type JobFailureReasonType } from '../../shared/failure-reasons';
import { ReconnectRequiredError } from '../../pleo/errors';
import {
  AccountingSystemError,
  PeriodClosedError,
  type AccountingSystem,
  type AttachmentFile,
  type Capabilities,
  type PostedDocument,
  type PostOutcome,
  type Readiness,
  type ReadinessRequest,
  type ResolvedVendor,
} from '../port';
import type { XeroConfig } from '../config';
import { xeroAuth } from './auth';
import { loadChart, xeroDay, type XeroChart } from './chart';
import { Coalescer } from './coalescer';
import { XeroAuthError, XeroClient, XeroValidationError, validationMessages, type XeroAuth } from './client';
import {
  bankFunding,
  bankTransaction,
  billObject,
  journalLines,
  manualJournal,
  paymentObject,
  referenceTag,
  TrackingMap,
} from './values';

type Json = Record<string, unknown>;
type Collection = 'ManualJournals' | 'BankTransactions' | 'Invoices' | 'CreditNotes' | 'Payments';

const ID_FIELD: Record<Collection, string> = {
  ManualJournals: 'ManualJournalID',
  BankTransactions: 'BankTransactionID',
  Invoices: 'InvoiceID',
  CreditNotes: 'CreditNoteID',
  Payments: 'PaymentID',
};
/** The searchable field holding the reference tag. */
const TAG_FIELD: Record<Collection, string> = {
  ManualJournals: 'Narration',
  BankTransactions: 'Reference',
  Invoices: 'InvoiceNumber',
  CreditNotes: 'CreditNoteNumber',
  Payments: 'Reference',
};
const WEB_PATH: Record<Collection, string> = {
  ManualJournals: '/Journal/View.aspx?invoiceID=',
  BankTransactions: '/Bank/ViewTransaction.aspx?bankTransactionID=',
  Invoices: '/AccountsPayable/View.aspx?InvoiceID=',
  CreditNotes: '/AccountsPayable/ViewCreditNote.aspx?creditNoteID=',
  Payments: '/Bank/ViewTransaction.aspx?paymentID=',
};
const POSTED: Record<Collection, string> = {
  ManualJournals: 'POSTED',
  BankTransactions: 'AUTHORISED',
  Invoices: 'AUTHORISED',
  CreditNotes: 'AUTHORISED',
  Payments: 'AUTHORISED',
};
const GONE = new Set(['DELETED', 'VOIDED', 'ARCHIVED']);

/** Xero's attachment limit per file (its developer documentation: 10 MB). */
export const XERO_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Documents per create request (Xero recommends batches of up to 50). */
const BATCH = 50;
/** How long a batch waits for company before it asks for its turn (under pacing the turn is the wait). */
const BATCH_WINDOW_MS = 50;
/** A vendor Xero has no contact for is asked again after this long (the bookkeeper may add it). */
const UNKNOWN_CONTACT_TTL_MS = 5 * 60_000;
/** Xero's documented limits per organisation, unless the configuration says the tenant's differ. */
const XERO_DEFAULT_LIMITS = { concurrentCalls: 5, callsPerMinute: 60 };
/**
 * Items a job keeps in flight: at one call a second most items wait for their turn, and those waiting
 * together share one create (about 1.2 calls per item with a receipt, against 1.9 with 5 in flight).
 */
const XERO_ITEMS_IN_FLIGHT = 24;

interface Pending {
  document: AccountingDocument;
  chart: XeroChart;
  /** Built when a look-up since this attempt began found nothing: the document goes straight to a create. */
  object?: Json;
}
interface Member {
  document: AccountingDocument;
  object: Json;
}
/** References a look-up may cover beyond its batch's own (Xero's query stays a reasonable length). */
const LOOK_UP_MAX = 40;
/** Validated references remembered for look-ups ahead; older ones are forgotten (they are looked up with their batch). */
const VALIDATED_MAX = 2_000;
/** A batched post's outcome: what Xero holds for it, or the error that is its own. */
type Settled = { ok: true; found: Found; alreadyBooked?: boolean } | { ok: false; error: unknown };

interface Found {
  collection: Collection;
  id: string;
  status: string;
  currency: string;
  row: Json;
}

const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
const dayAfter = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const LOCK_MESSAGE = /lock date/i;

const refused = (failure: ItemFailure) =>
  new AccountingSystemError(failure.message, { retryable: false, failure });

export class XeroAccountingSystem implements AccountingSystem {
  readonly name = 'xero';
  readonly capabilities: Capabilities;
  readonly client: XeroClient;
  readonly #coalescers = new Map<Collection, Coalescer<Pending, Settled>>();
  /** Order of validations and look-ups (a counter, not a clock: only "before" and "after" matter). */
  #seq = 0;
  /** References validated and not posted yet: the item is in flight, its post will follow. */
  readonly #validated = new Map<string, { seq: number; collection: Collection }>();
  /** References a look-up found absent, with when it asked. */
  readonly #absent = new Map<string, number>();
  /** Bills and credit notes whose payment comes in the same item (seen when the item validates). */
  readonly #paidInItem = new Set<string>();
  readonly #tracking: TrackingMap;
  #chart?: Promise<XeroChart>;
  readonly #vendors = new Map<string, { at: number; contact: Promise<Json | undefined> }>();
  /** What this instance last saw booked per reference (payments find their bill here first). */
  readonly #known = new Map<string, Found>();

  constructor(
    private readonly config: XeroConfig,
    deps: { auth?: XeroAuth; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.client = new XeroClient({
      apiUrl: config.apiUrl,
      tenantId: config.tenantId ?? '',
      auth: deps.auth ?? xeroAuth(config),
      timeoutMs: config.timeoutMs,
      maxRetryWaitMs: config.maxRetryWaitMs,
      sleep: deps.sleep,
    });
    this.#tracking = new TrackingMap(config.tracking);
    this.capabilities = {
      accountsPayable: true,
      attachments: {
        mode: 'many',
        maxBytes: XERO_ATTACHMENT_MAX_BYTES,
        types: ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/tiff'],
      },
      drafts: true,
      foreignCurrencyDocuments: true,
      dimensions: true,
      limits: {
        concurrentCalls: config.limits?.concurrentCalls ?? XERO_DEFAULT_LIMITS.concurrentCalls,
        callsPerSecond: (config.limits?.callsPerMinute ?? XERO_DEFAULT_LIMITS.callsPerMinute) / 60,
        counts: 'calls',
        itemsInFlight: config.limits?.itemsInFlight ?? XERO_ITEMS_IN_FLIGHT,
      },
    };
  }

  async checkReady(request: ReadinessRequest): Promise<Readiness> {
    const fail = (reasonType: JobFailureReasonType, message: string): Readiness => ({
      ok: false,
      reasonType,
      message,
    });
    if (!this.config.tenantId)
      return fail(
        'invalid_configuration',
        'No Xero organisation is chosen yet: run `pleo-export connect xero`.',
      );
    try {
      const connections = await this.client.request<Json[]>('GET', '/connections', { outsideApi: true });
      if (!connections.some((c) => c.tenantId === this.config.tenantId))
        return fail(
          'invalid_configuration',
          `The Xero connection has no access to organisation ${this.config.tenantId}; run \`pleo-export connect xero\` and choose the organisation.`,
        );
      const chart = await this.#loadChart(true);
      const missing = Object.values(this.config.tracking).filter(
        (n): n is string => !!n && !chart.tracking.has(n),
      );
      if (missing.length)
        return fail(
          'invalid_configuration',
          `Xero has no active tracking category ${missing.map((m) => `"${m}"`).join(', ')}; create it or fix "tracking" in the configuration.`,
        );
      if (request.vendorBasedBookkeeping && !chart.creditorsCode)
        return fail('invalid_configuration', 'Xero reports no accounts-payable account, which bills need.');
      const budget = this.#budgetProblem(request.expectedWrites);
      if (budget) return fail('accounting_system_rate_limit', budget);
      return { ok: true };
    } catch (err) {
      const e = translate(err);
      if (e instanceof AccountingSystemError) {
        if (e.kind.retryable)
          return fail(
            e.kind.reason === 'rate_limited'
              ? 'accounting_system_rate_limit'
              : 'accounting_system_unreachable',
            e.message,
          );
        const reason = e.kind.failure.reasonType;
        return fail(
          reason === 'accounting_system_authentication_failure' || reason === 'authorization_failure'
            ? reason
            : 'invalid_configuration',
          e.message,
        );
      }
      throw e;
    }
  }

  /**
   * A job that would spend Xero's daily budget half-way fails before it starts. The estimate is what
   * post() costs (a look-up and a create per document) plus one upload per receipt; batches cost less.
   * Xero's day is a rolling 24 hours, so the budget is whole again at the latest a day from now.
   */
  #budgetProblem(writes: ReadinessRequest['expectedWrites']): string | undefined {
    const remaining = this.client.budget.day;
    if (!writes || remaining === undefined) return undefined;
    const receipts = writes.receipts ?? 0;
    const needed = writes.documents * 2 + receipts;
    if (needed <= remaining) return undefined;
    const resume = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
    return (
      `Xero's daily call budget for this organisation has ${remaining} calls left and this export needs about ${needed} ` +
      `(${writes.documents} documents${writes.receipts !== undefined ? `, ${receipts} receipts` : ''}); export again after ${resume} UTC at the latest, or in smaller jobs.`
    );
  }

  async validate(document: AccountingDocument): Promise<ItemFailure | undefined> {
    return this.#translated(async () => {
      const chart = await this.#fresh((c) => !this.#problem(document, c));
      const found = this.#problem(document, chart);
      if (found) return found;
      if (document.kind !== 'journal_entry' && !(await this.resolveVendor(document.vendor)))
        return { reasonType: 'vendor_unknown', message: PLEO_MESSAGES.vendorUnknown };
      this.#validated.delete(document.reference);
      this.#validated.set(document.reference, {
        seq: ++this.#seq,
        collection: this.#collectionOf(document, chart),
      });
      if (this.#validated.size > VALIDATED_MAX) this.#validated.delete(this.#validated.keys().next().value!);
      if (document.kind === 'bill_payment' && document.settles) {
        this.#paidInItem.add(document.settles);
        if (this.#paidInItem.size > VALIDATED_MAX)
          this.#paidInItem.delete(this.#paidInItem.values().next().value!);
      }
      return undefined;
    });
  }

  async resolveVendor(vendor: VendorRef): Promise<ResolvedVendor | undefined> {
    return this.#translated(async () => {
      const contact = await this.#contact(vendor);
      if (!contact) return undefined;
      const chart = await this.#chartNow();
      // Xero books every contact's bills on its one accounts-payable account.
      return {
        externalId: String(contact.ContactID),
        name: String(contact.Name),
        payableAccountCode: chart.creditorsCode,
      };
    });
  }

  async findByReference(reference: string): Promise<PostedDocument | undefined> {
    return this.#translated(async () => {
      for (const collection of Object.keys(ID_FIELD) as Collection[]) {
        const found = await this.#find(collection, reference);
        if (found) return this.#posted(reference, found);
      }
      return undefined;
    });
  }

  async post(document: AccountingDocument): Promise<PostedDocument> {
    return this.#translated(async () => {
      const chart = await this.#chartNow();
      if (chart.lockedThrough && document.date <= chart.lockedThrough)
        throw new PeriodClosedError(document.date, dayAfter(chart.lockedThrough));
      const reference = document.reference;
      const object = this.#absentSinceValidated(reference) ? await this.#object(document, chart) : undefined;
      const settled = await this.#coalescer(this.#collectionOf(document, chart))
        .submit({ document, chart, object })
        .finally(() => this.#validated.delete(reference));
      if (!settled.ok) throw settled.error;
      return {
        ...this.#posted(document.reference, settled.found),
        ...(settled.alreadyBooked ? { alreadyBooked: true } : {}),
      };
    });
  }

  /** post() for each document, side by side so they share requests; payments after the bills they settle. */
  async postMany(documents: AccountingDocument[]): Promise<PostOutcome[]> {
    const outcomes = new Array<PostOutcome>(documents.length);
    const postAll = (indexes: number[]) =>
      Promise.all(
        indexes.map(async (i) => {
          try {
            outcomes[i] = { ok: true, posted: await this.post(documents[i]!) };
          } catch (err) {
            outcomes[i] = failed(err);
          }
        }),
      );
    const all = documents.map((_, i) => i);
    await postAll(all.filter((i) => documents[i]!.kind !== 'bill_payment'));
    await postAll(all.filter((i) => documents[i]!.kind === 'bill_payment'));
    return outcomes;
  }

  async attach(externalId: string, files: AttachmentFile[]): Promise<void> {
    await this.#translated(async () => {
      const [collection, id] = externalId.split('/') as [Collection, string];
      if (collection === 'Payments')
        throw refused({
          reasonType: 'receipt_upload_failure',
          message: 'Xero keeps no attachments on payments; attach the receipt to the bill.',
        });
      for (const file of files) {
        if (file.size > XERO_ATTACHMENT_MAX_BYTES)
          throw refused({
            reasonType: 'receipt_file_size_limit_exceeded',
            message: `Receipt ${file.fileName} is ${(file.size / 1024 / 1024).toFixed(1)} MB; Xero accepts attachments up to 10 MB.`,
          });
        // The key is part of the file name: uploading it again replaces the same attachment.
        await this.client
          .request('PUT', `/${collection}/${id}/Attachments/${encodeURIComponent(attachmentName(file))}`, {
            file: { path: file.path, size: file.size, contentType: file.contentType },
            idempotencyKey: idempotencyKey(`att:${file.key}`, String(file.size)),
          })
          .catch((err: unknown) => {
            if (!(err instanceof XeroValidationError)) throw err;
            throw refused({
              reasonType: 'receipt_upload_failure',
              message: `Xero refused receipt ${file.fileName}: ${err.message}`,
            });
          });
      }
    });
  }

  async close(): Promise<void> {}

  // ---- creating -----------------------------------------------------------------------------------

  #collectionOf(document: AccountingDocument, chart: XeroChart): Collection {
    switch (document.kind) {
      case 'journal_entry': {
        // A manual journal is in the base currency only: an entry in another currency can be booked
        // only as spend or receive money on a bank account in its currency, which Xero converts.
        const asBank =
          (this.config.journalEntries === 'bankTransaction' || document.currency !== chart.baseCurrency) &&
          document.status === 'posted' &&
          bankFunding(document, chart);
        return asBank ? 'BankTransactions' : 'ManualJournals';
      }
      case 'supplier_bill':
        return 'Invoices';
      case 'supplier_credit_note':
        return 'CreditNotes';
      case 'bill_payment':
        return 'Payments';
    }
  }

  /** Where an earlier attempt may have booked the document (a draft entry went to a manual journal). */
  #lookIn(collection: Collection): Collection[] {
    const entries: Collection[] = ['ManualJournals', 'BankTransactions'];
    return this.config.journalEntries === 'bankTransaction' && entries.includes(collection)
      ? entries
      : [collection];
  }

  #coalescer(collection: Collection): Coalescer<Pending, Settled> {
    let coalescer = this.#coalescers.get(collection);
    if (!coalescer) {
      coalescer = new Coalescer((seal, first) => this.#postBatch(collection, seal, first), {
        windowMs: BATCH_WINDOW_MS,
        max: BATCH,
      });
      this.#coalescers.set(collection, coalescer);
    }
    return coalescer;
  }

  /**
   * The look-up by reference is what keeps a repeat from booking twice, and the adapter cannot tell a
   * first attempt from a repeat (an outage re-runs an item as a new activity on any worker; a
   * re-export arrives in a later job). What it can tell: an item's attempt validates its documents
   * before it posts them, so a look-up made after that validation, which found nothing, stands for
   * this attempt. Each look-up therefore also covers the items validated and still on their way
   * (downloading receipts, waiting for their turn), and their posts go straight to a create.
   */
  #absentSinceValidated(reference: string): boolean {
    const validated = this.#validated.get(reference);
    return validated !== undefined && (this.#absent.get(reference) ?? -1) > validated.seq;
  }

  /**
   * One batch of posts of one kind, each with its own outcome. Opened by a post already looked up:
   * one create, sealed at its turn; posts that joined without a look-up follow with their own.
   * Otherwise one look-up for the batch and the items on their way (sealed at its turn), then one
   * create for the documents not found.
   */
  async #postBatch(collection: Collection, seal: () => Pending[], first: Pending): Promise<Settled[]> {
    let members: Pending[] | undefined;
    const sealed = () => (members ??= [...seal()]);
    if (first.object) {
      const ready: number[] = [];
      const created = await this.#create(collection, () =>
        sealed().flatMap((m, i) =>
          m.object ? (ready.push(i), [{ document: m.document, object: m.object }]) : [],
        ),
      ).catch((error: unknown) => error);
      // The ones that joined without a look-up get one of their own (and their create) right after.
      const deferred = sealed().filter((m) => !m.object);
      const looked = deferred.length ? await this.#postBatch(collection, () => deferred, deferred[0]!) : [];
      return sealed().map((m, i): Settled => {
        if (!m.object) return looked[deferred.indexOf(m)]!;
        return Array.isArray(created) ? created[ready.indexOf(i)]! : { ok: false, error: created };
      });
    }
    let asked: string[] = [];
    let at = 0;
    const found = new Map<string, Found>();
    for (const [n, c] of this.#lookIn(collection).entries()) {
      const references = () => {
        const own = sealed().map((m) => m.document.reference);
        asked = [...own, ...this.#onTheirWay(collection, own)];
        at = ++this.#seq;
        return asked;
      };
      const open = n === 0 ? references : asked.filter((r) => !found.has(r));
      for (const [reference, f] of await this.#findMany(c, open)) found.set(reference, f);
    }
    for (const reference of asked) if (!found.has(reference)) this.#absent.set(reference, at);
    const outcomes = new Array<Settled>(sealed().length);
    const toCreate: (Member & { index: number })[] = [];
    for (const [index, { document, chart, object }] of sealed().entries()) {
      try {
        const existing = found.get(document.reference);
        if (existing)
          outcomes[index] = { ok: true, found: await this.#approve(existing, document), alreadyBooked: true };
        else toCreate.push({ index, document, object: object ?? (await this.#object(document, chart)) });
      } catch (err) {
        outcomes[index] = { ok: false, error: err };
      }
    }
    const created = await this.#create(collection, toCreate);
    for (const [k, { index }] of toCreate.entries()) outcomes[index] = created[k]!;
    return outcomes;
  }

  /** Validated references of this kind not looked up since, besides `own`: the items on their way. */
  #onTheirWay(collection: Collection, own: string[]): string[] {
    const kinds = this.#lookIn(collection);
    const out: string[] = [];
    for (const [reference, v] of this.#validated) {
      if (own.length + out.length >= LOOK_UP_MAX) break;
      if (kinds.includes(v.collection) && !own.includes(reference) && !this.#absentSinceValidated(reference))
        out.push(reference);
    }
    return out;
  }

  async #object(document: AccountingDocument, chart: XeroChart): Promise<Json> {
    if (document.kind === 'journal_entry') {
      const collection = this.#collectionOf(document, chart);
      if (collection === 'ManualJournals' && document.currency !== chart.baseCurrency)
        throw refused({
          reasonType: 'accounting_system_validation_failure',
          message:
            document.status === 'posted'
              ? `Xero keeps manual journals in its base currency ${chart.baseCurrency}, and this ${document.currency} entry is not paid from a Xero bank account in ${document.currency}: make the wallet's contra account a ${document.currency} bank account in Xero, or book the entry by hand.`
              : `Xero keeps manual journals in its base currency ${chart.baseCurrency} and holds no bank transaction as a draft, so this ${document.currency} entry cannot be exported as a draft: export it posted (it becomes spend or receive money on the ${document.currency} bank account), or book it in Xero by hand.`,
        });
      const funding = collection === 'BankTransactions' && bankFunding(document, chart);
      if (!funding) return manualJournal(document, orFail(journalLines(document, chart, this.#tracking)));
      const others = { ...document, postings: document.postings.filter((p) => p !== funding) };
      const lines = orFail(journalLines(others, chart, this.#tracking));
      return bankTransaction(document, funding, lines, this.config.bankTransactionContact);
    }
    this.#checkPayable(document, chart);
    if (document.kind === 'bill_payment') return paymentObject(document, await this.#settled(document));
    const contact = await this.#contact(document.vendor);
    if (!contact) throw refused({ reasonType: 'vendor_unknown', message: PLEO_MESSAGES.vendorUnknown });
    // Xero records a payment only on an approved bill, and a bill paid in its own item (by card,
    // refunded) is settled money already: it is booked approved with its payment, drafts or not.
    const bill = this.#paidInItem.has(document.reference)
      ? { ...document, status: 'posted' as const }
      : document;
    return orFail(billObject(bill, String(contact.ContactID), chart, this.#tracking));
  }

  /**
   * One create request for many documents (`summarizeErrors=false`: Xero answers per element). The
   * client sends it again under the same Idempotency-Key when the reply is lost (Xero processes it
   * once); a request refused as a whole is split, so one bad document never decides its batch-mates'
   * outcome.
   */
  async #create(collection: Collection, members: Member[] | (() => Member[])): Promise<Settled[]> {
    let list = Array.isArray(members) ? members : undefined;
    if (list && !list.length) return [];
    let body: Json | undefined;
    // Decided when the request goes out (its turn), and the same on every resend.
    const bodyAtSend = () => {
      list ??= (members as () => Member[])();
      // A create consumes the look-up: after it, only a new look-up says the document is absent.
      for (const m of list) this.#absent.delete(m.document.reference);
      return (body ??= { [collection]: list.map((m) => m.object) });
    };
    const keyAtSend = () => {
      const references = list!.map((m) => m.document.reference);
      return idempotencyKey(
        references.length === 1
          ? references[0]!
          : `batch:${createHash('sha256').update(references.join('\n')).digest('base64url').slice(0, 40)}`,
        JSON.stringify(bodyAtSend()),
      );
    };
    let answer: Json;
    try {
      answer = await this.client.request<Json>('PUT', `/${collection}`, {
        query: { summarizeErrors: 'false' },
        body: bodyAtSend,
        idempotencyKey: keyAtSend,
      });
    } catch (err) {
      if (!(err instanceof XeroValidationError) || !list) throw err;
      const members = list;
      if (members.length === 1)
        return [await settle(() => this.#refusedBy(err.messages, members[0]!.document))];
      const alone: Settled[] = [];
      for (const m of members) alone.push(...(await this.#create(collection, [m])));
      return alone;
    }
    const elements = (answer[collection] ?? []) as Json[];
    return Promise.all(
      list!.map((m, k) =>
        settle(async () => {
          const element = elements[k] ?? {};
          if (
            element.StatusAttributeString === 'ERROR' ||
            (element.ValidationErrors as unknown[] | undefined)?.length
          )
            await this.#refusedBy(validationMessages(element), m.document);
          return this.#found(collection, element);
        }),
      ),
    );
  }

  /** Xero's refusal → a closed period (re-reading the lock dates) or the item's failure. */
  async #refusedBy(messages: string[], document: AccountingDocument): Promise<never> {
    if (messages.some((m) => LOCK_MESSAGE.test(m))) {
      const chart = await this.#loadChart(true);
      throw new PeriodClosedError(
        document.date,
        chart.lockedThrough ? dayAfter(chart.lockedThrough) : undefined,
      );
    }
    throw refused({
      reasonType: 'accounting_system_validation_failure',
      message: `Xero refused the entry: ${messages.join('; ')}`,
    });
  }

  /** A draft found for a document that is to be posted is approved; anything else stands as it is. */
  async #approve(found: Found, document: AccountingDocument): Promise<Found> {
    if (document.status !== 'posted' || found.status !== 'DRAFT') return found;
    const c = found.collection;
    const change = {
      [ID_FIELD[c]]: found.id,
      ...(c === 'ManualJournals' ? { Narration: found.row.Narration } : {}),
      Status: POSTED[c],
    };
    try {
      const answer = await this.client.request<Json>('POST', `/${c}/${found.id}`, {
        body: { [c]: [change] },
        idempotencyKey: idempotencyKey(`${document.reference}:approve`, POSTED[c]),
      });
      return this.#found(c, ((answer[c] ?? []) as Json[])[0] ?? found.row);
    } catch (err) {
      if (err instanceof XeroValidationError) return this.#refusedBy(err.messages, document);
      throw err;
    }
  }

  async #settled(
    payment: BillPayment,
  ): Promise<{ collection: 'Invoices' | 'CreditNotes'; id: string; currency: string }> {
    if (!payment.settles)
      throw refused({
        reasonType: 'accounting_system_validation_failure',
        message:
          'This payment settles a bill exported on its own; Xero records a payment only against its bill, which the export cannot identify. Record the payment on the bill in Xero.',
      });
    const known = this.#known.get(payment.settles);
    let target =
      (known?.status === 'AUTHORISED' ? known : undefined) ??
      (await this.#find('Invoices', payment.settles)) ??
      (await this.#find('CreditNotes', payment.settles));
    // A draft left by an earlier export of this item (booked before its payment was known) is approved now.
    if (target?.status === 'DRAFT')
      target = await this.#approve(target, { ...payment, status: 'posted', reference: payment.settles });
    if (!target)
      throw refused({
        reasonType: 'accounting_system_validation_failure',
        message: `The bill ${payment.settles} this payment settles is not in Xero; export the bill first.`,
      });
    if (target.status !== 'AUTHORISED')
      throw refused({
        reasonType: 'accounting_system_validation_failure',
        message: `Xero records payments only on approved bills, and bill ${String(target.row.InvoiceNumber ?? target.row.CreditNoteNumber)} is ${target.status}; approve it in Xero and export this item again.`,
      });
    return {
      collection: target.collection as 'Invoices' | 'CreditNotes',
      id: target.id,
      currency: target.currency,
    };
  }

  #checkPayable(document: SupplierBill | BillPayment, chart: XeroChart): void {
    if (chart.creditorsCode && document.payableAccount.code !== chart.creditorsCode)
      throw refused({
        reasonType: 'invalid_configuration',
        message: `Xero books every bill on its accounts-payable account ${chart.creditorsCode}, not ${document.payableAccount.code}; set ${chart.creditorsCode} as the payable account for Xero.`,
      });
  }

  // ---- finding ------------------------------------------------------------------------------------

  /** One look-up for many references (Xero's where filter, ORed), listed when the request goes out. */
  async #findMany(
    collection: Collection,
    references: string[] | (() => string[]),
  ): Promise<Map<string, Found>> {
    const out = new Map<string, Found>();
    let asked = typeof references === 'function' ? undefined : references;
    if (asked && !asked.length) return out;
    const field = TAG_FIELD[collection];
    const answer = await this.client.request<Json>('GET', `/${collection}`, {
      query: () => {
        asked ??= (references as () => string[])();
        return { where: asked.map((r) => `${field}.Contains(${quote(referenceTag(r))})`).join(' OR ') };
      },
    });
    const rows = ((answer[collection] ?? []) as Json[]).filter((r) => !GONE.has(String(r.Status)));
    for (const reference of asked ?? []) {
      const mine = rows.filter((r) => String(r[field] ?? '').endsWith(referenceTag(reference)));
      const row = mine.find((r) => r.Status !== 'DRAFT') ?? mine[0];
      if (row) out.set(reference, this.#found(collection, row));
    }
    return out;
  }

  /** The live record carrying the reference tag: a posted one if any, else the first. */
  async #find(collection: Collection, reference: string): Promise<Found | undefined> {
    const tag = referenceTag(reference);
    const answer = await this.client.request<Json>('GET', `/${collection}`, {
      query: { where: `${TAG_FIELD[collection]}.Contains(${quote(tag)})` },
    });
    const rows = ((answer[collection] ?? []) as Json[]).filter(
      (r) => String(r[TAG_FIELD[collection]] ?? '').endsWith(tag) && !GONE.has(String(r.Status)),
    );
    const row = rows.find((r) => r.Status !== 'DRAFT') ?? rows[0];
    return row && this.#found(collection, row);
  }

  #found(collection: Collection, row: Json): Found {
    return {
      collection,
      id: String(row[ID_FIELD[collection]]),
      status: String(row.Status),
      currency: String(row.CurrencyCode ?? ''),
      row,
    };
  }

  #posted(reference: string, found: Found): PostedDocument {
    this.#known.set(reference, found);
    const updated = /^\/Date\((-?\d+)/.exec(String(found.row.UpdatedDateUTC ?? ''));
    return {
      reference,
      externalId: `${found.collection}/${found.id}`,
      externalUrl: `${this.config.webUrl.replace(/\/+$/, '')}${WEB_PATH[found.collection]}${found.id}`,
      createdAt: updated
        ? new Date(Number(updated[1])).toISOString()
        : `${xeroDay(found.row.Date)}T00:00:00.000Z`,
    };
  }

  /** The active contact for a vendor, in Pleo's order: code, the AS's id, tax registration number, account. */
  #contact(vendor: VendorRef): Promise<Json | undefined> {
    const key = JSON.stringify([
      vendor.code,
      vendor.externalId,
      vendor.taxRegistrationNumber,
      vendor.account,
    ]);
    const cached = this.#vendors.get(key);
    if (cached) {
      const fresh = Date.now() - cached.at < UNKNOWN_CONTACT_TTL_MS;
      // A found contact is kept; "no contact" is asked again once it is old.
      if (fresh) return cached.contact;
      return cached.contact.then((c) => c ?? this.#refreshContact(key, vendor));
    }
    return this.#refreshContact(key, vendor);
  }

  #refreshContact(key: string, vendor: VendorRef): Promise<Json | undefined> {
    const contact = this.#lookupContact(vendor);
    this.#vendors.set(key, { at: Date.now(), contact });
    contact.catch(() => this.#vendors.delete(key));
    return contact;
  }

  async #lookupContact(vendor: VendorRef): Promise<Json | undefined> {
    const tests: [string, string | undefined][] = [
      ['ContactNumber', vendor.code],
      ['ContactNumber', vendor.externalId],
      ['TaxNumber', vendor.taxRegistrationNumber],
      ['AccountNumber', vendor.account],
    ];
    const wanted = tests.filter((t): t is [string, string] => !!t[1]);
    if (!wanted.length) return undefined;
    const answer = await this.client.request<{ Contacts: Json[] }>('GET', '/Contacts', {
      query: { where: wanted.map(([f, v]) => `${f}==${quote(v)}`).join(' OR ') },
    });
    const active = answer.Contacts.filter((c) => c.ContactStatus === 'ACTIVE');
    for (const [field, value] of wanted) {
      const match = active.find((c) => c[field] === value);
      if (match) return match;
    }
    return undefined;
  }

  #problem(document: AccountingDocument, chart: XeroChart): ItemFailure | undefined {
    const unknown = unknownCode(document, chart.accounts, chart.taxTypes);
    if (unknown) return unknown;
    for (const dimensions of [
      ...document.postings.map((p) => p.dimensions),
      ...('lines' in document ? document.lines.map((l) => l.dimensions) : []),
    ]) {
      const tracking = this.#tracking.line(dimensions, chart);
      if (!Array.isArray(tracking)) return tracking;
    }
    return undefined;
  }

  // ---- chart cache and error translation ------------------------------------------------------

  #loadChart(reload = false): Promise<XeroChart> {
    if (reload || !this.#chart) {
      const chart = loadChart(this.client);
      this.#chart = chart;
      chart.catch(() => {
        if (this.#chart === chart) this.#chart = undefined;
      });
    }
    return this.#chart!;
  }

  #chartNow(): Promise<XeroChart> {
    return this.#loadChart();
  }

  async #fresh(ok: (chart: XeroChart) => boolean): Promise<XeroChart> {
    const chart = await this.#chartNow();
    return ok(chart) ? chart : this.#loadChart(true);
  }

  async #translated<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      throw translate(err);
    }
  }
}

/** What `body` gives, or the error it throws, as a batched post's outcome. */
async function settle(body: () => Promise<Found>): Promise<Settled> {
  try {
    return { ok: true, found: await body() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A port error as a document's outcome; anything else (a bug) is thrown. */
function failed(err: unknown): PostOutcome {
  const e = translate(err);
  if (e instanceof AccountingSystemError || e instanceof PeriodClosedError) return { ok: false, error: e };
  throw e;
}

function orFail<T>(value: T | ItemFailure): T {
  if (value && typeof value === 'object' && 'reasonType' in value) throw refused(value);
  return value as T;
}

function attachmentName(file: AttachmentFile): string {
  return `${file.key}~${file.fileName}`;
}

/** At most 128 characters: the reference, and a hash of what is sent under it. */
function idempotencyKey(reference: string, request: string): string {
  const hash = createHash('sha256').update(request).digest('base64url').slice(0, 22);
  return `${reference.slice(0, 100)}:${hash}`;
}

function translate(err: unknown): unknown {
  if (err instanceof AccountingSystemError || err instanceof PeriodClosedError) return err;
  if (err instanceof ReconnectRequiredError)
    return refused({ reasonType: 'accounting_system_authentication_failure', message: err.message });
  if (err instanceof XeroAuthError)
    return refused({
      reasonType: err.status === 401 ? 'accounting_system_authentication_failure' : 'authorization_failure',
      message: err.message,
    });
  if (err instanceof XeroValidationError)
    return refused({
      reasonType: 'accounting_system_validation_failure',
      message: `Xero refused the request: ${err.message}`,
    });
  return err;
}
