// The running service: Temporal worker, webhook receiver and polling schedules for every configured
// company. Used by `npm start` (demo or real) and by the operator CLI, which also runs the webhook
// receiver on its own (`pleo-export webhook`) so it can scale separately from workers.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/schema';
import type { ConnectionRegistry } from '../connections';
import { connectClient, connectWorker } from '../temporal/connection';
import { createExportWorker, prebuiltBundle } from '../worker/worker';
import { createWebhookReceiver, WEBHOOK_PATH } from '../webhooks/receiver';
import { triggerCompanyExport } from '../client/trigger';
import { upsertPollSchedule } from '../client/schedules';
import { createDataConverter } from '../codec';
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

export interface RunningReceiver {
  webhookUrl: string;
  close(): Promise<void>;
}

export const jobSettingsOf = (config: AppConfig): Partial<ExportJobSettings> => ({
  outageBudgetMs: config.worker.outageBudgetMinutes * 60_000,
});

/** The webhook receiver: verified deliveries start or signal the company's export workflow. */
export async function startWebhookReceiver(options: {
  config: AppConfig;
  client: Client;
  webhookSecretFor(companyId: string): string | undefined;
  logger: Logger;
}): Promise<RunningReceiver> {
  const { config, client } = options;
  const receiver = createWebhookReceiver({
    secretFor: options.webhookSecretFor,
    trigger: async (companyId, signal) => {
      await triggerCompanyExport(
        client,
        config.temporal.taskQueue,
        companyId,
        { source: 'webhook', jobId: signal.jobId },
        jobSettingsOf(config),
      );
    },
    logger: options.logger.child({ component: 'webhooks' }),
    toleranceSeconds: config.webhook.toleranceSeconds,
  });
  const address = await receiver.listen({ host: config.webhook.host, port: config.webhook.port });
  return { webhookUrl: `${address}${WEBHOOK_PATH}`, close: () => receiver.close() };
}

export async function startService(options: {
  config: AppConfig;
  connections: ConnectionRegistry;
  webhookSecretFor(companyId: string): string | undefined;
  logger: Logger;
  /** Create or update each company's polling schedule (off in tests that drive triggers themselves). */
  schedules?: boolean;
  /** A workflow bundle built by `npm run build:workflows`, used when the file exists; else bundled at start. */
  bundlePath?: string;
}): Promise<RunningService> {
  const { config, connections, logger } = options;
  const taskQueue = config.temporal.taskQueue;
  const jobSettings = jobSettingsOf(config);
  const dataConverter = createDataConverter(config.codec);
  const client = await connectClient(config.temporal, dataConverter);
  const workDir = join(config.dataDir, 'receipts-in-transit');
  mkdirSync(workDir, { recursive: true });

  const worker = await createExportWorker({
    connection: await connectWorker(config.temporal),
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: prebuiltBundle(options.bundlePath),
    dataConverter,
    deps: {
      connections,
      logger: logger.child({ component: 'activities' }),
      workDir,
      temporal: { client, taskQueue },
    },
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
  });
  const workerRun = worker.run();
  const receiver = await startWebhookReceiver({
    config,
    client,
    webhookSecretFor: options.webhookSecretFor,
    logger,
  });

  if (options.schedules !== false) {
    for (const companyId of connections.companyIds()) {
      await upsertPollSchedule(client, { companyId, taskQueue, every: config.worker.pollEvery as Duration });
    }
  }
  logger.info(
    {
      webhookUrl: receiver.webhookUrl,
      taskQueue,
      companies: connections.companyIds().length,
      workflows: prebuiltBundle(options.bundlePath) ? options.bundlePath : 'bundled at start',
    },
    'export service running',
  );

  return {
    client,
    worker,
    webhookUrl: receiver.webhookUrl,
    jobSettings,
    checkNow: async (companyId) => {
      await triggerCompanyExport(client, taskQueue, companyId, { source: 'manual' }, jobSettings);
    },
    async stop() {
      await receiver.close();
      // On SIGINT/SIGTERM the SDK runtime has already begun the worker's shutdown.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await connections.close();
      await client.connection.close();
    },
  };
}
