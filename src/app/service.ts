// The running service: Temporal worker, webhook receiver and polling schedules for every configured
// company. Used by `npm start` (demo or real) and by the operator CLI.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/schema';
import type { ConnectionRegistry } from '../connections';
import { connectClient, connectWorker } from '../temporal/connection';
import { createExportWorker } from '../worker/worker';
import { createWebhookReceiver, WEBHOOK_PATH } from '../webhooks/receiver';
import { triggerCompanyExport } from '../client/trigger';
import { upsertPollSchedule } from '../client/schedules';
import type { ExportJobSettings } from '../shared/workflow-api';

export interface RunningService {
  client: Client;
  worker: Worker;
  webhookUrl: string;
  /** Settings every company workflow started by this service uses. */
  jobSettings: Partial<ExportJobSettings>;
  checkNow(companyId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startService(options: {
  config: AppConfig;
  connections: ConnectionRegistry;
  webhookSecretFor(companyId: string): string | undefined;
  logger: Logger;
  /** Create or update each company's polling schedule (off in tests that drive triggers themselves). */
  schedules?: boolean;
}): Promise<RunningService> {
  const { config, connections, logger } = options;
  const taskQueue = config.temporal.taskQueue;
  const jobSettings: Partial<ExportJobSettings> = { outageBudgetMs: config.worker.outageBudgetMinutes * 60_000 };
  const client = await connectClient(config.temporal);
  const workDir = join(config.dataDir, 'receipts-in-transit');
  mkdirSync(workDir, { recursive: true });

  const worker = await createExportWorker({
    connection: await connectWorker(config.temporal),
    namespace: config.temporal.namespace,
    taskQueue,
    deps: { connections, logger: logger.child({ component: 'activities' }), workDir, temporal: { client, taskQueue } },
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
  });
  const workerRun = worker.run();

  const trigger = async (companyId: string, source: 'webhook' | 'manual', jobId?: string) => {
    await triggerCompanyExport(client, taskQueue, companyId, { source, jobId }, jobSettings);
  };
  const receiver = createWebhookReceiver({
    secretFor: options.webhookSecretFor,
    trigger: (companyId, signal) => trigger(companyId, 'webhook', signal.jobId),
    logger: logger.child({ component: 'webhooks' }),
    toleranceSeconds: config.webhook.toleranceSeconds,
  });
  const address = await receiver.listen({ host: config.webhook.host, port: config.webhook.port });
  const webhookUrl = `${address}${WEBHOOK_PATH}`;

  if (options.schedules !== false) {
    for (const companyId of connections.companyIds()) {
      await upsertPollSchedule(client, { companyId, taskQueue, every: config.worker.pollEvery as Duration });
    }
  }
  logger.info({ webhookUrl, taskQueue, companies: connections.companyIds().length }, 'export service running');

  return {
    client,
    worker,
    webhookUrl,
    jobSettings,
    checkNow: (companyId) => trigger(companyId, 'manual'),
    async stop() {
      await receiver.close();
      worker.shutdown();
      await workerRun;
      await connections.close();
      await client.connection.close();
    },
  };
}
