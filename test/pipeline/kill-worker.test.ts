// The worker runs in its own Node process and is killed with SIGKILL in the middle of a job (no
// graceful shutdown, no chance to finish the item it is booking), then started again. The job must
// complete with every export item booked exactly once and reported to Pleo exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateExportItems } from '../../src/sandbox/seed/export-items';
import { documentReference } from '../../src/accounting/core';
import { companyWorkflowId } from '../../src/shared/workflow-api';
import { workflowBundle } from '../support/temporal';
import { startHarness, ledgerReferenceCounts, waitFor, type Harness } from './harness';
import type { WorkerProcessSpec } from './worker-process';

let h: Harness;
const workers: ChildProcess[] = [];
beforeAll(async () => {
  h = await startHarness({ worker: false });
}, 180_000);
afterAll(async () => {
  for (const worker of workers)
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await h?.close();
});

function startWorkerProcess(specFile: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'worker-process.ts'), specFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json') },
    },
  );
  workers.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker ready')) resolve(child);
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
  const bundlePath = join(h.dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await workflowBundle()).code);
  const spec: WorkerProcessSpec = {
    address: h.env.address,
    namespace: h.env.namespace ?? 'default',
    taskQueue: h.taskQueue,
    sandboxUrl: h.sandbox.url,
    bundlePath,
    workDir: join(h.dir, 'receipts'),
    metricsPort: await freePort(),
    companies: [{ companyId, apiKey: h.apiKeyOf(companyId), accountingSystem: h.ledgerConfig(companyId) }],
  };
  const specFile = join(h.dir, 'worker-spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const successful = () => h.sandbox.jobItems(job.id).filter((i) => i.status === 'successful').length;

  const first = await startWorkerProcess(specFile);
  await h.trigger(companyId, { pageSize: 20 });
  await waitFor(() => successful() >= 40, 180_000, 'two pages exported before the kill');
  // The runtime's Prometheus endpoint reports the work done so far.
  const metrics = await (await fetch(`http://127.0.0.1:${spec.metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^temporal_activity_execution_latency\w*\{[^}]*activity_type="exportItem"/m);
  first.removeAllListeners('exit');
  const exited = new Promise((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
  first.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const atKill = successful();
  const bookedAtKill = ledgerReferenceCounts(h.ledgerDir(companyId)).size;
  expect(atKill).toBeLessThan(items.length);

  await startWorkerProcess(specFile);
  await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).result();

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
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
