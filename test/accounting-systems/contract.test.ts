// The accounting-system port's contract, one suite run unchanged against every adapter. Outcomes are
// read from the books themselves (the ledger file, Tryton's records), never from the adapter's answers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccountingSystemError,
  PeriodClosedError,
  type AccountingSystem,
} from '../../src/accounting-systems/port';
import { PLEO_MESSAGES } from '../../src/shared/failure-reasons';
import { DEMO_UNKNOWN } from '@pleo-export/demo-company/chart';
import { bill, expectedPostings, journalEntry, payment } from '../support/documents';
import { ledgerFixture, trytonFixture, writeReceipt, type AdapterFixture } from '../support/adapter-fixtures';
import { xeroFixture } from './xero-fixture';

describe.each<[string, () => AdapterFixture]>([
  ['ledger', ledgerFixture],
  ['tryton', trytonFixture],
  ['xero', () => xeroFixture()],
  ['xero (bank transactions)', () => xeroFixture({}, { journalEntries: 'bankTransaction' })],
])('accounting system contract: %s', (_name, makeFixture) => {
  const fixture = makeFixture();
  let system: AccountingSystem;
  let receiptsDir: string;

  beforeAll(async () => {
    await fixture.start();
    system = fixture.system();
    receiptsDir = await mkdtemp(join(tmpdir(), 'receipts-'));
  }, 180_000);

  afterAll(async () => {
    await fixture.stop();
    await rm(receiptsDir, { recursive: true, force: true });
  });

  it('is ready when configured right', async () => {
    expect(await system.checkReady({ vendorBasedBookkeeping: true })).toEqual({ ok: true });
  });

  it('books a journal entry (tax, split lines, dimensions) exactly, findable by its reference', async () => {
    const document = journalEntry();
    expect(await system.validate(document)).toBeUndefined();
    const posted = await system.post(document);
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(document) },
    ]);
    expect(await system.findByReference(document.reference)).toEqual(posted);
    expect(Number.isNaN(Date.parse(posted.createdAt))).toBe(false);
  });

  it('books a bill with inclusive and reverse-charge tax, and its payment', async () => {
    const document = bill();
    expect(await system.validate(document)).toBeUndefined();
    await system.post(document);
    const settlement = payment(document);
    await system.post(settlement);
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(document) },
    ]);
    expect(await fixture.entries(settlement.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(settlement) },
    ]);
  });

  it('books a credit note and its refund', async () => {
    const document = bill({ kind: 'supplier_credit_note' });
    await system.post(document);
    const refund = payment(document);
    await system.post(refund);
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(document) },
    ]);
    expect(await fixture.entries(refund.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(refund) },
    ]);
  });

  it('books a bill paid in a foreign currency at the wallet amounts', async () => {
    const document = bill({ foreign: true });
    await system.post(document);
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(document) },
    ]);
  });

  it.each(['journal entry', 'bill'])('keeps a draft %s a draft', async (kind) => {
    const document = kind === 'bill' ? bill({ status: 'draft' }) : journalEntry({ status: 'draft' });
    await system.post(document);
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'draft', postings: expectedPostings(document) },
    ]);
  });

  it('posting the same document twice returns the same entry and books it once', async () => {
    for (const document of [journalEntry(), bill()]) {
      const first = await system.post(document);
      const again = await fixture.system().post(document); // e.g. a retry from another worker process
      expect(again.externalId).toBe(first.externalId);
      expect(await fixture.entries(document.reference)).toHaveLength(1);
    }
  });

  it('two workers posting the same document at once book it once', async () => {
    for (const document of [journalEntry(), bill()]) {
      const [a, b] = await Promise.all([system.post(document), fixture.system().post(document)]);
      expect(b.externalId).toBe(a.externalId);
      expect(await fixture.entries(document.reference)).toEqual([
        { status: 'posted', postings: expectedPostings(document) },
      ]);
    }
  });

  it('a reply lost after the AS booked, then a retry: exactly one entry', async () => {
    for (const document of [journalEntry(), bill()]) {
      const lost = await fixture.postLosingReply(document);
      if (lost instanceof Error) expect(lost).toMatchObject({ kind: { retryable: true } });
      expect(await fixture.entries(document.reference)).toHaveLength(1); // the AS did book it
      const retried = await fixture.system().post(document);
      expect(await fixture.entries(document.reference)).toEqual([
        { status: 'posted', postings: expectedPostings(document) },
      ]);
      expect((await system.findByReference(document.reference))?.externalId).toBe(retried.externalId);
    }
  });

  it('refuses a document in a closed period with PeriodClosedError and the next open date', async () => {
    const closed = await fixture.closedSystem('2025-03-10');
    const document = journalEntry({ date: '2025-03-10' });
    const error = await closed.post(document).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PeriodClosedError);
    expect(error).toMatchObject({ date: '2025-03-10', nextOpenDate: '2025-04-01' });
    expect(await fixture.entries(document.reference)).toEqual([]);
    // The core's "adjust" answer: the same document on the next open date books.
    await closed.post({ ...document, date: '2025-04-01', originalDate: document.date });
    expect(await fixture.entries(document.reference)).toHaveLength(1);
  });

  it.each([
    [
      'account',
      journalEntry({ account: DEMO_UNKNOWN.account }),
      { reasonType: 'account_unknown', message: PLEO_MESSAGES.accountUnknown(DEMO_UNKNOWN.account) },
    ],
    [
      'tax code',
      journalEntry({ taxCode: DEMO_UNKNOWN.taxCode }),
      { reasonType: 'tax_code_unknown', message: PLEO_MESSAGES.taxCodeUnknown(DEMO_UNKNOWN.taxCode) },
    ],
    [
      'tag',
      journalEntry({ tag: DEMO_UNKNOWN.tagCode }),
      { reasonType: 'tag_unknown', message: PLEO_MESSAGES.tagUnknown(DEMO_UNKNOWN.tagCode) },
    ],
    [
      'vendor',
      bill({ vendor: { name: 'Nobody Ltd', code: DEMO_UNKNOWN.vendorCode } }),
      { reasonType: 'vendor_unknown', message: PLEO_MESSAGES.vendorUnknown },
    ],
  ])('an unknown %s gives its own failure', async (_what, document, failure) => {
    expect(await system.validate(document)).toEqual(failure);
  });

  it('resolves vendors by code and by tax registration number, and not unknown ones', async () => {
    const byCode = await system.resolveVendor({ name: 'ACME', code: 'V1001' });
    expect(byCode).toMatchObject({ name: 'ACME Ltd', payableAccountCode: '2441' });
    expect(
      await system.resolveVendor({ name: 'Globex', taxRegistrationNumber: 'DE811111111' }),
    ).toMatchObject({ name: 'Globex GmbH' });
    expect(await system.resolveVendor({ name: 'Nobody', code: DEMO_UNKNOWN.vendorCode })).toBeUndefined();
  });

  it('stores several receipts once each, however often attach is called', async () => {
    const document = journalEntry();
    const posted = await system.post(document);
    const files = await Promise.all(
      ['a', 'b'].map(async (n, i) => ({
        key: `${document.references.accountingEntryId}-${i}-${n}`,
        fileName: `${n}.pdf`,
        contentType: 'application/pdf',
        ...(await writeReceipt(receiptsDir, `${n}.pdf`, `%PDF-1.4 receipt ${n}`)),
      })),
    );
    await system.attach(posted.externalId, files.slice(0, 1)); // the first upload, then a retry of both
    await system.attach(posted.externalId, files);
    await fixture.system().attach(posted.externalId, files);
    expect((await fixture.attachmentKeys(posted.externalId)).sort()).toEqual(files.map((f) => f.key).sort());
  });

  it('answers readiness problems with the Pleo failure reason type', async () => {
    const broken = fixture.broken();
    const answers = await Promise.all(
      broken.map(async (b) => [b.name, await b.system.checkReady({ vendorBasedBookkeeping: true })] as const),
    );
    for (const [name, readiness] of answers) {
      expect({ name, reasonType: readiness.ok ? 'ok' : readiness.reasonType }).toEqual({
        name,
        reasonType: broken.find((b) => b.name === name)!.reasonType,
      });
    }
  });

  it('an AS that is down gives a retryable error, not a failed item', async () => {
    const down = fixture.broken().find((b) => b.reasonType === 'accounting_system_unreachable')!.system;
    const error = await down.post(journalEntry()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AccountingSystemError);
    expect((error as AccountingSystemError).kind.retryable).toBe(true);
  });

  it('leaves books an independent checker accepts', async () => {
    expect(await fixture.verifyBooks()).toEqual([]);
  });
});
