// The job workflow's orchestration with mocked activities: window, isolation, pacing, payment after
// invoice, final-event rules, outage, cancellation and continue-as-new. Runs on the local dev server
// (the time-skipping test server is not available offline), with settings small enough that real
// timers keep each test within seconds.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyPayloadText, startTemporal, workflowBundle, runHistories } from '../support/temporal';
import { exportJobWorkflow } from '../../src/workflows/export-job';
import type { ExportJobSettings, JobResult } from '../../src/shared/workflow-api';
import { replayHistories } from '../../src/cli/commands/replay';
import { accountUnknown, fakeJob, itemsOf, outage, slowDown, type FakeJob } from './job-fake';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTemporal();
}, 180_000);
afterAll(async () => {
  await env?.teardown();
});

/** The items' exportItem activities in the order the workflow scheduled them, across runs. */
async function scheduledItems(workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const { history } of await runHistories(env.client, workflowId)) {
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name !== 'exportItem') continue;
      const data = scheduled.input?.payloads?.[0]?.data;
      ids.push(
        (JSON.parse(Buffer.from(data!).toString('utf8')) as { accountingEntryId: string }).accountingEntryId,
      );
    }
  }
  return ids;
}

/** The job's runs were made under `patch` (its marker is in a history) and replay as they ran. */
async function expectRunsReplayUnder(workflowId: string, patch: string): Promise<void> {
  const runs = await runHistories(env.client, workflowId);
  expect(runs.some(({ history }) => historyPayloadText(history).includes(patch))).toBe(true);
  const replayed = await replayHistories(
    runs.map(({ runId, history }) => ({ workflowId: `${workflowId}-${runId}`, history })),
    { workflowBundle: await workflowBundle() },
  );
  expect(replayed.filter((r) => !r.ok)).toEqual([]);
}

const BASE: Partial<ExportJobSettings> = { outageBudgetMs: 4_000, heartbeatTimeoutMs: 10_000 };

