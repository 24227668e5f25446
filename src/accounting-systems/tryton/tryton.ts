// Tryton 8.0 LTS over JSON-RPC: journal entries and bill payments as `account.move`, bills and credit notes
// as supplier `account.invoice`, receipts as `ir.attachment`, vendors as `party.party`, dimensions as
// analytic accounts, closed periods as `account.period` state.
//
// Idempotency: Tryton has no uniqueness on any field we can set, so every document carries its
// deterministic reference (the move's number; a `pleo-ref:` line in the invoice comment) and post()
// (1) looks the reference up and returns what exists, (2) otherwise creates a *draft*, (3) looks the
// reference up again and keeps one record — a posted one if any, else the lowest id — deleting other
// drafts (a concurrent or lost-reply attempt), and (4) only then posts the survivor. Drafts are
// deletable and posting happens after the check, so a retry, a crash or a timeout after the request was
// sent leaves exactly one posted entry.
import { readFile } from 'node:fs/promises';
import type {
  AccountingDocument,
  BillPayment,
  JournalEntry,
  Posting,
  SupplierBill,
  VendorRef,
} from '../../accounting/core/documents';
import { convertMinor, currencyExponent, formatMinor } from '../../accounting/core/currency';
import { documentReference } from '../../accounting/core';
import { unknownCode } from '../known-codes';
import { PLEO_MESSAGES, type ItemFailure } from '../../shared/failure-reasons';
import {
  AccountingSystemError,
  PeriodClosedError,
  type AccountingSystem,
  type AttachmentFile,
  type Capabilities,
  type PostedDocument,
  type Readiness,
  type ReadinessRequest,
  type ResolvedVendor,
} from '../port';
import type { TrytonConfig } from '../config';
import { CompanyNotFoundError, loadChart, type TrytonChart } from './chart';
import { bytes, date, decimal, TrytonRpc, TrytonRpcError } from './json-rpc';
import { COLLECTIVE_PARTIES, employeePartyCodes, partyId } from './parties';
import {
  invoiceCurrency,
  invoiceValues,
  moveValues,
  referenceComment,
  splitProblem,
  type Settlement,
} from './values';

type Model = 'account.move' | 'account.invoice';

interface Found {
  model: Model;
  id: number;
  state: string;
  createdAt: string;
}

const REQUIRED_ACCESS = ['account.move', 'account.move.line', 'account.invoice', 'ir.attachment'] as const;

export class TrytonAccountingSystem implements AccountingSystem {
  readonly name = 'tryton';
  readonly capabilities: Capabilities = {
    accountsPayable: true,
    // ir.attachment stores any file type on any record; the size limit is the server's request size.
    attachments: { mode: 'many', maxBytes: 50 * 1024 * 1024, types: [] },
    drafts: true,
    foreignCurrencyDocuments: true,
    dimensions: true,
  };
  readonly #rpc: TrytonRpc;
  #chart?: Promise<TrytonChart>;
  /** Party ids by collective name or Pleo user, looked up (or created) once per adapter. */
  readonly #parties = new Map<string, Promise<number>>();

