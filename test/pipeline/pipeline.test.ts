// End to end on real parts: Temporal dev server, the Pleo sandbox over HTTP, the embedded ledger.
// Assertions read outcomes where they live: item statuses and job events in the sandbox, entries in
// the ledger (through the adapter's own lookup and bean-check over the written files).
import { generateExportItems, expectedFailure } from '../../src/sandbox/seed/export-items';
import { createAccountingSystem } from '../../src/accounting-systems/registry';
import { documentReference } from '../../src/accounting/core';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { upsertPollSchedule } from '../../src/client/schedules';
import { pollScheduleId } from '../../src/shared/workflow-api';
import { startHarness, logger, type Harness } from './harness';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

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
  const dir = h.ledgerConfig(companyId) as { dir: string };
  const files = readdirSync(dir.dir).filter((f) => f.endsWith('.beancount'));
  expect(files.length).toBeGreaterThan(0);
  const errors: string[] = [];
  for (const file of files) errors.push(...(await runBeanCheck(join(dir.dir, file))).map((e) => `${file}: ${e.message ?? e}`));
  return errors;
}

test('a job mixing every export item type is booked once per item and completed', async () => {
  const companyId = h.addCompany();
  const items = generateExportItems({ seed: 'happy', count: 120, companyId, fileBaseUrl: h.sandbox.url, mix: 'valid' });
  expect(new Set(items.map((i) => i.type)).size).toBe(17);
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId);

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  const jobItems = h.sandbox.jobItems(job.id);
  expect(jobItems.filter((i) => i.status === 'successful')).toHaveLength(items.length);
  expect(jobItems.every((i) => i.externalId)).toBe(true);
  expect([...h.sandbox.itemUpdateCounts(job.id).values()].every((n) => n === 1)).toBe(true);
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'completed']);
  expect(await ledgerEntryIds(companyId, items.map((i) => i.accountingEntryId))).toHaveLength(items.length);
  expect(await beanCheckAll(companyId)).toEqual([]);
});

test('items that cannot be booked fail alone with their own reason; the job completes with errors', async () => {
  const companyId = h.addCompany();
  const items = generateExportItems({ seed: 'partial', count: 200, companyId, fileBaseUrl: h.sandbox.url, mix: 'all' });
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
      expect({ id: item.accountingEntryId, status: item.status }).toEqual({ id: item.accountingEntryId, status: 'successful' });
    }
  }
  const failedIds = items.filter((i) => expected.get(i.accountingEntryId)).map((i) => i.accountingEntryId);
  expect(await ledgerEntryIds(companyId, failedIds)).toEqual([]);
  expect(await beanCheckAll(companyId)).toEqual([]);
});

test('two jobs of one company run one after the other, oldest first', async () => {
  const companyId = h.addCompany();
  const older = h.sandbox.createJob(
    companyId,
    generateExportItems({ seed: 'older', count: 30, companyId, fileBaseUrl: h.sandbox.url, mix: 'valid' }),
    { createdAt: '2026-01-01T09:00:00Z' },
  );
  // Pleo allows one unfinished job per company; the sandbox models a second export made meanwhile.
  const newer = h.sandbox.createJob(
    companyId,
    generateExportItems({ seed: 'newer', count: 30, companyId, fileBaseUrl: h.sandbox.url, mix: 'valid' }),
    { createdAt: '2026-01-01T10:00:00Z' },
  );

  await h.exportNow(companyId);

  const olderEvents = h.sandbox.jobEvents(older.id);
  const newerEvents = h.sandbox.jobEvents(newer.id);
  expect(olderEvents.map((e) => e.event)).toEqual(['started', 'completed']);
  expect(newerEvents.map((e) => e.event)).toEqual(['started', 'completed']);
  expect(olderEvents[1]!.at <= newerEvents[0]!.at).toBe(true);
});

test('a scheduled poll finds and exports a job', async () => {
  const companyId = h.addCompany();
  const job = h.sandbox.createJob(
    companyId,
    generateExportItems({ seed: 'scheduled', count: 10, companyId, fileBaseUrl: h.sandbox.url, mix: 'valid' }),
  );
  await upsertPollSchedule(h.env.client, { companyId, taskQueue: h.taskQueue, every: '1 hour' });
  const schedule = h.env.client.schedule.getHandle(pollScheduleId(companyId));
  await schedule.trigger();
  try {
    await waitFor(() => h.sandbox.getJob(job.id).status === 'completed');
  } finally {
    await schedule.delete();
  }
  expect(h.sandbox.jobItems(job.id).every((i) => i.status === 'successful')).toBe(true);
});

export async function waitFor(condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
