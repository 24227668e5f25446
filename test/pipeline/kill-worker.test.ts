// The worker runs in its own Node process and is killed with SIGKILL in the middle of a job (no
// graceful shutdown, no chance to finish the item it is booking), then started again. The job must
// complete with every export item booked exactly once and reported to Pleo exactly once.
import type { ChildProcess } from 'node:child_process';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { documentReference } from '../../src/accounting/core';
import { companyWorkflowId } from '../../src/shared/workflow-api';
import { startHarness, ledgerReferenceCounts, waitFor, type Harness } from './harness';
import { freePort, killAll, killWorker, startWorkerProcess, writeWorkerSpec } from './worker-processes';

let h: Harness;
const workers: ChildProcess[] = [];
beforeAll(async () => {
  h = await startHarness({ worker: false });
}, 180_000);
afterAll(async () => {
  killAll(workers);
  await h?.close();
});

test('a worker killed with SIGKILL mid-job is restarted and the job completes, each item booked once', async () => {
  const companyId = h.addCompany();
  const items = generateExportItems({
    seed: 'sigkill',
    count: 300,
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  });
  const job = h.sandbox.createJob(companyId, items);
  const metricsPort = await freePort();
  const specFile = await writeWorkerSpec(h, [companyId], metricsPort);
  const successful = () => h.sandbox.jobItems(job.id).filter((i) => i.status === 'successful').length;

  const first = await startWorkerProcess(specFile, workers);
  await h.trigger(companyId, { pageSize: 20 });
  await waitFor(() => successful() >= 40, 180_000, 'two pages exported before the kill');
  // The runtime's Prometheus endpoint reports the work done so far.
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^temporal_activity_execution_latency\w*\{[^}]*activity_type="exportItem"/m);
  expect(await killWorker(first)).toBe('SIGKILL');
  const atKill = successful();
  const bookedAtKill = ledgerReferenceCounts(h.ledgerDir(companyId)).size;
  expect(atKill).toBeLessThan(items.length);

  await startWorkerProcess(specFile, workers);
  await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).result();

  const finished = h.sandbox.getJob(job.id);
  expect([finished.status, finished.failureReasonType, finished.failureReason]).toEqual([
    'completed',
    undefined,
    null,
  ]);
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'completed']);
  const updates = h.sandbox.itemUpdateCounts(job.id);
  expect(items.map((i) => updates.get(i.accountingEntryId) ?? 0)).toEqual(items.map(() => 1));
  const booked = ledgerReferenceCounts(h.ledgerDir(companyId));
  expect(items.map((i) => booked.get(documentReference(i.accountingEntryId, 'main')) ?? 0)).toEqual(
    items.map(() => 1),
  );
  process.stdout.write(
    `SIGKILL drill: killed with ${atKill}/${items.length} items reported and ${bookedAtKill} documents in the ledger; job completed after restart\n`,
  );
}, 300_000);
