// Everything a benchmark or drill runs against, started on loopback and stopped afterwards: a Temporal
// dev server with a persistent SQLite file (so it can be restarted mid-job), the Pleo sandbox, worker
// processes (bench/worker-process.ts) and one embedded ledger per company. Logs go to files in the run
// folder, so the secrets drill can search them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { startSandbox, type PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { createLogger } from '../../src/logging/logger';
import { triggerCompanyExport } from '../../src/client/trigger';
import { companyWorkflowId, type ExportJobSettings } from '../../src/shared/workflow-api';
import type { AccountingSystemConfig } from '../../src/accounting-systems/config';
import { workflowBundle } from '../../test/support/temporal';
import { freePort } from '../../test/support/ports';
import { ensureDist } from '../../bin/ensure-dist';
import { readTargetEvents, type TargetEvent, type TargetFaults } from '../target';
import type { BenchWorkerSpec } from '../worker-process';

export interface BenchCompany {
  companyId: string;
  apiKey: string;
  ledgerDir: string;
  accountingSystem: AccountingSystemConfig;
  targetLog: string;
  faults?: TargetFaults;
  /** An OAuth access token the worker uses for Pleo instead of the API key. */
  bearerToken?: string;
  /** The target's log so far: every write, violation, uncertain timeout and outage refusal. */
  targetEvents(): TargetEvent[];
}

export interface WorkerHandle {
  child: ChildProcess;
  pid: number;
  exited: Promise<NodeJS.Signals | number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface BenchEnv {
  dir: string;
  logDir: string;
  logger: Logger;
  sandbox: PleoSandbox;
  server: DevServer;
  client: Client;
  taskQueue: string;
  /** Every credential handed out so far (API keys, webhook secrets, tokens): the secrets drill looks for them. */
  secrets: string[];
  addCompany(options?: { accountingSystem?: AccountingSystemConfig; faults?: TargetFaults }): BenchCompany;
  /** Starts a worker process serving the given companies. */
  startWorker(
    companies: BenchCompany[],
    options?: { maxConcurrentActivities?: number },
  ): Promise<WorkerHandle>;
  trigger(companyId: string, settings?: Partial<ExportJobSettings>): Promise<void>;
  /** Waits until the company workflow has nothing left to do. */
  waitCompany(companyId: string): Promise<void>;
  /** Stops the Temporal server and starts it again on the same database file and port. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');
const WORKER_ENTRY = join(ROOT, 'dist', 'bench', 'worker-process.js');

export async function startBenchEnv(name: string): Promise<BenchEnv> {
  if (!ensureDist()) throw new Error('the bench runs compiled workers: install typescript (npm ci)');
  const dir = join(tmpdir(), `pleo-${name}-${process.pid}-${Date.now()}`);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logger = createLogger({ level: 'info' }, createWriteStream(join(logDir, 'orchestrator.log')));
  const dbFile = join(dir, 'temporal.sqlite');
  const port = await freePort();
  let server = await startDevServer({ dbFile, port, logger });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const sandbox = await startSandbox({
    port: 0,
    seed: 'none',
    logger: logger.child({ component: 'sandbox' }),
  });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await workflowBundle()).code);
  const taskQueue = `${name}-${process.pid}`;
  const workers: WorkerHandle[] = [];
  const secrets: string[] = [];
  let workerCount = 0;

  const env: BenchEnv = {
    dir,
    logDir,
    logger,
    sandbox,
    get server() {
      return server;
    },
    client,
    taskQueue,
    secrets,
    addCompany(opts = {}) {
      const company = sandbox.createCompany({ walletCurrency: 'EUR' });
      secrets.push(company.apiKey);
      const ledgerDir = join(dir, 'ledgers', company.id);
      const targetLog = join(dir, 'targets', `${company.id}.jsonl`);
      mkdirSync(join(dir, 'targets'), { recursive: true });
      writeFileSync(targetLog, '');
      return {
        companyId: company.id,
        apiKey: company.apiKey,
        ledgerDir,
        accountingSystem: opts.accountingSystem ?? {
          type: 'ledger',
          dir: ledgerDir,
          fileName: 'ledger.beancount',
          chart: 'demo',
        },
        targetLog,
        faults: opts.faults,
        targetEvents: () => readTargetEvents(readFileSync(targetLog, 'utf8')),
      };
    },
    async startWorker(companies, opts = {}) {
      const n = ++workerCount;
      const spec: BenchWorkerSpec = {
        address: server.address,
        namespace: 'default',
        taskQueue,
        sandboxUrl: sandbox.url,
        bundlePath,
        workDir: join(dir, 'receipts'),
        maxConcurrentActivities: opts.maxConcurrentActivities ?? 20,
        companies: companies.map((c) => ({
          companyId: c.companyId,
          apiKey: c.apiKey,
          accountingSystem: c.accountingSystem,
          targetLog: c.targetLog,
          faults: c.faults,
          bearerToken: c.bearerToken,
        })),
      };
      const specFile = join(dir, `worker-${n}.json`);
      writeFileSync(specFile, JSON.stringify(spec));
      const log = createWriteStream(join(logDir, `worker-${n}.log`));
      // Compiled JavaScript, as production workers run: no TypeScript compiler in the measured process.
      // (BenchTarget loads the sandbox's fault generator through ts-node only when it draws faults.)
      const child = spawn(process.execPath, [WORKER_ENTRY, specFile], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'info' },
      });
      child.stdout!.pipe(log);
      const exited = new Promise<NodeJS.Signals | number | null>((r) =>
        child.once('exit', (code, signal) => r(signal ?? code)),
      );
      await new Promise<void>((ready, fail) => {
        const early = () => fail(new Error(`worker process ${n} exited before it was ready; see ${logDir}`));
        child.once('exit', early);
        child.stderr!.on('data', (chunk: Buffer) => {
          log.write(chunk);
          if (chunk.toString().includes('worker ready')) {
            child.off('exit', early);
            ready();
          }
        });
      });
      const handle: WorkerHandle = {
        child,
        pid: child.pid!,
        exited,
        async kill(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      };
      workers.push(handle);
      return handle;
    },
    async trigger(companyId, settings) {
      await triggerCompanyExport(client, taskQueue, companyId, { source: 'manual' }, settings);
    },
    async waitCompany(companyId) {
      await client.workflow.getHandle(companyWorkflowId(companyId)).result();
    },
    async restartServer() {
      await server.stop();
      server = await startDevServer({ dbFile, port, logger });
    },
    async close() {
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
      await client.connection.close();
      await sandbox.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}
