// `replay`: replays workflow histories against the current workflow code, with the payload codec
// (encrypted histories replay only with the keys that wrote them): the way to debug a failed export (step
// through it, list each failed item with every attempt's error) and to prove a code change is still
// deterministic for histories already recorded. The worker package and the protobuf classes load when
// the command runs: only it needs them, and `--help` should not wait for them.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { CliContext } from '../context';

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description(
      'Replay workflow histories against the current workflow code, reporting non-determinism and each failed export item',
    )
    .option('--workflow-id <id>', 'fetch this workflow from the server')
    .option('--run-id <id>', 'a particular run of --workflow-id (default: the latest)')
    .option('--query <visibility query>', 'every workflow this query finds, e.g. PleoExportOutcome="failed"')
    .argument('[files...]', 'history JSON files (from the Web UI or `temporal workflow show --output json`)')
    .action(async (files: string[], o: { workflowId?: string; runId?: string; query?: string }) => {
      const { createDataConverter } = await import('../../codec');
      let source: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>;
      if (o.workflowId) source = [await historyFromServer(await ctx.client(), o.workflowId, o.runId)];
      else if (o.query) source = historiesFromServer(await ctx.client(), o.query);
      else if (files.length > 0) source = await historiesFromFiles(files);
      else throw new Error('give --workflow-id, --query or history files');
      // Kept: after replaying, each job's failed items are read from the same histories.
      const histories: HistoryAndWorkflowId[] = [];
      for await (const h of source) histories.push(h);
      const dataConverter = createDataConverter(ctx.config().codec);
      const reports = await replayHistories(histories, { dataConverter });
      const withFailures = await Promise.all(
        reports.map(async (r, i) => ({
          ...r,
          failedItems: await failedItemsFromHistory(
            histories[i]!.history as temporal.api.history.v1.IHistory,
            dataConverter?.payloadCodecs,
          ),
        })),
      );
      ctx.emit(
        withFailures,
        withFailures.flatMap((r) => [
          `${r.ok ? 'ok  ' : 'FAIL'} ${r.workflowId} ${r.runId}${r.error ? `\n     ${r.error}` : ''}`,
          ...(r.failedItems.length ? [`  ${r.failedItems.length} failed item(s):`] : []),
          ...formatFailedItems(r.failedItems),
        ]),
      );
      if (reports.some((r) => !r.ok)) ctx.exitCode = 1;
    });
}

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
  const { Worker } = await import('@temporalio/worker');
  const reports: ReplayReport[] = [];
  // A given bundle or workflowsPath wins; else the workflows of this checkout.
  const opts: ReplayWorkerOptions =
    options.workflowBundle || options.workflowsPath
      ? options
      : { ...options, workflowsPath: require.resolve('../../workflows') };
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
export async function historiesFromFiles(files: string[]): Promise<HistoryAndWorkflowId[]> {
  const { temporal } = await import('@temporalio/proto');
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
export async function historyToFixture(history: temporal.api.history.v1.IHistory): Promise<string> {
  const { temporal } = await import('@temporalio/proto');
  const message = temporal.api.history.v1.History.fromObject(history);
  return `${JSON.stringify(temporal.api.history.v1.History.toObject(message, { longs: String, enums: String, bytes: String }), null, 1)}\n`;
}

// The failed export items of a job workflow's history: each item activity that failed, with every
// attempt's error, read from the history itself (decoded with the payload codec when one is configured).

type History = temporal.api.history.v1.IHistory;
type Payload = temporal.api.common.v1.IPayload;
type Failure = temporal.api.failure.v1.IFailure;

export interface FailedItemReport {
  accountingEntryId: string;
  /** The activity's summary: merchant, amount, date, id. */
  summary?: string;
  attempts: number;
  /** `type: message` of each failed attempt, oldest first. */
  errors: string[];
}

const ITEM_ACTIVITY = 'exportItem';

async function decode(payload: Payload | null | undefined, codecs: PayloadCodec[]): Promise<unknown> {
  if (!payload) return undefined;
  let decoded = [payload];
  for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
  const data = decoded[0]?.data;
  return data ? JSON.parse(Buffer.from(data).toString('utf8')) : undefined;
}

async function describeFailure(failure: Failure | null | undefined, codecs: PayloadCodec[]): Promise<string> {
  if (!failure) return 'unknown failure';
  // With the codec, message and stack travel encoded (src/codec/failure-converter.ts).
  const encoded = failure.encodedAttributes
    ? ((await decode(failure.encodedAttributes, codecs)) as { message?: string } | undefined)
    : undefined;
  const message = encoded?.message ?? failure.message ?? '';
  const type =
    failure.applicationFailureInfo?.type ??
    (failure.timeoutFailureInfo ? `timeout (${String(failure.timeoutFailureInfo.timeoutType)})` : 'failure');
  const cause = failure.cause ? ` ← ${await describeFailure(failure.cause, codecs)}` : '';
  return `${type}: ${message}${cause}`;
}

export async function failedItemsFromHistory(
  history: History,
  codecs: PayloadCodec[] = [],
): Promise<FailedItemReport[]> {
  const items = new Map<string, FailedItemReport & { failed: boolean }>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled && scheduled.activityType?.name === ITEM_ACTIVITY) {
      const input = (await decode(scheduled.input?.payloads?.[0], codecs)) as { accountingEntryId?: string };
      const summary = (await decode(event.userMetadata?.summary, codecs)) as string | undefined;
      items.set(String(event.eventId), {
        accountingEntryId: input?.accountingEntryId ?? '?',
        summary,
        attempts: 0,
        errors: [],
        failed: false,
      });
      continue;
    }
    const started = event.activityTaskStartedEventAttributes;
    const startedItem = started && items.get(String(started.scheduledEventId));
    if (startedItem) {
      startedItem.attempts = Math.max(startedItem.attempts, started.attempt ?? 1);
      // The previous attempt's failure, recorded when the final attempt started.
      if (started.lastFailure) startedItem.errors.push(await describeFailure(started.lastFailure, codecs));
      continue;
    }
    const failed = event.activityTaskFailedEventAttributes;
    const failedItem = failed && items.get(String(failed.scheduledEventId));
    if (failedItem) {
      failedItem.failed = true;
      failedItem.errors.push(await describeFailure(failed.failure, codecs));
      continue;
    }
    const timedOut = event.activityTaskTimedOutEventAttributes;
    const timedOutItem = timedOut && items.get(String(timedOut.scheduledEventId));
    if (timedOutItem) {
      timedOutItem.failed = true;
      timedOutItem.errors.push(await describeFailure(timedOut.failure, codecs));
    }
  }
  return [...items.values()].filter((i) => i.failed).map(({ failed: _failed, ...report }) => report);
}

export function formatFailedItems(items: FailedItemReport[]): string[] {
  return items.flatMap((item) => [
    `  ✗ ${item.summary ?? item.accountingEntryId} — ${item.attempts} attempt${item.attempts === 1 ? '' : 's'}`,
    ...item.errors.map((e, i) => `      ${i + 1}. ${e}`),
  ]);
}
