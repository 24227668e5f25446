// Replays workflow histories against the current workflow code: the way to debug a failed export
// (step through it) and to prove a code change is still deterministic for histories already recorded.
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/client';

export interface ReplayReport {
  workflowId: string;
  runId: string;
  ok: boolean;
  error?: string;
}

export async function replayHistories(
  histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>,
  options: Partial<ReplayWorkerOptions> = {},
): Promise<ReplayReport[]> {
  const reports: ReplayReport[] = [];
  const opts: ReplayWorkerOptions = options.workflowBundle
    ? { ...options, workflowBundle: options.workflowBundle }
    : { ...options, workflowsPath: require.resolve('../workflows') };
  for await (const result of Worker.runReplayHistories(opts, histories)) {
    reports.push({
      workflowId: result.workflowId,
      runId: result.runId,
      ok: !result.error,
      error: result.error ? `${result.error.name}: ${result.error.message}` : undefined,
    });
  }
  return reports;
}

/** Histories of the workflows a visibility query finds (e.g. `PleoExportOutcome="failed"`), fetched from the server. */
export function historiesFromServer(client: Client, query: string): AsyncIterable<HistoryAndWorkflowId> {
  return client.workflow.list({ query }).intoHistories({ concurrency: 4 });
}
