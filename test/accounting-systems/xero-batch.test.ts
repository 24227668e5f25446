// Batching in the Xero adapter (postMany): per kind one look-up for all references and one create,
// every document with its own outcome, read back from the stand-in; and the calls it takes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountingSystemError, PeriodClosedError } from '../../src/accounting-systems/port';
import { DEMO_UNKNOWN } from '@pleo-export/demo-company/chart';
import { bill, expectedPostings, journalEntry, payment } from '../support/documents';
import { writeReceipt } from '../support/adapter-fixtures';
import { xeroFixture } from './xero-fixture';

jest.setTimeout(120_000);

const fixture = xeroFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());
afterEach(() => expect(fixture.mismatches.splice(0)).toEqual([]));

const apiCalls = () => Object.values(fixture.xero().calls).reduce((t, n) => t + n, 0);

it('books a mixed batch in few calls, each document with its own outcome, one bad one failing alone', async () => {
  fixture.xero().demo.periodLockDate = '2025-12-31';
  const bills = [bill(), bill({ kind: 'supplier_credit_note' })];
  const documents = [
    ...Array.from({ length: 6 }, () => journalEntry()),
    journalEntry({ account: DEMO_UNKNOWN.account }),
    journalEntry({ date: '2025-11-30' }),
    ...bills,
    ...bills.map(payment),
  ];
  const system = fixture.make();
  const before = apiCalls();
  const outcomes = await system.postMany(documents);
  const used = apiCalls() - before;

  expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.constructor.name))).toEqual([
    ...Array(6).fill('ok'),
    'AccountingSystemError',
    'PeriodClosedError',
    'ok',
    'ok',
    'ok',
    'ok',
  ]);
  expect(outcomes[6]).toMatchObject({
    error: { kind: { retryable: false, failure: { reasonType: 'accounting_system_validation_failure' } } },
  });
  expect((outcomes[7] as { error: PeriodClosedError }).error.nextOpenDate).toBe('2026-01-01');
  for (const [i, document] of documents.entries())
    expect(await fixture.entries(document.reference)).toEqual(
      outcomes[i]!.ok ? [{ status: 'posted', postings: expectedPostings(document) }] : [],
    );
  // 4 to read the organisation's set-up, 1 contact, and per kind one look-up and one create.
  expect(used).toBeLessThanOrEqual(4 + 1 + 4 * 2);

  // Again (a retry of the whole batch): the same entries, found in one look-up per kind, nothing created.
  const again = await fixture.make().postMany(documents);
  expect(again.filter((o) => o.ok).every((o) => o.ok && o.posted.alreadyBooked)).toBe(true);
  expect(again.map((o) => o.ok && o.posted.externalId)).toEqual(
    outcomes.map((o) => o.ok && o.posted.externalId),
  );
  expect(await fixture.verifyBooks()).toEqual([]);
  fixture.xero().demo.periodLockDate = undefined;
});

it('a create whose reply is lost leaves its documents retryable; the retry books each once', async () => {
  const documents = Array.from({ length: 5 }, () => journalEntry());
  const system = fixture.make();
  fixture.xero().faults.add({ endpoint: 'PUT /ManualJournals', kind: 'lost_response', times: 1 });
  const lost = await system.postMany(documents);
  for (const o of lost) {
    expect(o.ok).toBe(false);
    expect((o as { error: AccountingSystemError }).error.kind.retryable).toBe(true);
  }
  const retried = await system.postMany(documents);
  expect(retried.every((o) => o.ok)).toBe(true);
  for (const document of documents) expect(await fixture.entries(document.reference)).toHaveLength(1);
});

it('50 card expenses with one receipt each take at most 1.3 calls per item (a naive adapter needs 3)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'xero-receipts-'));
  try {
    const documents = Array.from({ length: 50 }, () => journalEntry());
    const system = fixture.make();
    const before = apiCalls();
    const outcomes = await system.postMany(documents);
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.ok) throw outcome.error;
      const key = `${documents[i]!.references.accountingEntryId}-0-r`;
      const file = await writeReceipt(dir, `${key}.pdf`, `%PDF-1.4 receipt ${i}`);
      await system.attach(outcome.posted.externalId, [
        { key, fileName: 'receipt.pdf', contentType: 'application/pdf', ...file },
      ]);
    }
    const perItem = (apiCalls() - before) / documents.length;
    expect(perItem).toBeLessThanOrEqual(1.3);
    for (const [i, outcome] of outcomes.entries())
      expect(await fixture.attachmentKeys(outcome.ok ? outcome.posted.externalId : '')).toEqual([
        `${documents[i]!.references.accountingEntryId}-0-r`,
      ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
