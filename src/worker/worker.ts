import { existsSync } from 'node:fs';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities';

export interface ExportWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (production); without it the workflows are bundled at start (development, tests). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** The payload encryption codec when configured (src/codec); must match the clients'. */
  dataConverter?: DataConverter;
}

export async function createExportWorker(options: ExportWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(options.deps),
    dataConverter: options.dataConverter,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 20,
    maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions,
    // Workflow code has no transient errors: an exception is a bug or non-determinism. Failing the run
    // (instead of retrying its task forever) lets the company workflow end the job in Pleo, so a bug
    // never leaves a job in_progress blocking the company's next export.
    workflowFailureErrorTypes: { '*': ['Error'] },
    // Shut down gracefully: let running activities finish their current item.
    shutdownGraceTime: '30 seconds',
  });
}

/** The pre-built bundle at `path`, when it exists (see build-bundle.ts); else undefined (bundle at start). */
export function prebuiltBundle(path: string | undefined): WorkerOptions['workflowBundle'] {
  return path && existsSync(path) ? { codePath: path } : undefined;
}
