// A worker in its own Node process for benchmarks and drills: the real worker (src/worker/run.ts) with
// each company's accounting system wrapped in BenchTarget (write log, limits, faults). The spec comes
// as a JSON file (argv[2]). Prints "worker ready" once polling; logs (pino JSON) go to stdout.
import { readFileSync } from 'node:fs';
import { createConnectionRegistry } from '../src/connections';
import { sandboxConnection } from '../src/app/demo';
import { createLogger } from '../src/logging/logger';
import { PleoClient } from '../src/pleo/client';
import { runWorkerProcess } from '../src/worker/run';
import type { AccountingSystemConfig } from '../src/accounting-systems/config';
import type { PleoSandbox } from '../src/sandbox/server';
import { BenchTarget, type TargetFaults } from './target';

export interface BenchWorkerSpec {
  address: string;
  namespace: string;
  taskQueue: string;
  sandboxUrl: string;
  bundlePath: string;
  workDir: string;
  maxConcurrentActivities: number;
  companies: {
    companyId: string;
    apiKey: string;
    accountingSystem: AccountingSystemConfig;
    targetLog: string;
    faults?: TargetFaults;
    /** Talk to Pleo with this OAuth access token instead of the API key. */
    bearerToken?: string;
  }[];
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BenchWorkerSpec;
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
// sandboxConnection only needs the sandbox's base URL; the sandbox lives in the orchestrating process.
const sandbox = { url: spec.sandboxUrl } as PleoSandbox;
const connections = createConnectionRegistry(
  new Map(
    spec.companies.map((c) => {
      const connect = sandboxConnection(sandbox, c, c.accountingSystem, logger);
      return [
        c.companyId,
        async () => {
          const connection = await connect();
          const target = new BenchTarget(connection.accountingSystem, c.targetLog, c.faults);
          const token = c.bearerToken;
          const pleo = token
            ? new PleoClient({
                baseUrl: spec.sandboxUrl,
                auth: { authorizationHeader: async () => `Bearer ${token}` },
                logger,
              })
            : connection.pleo;
          return { ...connection, pleo, accountingSystem: target };
        },
      ];
    }),
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
  worker: { maxConcurrentActivities: spec.maxConcurrentActivities },
  connections,
  logger,
  workDir: spec.workDir,
  bundlePath: spec.bundlePath,
  onRunning: () => process.stderr.write('worker ready\n'),
}).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
