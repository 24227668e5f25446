// What only Xero has: tracking categories (two per line), lock dates that move, a daily call budget,
// 429 storms, Xero's attachment size limit, supplier-currency bills, OAuth token rotation. Outcomes are
// read from what the Xero stand-in holds.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountingSystemError, PeriodClosedError } from '../../src/accounting-systems/port';
import { xeroConnectionId } from '../../src/accounting-systems/xero/auth';
import { DEMO_ACCOUNTS } from '@pleo-export/demo-company/chart';
import { FileTokenStore } from '../../src/pleo/auth';
import { postings } from '@pleo-export/xero-sandbox/booking';
import { bill, expectedPostings, journalEntry, payment } from '../support/documents';
import { DEMO_XERO_TRACKING, xeroFixture } from './xero-fixture';

jest.setTimeout(120_000);

describe('Xero adapter', () => {
  const fixture = xeroFixture();
  beforeAll(() => fixture.start());
  afterAll(() => fixture.stop());
  afterEach(() => expect(fixture.mismatches.splice(0)).toEqual([]));

  it('books tags as tracking options on their lines, and leaves groups configured as untracked out', async () => {
    const document = journalEntry();
    await fixture.system().post(document);
    const [stored] = fixture.documents(document.reference);
    expect(stored!.lines.map((l) => [l.AccountCode, l.Tracking.map((t) => `${t.Name}=${t.Option}`)])).toEqual(
      [
        ['6000', ['Department=SALES']],
        ['6100', ['Project=P100']], // team T-OPS: `team: null`, not tracked in Xero
        ['1910', []],
      ],
    );
  });

  it('fails an item whose tags need one tracking category twice on a line, naming the tags', async () => {
    const department = fixture.xero().demo.trackingCategories.find((c) => c.Name === 'Department')!;
    department.Options.push({
      TrackingOptionID: '00000000-0000-4000-8000-000000000001',
      Name: 'T-OPS',
      Status: 'ACTIVE',
    });
    const system = fixture.make({ tracking: { ...DEMO_XERO_TRACKING, team: 'Department' } });
    const document = journalEntry();
    document.postings[2]!.dimensions.push({ group: 'DEPT', code: 'OPS' });
    expect(await system.validate(document)).toEqual({
      reasonType: 'accounting_system_validation_failure',
      message: expect.stringContaining('map to the Xero tracking category "Department" more than once'),
    });
    const error = await system.post(document).catch((err: unknown) => err);
    expect(error).toMatchObject({
      kind: { retryable: false, failure: { reasonType: 'accounting_system_validation_failure' } },
    });
    expect(fixture.documents(document.reference)).toEqual([]);
  });

  it('refuses a date on or before a lock date set after readiness, with the next open day', async () => {
    const system = fixture.system();
    expect(await system.checkReady({ vendorBasedBookkeeping: true })).toEqual({ ok: true });
    fixture.xero().demo.endOfYearLockDate = '2025-12-31'; // the adviser locks the year meanwhile
    try {
      const document = journalEntry({ date: '2025-12-15' });
      const error = await system.post(document).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(PeriodClosedError);
      expect(error).toMatchObject({ date: '2025-12-15', nextOpenDate: '2026-01-01' });
      expect(fixture.documents(document.reference)).toEqual([]);
    } finally {
      fixture.xero().demo.endOfYearLockDate = undefined;
    }
  });

  it('books a posted entry from a wallet outside the base currency as spend money on that wallet, converted by Xero', async () => {
    const eur = journalEntry();
    const document = {
      ...eur,
      currency: 'GBP',
      postings: eur.postings.map((p) =>
        p.role === 'funding' ? { ...p, account: { ...p.account, code: DEMO_ACCOUNTS.walletGbp.code } } : p,
      ),
    };
    await fixture.system().post(document);
    const [held] = fixture.documents(document.reference);
    expect(held).toMatchObject({ type: 'BankTransaction', currency: 'GBP', bankType: 'SPEND' });
    // At Xero's day rate (0.85 GBP a euro in the stand-in), balanced in the base currency.
    const effect = postings(fixture.xero().demo, held!);
    expect(effect[DEMO_ACCOUNTS.walletGbp.code]).toBe(-Math.round(13000 / 0.85));
    expect(Object.values(effect).reduce((t, v) => t + v, 0)).toBe(0);
  });

  it('fails a draft entry outside the base currency, saying how to book it instead', async () => {
    const document = { ...journalEntry({ status: 'draft' }), currency: 'GBP' };
    const error = await fixture
      .system()
      .post(document)
      .catch((err: unknown) => err);
    expect(error).toMatchObject({
      kind: {
        retryable: false,
        failure: {
          reasonType: 'accounting_system_validation_failure',
          message: expect.stringContaining('cannot be exported as a draft: export it posted'),
        },
      },
    });
    expect(fixture.documents(document.reference)).toEqual([]);
  });

  it('books a bill paid in its own item approved with its payment, even as a draft', async () => {
    const draft = bill({ status: 'draft' });
    const system = fixture.system();
    // The item validates both documents before it posts them: the bill is known to be paid.
    for (const d of [draft, payment(draft)]) expect(await system.validate(d)).toBeUndefined();
    await system.post(draft);
    await system.post(payment(draft));
    expect(fixture.documents(draft.reference)).toMatchObject([{ status: 'PAID' }]);
    expect(fixture.documents(payment(draft).reference)).toHaveLength(1);
  });

  it('approves a draft bill left by an earlier export when its payment comes, and pays it', async () => {
    const draft = bill({ status: 'draft' });
    await fixture.system().post(draft); // an earlier export, not knowing of the payment
    expect(fixture.documents(draft.reference)).toMatchObject([{ status: 'DRAFT' }]);
    await fixture.system().post(payment(draft));
    expect(fixture.documents(draft.reference)).toMatchObject([{ status: 'PAID' }]);
    expect(fixture.documents(payment(draft).reference)).toHaveLength(1);
  });

  it('approves a draft bill when the same reference comes again as posted, and pays it', async () => {
    const draft = bill({ status: 'draft' });
    const system = fixture.system();
    const first = await system.post(draft);
    const posted = await system.post({ ...draft, status: 'posted' });
    await system.post(payment({ ...draft, status: 'posted' }));
    expect(posted.externalId).toBe(first.externalId);
    expect(posted.alreadyBooked).toBe(true);
    expect(fixture.documents(draft.reference).map((d) => d.status)).toEqual(['PAID']);
    expect(await fixture.entries(draft.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(draft) },
    ]);
  });

  it('books a bill in the supplier currency with Pleo’s supplier amounts', async () => {
    const base = bill({ foreign: true });
    const document = {
      ...base,
      lines: base.lines.map((l, i) => ({
        ...l,
        foreign: { netAmount: [21500, 6880, 5375][i]!, taxAmount: [5375, 1720, 323][i]! },
      })),
      foreignCurrency: { currency: 'GBP', total: 21500 + 5375 + 6880 + 5375 + 323, rate: '0.86' },
    };
    await fixture.system().post(document);
    const [stored] = fixture.documents(document.reference);
    expect(stored).toMatchObject({ currency: 'GBP', total: document.foreignCurrency.total });
    expect(stored!.rate).toBeCloseTo(1 / 0.86, 8);
  });

  it('refuses a receipt over Xero’s 10 MB before uploading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xero-big-'));
    try {
      const posted = await fixture.system().post(journalEntry());
      const path = join(dir, 'big.pdf');
      await writeFile(path, Buffer.alloc(10 * 1024 * 1024 + 1));
      const file = {
        key: 'big-0-x',
        fileName: 'big.pdf',
        contentType: 'application/pdf',
        path,
        size: 10 * 1024 * 1024 + 1,
      };
      const error = await fixture
        .system()
        .attach(posted.externalId, [file])
        .catch((err: unknown) => err);
      expect(error).toMatchObject({
        kind: { retryable: false, failure: { reasonType: 'receipt_file_size_limit_exceeded' } },
      });
      expect(await fixture.attachmentKeys(posted.externalId)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refreshes an expired access token and stores the rotated refresh token before using it', async () => {
    const dir = fixture.tokenDir();
    const store = new FileTokenStore({ dir, key: fixture.tokenKey });
    const id = xeroConnectionId(fixture.xero().demo.tenantId);
    const before = await store.load(id);
    if (before?.status !== 'connected') throw new Error('not connected');
    await store.save(id, { ...before, expiresAt: Date.now() - 1000 });
    expect(await fixture.system().checkReady({ vendorBasedBookkeeping: false })).toEqual({ ok: true });
    const after = await store.load(id);
    expect(after).toMatchObject({ status: 'connected' });
    expect(after?.status === 'connected' && after.refreshToken).not.toBe(before.refreshToken);
  });
});

