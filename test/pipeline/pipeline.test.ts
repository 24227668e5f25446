// End to end on real parts: Temporal dev server, the Pleo sandbox over HTTP, the embedded ledger.
// Assertions read outcomes where they live: item statuses and job events in the sandbox, entries in
// the ledger (through the adapter's own lookup and bean-check over the written files).
import { expectedFailure } from '@pleo-export/pleo-sandbox/seed/export-items';
import { createAccountingSystem } from '../../src/accounting-systems/registry';
import { documentReference } from '../../src/accounting/core';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { upsertPollSchedule } from '../../src/client/schedules';
import { companyWorkflowId, jobWorkflowId, pollScheduleId } from '../../src/shared/workflow-api';
import { useHarness, logger, ledgerReferenceCounts, waitFor } from '../support/pipeline-harness';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { deliverSigned } from '../support/webhooks';
import type { AccountingSystemConfig } from '../../src/accounting-systems/config';
import { join } from 'node:path';

const h = useHarness();

async function ledgerEntryIds(companyId: string, accountingEntryIds: string[]): Promise<string[]> {
  const ledger = await createAccountingSystem(h.ledgerConfig(companyId), { logger });
  try {
    const found: string[] = [];
    for (const id of accountingEntryIds) {
      if (await ledger.findByReference(documentReference(id, 'main'))) found.push(id);
    }
    return found;
  } finally {
    await ledger.close();
  }
}

async function beanCheckAll(companyId: string): Promise<string[]> {
  const dir = h.ledgerDir(companyId);
  const files = readdirSync(dir).filter((f) => f.endsWith('.beancount'));
  expect(files.length).toBeGreaterThan(0);
  const errors: string[] = [];
  for (const file of files)
    errors.push(...(await runBeanCheck(join(dir, file))).map((e) => `${file}: ${e.message ?? e}`));
  return errors;
}

test('a job mixing every export item type is booked once per item and completed', async () => {
  const companyId = h.addCompany();
  const items = h.exportItems(companyId, 'happy', 120);
  expect(new Set(items.map((i) => i.type)).size).toBe(17);
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId);

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  const jobItems = h.sandbox.jobItems(job.id);
  expect(jobItems.filter((i) => i.status === 'successful')).toHaveLength(items.length);
  expect(jobItems.every((i) => i.externalId)).toBe(true);
  expect([...h.sandbox.itemUpdateCounts(job.id).values()].every((n) => n === 1)).toBe(true);
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'completed']);
  expect(
    await ledgerEntryIds(
      companyId,
      items.map((i) => i.accountingEntryId),
    ),
  ).toHaveLength(items.length);
  expect(await beanCheckAll(companyId)).toEqual([]);
});

test('items that cannot be booked fail alone with their own reason; the job completes with errors', async () => {
  const companyId = h.addCompany();
  const items = h.exportItems(companyId, 'partial', 200, { mix: 'all' });
  const expected = new Map(items.map((i) => [i.accountingEntryId, expectedFailure(i)]));
  expect([...expected.values()].filter(Boolean).length).toBeGreaterThan(0);
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId);

  expect(h.sandbox.getJob(job.id).status).toBe('completed_with_errors');
  for (const item of h.sandbox.jobItems(job.id)) {
    const reason = expected.get(item.accountingEntryId);
    if (reason) {
      expect({ id: item.accountingEntryId, status: item.status, reason: item.failureReasonType }).toEqual({
        id: item.accountingEntryId,
        status: 'failed',
        reason,
      });
      expect(item.failureReason?.length).toBeGreaterThan(20);
    } else {
      expect({ id: item.accountingEntryId, status: item.status }).toEqual({
        id: item.accountingEntryId,
        status: 'successful',
      });
    }
  }
  const failedIds = items.filter((i) => expected.get(i.accountingEntryId)).map((i) => i.accountingEntryId);
  expect(await ledgerEntryIds(companyId, failedIds)).toEqual([]);
  expect(await beanCheckAll(companyId)).toEqual([]);
});

