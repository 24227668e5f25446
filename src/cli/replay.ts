// Replays workflow histories against the current workflow code: the way to debug a failed export
// (step through it) and to prove a code change is still deterministic for histories already recorded.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

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
  // A given bundle or workflowsPath wins; else the workflows of this checkout.
  const opts: ReplayWorkerOptions =
    options.workflowBundle || options.workflowsPath
      ? options
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

/** One workflow's history (latest run, or the given run), fetched from the server. */
export async function historyFromServer(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<HistoryAndWorkflowId> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return { workflowId, history };
}

/**
 * Histories saved as JSON: the fixtures' form (`historyToFixture`, decoded with @temporalio/proto's
 * own classes) or proto JSON from `temporal workflow show --output json` / the Web UI (decoded by the SDK).
 */
export function historiesFromFiles(files: string[]): HistoryAndWorkflowId[] {
  return files.map((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { events?: { eventTime?: unknown }[] };
    const protoJson = typeof json.events?.[0]?.eventTime === 'string';
    return {
      workflowId: basename(file, '.json'),
      history: protoJson
        ? (json as HistoryAndWorkflowId['history'])
        : temporal.api.history.v1.History.fromObject(json),
    };
  });
}

/** A history as fixture JSON: @temporalio/proto's object form, the form of the recorded fixtures. */
export function historyToFixture(history: temporal.api.history.v1.IHistory): string {
  const message = temporal.api.history.v1.History.fromObject(history);
  return `${JSON.stringify(temporal.api.history.v1.History.toObject(message, { longs: String, enums: String, bytes: String }), null, 1)}\n`;
}
