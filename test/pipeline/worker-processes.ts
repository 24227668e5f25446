// Worker processes for pipeline tests (test/pipeline/worker-process.ts in its own Node process), and
// a free port for their metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundle } from '../support/temporal';
import type { Harness } from './harness';
import type { LedgerConfig } from '../../src/accounting-systems/config';
import type { WorkerProcessSpec } from './worker-process';

/** Starts a worker process on the spec file; resolves once it polls. Adds it to `workers`. */
export function startWorkerProcess(specFile: string, workers: ChildProcess[]): Promise<ChildProcess> {
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

/** SIGKILLs a worker process (no graceful shutdown) and waits until it is gone. */
export async function killWorker(worker: ChildProcess): Promise<NodeJS.Signals | null> {
  worker.removeAllListeners('exit');
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    worker.once('exit', (_code, signal) => resolve(signal)),
  );
  worker.kill('SIGKILL');
  return exited;
}

export function killAll(workers: ChildProcess[]): void {
  for (const worker of workers)
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
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
  const spec: WorkerProcessSpec = {
    address: h.env.address,
    namespace: h.env.namespace ?? 'default',
    taskQueue: h.taskQueue,
    sandboxUrl: h.sandbox.url,
    bundlePath,
    workDir: join(h.dir, 'receipts'),
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
