// A real export with the codec on: the Pleo sandbox, the real workflows and activities, a real ledger.
// The histories the server stores hold no export item identifiers or failure texts in plain text, the
// payloads decode with the keys, and the histories replay with the codec.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTemporal, workflowBundle } from '../support/temporal';
import { startSandbox, type PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { sandboxConnection } from '../../src/app/demo';
import { createConnectionRegistry } from '../../src/connections';
import { createExportWorker } from '../../src/worker/worker';
import { triggerCompanyExport } from '../../src/client/trigger';
import { companyWorkflowId, jobWorkflowId } from '../../src/shared/workflow-api';
import { createDataConverter } from '../../src/codec';
import { replayHistories } from '../../src/cli/commands/replay';
import { createLogger } from '../../src/logging/logger';
import type { AccountingSystemConfig } from '../../src/accounting-systems/config';

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
let env: TestWorkflowEnvironment;
let sandbox: PleoSandbox;
let dir: string;
beforeAll(async () => {
  [env, sandbox] = await Promise.all([startTemporal(), startSandbox({ port: 0, seed: 'none', logger })]);
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-codec-pipeline-'));
});
afterAll(async () => {
  await sandbox?.close();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

async function storedHistory(workflowId: string) {
  const { history } = await env.client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId },
  });
  return history!;
}

function payloadsOf(history: temporal.api.history.v1.IHistory): Payload[] {
  const found: Payload[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
    if (Array.isArray((node as { payloads?: unknown }).payloads))
      found.push(...(node as { payloads: Payload[] }).payloads);
    for (const value of Object.values(node)) walk(value);
  };
  walk(history.events);
  return found;
}

test('export item data never reaches the stored history in plain text; replay works with the codec', async () => {
  const dataConverter = createDataConverter({
    keys: [{ id: 'pipeline', key: randomBytes(32).toString('base64') }],
  })!;
  const company = sandbox.createCompany({ walletCurrency: 'EUR' });
  const items = generateExportItems({
    seed: 'codec',
    count: 8,
    companyId: company.id,
    fileBaseUrl: sandbox.url,
    mix: 'valid',
    // Failures at fixed positions: the failure texts must exist to be searched for in history.
    faults: new Map([
      [2, 'account_unknown'],
      [5, 'lines_not_summing'],
    ]),
  });
  const job = sandbox.createJob(company.id, items);
  const taskQueue = `codec-pipeline-${randomUUID()}`;
  const client = new Client({ connection: env.connection, dataConverter });
  const ledger: AccountingSystemConfig = {
    type: 'ledger',
    dir: join(dir, 'ledger'),
    fileName: 'ledger.beancount',
    chart: 'demo',
  };
  const connections = createConnectionRegistry(
    new Map([
      [
        company.id,
        sandboxConnection(sandbox, { companyId: company.id, apiKey: company.apiKey }, ledger, logger),
      ],
    ]),
  );
  const worker = await createExportWorker({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter,
    deps: { connections, logger, workDir: join(dir, 'receipts'), temporal: { client, taskQueue } },
  });
  await worker.runUntil(async () => {
    await triggerCompanyExport(
      client,
      taskQueue,
      company.id,
      { source: 'manual' },
      { outageBudgetMs: 60_000 },
    );
    await client.workflow.getHandle(companyWorkflowId(company.id)).result();
  });
  await connections.close();
  expect(['completed', 'completed_with_errors']).toContain(sandbox.getJob(job.id).status);

  const jobWorkflow = jobWorkflowId(company.id, job.id);
  const histories = [companyWorkflowId(company.id), jobWorkflow];
  const entryIds = items.map((item) => item.accountingEntryId);
  const failureTexts = sandbox
    .jobItems(job.id)
    .map((i) => (i as { failureReason?: string }).failureReason)
    .filter((t): t is string => !!t && t.length > 12);
  expect(failureTexts.length).toBeGreaterThan(0);

  for (const workflowId of histories) {
    const history = await storedHistory(workflowId);
    const stored = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const secret of [...entryIds, ...failureTexts])
      expect([workflowId, secret, stored.includes(Buffer.from(secret))]).toEqual([workflowId, secret, false]);
  }

  // The identifiers are in the job workflow's payloads: decoding with the keys reveals them.
  const history = await storedHistory(jobWorkflow);
  const decoded = await dataConverter.payloadCodecs![0]!.decode(payloadsOf(history));
  const plain = Buffer.concat(decoded.map((p) => Buffer.from(p.data ?? new Uint8Array())));
  expect(entryIds.filter((id) => plain.includes(Buffer.from(id)))).toEqual(entryIds);

  const bundle = await workflowBundle();
  const reports = await replayHistories(
    await Promise.all(
      histories.map(async (workflowId) => ({ workflowId, history: await storedHistory(workflowId) })),
    ),
    { workflowBundle: bundle, dataConverter },
  );
  expect(reports.map((r) => [r.workflowId, r.ok, r.error])).toEqual(
    histories.map((id) => [id, true, undefined]),
  );
});
