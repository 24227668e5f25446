// `replay`: histories against the current workflow code, with the payload codec (encrypted histories
// replay only with the keys that wrote them).
import type { Command } from 'commander';
import type { HistoryAndWorkflowId } from '@temporalio/client';
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
      // Loaded here: replay pulls in the worker package, which only this command needs (CLI start-up).
      const { historiesFromFiles, historiesFromServer, historyFromServer, replayHistories } =
        await import('../replay');
      const { createDataConverter } = await import('../../codec');
      const { failedItemsFromHistory, formatFailedItems } = await import('../failed-items');
      let source: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>;
      if (o.workflowId) source = [await historyFromServer(await ctx.client(), o.workflowId, o.runId)];
      else if (o.query) source = historiesFromServer(await ctx.client(), o.query);
      else if (files.length > 0) source = historiesFromFiles(files);
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