test('two jobs of one company run one after the other, oldest first', async () => {
  const companyId = h.addCompany();
  const older = h.sandbox.createJob(companyId, h.exportItems(companyId, 'older', 30), {
    createdAt: '2026-01-01T09:00:00Z',
  });
  // Pleo allows one unfinished job per company; the sandbox models a second export made meanwhile.
  const newer = h.sandbox.createJob(companyId, h.exportItems(companyId, 'newer', 30), {
    createdAt: '2026-01-01T10:00:00Z',
    allowConcurrent: true,
  });

  await h.exportNow(companyId);

  const olderEvents = h.sandbox.jobEvents(older.id);
  const newerEvents = h.sandbox.jobEvents(newer.id);
  expect(olderEvents.map((e) => e.event)).toEqual(['started', 'completed']);
  expect(newerEvents.map((e) => e.event)).toEqual(['started', 'completed']);
  expect(olderEvents[1]!.at <= newerEvents[0]!.at).toBe(true);
});

test('a scheduled poll finds and exports a job', async () => {
  const companyId = h.addCompany();
  const job = h.sandbox.createJob(companyId, h.exportItems(companyId, 'scheduled', 10));
  await upsertPollSchedule(h.env.client, { companyId, taskQueue: h.taskQueue, every: '1 hour' });
  const schedule = h.env.client.schedule.getHandle(pollScheduleId(companyId));
  await schedule.trigger();
  try {
    await waitFor(() => h.sandbox.getJob(job.id).status === 'completed', 120_000, 'scheduled job completed');
  } finally {
    await schedule.delete();
  }
  expect(h.sandbox.jobItems(job.id).every((i) => i.status === 'successful')).toBe(true);
});

test('a job whose accounting system is not ready fails before any item is written', async () => {
  // The ledger folder lies under a regular file: checkReady reports it unreachable, which is retried
  // (an outage) until the outage budget is spent, then the job fails with that reason.
  const blocker = join(h.dir, 'not-a-folder');
  writeFileSync(blocker, '');
  const ledger: AccountingSystemConfig = {
    type: 'ledger',
    dir: join(blocker, 'ledger'),
    fileName: 'ledger.beancount',
  };
  const companyId = h.addCompany(ledger);
  const items = h.exportItems(companyId, 'not-ready', 15);
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId, { outageBudgetMs: 5_000 });

  const finished = h.sandbox.getJob(job.id);
  expect({ status: finished.status, reason: finished.failureReasonType }).toEqual({
    status: 'failed',
    reason: 'accounting_system_unreachable',
  });
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'failed']);
  expect(
    h.sandbox
      .jobItems(job.id)
      .every((i) => i.status === 'failed' && i.failureReasonType === 'accounting_system_unreachable'),
  ).toBe(true);
  expect(existsSync(ledger.dir)).toBe(false);
});

test('a webhook starts the export without waiting for the schedule', async () => {
  const receiver = await h.startReceiver();
  const companyId = h.addCompany();
  receiver.trust(
    companyId,
    h.sandbox.addSubscription(companyId, receiver.url, ['v1.export-job.created']).secret,
  );
  const items = h.exportItems(companyId, 'webhook', 12);

  const job = h.sandbox.createJob(companyId, items); // the sandbox delivers the signed event
  await waitFor(
    () => h.sandbox.getJob(job.id).status === 'completed',
    120_000,
    'webhook-triggered job completed',
  );

  expect(h.sandbox.jobItems(job.id).every((i) => i.status === 'successful')).toBe(true);
  const trigger = await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).fetchHistory();
  const signals = trigger.events
    ?.filter((e) => e.workflowExecutionSignaledEventAttributes)
    .map((e) => e.workflowExecutionSignaledEventAttributes);
  expect(signals?.length).toBeGreaterThan(0);
});

