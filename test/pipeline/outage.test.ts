// An accounting system that goes away mid-job for longer than the outage budget: the job pauses, probes,
// then fails with accounting_system_unreachable before Pleo's expiry. Every item the ledger holds with its
// receipts is reported successful; one booked but whose receipts never reached the entry is failed with
// receipt_upload_failure naming the entry (never successful); each item is reported once.
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { documentReference } from '../../src/accounting/core';
import { AccountingSystemError, type AccountingSystem } from '../../src/accounting-systems/port';
import { jobWorkflowId } from '../../src/shared/workflow-api';
import type { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { useHarness, ledgerReferenceCounts } from '../support/pipeline-harness';

const h = useHarness();

/**
 * The accounting system goes away for good (its readiness check included) at the `n`-th attachment: the
 * item being attached then is booked, its receipts not.
 */
function downAtAttach(n: number) {
  let attaches = 0;
  let down = false;
  return (system: AccountingSystem): AccountingSystem => {
    const reachable = () => {
      if (down)
        throw new AccountingSystemError('unreachable (test outage)', {
          retryable: true,
          reason: 'unreachable',
        });
    };
    return {
      name: system.name,
      capabilities: system.capabilities,
      checkReady: async (request) => (reachable(), system.checkReady(request)),
      close: () => system.close(),
      validate: async (document) => (reachable(), system.validate(document)),
      resolveVendor: async (vendor) => (reachable(), system.resolveVendor(vendor)),
      findByReference: async (reference) => (reachable(), system.findByReference(reference)),
      post: async (document) => (reachable(), system.post(document)),
      attach: async (externalId, files) => {
        if (++attaches >= n) down = true;
        reachable();
        return system.attach(externalId, files);
      },
    };
  };
}

test('an outage longer than the budget fails the job; a booked item without its receipts is failed, never successful', async () => {
  const companyId = h.addCompany(undefined, downAtAttach(6));
  const items = generateExportItems({
    seed: 'long-outage',
    count: 30,
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  });
  const job = h.sandbox.createJob(companyId, items);

  // One item at a time, so the outage begins between this item's booking and its receipts.
  await h.exportNow(companyId, { pageSize: 10, itemsInFlight: 1, outageBudgetMs: 8_000 });

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
  // The last item booked before the outage: its receipts never reached the entry.
  const withReceipts = (id: string) =>
    (items.find((i) => i.accountingEntryId === id)?.files?.length ?? 0) > 0;
  const unattached = inLedger.filter((i) => i.status !== 'successful');
  for (const item of unattached) {
    expect(withReceipts(item.accountingEntryId)).toBe(true);
    expect(item.failureReasonType).toBe('receipt_upload_failure');
    expect(item.failureReason).toMatch(/The entry exists, booked as .+Export the item again/);
  }
  expect(unattached.length).toBeLessThanOrEqual(1);
  expect(inLedger.filter((i) => i.status === 'successful' && !i.externalId)).toEqual([]);
  expect(jobItems.filter((i) => i.status === 'successful')).toHaveLength(inLedger.length - unattached.length);
  expect(jobItems.filter((i) => i.status !== 'successful' && i.status !== 'failed')).toEqual([]);
  expect([...booked.values()].every((n) => n === 1)).toBe(true);
  expect([...h.sandbox.itemUpdateCounts(job.id).values()].every((n) => n === 1)).toBe(true);
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'failed']);
  // The workflow failed too (under "Failures" in the Web UI), typed with Pleo's reason.
  const handle = h.env.client.workflow.getHandle(jobWorkflowId(companyId, job.id));
  expect((await handle.describe()).status.name).toBe('FAILED');
  const failure = await handle.result().catch((err: WorkflowFailedError) => err.cause as ApplicationFailure);
  expect(failure.type).toBe('accounting_system_unreachable');
});
