// Replays workflow histories against the current workflow code: the way to debug a failed export
// (step through it) and to prove a code change is still deterministic for histories already recorded.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../config/load';
import { connectClient } from '../temporal/connection';

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

/**
 * A history as fixture JSON. Not the SDK's historyToJSON: with the protobufjs copies this install
 * has (one under @temporalio/common, one under @temporalio/proto) it fails with "type must be a Type".
 */
export function historyToFixture(history: temporal.api.history.v1.IHistory): string {
  const message = temporal.api.history.v1.History.fromObject(history);
  return `${JSON.stringify(temporal.api.history.v1.History.toObject(message, { longs: String, enums: String, bytes: String }), null, 1)}\n`;
}

// `replay --workflow-id <id> [--run-id <id>]`, `replay --query 'PleoExportOutcome="failed"'`, or
// `replay file.json…`: replays against the current code; exits 1 and names the run on non-determinism.
async function main(argv: string[]): Promise<void> {
  const program = new Command('replay')
    .description('Replay workflow histories against the current workflow code, reporting non-determinism')
    .option('--workflow-id <id>', 'fetch this workflow from the server')
    .option('--run-id <id>', 'a particular run of --workflow-id (default: the latest)')
    .option('--query <visibility query>', 'fetch every workflow this query finds')
    .option('--json', 'print the report as JSON')
    .argument('[files...]', 'history JSON files')
    .parse(argv);
  const opts = program.opts<{ workflowId?: string; runId?: string; query?: string; json?: boolean }>();
  const files = program.args;
  let client: Client | undefined;
  const serverClient = async () => (client ??= await connectClient(loadConfig().temporal));
  let histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>;
  if (opts.workflowId)
    histories = [await historyFromServer(await serverClient(), opts.workflowId, opts.runId)];
  else if (opts.query) histories = historiesFromServer(await serverClient(), opts.query);
  else if (files.length > 0) histories = historiesFromFiles(files);
  else return program.error('give --workflow-id, --query or history files');
  try {
    const reports = await replayHistories(histories);
    if (opts.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    else
      for (const r of reports)
        process.stdout.write(
          `${r.ok ? 'ok  ' : 'FAIL'} ${r.workflowId} ${r.runId}${r.error ? `\n     ${r.error}` : ''}\n`,
        );
    if (reports.some((r) => !r.ok)) process.exitCode = 1;
  } finally {
    await client?.connection.close();
  }
}

if (require.main === module) {
  main(process.argv).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
