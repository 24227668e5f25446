// An accounting system that goes away mid-page for longer than the outage budget: the job fails with
// accounting_system_unreachable, and every item the ledger holds is reported successful with its entry,
// never failed (the page's outcomes travel in its failure to the workflow), each item reported once.
import { generateExportItems } from '../../src/sandbox/seed/export-items';
import { documentReference } from '../../src/accounting/core';
import { AccountingSystemError, type AccountingSystem } from '../../src/accounting-systems/port';
import { startHarness, ledgerReferenceCounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

/** The accounting system answers until `writes` documents are booked (an item may have two), then is unreachable for good. */
function downAfter(writes: number) {
  let written = 0;
  return (system: AccountingSystem): AccountingSystem => {
    const reachable = () => {
      if (written >= writes)
        throw new AccountingSystemError('unreachable (test outage)', {
          retryable: true,
          reason: 'unreachable',
        });
    };
    return {
      name: system.name,
      capabilities: system.capabilities,
      checkReady: (request) => system.checkReady(request),
      close: () => system.close(),
      validate: async (document) => (reachable(), system.validate(document)),
      resolveVendor: async (vendor) => (reachable(), system.resolveVendor(vendor)),
      findByReference: async (reference) => (reachable(), system.findByReference(reference)),
      attach: async (externalId, files) => (reachable(), system.attach(externalId, files)),
      post: async (document) => {
        reachable();
        const existed = await system.findByReference(document.reference);
        const posted = await system.post(document);
        if (!existed) written++;
        return posted;
      },
    };
  };
}

test('an outage longer than the budget fails the job; items booked before it are reported successful, never failed', async () => {
  const companyId = h.addCompany(undefined, downAfter(13));
  const items = generateExportItems({
    seed: 'long-outage',
    count: 30,
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  });
  const job = h.sandbox.createJob(companyId, items);

  // Pages of 10: the outage starts inside a page, after some of its items were booked.
  await h.exportNow(companyId, { pageSize: 10, outageBudgetMs: 8_000 });

  const finished = h.sandbox.getJob(job.id);
  expect({ status: finished.status, reason: finished.failureReasonType }).toEqual({
    status: 'failed',
    reason: 'accounting_system_unreachable',
  });
  const booked = ledgerReferenceCounts(h.ledgerDir(companyId));
  const jobItems = h.sandbox.jobItems(job.id);
  const inLedger = jobItems.filter(
    (i) => (booked.get(documentReference(i.accountingEntryId, 'main')) ?? 0) > 0,
  );
  expect(inLedger.length).toBeGreaterThan(0);
  expect(inLedger.filter((i) => i.status !== 'successful' || !i.externalId)).toEqual([]);
  expect(jobItems.filter((i) => i.status === 'successful')).toHaveLength(inLedger.length);
  expect(jobItems.filter((i) => i.status !== 'successful' && i.status !== 'failed')).toEqual([]);
  expect([...booked.values()].every((n) => n === 1)).toBe(true);
  expect([...h.sandbox.itemUpdateCounts(job.id).values()].every((n) => n === 1)).toBe(true);
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'failed']);
});