test('a duplicated webhook and a simultaneous schedule tick process the job once', async () => {
  // Two receiver replicas, each with its own memory of deliveries: the duplicate gets past both and
  // the company workflow (one per company, by ID) is what keeps the job from running twice.
  const [first, second] = [await h.startReceiver(), await h.startReceiver()];
  const companyId = h.addCompany();
  const subscription = h.sandbox.addSubscription(companyId, first.url, ['v1.export-job.created']);
  first.trust(companyId, subscription.secret);
  second.trust(companyId, subscription.secret);
  await upsertPollSchedule(h.env.client, { companyId, taskQueue: h.taskQueue, every: '1 hour' });
  const schedule = h.env.client.schedule.getHandle(pollScheduleId(companyId));
  const items = h.exportItems(companyId, 'duplicate', 40);
  try {
    const job = h.sandbox.createJob(companyId, items);
    await waitFor(
      () => h.sandbox.webhookDeliveries().some((d) => d.companyId === companyId && d.attempts.length > 0),
      30_000,
      'first delivery',
    );
    const delivery = h.sandbox.webhookDeliveries().find((d) => d.companyId === companyId)!;
    // Pleo's retry of the same message: same webhook-id and body, signed again.
    const redeliver = (url: string) =>
      deliverSigned(url, delivery.body, subscription.secret, { webhookId: delivery.webhookId });
    await Promise.all([redeliver(second.url), redeliver(first.url), schedule.trigger()]);

    await waitFor(() => h.sandbox.getJob(job.id).status === 'completed', 120_000, 'job completed');
    await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).result();

    expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'completed']);
    expect(h.timesReportedAndBooked(companyId, job.id, items)).toEqual(items.map(() => [1, 1]));
  } finally {
    await schedule.delete();
  }
});

/** A 400-item job started in small pages, once its first items are exported (to stop it mid-way). */
async function jobUnderWay(seed: string) {
  const companyId = h.addCompany();
  const items = h.exportItems(companyId, seed, 400);
  const job = h.sandbox.createJob(companyId, items);
  await h.trigger(companyId, { pageSize: 10 });
  await waitFor(
    () => h.sandbox.jobItems(job.id).some((i) => i.status === 'successful'),
    120_000,
    'first items exported',
  );
  return { companyId, items, job };
}

test('cancelling a job workflow fails the job in Pleo with canceled_by_user', async () => {
  const { companyId, items, job } = await jobUnderWay('cancel');

  await h.env.client.workflow.getHandle(jobWorkflowId(companyId, job.id)).cancel();
  await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).result();

  const finished = h.sandbox.getJob(job.id);
  expect({ status: finished.status, reason: finished.failureReasonType }).toEqual({
    status: 'failed',
    reason: 'canceled_by_user',
  });
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'failed']);
  // Whatever Pleo shows as exported is really in the ledger, once.
  const booked = ledgerReferenceCounts(h.ledgerDir(companyId));
  const successful = h.sandbox.jobItems(job.id).filter((i) => i.status === 'successful');
  expect(successful.length).toBeLessThan(items.length);
  expect(successful.map((i) => booked.get(documentReference(i.accountingEntryId, 'main')))).toEqual(
    successful.map(() => 1),
  );
});

test('a terminated job workflow does not leave the job in_progress', async () => {
  const { companyId, job } = await jobUnderWay('terminate');

  await h.env.client.workflow.getHandle(jobWorkflowId(companyId, job.id)).terminate('operator stopped it');
  await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).result();

  const finished = h.sandbox.getJob(job.id);
  expect(finished.status).toBe('failed');
  expect(finished.failureReasonType).toBe('integration_unusable');
  expect(
    h.sandbox.jobItems(job.id).filter((i) => i.status === 'pending' || i.status === 'in_progress'),
  ).toEqual([]);
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'failed']);
});