describe('Xero adapter with journal entries as bank transactions', () => {
  const fixture = xeroFixture({}, { journalEntries: 'bankTransaction' });
  beforeAll(() => fixture.start());
  afterAll(() => fixture.stop());
  afterEach(() => expect(fixture.mismatches.splice(0)).toEqual([]));

  it('books a posted card expense as spend money on the Pleo bank account, a draft as a draft manual journal', async () => {
    const posted = journalEntry();
    const draft = journalEntry({ status: 'draft' });
    const system = fixture.system();
    await system.post(posted);
    await system.post(draft);
    const [spend] = fixture.documents(posted.reference);
    expect(spend).toMatchObject({
      type: 'BankTransaction',
      bankType: 'SPEND',
      bankAccountCode: '1910',
      status: 'AUTHORISED',
    });
    expect(fixture.xero().demo.contacts.find((c) => c.ContactID === spend!.contactId)?.Name).toBe('Pleo');
    expect(fixture.documents(draft.reference).map((d) => [d.type, d.status])).toEqual([
      ['ManualJournal', 'DRAFT'],
    ]);
    // The draft posted later stays the manual journal it is, approved; no bank transaction beside it.
    await system.post({ ...draft, status: 'posted' });
    expect(fixture.documents(draft.reference).map((d) => [d.type, d.status])).toEqual([
      ['ManualJournal', 'POSTED'],
    ]);
  });

  it('keeps an entry funded from a non-bank account (out of pocket) a manual journal', async () => {
    const document = journalEntry();
    const funding = document.postings.find((p) => p.role === 'funding')!;
    funding.account = { code: '2890' };
    await fixture.system().post(document);
    expect(fixture.documents(document.reference).map((d) => d.type)).toEqual(['ManualJournal']);
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(document) },
    ]);
  });
});