  constructor(private readonly config: TrytonConfig) {
    this.#rpc = new TrytonRpc({
      url: config.url,
      database: config.database,
      username: config.username,
      password: config.password,
      timeoutMs: config.timeoutMs,
    });
  }

  async checkReady(request: ReadinessRequest = { vendorBasedBookkeeping: false }): Promise<Readiness> {
    try {
      const chart = await this.#loadChart(true);
      const books = request.accounting && (await this.#booksProblem(request.accounting, chart));
      if (books) return books;
      const missing = Object.entries(this.config.journals).filter(([, code]) => !chart.journals.has(code));
      if (missing.length) {
        return {
          ok: false,
          reasonType: 'invalid_configuration',
          message:
            missing
              .map(([what, code]) => `The ${what} journal "${code}" does not exist in Tryton`)
              .join('; ') + '; create it or fix "journals" in the configuration.',
        };
      }
      const access = await this.#rpc.call<Record<string, Record<string, boolean>>>(
        'model.ir.model.access.get_access',
        [[...REQUIRED_ACCESS]],
        { company: chart.companyId },
      );
      const denied = REQUIRED_ACCESS.filter((model) => !access[model]?.create || !access[model]?.read);
      if (denied.length) {
        return {
          ok: false,
          reasonType: 'authorization_failure',
          message: `Tryton user "${this.config.username}" may not create ${denied.join(', ')}; grant the accounting groups.`,
        };
      }
      return { ok: true };
    } catch (err) {
      if (err instanceof CompanyNotFoundError)
        return {
          ok: false,
          reasonType: 'invalid_configuration',
          message: `${err.message}; check "company" in the configuration.`,
        };
      if (!(err instanceof TrytonRpcError)) throw err;
      if (err.retryable)
        return { ok: false, reasonType: 'accounting_system_unreachable', message: err.message };
      if (err.kind === 'Unauthorized' || err.kind === 'LoginException') {
        return {
          ok: false,
          reasonType: 'accounting_system_authentication_failure',
          message: `${err.message}; check username and password.`,
        };
      }
      if (err.kind === 'DatabaseNotFound')
        return {
          ok: false,
          reasonType: 'invalid_configuration',
          message: `${err.message}; check "database" in the configuration.`,
        };
      if (err.kind === 'AccessError')
        return { ok: false, reasonType: 'authorization_failure', message: err.message };
      return { ok: false, reasonType: 'invalid_configuration', message: err.message };
    }
  }

  /**
   * What would make wrong books for every item: a wallet currency Tryton lacks or has no rate for today,
   * an FX account that does not exist, or none configured while a wallet currency differs from the company's.
   */
  async #booksProblem(
    accounting: NonNullable<ReadinessRequest['accounting']>,
    chart: TrytonChart,
  ): Promise<Readiness | undefined> {
    const missing = accounting.currencies.filter((c) => !chart.currencies.has(c));
    if (missing.length)
      return {
        ok: false,
        reasonType: 'invalid_configuration',
        message: `The wallet currency ${missing.join(', ')} does not exist in Tryton; add it with its exchange rates.`,
      };
    const foreign = accounting.currencies.filter((c) => c !== chart.currencyCode);
    if (foreign.length) {
      const today = new Date().toISOString().slice(0, 10);
      const failure = await this.#rates([...foreign, chart.currencyCode], today, chart).then(
        () => undefined,
        (err: unknown) => (err instanceof AccountingSystemError ? err : Promise.reject(err)),
      );
      if (failure)
        return {
          ok: false,
          reasonType: 'invalid_configuration',
          message: failure.kind.retryable ? failure.message : failure.kind.failure.message,
        };
    }
    if (foreign.length) {
      // Tryton books the rounding of a converted foreign invoice on these and refuses to post without them.
      const [configuration] = await this.#rpc.call<
        { currency_exchange_credit_account: number | null; currency_exchange_debit_account: number | null }[]
      >(
        'model.account.configuration.read',
        [[1], ['currency_exchange_credit_account', 'currency_exchange_debit_account']],
        {
          company: chart.companyId,
        },
      );
      if (!configuration?.currency_exchange_credit_account || !configuration.currency_exchange_debit_account)
        return {
          ok: false,
          reasonType: 'invalid_configuration',
          message: `Tryton's accounting configuration has no currency exchange credit and debit accounts, which foreign-currency bills need; set them (Accounting › Configuration).`,
        };
    }
    const fx = accounting.fxDifferenceAccount;
    if (fx && !chart.accounts.has(fx))
      return {
        ok: false,
        reasonType: 'invalid_configuration',
        message: `The FX difference account ${fx} does not exist in Tryton; create it or fix "fxDifferenceAccount".`,
      };
    if (!fx && foreign.length)
      return {
        ok: false,
        reasonType: 'missing_configuration',
        message: `Wallets in ${foreign.join(', ')} differ from the Tryton company currency ${chart.currencyCode}: set "fxDifferenceAccount" for realised exchange differences.`,
      };
    return undefined;
  }

  async validate(document: AccountingDocument): Promise<ItemFailure | undefined> {
    const chart = await this.#fresh((c) => !problem(document, c));
    const found = problem(document, chart);
    if (found) return found;
    if (document.kind !== 'journal_entry' && !(await this.resolveVendor(document.vendor))) {
      return { reasonType: 'vendor_unknown', message: PLEO_MESSAGES.vendorUnknown };
    }
    return undefined;
  }

  async resolveVendor(vendor: VendorRef): Promise<ResolvedVendor | undefined> {
    const party = await this.#party(vendor);
    if (!party) return undefined;
    const chart = await this.#chartNow();
    const payable = party.account_payable ? chart.accountsById.get(party.account_payable)?.code : undefined;
    return { externalId: party.code ?? String(party.id), name: party.name, payableAccountCode: payable };
  }

  async findByReference(reference: string): Promise<PostedDocument | undefined> {
    const found = preferred(await this.#candidates(reference));
    return found && this.#posted(reference, found);
  }

  async post(document: AccountingDocument): Promise<PostedDocument> {
    return this.#translated(async () => {
      const chart = await this.#chartNow();
      const period = await this.#period(document.date, chart);
      const existing = await this.#survivor(document.reference);
      const record = existing ?? (await this.#createDraft(document, chart, period));
      if (document.status === 'posted' && record.state === 'draft') {
        await this.#postRecord(record, chart.companyId).catch(async (err: unknown) => {
          // Another attempt posting the same record at the same moment wins the race: that is success too.
          const now = preferred(await this.#candidates(document.reference));
          if (!(now?.id === record.id && now.model === record.model && now.state !== 'draft')) throw err;
        });
        // A draft from an attempt whose create landed after our look-up is removed now it cannot win.
        await this.#survivor(document.reference);
      }
      if (document.kind === 'bill_payment' && document.status === 'posted' && record.model === 'account.move')
        await this.#reconcile(document, record, chart);
      const posted = this.#posted(document.reference, record);
      return existing ? { ...posted, alreadyBooked: true } : posted;
    }, document.date);
  }

  /**
   * Posts a draft. Tryton warns when a supplier invoice's number was already used for the vendor
   * (`invoice_similar`); Pleo's own reference already keeps an item from being booked twice, so the
   * warning is acknowledged as a Tryton user would (a `res.user.warning`) and the post repeated.
   */
  async #postRecord(record: Found, companyId: number): Promise<void> {
    const post = () => this.#rpc.call(`model.${record.model}.post`, [[record.id]], { company: companyId });
    try {
      await post();
    } catch (err) {
      if (!(err instanceof TrytonRpcError) || !err.warning?.endsWith('.invoice_similar')) throw err;
      await this.#rpc.call('model.res.user.warning.create', [
        [{ user: await this.#rpc.userId(), name: err.warning, always: false }],
      ]);
      await post();
    }
  }

  async attach(externalId: string, files: AttachmentFile[]): Promise<void> {
    await this.#translated(async () => {
      const existing = await this.#rpc.call<{ description: string | null }[]>(
        'model.ir.attachment.search_read',
        [[['resource', '=', externalId]], 0, null, null, ['description']],
      );
      const stored = new Set(existing.map((a) => a.description));
      for (const file of files) {
        // The attachment key is the attachment's description: a retry finds it and skips the upload.
        if (stored.has(attachmentKey(file.key))) continue;
        await this.#rpc.call('model.ir.attachment.create', [
          [
            {
              resource: externalId,
              name: file.fileName,
              type: 'data',
              data: bytes(await readFile(file.path)),
              description: attachmentKey(file.key),
            },
          ],
        ]);
      }
    });
  }

  async close(): Promise<void> {}

  // ---- idempotent creation -----------------------------------------------------------------------

  async #createDraft(document: AccountingDocument, chart: TrytonChart, periodId: number): Promise<Found> {
    const bill = isBill(document) ? document : undefined;
    const [model, values] = bill
      ? (['account.invoice', await this.#invoice(bill, chart)] as const)
      : ([
          'account.move',
          await this.#move(document as JournalEntry | BillPayment, chart, periodId),
        ] as const);
    try {
      await this.#rpc.call(`model.${model}.create`, [[values]], { company: chart.companyId });
    } catch (err) {
      if (!(err instanceof TrytonRpcError) || !err.retryable) throw err;
      // The reply was lost: the record may exist. The look-up below decides; a retry repeats it.
    }
    const survivor = await this.#survivor(document.reference);
    if (!survivor)
      throw new AccountingSystemError(`Tryton did not confirm creating ${model} ${document.reference}`, {
        retryable: true,
        reason: 'timeout',
      });
    if (bill && survivor.state === 'draft') await this.#checkInvoiceTotal(bill, survivor, chart);
    return survivor;
  }

  /** All records carrying the reference, oldest first. */
  async #candidates(reference: string): Promise<Found[]> {
    const fields = ['id', 'state', 'create_date'];
    const [moves, invoices] = await Promise.all([
      this.#rpc.call<{ id: number; state: string; create_date: string }[]>('model.account.move.search_read', [
        [['number', '=', reference]],
        0,
        null,
        [['id', 'ASC']],
        fields,
      ]),
      this.#rpc.call<{ id: number; state: string; create_date: string; comment: string | null }[]>(
        'model.account.invoice.search_read',
        [
          [
            ['comment', 'like', `${referenceComment(reference)}%`],
            ['state', '!=', 'cancelled'],
          ],
          0,
          null,
          [['id', 'ASC']],
          [...fields, 'comment'],
        ],
      ),
    ]);
    const exact = invoices.filter((i) => (i.comment ?? '').split('\n')[0] === referenceComment(reference));
    return [
      ...moves.map((m) => ({
        model: 'account.move' as const,
        id: m.id,
        state: m.state,
        createdAt: m.create_date,
      })),
      ...exact.map((i) => ({
        model: 'account.invoice' as const,
        id: i.id,
        state: i.state,
        createdAt: i.create_date,
      })),
    ];
  }

  /** Keeps one record per reference (a posted one, else the oldest) and deletes the other drafts. */
  async #survivor(reference: string): Promise<Found | undefined> {
    const candidates = await this.#candidates(reference);
    const keep = preferred(candidates);
    for (const extra of candidates.filter((c) => c !== keep && c.state === 'draft')) {
      await this.#rpc.call(`model.${extra.model}.delete`, [[extra.id]]).catch(async (err: unknown) => {
        // A concurrent attempt may have deleted it first; only a draft that is still there is a problem.
        const still = (await this.#candidates(reference)).some(
          (c) => c.model === extra.model && c.id === extra.id,
        );
        if (still) throw err;
      });
    }
    return keep;
  }

  async #checkInvoiceTotal(bill: SupplierBill, record: Found, chart: TrytonChart): Promise<void> {
    const [invoice] = await this.#rpc.call<{ total_amount: string }[]>(
      'model.account.invoice.read',
      [[record.id], ['total_amount']],
      { company: chart.companyId },
    );
    const currency = invoiceCurrency(bill, chart);
    const expected = (bill.kind === 'supplier_credit_note' ? -1 : 1) * currency.total;
    const got = parseMinor(invoice?.total_amount ?? '', currencyExponent(currency.code) ?? 2);
    if (got !== expected) {
      await this.#rpc.call('model.account.invoice.delete', [[record.id]]);
      throw new AccountingSystemError(
        `Tryton computed ${invoice?.total_amount} for invoice ${bill.reference}, expected ${expected} minor units`,
        {
          retryable: false,
          failure: {
            reasonType: 'accounting_system_validation_failure',
            message: `Tryton's total for this bill (${invoice?.total_amount}) differs from Pleo's; check the tax set-up in Tryton.`,
          },
        },
      );
    }
  }

  async #move(
    document: JournalEntry | BillPayment,
    chart: TrytonChart,
    periodId: number,
  ): Promise<Record<string, unknown>> {
    return moveValues(document, chart, {
      journalId: this.#journal(document, chart),
      periodId,
      partyFor: await this.#partyFor(document, chart),
      conversion: await this.#conversion(document.currency, document.date, chart),
      ...(document.kind === 'bill_payment' ? { settlement: await this.#settlement(document, chart) } : {}),
    });
  }

  /**
   * The posted invoice a payment pays: found by the reference of the bill from the same export item, or
   * of the bill items Pleo reconciled it with; its open payable lines and amount.
   */
  async #paidInvoice(
    payment: BillPayment,
    chart: TrytonChart,
  ): Promise<{ lineIds: number[]; open: number; currency: string; toPay: number } | undefined> {
    const references = [
      payment.settles,
      ...payment.references.reconciledEntries.map((e) => documentReference(e, 'main')),
    ].filter((r) => r && r !== payment.reference);
    for (const reference of references) {
      const invoice = (await this.#candidates(reference)).find(
        (c) => c.model === 'account.invoice' && c.state !== 'draft' && c.state !== 'cancelled',
      );
      if (!invoice) continue;
      const context = { company: chart.companyId };
      const [read] = await this.#rpc.call<
        { lines_to_pay: number[]; currency: number; amount_to_pay: string }[]
      >('model.account.invoice.read', [[invoice.id], ['lines_to_pay', 'currency', 'amount_to_pay']], context);
      if (!read) continue;
      const lines = await this.#rpc.call<
        { id: number; debit: string; credit: string; reconciliation: number | null }[]
      >('model.account.move.line.read', [read.lines_to_pay, ['debit', 'credit', 'reconciliation']], context);
      const open = lines.filter((l) => l.reconciliation === null);
      const company = currencyExponent(chart.currencyCode)!;
      const currency =
        [...chart.currencies].find(([, id]) => id === read.currency)?.[0] ?? chart.currencyCode;
      return {
        lineIds: open.map((l) => l.id),
        open: open.reduce((sum, l) => sum + parseMinor(l.credit, company) - parseMinor(l.debit, company), 0),
        currency,
        toPay: Math.abs(parseMinor(read.amount_to_pay, currencyExponent(currency) ?? 2)),
      };
    }
    return undefined;
  }

  /** How the payment settles its invoice in full, when it pays exactly what is open in the invoice's currency. */
  async #settlement(payment: BillPayment, chart: TrytonChart): Promise<Settlement | undefined> {
    const invoice = await this.#paidInvoice(payment, chart);
    if (!invoice?.lineIds.length) return undefined;
    const paid =
      invoice.currency === payment.currency
        ? payment.amount
        : invoice.currency === payment.foreignAmount?.currency
          ? payment.foreignAmount.value
          : undefined;
    if (paid !== invoice.toPay) return undefined;
    const fx = payment.fxDifferenceAccount && chart.accounts.get(payment.fxDifferenceAccount.code);
    return {
      payableAmount: invoice.open,
      ...(invoice.currency !== chart.currencyCode
        ? {
            second: {
              currencyId: chart.currencies.get(invoice.currency)!,
              amount: decimal(
                formatMinor(Math.sign(invoice.open) * invoice.toPay, currencyExponent(invoice.currency)!),
              ),
            },
          }
        : {}),
      ...(fx ? { fxAccountId: fx.id } : {}),
    };
  }

  /** Reconciles the payment's payable line with its invoice's when they net to zero: the invoice becomes paid. */
  async #reconcile(payment: BillPayment, record: Found, chart: TrytonChart): Promise<void> {
    const invoice = await this.#paidInvoice(payment, chart);
    if (!invoice?.lineIds.length) return;
    const company = currencyExponent(chart.currencyCode)!;
    const lines = await this.#rpc.call<{ id: number; debit: string; credit: string }[]>(
      'model.account.move.line.search_read',
      [
        [
          ['move', '=', record.id],
          ['account', '=', chart.accounts.get(payment.payableAccount.code)!.id],
          ['reconciliation', '=', null],
        ],
        0,
        null,
        null,
        ['id', 'debit', 'credit'],
      ],
      { company: chart.companyId },
    );
    const paid = lines.reduce(
      (sum, l) => sum + parseMinor(l.debit, company) - parseMinor(l.credit, company),
      0,
    );
    if (!lines.length || paid !== invoice.open) return;
    await this.#rpc.call(
      'model.account.move.reconciliation.create',
      [
        [
          {
            company: chart.companyId,
            date: date(payment.date),
            lines: [['add', [...invoice.lineIds, ...lines.map((l) => l.id)]]],
          },
        ],
      ],
      { company: chart.companyId },
    );
  }

  /** Document minor units → company minor units at Tryton's rates for the day; undefined in the company currency. */
  async #conversion(
    currency: string,
    day: string,
    chart: TrytonChart,
  ): Promise<{ currencyId: number; toCompany: (minor: number) => number } | undefined> {
    if (currency === chart.currencyCode) return undefined;
    const rates = await this.#rates([currency, chart.currencyCode], day, chart);
    const from = { exponent: currencyExponent(currency)!, rate: rates.get(currency)! };
    const to = { exponent: currencyExponent(chart.currencyCode)!, rate: rates.get(chart.currencyCode)! };
    return {
      currencyId: chart.currencies.get(currency)!,
      toCompany: (minor) => convertMinor(minor, from, to),
    };
  }

  /** Tryton's rate of each currency on the day (its latest rate on or before it); a missing one fails the item by name. */
  async #rates(codes: string[], day: string, chart: TrytonChart): Promise<Map<string, string>> {
    const ids = codes.map((code) => chart.currencies.get(code)!);
    const rows = await this.#rpc.call<{ id: number; rate: string | null }[]>(
      'model.currency.currency.read',
      [ids, ['rate']],
      { company: chart.companyId, date: date(day) },
    );
    const rates = new Map<string, string>();
    for (const code of codes) {
      const rate = rows.find((r) => r.id === chart.currencies.get(code))?.rate;
      if (!rate || Number(rate) === 0) {
        throw new AccountingSystemError(`no ${code} rate on ${day}`, {
          retryable: false,
          failure: {
            reasonType: 'accounting_system_validation_failure',
            message: `Tryton has no exchange rate for ${code} on or before ${day}, needed to book this ${code} expense in ${chart.currencyCode}; add the rate in Tryton (Currencies) and export again.`,
          },
        });
      }
      rates.set(code, rate);
    }
    return rates;
  }

  async #invoice(bill: SupplierBill, chart: TrytonChart): Promise<Record<string, unknown>> {
    const split = splitProblem(bill);
    if (split)
      throw new AccountingSystemError(split, {
        retryable: false,
        failure: { reasonType: 'accounting_system_validation_failure', message: split },
      });
    const currency = invoiceCurrency(bill, chart).code;
    // Tryton converts the invoice when posting; checking the rate first names it instead of a generic refusal.
    if (currency !== chart.currencyCode) await this.#rates([currency, chart.currencyCode], bill.date, chart);
    const party = await this.#party(bill.vendor);
    if (!party)
      throw new AccountingSystemError(PLEO_MESSAGES.vendorUnknown, {
        retryable: false,
        failure: { reasonType: 'vendor_unknown', message: PLEO_MESSAGES.vendorUnknown },
      });
    const [address] = await this.#rpc.call<{ id: number }[]>('model.party.address.search_read', [
      [['party', '=', party.id]],
      0,
      1,
      null,
      ['id'],
    ]);
    if (!address) {
      throw new AccountingSystemError(`Vendor ${party.name} has no address in Tryton`, {
        retryable: false,
        failure: {
          reasonType: 'accounting_system_validation_failure',
          message: `The vendor ${party.name} has no address in Tryton, which supplier invoices need; add one and export again.`,
        },
      });
    }
    return invoiceValues(bill, chart, {
      journalId: this.#journal(bill, chart),
      partyId: party.id,
      addressId: address.id,
      comment: referenceComment(bill.reference, bill.references.deepLink),
    });
  }

  #journal(document: AccountingDocument, chart: TrytonChart): number {
    const code =
      document.journal ??
      (document.kind === 'journal_entry'
        ? this.config.journals.journalEntry
        : document.kind === 'bill_payment'
          ? this.config.journals.payment
          : this.config.journals.bill);
    const id = chart.journals.get(code);
    if (id === undefined) {
      throw new AccountingSystemError(`journal ${code} missing`, {
        retryable: false,
        failure: {
          reasonType: 'invalid_configuration',
          message: `Journal ${code} does not exist in Tryton; create it or fix the journal configuration.`,
        },
      });
    }
    return id;
  }

  /**
   * Who each line on a party account belongs to: on a payable account the vendor Pleo names, on any
   * other (employee liabilities) the Pleo user; a collective party only when Pleo names nobody.
   */
  async #partyFor(
    document: JournalEntry | BillPayment,
    chart: TrytonChart,
  ): Promise<(posting: Posting) => number | undefined> {
    const accounts = document.postings
      .map((p) => chart.accounts.get(p.account.code))
      .filter((a) => a?.partyRequired);
    const context = { company: chart.companyId };
    const supplier = accounts.some((a) => a!.payable)
      ? ((document.vendor && (await this.#party(document.vendor))?.id) ??
        (await this.#cachedParty(
          'suppliers',
          [COLLECTIVE_PARTIES.suppliers.code],
          COLLECTIVE_PARTIES.suppliers.name,
          context,
        )))
      : undefined;
    const employee = accounts.some((a) => !a!.payable)
      ? document.user
        ? await this.#cachedParty(
            `user:${document.user.id}`,
            employeePartyCodes(document.user),
            document.user.name,
            context,
          )
        : await this.#cachedParty(
            'employees',
            [COLLECTIVE_PARTIES.employees.code],
            COLLECTIVE_PARTIES.employees.name,
            context,
          )
      : undefined;
    return (posting) => (chart.accounts.get(posting.account.code)?.payable ? supplier : employee);
  }

  #cachedParty(
    key: string,
    codes: string[],
    name: string,
    context: Record<string, unknown>,
  ): Promise<number> {
    let id = this.#parties.get(key);
    if (!id) {
      id = partyId(this.#rpc, codes, name, context);
      this.#parties.set(key, id);
      id.catch(() => this.#parties.delete(key));
    }
    return id;
  }

  /** The open standard period holding the date; a closed one is the core's closed-period case. */
  async #period(day: string, chart: TrytonChart): Promise<number> {
    const periods = await this.#rpc.call<
      { id: number; state: string; start_date: string; end_date: string }[]
    >('model.account.period.search_read', [
      [
        ['company', '=', chart.companyId],
        ['type', '=', 'standard'],
        ['end_date', '>=', date(day)],
      ],
      0,
      null,
      [['start_date', 'ASC']],
      ['id', 'state', 'start_date', 'end_date'],
    ]);
    const period = periods.find((p) => p.start_date <= day);
    if (!period) {
      throw new AccountingSystemError(`no period for ${day}`, {
        retryable: false,
        failure: {
          reasonType: 'accounting_system_validation_failure',
          message: `Tryton has no fiscal year covering ${day}; create the fiscal year and its periods, then export again.`,
        },
      });
    }
    if (period.state !== 'open') {
      throw new PeriodClosedError(
        day,
        periods.find((p) => p.start_date > day && p.state === 'open')?.start_date,
      );
    }
    return period.id;
  }

  async #party(
    vendor: VendorRef,
  ): Promise<{ id: number; code: string | null; name: string; account_payable: number | null } | undefined> {
    // Pleo's order: vendor code, then the AS's own id, then the tax registration number (legacy: account).
    const domains: unknown[][] = [];
    if (vendor.code) domains.push([['code', '=', vendor.code]]);
    if (vendor.externalId)
      domains.push(
        /^\d+$/.test(vendor.externalId)
          ? [['id', '=', Number(vendor.externalId)]]
          : [['code', '=', vendor.externalId]],
      );
    if (vendor.taxRegistrationNumber) domains.push([['identifiers.code', '=', vendor.taxRegistrationNumber]]);
    if (vendor.account) domains.push([['code', '=', vendor.account]]);
    const chart = await this.#chartNow();
    for (const domain of domains) {
      const [party] = await this.#rpc.call<
        { id: number; code: string | null; name: string; account_payable: number | null }[]
      >('model.party.party.search_read', [domain, 0, 1, null, ['id', 'code', 'name', 'account_payable']], {
        company: chart.companyId,
      });
      if (party) return party;
    }
    return undefined;
  }

  #posted(reference: string, record: Found): PostedDocument {
    const web = (this.config.webUrl ?? this.config.url).replace(/\/+$/, '');
    return {
      reference,
      externalId: `${record.model},${record.id}`,
      externalUrl: `${web}/#${encodeURIComponent(this.config.database)}/model/${record.model}/${record.id}`,
      createdAt: record.createdAt,
    };
  }

  // ---- chart cache and error translation ---------------------------------------------------------

  #loadChart(reload = false): Promise<TrytonChart> {
    if (reload || !this.#chart) {
      const chart = loadChart(this.#rpc, this.config.company);
      this.#chart = chart;
      chart.catch(() => {
        if (this.#chart === chart) this.#chart = undefined;
      });
    }
    return this.#chart!;
  }

  #chartNow(): Promise<TrytonChart> {
    return this.#translated(() => this.#loadChart());
  }

  /** The cached chart, re-read once when it does not satisfy `ok` (something was added in Tryton). */
  async #fresh(ok: (chart: TrytonChart) => boolean): Promise<TrytonChart> {
    const chart = await this.#chartNow();
    return ok(chart) ? chart : this.#translated(() => this.#loadChart(true));
  }

  async #translated<T>(body: () => Promise<T>, day?: string): Promise<T> {
    try {
      return await body();
    } catch (err) {
      throw translate(err, day);
    }
  }
}

