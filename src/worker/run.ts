// A worker process: the Temporal runtime (logs through pino, Prometheus metrics), one worker on the
// task queue, a bound on heap growth (./heap), and a graceful stop on SIGINT/SIGTERM (the runtime's
// shutdown signals) that lets running activities finish their current item. Used by `npm start`'s
// production counterpart and by the kill-the-worker test, which runs it in a separate process.
import type { Logger } from 'pino';
import type { DataConverter } from '@temporalio/common';
import type { AppConfig } from '../config/schema';
import type { ConnectionRegistry } from '../connections';
import { installTemporalRuntime } from '../logging/temporal-runtime';
import { connectClient, connectWorker } from '../temporal/connection';
import { boundHeapGrowth } from './heap';
import { createExportWorker, prebuiltBundle } from './worker';

export interface WorkerProcessOptions {
  temporal: AppConfig['temporal'];
  worker: Pick<AppConfig['worker'], 'maxConcurrentActivities' | 'metricsPort'>;
  connections: ConnectionRegistry;
  logger: Logger;
  /** Receipts in transit. */
  workDir: string;
  /** A workflow bundle built by build-bundle.ts; when absent the workflows are bundled at start. */
  bundlePath?: string;
  /** Called once the worker is created and about to poll. */
  onRunning?: () => void;
  /** The payload encryption codec when configured (src/codec). */
  dataConverter?: DataConverter;
}

export async function runWorkerProcess(options: WorkerProcessOptions): Promise<void> {
  const { logger } = options;
  boundHeapGrowth();
  installTemporalRuntime(logger, options.worker.metricsPort);
  const client = await connectClient(options.temporal, options.dataConverter);
  const taskQueue = options.temporal.taskQueue;
  const worker = await createExportWorker({
    connection: await connectWorker(options.temporal),
    namespace: options.temporal.namespace,
    taskQueue,
    workflowBundle: prebuiltBundle(options.bundlePath),
    dataConverter: options.dataConverter,
    maxConcurrentActivityTaskExecutions: options.worker.maxConcurrentActivities,
    deps: {
      connections: options.connections,
      logger: logger.child({ component: 'activities' }),
      workDir: options.workDir,
      temporal: { client, taskQueue },
    },
  });
  logger.info({ taskQueue, bundle: options.bundlePath ?? 'built at start' }, 'worker running');
  try {
    // Resolves after SIGINT/SIGTERM once in-flight tasks finished (or the grace time passed).
    const running = worker.run();
    options.onRunning?.();
    await running;
  } finally {
    await options.connections.close();
    await client.connection.close();
    logger.info('worker stopped');
  }
}
