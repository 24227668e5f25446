// Shared set-up for end-to-end pipeline tests: a real Temporal server, the Pleo sandbox over HTTP, the
// embedded ledger in a temp folder, and a worker running the real workflows and activities.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { startTemporal, workflowBundle } from '../support/temporal';
import { startSandbox, type PleoSandbox } from '../../src/sandbox/server';
import { createConnectionRegistry, type ConnectionRegistry } from '../../src/connections';
import { sandboxConnection } from '../../src/app/demo';
import { createExportWorker } from '../../src/worker/worker';
import { createLogger } from '../../src/logging/logger';
import { triggerCompanyExport } from '../../src/client/trigger';
import { companyWorkflowId, type ExportJobSettings } from '../../src/shared/workflow-api';
import type { AccountingSystemConfig } from '../../src/accounting-systems/config';

export const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });

export interface Harness {
  env: TestWorkflowEnvironment;
  sandbox: PleoSandbox;
  dir: string;
  taskQueue: string;
  connections: ConnectionRegistry;
  worker: Worker;
  settings: Partial<ExportJobSettings>;
  /** Adds a sandbox company booked into its own ledger folder; returns its id. */
  addCompany(accountingSystem?: AccountingSystemConfig): string;
  ledgerConfig(companyId: string): AccountingSystemConfig;
  /** Triggers the company workflow and waits until it has nothing left to do. */
  exportNow(companyId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: { settings?: Partial<ExportJobSettings> } = {}): Promise<Harness> {
  const env = await startTemporal();
  const sandbox = await startSandbox({ port: 0, seed: 'none', logger });
  const dir = mkdtempSync(join(tmpdir(), 'pleo-export-pipeline-'));
  const taskQueue = `pipeline-${process.pid}-${Date.now()}`;
  const factories = new Map();
  const connections = createConnectionRegistry(factories);
  const ledgerConfig = (companyId: string) =>
    ({ type: 'ledger', dir: join(dir, 'ledgers', companyId) }) as AccountingSystemConfig;
  const worker = await createExportWorker({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    deps: { connections, logger, workDir: join(dir, 'receipts'), temporal: { client: env.client, taskQueue } },
  });
  const running = worker.run();
  const settings = { outageBudgetMs: 60_000, ...options.settings };
  return {
    env,
    sandbox,
    dir,
    taskQueue,
    connections,
    worker,
    settings,
    ledgerConfig,
    addCompany(accountingSystem) {
      const company = sandbox.createCompany({ walletCurrency: 'EUR' });
      factories.set(
        company.id,
        sandboxConnection(sandbox, { companyId: company.id, apiKey: company.apiKey }, accountingSystem ?? ledgerConfig(company.id), logger),
      );
      return company.id;
    },
    async exportNow(companyId) {
      await triggerCompanyExport(env.client, taskQueue, companyId, { source: 'manual' }, settings);
      await env.client.workflow.getHandle(companyWorkflowId(companyId)).result();
    },
    async close() {
      worker.shutdown();
      await running;
      await connections.close();
      await sandbox.close();
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