async function run(
  job: FakeJob,
  settings: Partial<ExportJobSettings>,
  during?: (workflowId: string) => Promise<void>,
): Promise<{ result?: JobResult; error?: unknown; workflowId: string }> {
  const taskQueue = `wf-${randomUUID()}`;
  const workflowId = `job-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: job.activities,
  });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(exportJobWorkflow, {
      taskQueue,
      workflowId,
      args: [{ companyId: 'c1', jobId: 'j1', settings: { ...BASE, ...settings } }],
    });
    await during?.(workflowId);
    try {
      return { result: await handle.result(), workflowId };
    } catch (error) {
      return { error, workflowId };
    }
  });
}

test('a sliding window: never more items in flight than configured, started in listing order', async () => {
  const items = itemsOf(24);
  const job = fakeJob(items, { pageSize: 10, ms: 60 });
  const { result, workflowId } = await run(job, { pageSize: 10, itemsInFlight: 3 });
  expect(result?.outcome.event).toBe('completed');
  expect(job.maxInFlight()).toBe(3);
  expect(await scheduledItems(workflowId)).toEqual(items.map((i) => i.id));
  expect([...job.updateCounts.values()]).toEqual(items.map(() => 1));
  expect(job.events.map((e) => e.event)).toEqual(['started', 'completed']);
}, 60_000);

test("one item's business failure fails it alone, typed with Pleo's reason; the job completes with errors", async () => {
  const items = itemsOf(8);
  const job = fakeJob(items, {
    pageSize: 5,
    exportItem: async (id) => {
      if (id === 'item-002') throw accountUnknown();
    },
  });
  const { result } = await run(job, { pageSize: 5 });
  expect(job.calls.filter((c) => c.id === 'item-002')).toHaveLength(1);
  expect(job.statuses.get('item-002')).toEqual(
    expect.objectContaining({ status: 'failed', failureReasonType: 'account_unknown' }),
  );
  expect([...job.statuses.values()].filter((o) => o.status === 'successful')).toHaveLength(7);
  expect(job.events.at(-1)).toEqual(
    expect.objectContaining({ event: 'completed_with_errors', failureReasonType: expect.any(String) }),
  );
  expect(result?.failedItems).toEqual([
    expect.objectContaining({
      accountingEntryId: 'item-002',
      failureReasonType: 'account_unknown',
      merchant: 'Merchant item-002',
      amount: '10.00',
    }),
  ]);
}, 60_000);

test('a transient error of one item is retried for that item only, then fails it with its reason', async () => {
  const job = fakeJob(itemsOf(4), {
    pageSize: 10,
    exportItem: async (id) => {
      if (id === 'item-001')
        throw ApplicationFailure.create({ message: 'receipt host 503', type: 'receipt_download_failure' });
    },
  });
  await run(job, { pageSize: 10, itemAttempts: 3 });
  expect(job.calls.filter((c) => c.id === 'item-001')).toHaveLength(3);
  expect(job.calls.filter((c) => c.id !== 'item-001')).toHaveLength(3);
  expect(job.statuses.get('item-001')).toEqual(
    expect.objectContaining({ status: 'failed', failureReasonType: 'receipt_download_failure' }),
  );
}, 60_000);

test("writes take slots from the job workflow at the system's declared rate, whatever the window, across runs", async () => {
  const job = fakeJob(itemsOf(8), {
    pageSize: 4,
    ms: 5,
    client: env.client,
    limits: { callsPerSecond: 5, counts: 'writes' },
  });
  const { result, workflowId } = await run(job, { pageSize: 4, pagesPerRun: 1, itemsInFlight: 8 });
  expect(result?.outcome.event).toBe('completed');
  // The limits read at readiness in the first run still pace the second.
  expect((await runHistories(env.client, workflowId)).length).toBe(2);
  const writes = [...job.writes].sort((a, b) => a - b);
  expect(writes).toHaveLength(8);
  // Never 6 within a second (lower bounds only: load can only widen the gaps).
  for (let i = 5; i < writes.length; i++) expect(writes[i]! - writes[i - 5]!).toBeGreaterThanOrEqual(1_000);
}, 60_000);

test('no pacing without a declared rate: items do not ask for slots', async () => {
  const job = fakeJob(itemsOf(4), { pageSize: 10, ms: 5, client: env.client });
  const { result } = await run(job, { pageSize: 10 });
  expect(result?.outcome.event).toBe('completed');
  expect(job.writes).toHaveLength(0);
}, 60_000);

test('a limit on concurrent writes holds the writes, not the window: items prepare side by side', async () => {
  const job = fakeJob(itemsOf(12), {
    pageSize: 20,
    ms: 20,
    writeMs: 300,
    client: env.client,
    limits: { concurrentCalls: 2, callsPerSecond: 40, counts: 'writes' },
  });
  const { result } = await run(job, { pageSize: 20, itemsInFlight: 6 });
  expect(result?.outcome.event).toBe('completed');
  expect(job.writes).toHaveLength(12);
  expect(job.maxWriting()).toBeLessThanOrEqual(2);
  expect(job.maxInFlight()).toBeGreaterThan(2);
}, 60_000);

test("the system's concurrent-call limit narrows the window below the configured one", async () => {
  const job = fakeJob(itemsOf(10), { pageSize: 10, ms: 80, limits: { concurrentCalls: 2, counts: 'calls' } });
  const { result } = await run(job, { pageSize: 10, itemsInFlight: 8 });
  expect(result?.outcome.event).toBe('completed');
  expect(job.maxInFlight()).toBe(2);
}, 60_000);

test("with a declared rate, the system's preferred window holds items waiting for their turn", async () => {
  const job = fakeJob(itemsOf(12), {
    pageSize: 12,
    ms: 80,
    limits: { concurrentCalls: 2, callsPerSecond: 40, counts: 'calls', itemsInFlight: 6 },
  });
  const { result } = await run(job, { pageSize: 12, itemsInFlight: 3 });
  expect(result?.outcome.event).toBe('completed');
  expect(job.maxInFlight()).toBe(6);
}, 60_000);

test('an invoice_payment listed before its invoice waits until the invoice is exported', async () => {
  const items = [
    { id: 'pay-1', date: '2026-03-01', type: 'invoice_payment', invoiceNumber: 'INV-7' },
    ...itemsOf(3),
    { id: 'inv-7', date: '2026-03-02', type: 'invoice', invoiceNumber: 'INV-7' },
  ];
  const job = fakeJob(items, { pageSize: 2 });
  const { result } = await run(job, { pageSize: 2, itemsInFlight: 4 });
  expect(result?.outcome.event).toBe('completed');
  const call = (id: string) => job.calls.find((c) => c.id === id)!;
  expect(call('pay-1').start).toBeGreaterThanOrEqual(call('inv-7').end);
}, 60_000);

test('an update Pleo refuses twice counts as failed: completed_with_errors, never completed', async () => {
  const job = fakeJob(itemsOf(3), { pageSize: 10, refuse: new Map([['item-001', 5]]) });
  const { result } = await run(job, { pageSize: 10 });
  // Left open in Pleo after two refusals: failed before the final event, so every item is final.
  expect(job.statuses.get('item-001')).toEqual(
    expect.objectContaining({ status: 'failed', failureReasonType: 'unexpected_failure' }),
  );
  expect(job.events.at(-1)?.event).toBe('completed_with_errors');
  expect(result?.outcome.event).toBe('completed_with_errors');
  expect([result?.successful, result?.failed]).toEqual([2, 1]);
}, 60_000);

test('a failed item whose update Pleo refuses twice is listed and counted once, with both reasons', async () => {
  const job = fakeJob(itemsOf(4), {
    pageSize: 10,
    refuse: new Map([['item-001', 5]]),
    exportItem: async (id) => {
      if (id === 'item-001') throw accountUnknown();
    },
  });
  const { result } = await run(job, { pageSize: 10 });
  expect(result?.failed).toBe(1);
  expect(result?.successful).toBe(3);
  expect(result?.failedItems).toEqual([
    expect.objectContaining({
      accountingEntryId: 'item-001',
      failureReasonType: 'unexpected_failure',
      failureReason: expect.stringMatching(/Pleo refused .*It had failed: Account No\. 9999/),
      merchant: 'Merchant item-001',
    }),
  ]);
}, 60_000);

test('failure reasons that tie name the job outcome the same way whatever order the items failed in', async () => {
  const reasons = ['tax_code_unknown', 'unexpected_failure', 'account_unknown'];
  const outcomeOf = async (order: string[]) => {
    const job = fakeJob(itemsOf(5), {
      pageSize: 10,
      exportItem: async (id) => {
        const reason = order[Number(id.slice(-1))];
        if (reason) throw ApplicationFailure.create({ message: reason, type: reason, nonRetryable: true });
      },
    });
    await run(job, { pageSize: 10, itemsInFlight: 1 });
    return job.events.at(-1);
  };
  const first = await outcomeOf(reasons);
  const second = await outcomeOf([...reasons].reverse());
  // A specific reason before unexpected_failure; ties named together, in one order.
  expect(first).toEqual(
    expect.objectContaining({
      event: 'completed_with_errors',
      failureReasonType: 'validation_failure',
      failureReason: expect.stringContaining(
        'mostly account unknown, tax code unknown and unexpected failure',
      ),
    }),
  );
  expect(second).toEqual(first);
}, 60_000);

test('an outage pauses the window and probes; past the budget the job fails with its reason', async () => {
  const job = fakeJob(itemsOf(6), {
    pageSize: 10,
    exportItem: async (id) => {
      if (id >= 'item-002') throw outage();
    },
    probe: async () => {
      throw outage();
    },
  });
  const { error } = await run(job, { pageSize: 10, itemsInFlight: 1, outageBudgetMs: 3_000 });
  // The workflow fails, after the final event, typed with Pleo's reason.
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(
    'accounting_system_unreachable',
  );
  expect(job.events.at(-1)).toEqual(
    expect.objectContaining({ event: 'failed', failureReasonType: 'accounting_system_unreachable' }),
  );
  // Paused: item-002 was tried once, the items after it never started.
  expect(job.calls.map((c) => c.id)).toEqual(['item-000', 'item-001', 'item-002']);
  expect([...job.statuses.values()].filter((o) => o.status === 'failed')).toHaveLength(4);
}, 60_000);

test('an accounting system that only ever answers 429 fails the job after the outage budget, not never', async () => {
  const job = fakeJob(itemsOf(4), {
    pageSize: 10,
    exportItem: async () => {
      throw slowDown();
    },
  });
  const { error } = await run(job, { pageSize: 10, itemsInFlight: 2, outageBudgetMs: 3_000 });
  expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(
    'accounting_system_rate_limit',
  );
  expect(job.events.at(-1)).toEqual(
    expect.objectContaining({ event: 'failed', failureReasonType: 'accounting_system_rate_limit' }),
  );
  expect([...job.statuses.values()].filter((o) => o.status === 'failed')).toHaveLength(4);
}, 60_000);

test('an outage that ends resumes the window: every item successful', async () => {
  let down = true;
  setTimeout(() => (down = false), 1_500);
  const job = fakeJob(itemsOf(5), {
    pageSize: 10,
    exportItem: async () => {
      if (down) throw outage();
    },
    probe: async () => {
      if (down) throw outage();
    },
  });
  const { result } = await run(job, { pageSize: 10, outageBudgetMs: 30_000 });
  expect(result?.outcome.event).toBe('completed');
  expect([...job.updateCounts.values()]).toEqual([1, 1, 1, 1, 1]);
}, 60_000);

test('cancellation lets items in flight finish, then fails the rest and the job with canceled_by_user', async () => {
  const job = fakeJob(itemsOf(20), { pageSize: 10, ms: 400 });
  const { error } = await run(job, { pageSize: 10, itemsInFlight: 2 }, async (workflowId) => {
    while (job.calls.length < 3) await new Promise((r) => setTimeout(r, 50));
    await env.client.workflow.getHandle(workflowId).cancel();
  });
  expect(error).toBeInstanceOf(WorkflowFailedError);
  // Every item that started finished and was reported successful; none was left open.
  const started = new Set(job.calls.map((c) => c.id));
  expect(job.calls.every((c) => c.end > 0)).toBe(true);
  for (const id of started) expect(job.statuses.get(id)?.status).toBe('successful');
  expect(job.statuses.size).toBe(20);
  expect(job.events.at(-1)).toEqual(
    expect.objectContaining({ event: 'failed', failureReasonType: 'canceled_by_user' }),
  );
}, 60_000);

test('outcomes go to Pleo in full updates while items keep finishing together', async () => {
  // A window of 20 with equal durations: items finish in groups, as under a ledger's group commit.
  const items = itemsOf(130);
  const job = fakeJob(items, { pageSize: 100, ms: 40 });
  const { result, workflowId } = await run(job, { pageSize: 100, itemsInFlight: 20 });
  expect(result?.successful).toBe(130);
  expect([...job.updateCounts.values()]).toEqual(items.map(() => 1));
  // 50 + 50 + the last 30 once nothing more can start (a report per group would be about 7).
  expect(job.reports.map((r) => r.size)).toEqual([50, 50, 30]);
  await expectRunsReplayUnder(workflowId, 'reports-in-full-updates');
}, 60_000);

test('outcomes of slowly finishing items are not held back longer than reportAfterMs', async () => {
  const items = itemsOf(12);
  const job = fakeJob(items, { pageSize: 100, ms: 300 });
  await run(job, { pageSize: 100, itemsInFlight: 1, reportAfterMs: 1_000 });
  expect([...job.updateCounts.values()]).toEqual(items.map(() => 1));
  // 12 items one after another take at least 3.6 s: an update goes at least every second or so.
  expect(job.reports.length).toBeGreaterThanOrEqual(3);
  const lastEnd = Math.max(...job.calls.map((c) => c.end));
  expect(job.reports[0]!.at).toBeLessThan(lastEnd - 1_000);
}, 60_000);

test('continue-as-new every few pages: one run per pagesPerRun pages, each item exported and reported once', async () => {
  const items = itemsOf(12);
  const job = fakeJob(items, { pageSize: 3 });
  const { result, workflowId } = await run(job, { pageSize: 3, pagesPerRun: 2 });
  expect(result?.outcome.event).toBe('completed');
  expect(result?.successful).toBe(12);
  expect((await runHistories(env.client, workflowId)).length).toBe(2);
  expect(await scheduledItems(workflowId)).toEqual(items.map((i) => i.id));
  expect([...job.updateCounts.values()]).toEqual(items.map(() => 1));
}, 60_000);

test('payments held back to the end still start a run’s share at a time: no run grows with the job', async () => {
  // Every third item pays an invoice that is not in the job: held back until the last page is listed.
  const items = itemsOf(18).map((item, i) =>
    i % 3 === 0 ? { ...item, type: 'invoice_payment', invoiceNumber: `INV-${i}` } : item,
  );
  const job = fakeJob(items, { pageSize: 3 });
  const { result, workflowId } = await run(job, { pageSize: 3, pagesPerRun: 1 });
  expect(result?.outcome.event).toBe('completed');
  expect(result?.successful).toBe(18);
  const runs = await runHistories(env.client, workflowId);
  const perRun = runs.map(
    ({ history }) =>
      (history.events ?? []).filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'exportItem',
      ).length,
  );
  expect(Math.max(...perRun)).toBeLessThanOrEqual(3);
  expect(perRun.reduce((a, b) => a + b, 0)).toBe(18);
  const payments = items.filter((i) => i.type === 'invoice_payment').map((i) => i.id);
  // The first five runs list a page each and start its two other items; the payments wait for the last page.
  const order = await scheduledItems(workflowId);
  expect(order.slice(0, 10).filter((id) => payments.includes(id))).toEqual([]);
  expect(order.sort()).toEqual(items.map((i) => i.id));
  expect([...job.updateCounts.values()]).toEqual(items.map(() => 1));
  await expectRunsReplayUnder(workflowId, 'bounded-starts-per-run');
}, 60_000);
