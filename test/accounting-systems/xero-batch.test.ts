// Batching in the Xero adapter (postMany): per kind one look-up for all references and one create,
// every document with its own outcome, read back from the stand-in; and the calls it takes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withCallGate, type CallGate } from '../../src/accounting-systems/call-gate';
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

it('a create whose reply is lost is sent again under the same key: Xero books the batch once', async () => {
  const documents = Array.from({ length: 5 }, () => journalEntry());
  const system = fixture.make();
  const replays = fixture.xero().keys.replays;
  fixture.xero().faults.add({ endpoint: 'PUT /ManualJournals', kind: 'lost_response', times: 1 });
  const outcomes = await system.postMany(documents);
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(fixture.xero().keys.replays).toBe(replays + 1);
  for (const document of documents) expect(await fixture.entries(document.reference)).toHaveLength(1);
});

it('a create whose replies stay lost leaves its documents retryable; the retry books each once', async () => {
  const documents = Array.from({ length: 5 }, () => journalEntry());
  const system = fixture.make();
  fixture.xero().faults.add({ endpoint: 'PUT /ManualJournals', kind: 'lost_response', times: 3 });
  const lost = await system.postMany(documents);
  for (const o of lost) {
    expect(o.ok).toBe(false);
    expect((o as { error: AccountingSystemError }).error.kind.retryable).toBe(true);
  }
  // Another worker (a new adapter) retries: the batch's look-up finds what the lost create booked.
  const retried = await fixture.make().postMany(documents);
  expect(retried.every((o) => o.ok && o.posted.alreadyBooked)).toBe(true);
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

it('posts arriving side by side share one look-up and one create, and every request passes the call gate', async () => {
  const system = fixture.make();
  await system.checkReady({ vendorBasedBookkeeping: false });
  const documents = Array.from({ length: 8 }, () => journalEntry());
  let gated = 0;
  const gate: CallGate = (call) => {
    gated++;
    return call();
  };
  const before = fixture.xero().calls['PUT /ManualJournals'] ?? 0;
  const lookUps = fixture.xero().calls['GET /ManualJournals'] ?? 0;
  const callsBefore = apiCalls();
  const posted = await Promise.all(documents.map((d) => withCallGate(gate, () => system.post(d))));
  expect(fixture.xero().calls['PUT /ManualJournals']).toBe(before + 1);
  expect(fixture.xero().calls['GET /ManualJournals']).toBe(lookUps + 1);
  expect(gated).toBe(apiCalls() - callsBefore);
  for (const document of documents)
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(document) },
    ]);
  expect(new Set(posted.map((p) => p.externalId)).size).toBe(documents.length);
  expect(system.capabilities.limits).toEqual({
    concurrentCalls: 5,
    callsPerSecond: 1,
    counts: 'calls',
    itemsInFlight: 24,
  });
});

it('one look-up covers the items validated and on their way; their posts go straight to a create', async () => {
  const system = fixture.make();
  const documents = Array.from({ length: 6 }, () => journalEntry());
  for (const d of documents) expect(await system.validate(d)).toBeUndefined();
  const lookUps = fixture.xero().calls['GET /ManualJournals'] ?? 0;
  const creates = fixture.xero().calls['PUT /ManualJournals'] ?? 0;
  for (const d of documents) await system.post(d);
  expect(fixture.xero().calls['GET /ManualJournals']).toBe(lookUps + 1);
  expect(fixture.xero().calls['PUT /ManualJournals']).toBe(creates + documents.length);
  for (const d of documents)
    expect(await fixture.entries(d.reference)).toEqual([{ status: 'posted', postings: expectedPostings(d) }]);
});

it('a new attempt validates again, so what another worker booked meanwhile is found, not booked twice', async () => {
  const here = fixture.make();
  const [first, second] = [journalEntry(), journalEntry()];
  for (const d of [first, second]) await here.validate(d);
  await here.post(first); // its look-up found `second` absent too
  await fixture.make().post(second); // another worker books it (an earlier attempt, say)
  await here.validate(second); // this worker's next attempt begins
  const posted = await here.post(second);
  expect(posted.alreadyBooked).toBe(true);
  expect(await fixture.entries(second.reference)).toHaveLength(1);
});

it('a post without a look-up that joins a batch of looked-up ones gets its own look-up, and each is booked once', async () => {
  const system = fixture.make();
  const [a, b, c] = [journalEntry(), journalEntry(), journalEntry()];
  for (const d of [a, b]) await system.validate(d);
  await system.post(a); // looks up a and b
  const lookUps = fixture.xero().calls['GET /ManualJournals'] ?? 0;
  const creates = fixture.xero().calls['PUT /ManualJournals'] ?? 0;
  // b opens a batch going straight to a create; c (never validated) joins it and is looked up first.
  const posted = system.post(b);
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all([posted, system.post(c)]);
  expect(fixture.xero().calls['GET /ManualJournals']).toBe(lookUps + 1);
  expect(fixture.xero().calls['PUT /ManualJournals']).toBe(creates + 2);
  for (const d of [a, b, c]) expect(await fixture.entries(d.reference)).toHaveLength(1);
});