function problem(document: AccountingDocument, chart: TrytonChart): ItemFailure | undefined {
  if (!chart.currencies.has(document.currency))
    return {
      reasonType: 'accounting_system_validation_failure',
      message: `The currency ${document.currency} does not exist in Tryton; add it (with its rates) and export again.`,
    };
  const unknown = unknownCode(document, chart.accounts, chart.taxes);
  if (unknown) return unknown;
  for (const d of document.postings.flatMap((p) => p.dimensions)) {
    if (!chart.analytic.get(d.group)?.values.has(d.code))
      return { reasonType: 'tag_unknown', message: PLEO_MESSAGES.tagUnknown(d.code) };
  }
  return undefined;
}

/** Decimal text → integer minor units, exactly ("-12.5", 2 → -1250); NaN when it is not a number. */
function parseMinor(text: string, exponent: number): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return NaN;
  const fraction = (match[3] ?? '').padEnd(exponent, '0');
  if (fraction.length > exponent && /[^0]/.test(fraction.slice(exponent))) return NaN;
  const value = Number(match[2]) * 10 ** exponent + Number(fraction.slice(0, exponent) || '0');
  return match[1] ? -value : value;
}

/** The record that stands for a reference: a posted one if any, else the oldest. */
function preferred(candidates: Found[]): Found | undefined {
  return candidates.find((c) => c.state !== 'draft') ?? candidates[0];
}

function isBill(document: AccountingDocument): document is SupplierBill {
  return document.kind === 'supplier_bill' || document.kind === 'supplier_credit_note';
}

function attachmentKey(key: string): string {
  return `pleo-receipt: ${key}`;
}

/** Tryton's answers → the port's errors: outages retryable, a closed period typed, the rest permanent. */
function translate(err: unknown, day = 'the document date'): unknown {
  if (
    err instanceof AccountingSystemError ||
    err instanceof PeriodClosedError ||
    !(err instanceof TrytonRpcError)
  )
    return err;
  if (err.retryable)
    return new AccountingSystemError(err.message, { retryable: true, reason: err.retryable });
  if (/closed (journal-)?period|closed period/i.test(err.message)) return new PeriodClosedError(day);
  const reasonType =
    err.kind === 'Unauthorized' || err.kind === 'LoginException'
      ? 'accounting_system_authentication_failure'
      : err.kind === 'AccessError'
        ? 'authorization_failure'
        : 'accounting_system_validation_failure';
  return new AccountingSystemError(err.message, {
    retryable: false,
    failure: { reasonType, message: `Tryton refused the entry: ${err.message}` },
  });
}
