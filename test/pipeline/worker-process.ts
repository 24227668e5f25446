// A worker in its own Node process, for the kill-the-worker test: the real worker (src/worker/run.ts)
// against the test's Temporal server and sandbox, with the companies and ledgers named in a JSON spec
// file (argv[2]). Prints "worker ready" once polling.
import { readFileSync } from 'node:fs';
import { createConnectionRegistry } from '../../src/connections';
import { sandboxConnection } from '../../src/app/demo';
import { createLogger } from '../../src/logging/logger';
import { runWorkerProcess } from '../../src/worker/run';
import type { AccountingSystemConfig } from '../../src/accounting-systems/config';
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';

export interface WorkerProcessSpec {
  address: string;
  namespace: string;
  taskQueue: string;
  sandboxUrl: string;
  bundlePath: string;
  workDir: string;
  /** Prometheus metrics of the worker's Temporal runtime on 127.0.0.1:<port>. */
  metricsPort?: number;
  companies: { companyId: string; apiKey: string; accountingSystem: AccountingSystemConfig }[];
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as WorkerProcessSpec;
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
// sandboxConnection only needs the sandbox's base URL; the sandbox itself lives in the test process.
const sandbox = { url: spec.sandboxUrl } as PleoSandbox;
const connections = createConnectionRegistry(
  new Map(
    spec.companies.map((c) => [c.companyId, sandboxConnection(sandbox, c, c.accountingSystem, logger)]),
  ),
);
runWorkerProcess({
  temporal: {
    address: spec.address,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    startDevServer: false,
    uiPort: 8233,
  },
  worker: { maxConcurrentActivities: 10, metricsPort: spec.metricsPort },
  connections,
  logger,
  workDir: spec.workDir,
  bundlePath: spec.bundlePath,
  onRunning: () => process.stdout.write('worker ready\n'),
}).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