describe('Xero limits', () => {
  it('a spent daily budget fails fast with the wait, and readiness says accounting_system_rate_limit', async () => {
    const fixture = xeroFixture({ limits: { perDay: 12 } });
    await fixture.start();
    try {
      const system = fixture.make();
      let error: unknown;
      for (let i = 0; i < 10 && !error; i++)
        error = await system.post(journalEntry()).then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(error).toBeInstanceOf(AccountingSystemError);
      expect(error).toMatchObject({ kind: { retryable: true, reason: 'rate_limited' } });
      expect(
        (error as AccountingSystemError & { kind: { retryAfterMs: number } }).kind.retryAfterMs,
      ).toBeGreaterThan(3_600_000);
      expect(system.client.budget.day).toBe(0);
      expect(await fixture.system().checkReady({ vendorBasedBookkeeping: false })).toMatchObject({
        ok: false,
        reasonType: 'accounting_system_rate_limit',
      });
      expect(fixture.xero().limiter.refused.day).toBeGreaterThan(0);
    } finally {
      await fixture.stop();
    }
  });

  it('a job that would spend the daily budget half-way is refused at readiness, saying when to export again', async () => {
    const fixture = xeroFixture({ limits: { perDay: 200 } });
    await fixture.start();
    try {
      const system = fixture.system();
      expect(
        await system.checkReady({
          vendorBasedBookkeeping: false,
          expectedWrites: { documents: 60, receipts: 40 },
        }),
      ).toEqual({ ok: true });
      const readiness = await system.checkReady({
        vendorBasedBookkeeping: false,
        expectedWrites: { documents: 100, receipts: 100 },
      });
      expect(readiness).toMatchObject({
        ok: false,
        reasonType: 'accounting_system_rate_limit',
        message: expect.stringMatching(
          /has 1\d\d calls left and this export needs about 300 .*export again after/,
        ),
      });
      expect(fixture.xero().demo.documents.size).toBe(0);
    } finally {
      await fixture.stop();
    }
  });

  it('a 429 storm (2 concurrent, 20 a minute) from three workers books every document exactly once', async () => {
    const fixture = xeroFixture({ limits: { concurrent: 2, perMinute: 20 } });
    await fixture.start();
    try {
      const workers = [fixture.system(), fixture.system(), fixture.system()];
      const documents = Array.from({ length: 12 }, (_, i) => (i % 3 ? journalEntry() : bill()));
      // Each worker posts every document (as retries and duplicates would); a retryable answer is
      // retried as Temporal would retry the activity.
      await Promise.all(
        workers.flatMap((worker) =>
          documents.map(async (document) => {
            for (let attempt = 0; ; attempt++) {
              try {
                return await worker.post(document);
              } catch (err) {
                if (!(err instanceof AccountingSystemError && err.kind.retryable) || attempt > 50) throw err;
              }
            }
          }),
        ),
      );
      for (const document of documents)
        expect(await fixture.entries(document.reference)).toEqual([
          { status: 'posted', postings: expectedPostings(document) },
        ]);
      const refused = fixture.xero().limiter.refused;
      expect((refused.concurrent ?? 0) + (refused.minute ?? 0)).toBeGreaterThan(0);
      expect(await fixture.verifyBooks()).toEqual([]);
    } finally {
      await fixture.stop();
    }
  });

  it('under seeded faults (10 % 429 or 503, 3 % replies lost after commit) every document is booked exactly once', async () => {
    const fixture = xeroFixture({
      faultSeed: 16,
      faults: [
        { endpoint: '*', kind: 'rate_limit', probability: 0.05 },
        { endpoint: '*', kind: 'server_error', probability: 0.05 },
        { endpoint: 'PUT /ManualJournals', kind: 'lost_response', probability: 0.03 },
        { endpoint: 'PUT /Invoices', kind: 'lost_response', probability: 0.03 },
        { endpoint: 'PUT /Payments', kind: 'lost_response', probability: 0.03 },
      ],
    });
    await fixture.start();
    try {
      const bills = Array.from({ length: 8 }, () => bill());
      const documents = [
        ...Array.from({ length: 24 }, () => journalEntry()),
        ...bills,
        ...bills.map(payment),
      ];
      const system = fixture.system();
      let retries = 0;
      for (const document of documents)
        for (;;) {
          try {
            await system.post(document);
            break;
          } catch (err) {
            if (!(err instanceof AccountingSystemError && err.kind.retryable) || ++retries > 200) throw err;
          }
        }
      for (const document of documents)
        expect(await fixture.entries(document.reference)).toEqual([
          { status: 'posted', postings: expectedPostings(document) },
        ]);
      expect(await fixture.verifyBooks()).toEqual([]);
      // The faults did fire (most are answered inside the client, which repeats what is safe to repeat).
      expect(
        fixture
          .xero()
          .faults.list()
          .reduce((t, r) => t + r.fired, 0),
      ).toBeGreaterThan(5);
    } finally {
      await fixture.stop();
    }
  });
});
