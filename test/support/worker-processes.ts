// Worker processes for pipeline tests: bench/worker-process.ts (the real worker) in its own Node
// process against a harness's Temporal server and sandbox, so a test can SIGKILL it mid-job.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundle } from './temporal';
import type { Harness } from './pipeline-harness';
import type { BenchWorkerSpec } from '../../bench/worker-process';
import type { LedgerConfig } from '../../src/accounting-systems/config';
import { spawnTypeScript } from './processes';

/** Starts a worker process on the spec file; resolves once it polls. Adds it to `workers`. */
export function startWorkerProcess(specFile: string, workers: ChildProcess[]): Promise<ChildProcess> {
  const child = spawnTypeScript('bench/worker-process.ts', [specFile], ['ignore', 'ignore', 'pipe']);
  workers.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('worker ready')) resolve(child);
      else process.stderr.write(text);
    });
  });
}

/** SIGKILLs a worker process (no graceful shutdown) and waits until it is gone. */
export async function killWorker(worker: ChildProcess): Promise<NodeJS.Signals | null> {
  worker.removeAllListeners('exit');
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    worker.once('exit', (_code, signal) => resolve(signal)),
  );
  worker.kill('SIGKILL');
  return exited;
}

/**
 * Writes the spec file worker processes read: this harness's server, sandbox and task queue, the
 * workflow bundle, and the companies with their ledgers (`ledger`: settings every ledger gets).
 */
export async function writeWorkerSpec(
  h: Harness,
  companies: string[],
  metricsPort?: number,
  ledger: Partial<LedgerConfig> = {},
): Promise<string> {
  const bundlePath = join(h.dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await workflowBundle()).code);
  const spec: BenchWorkerSpec = {
    address: h.env.address,
    namespace: h.env.namespace ?? 'default',
    taskQueue: h.taskQueue,
    sandboxUrl: h.sandbox.url,
    bundlePath,
    workDir: join(h.dir, 'receipts'),
    maxConcurrentActivities: 10,
    metricsPort,
    companies: companies.map((companyId) => ({
      companyId,
      apiKey: h.apiKeyOf(companyId),
      accountingSystem: { ...h.ledgerConfig(companyId), ...ledger },
    })),
  };
  const specFile = join(h.dir, 'worker-spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  return specFile;
}
