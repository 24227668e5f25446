// `replay`: histories against the current workflow code, with the payload codec (encrypted histories
// replay only with the keys that wrote them).
import type { Command } from 'commander';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { CliContext } from '../context';

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description('Replay workflow histories against the current workflow code, reporting non-determinism')
    .option('--workflow-id <id>', 'fetch this workflow from the server')
    .option('--run-id <id>', 'a particular run of --workflow-id (default: the latest)')
    .option('--query <visibility query>', 'every workflow this query finds, e.g. PleoExportOutcome="failed"')
    .argument('[files...]', 'history JSON files (from the Web UI or `temporal workflow show --output json`)')
    .action(async (files: string[], o: { workflowId?: string; runId?: string; query?: string }) => {
      const { historiesFromFiles, historiesFromServer, historyFromServer, replayHistories } =
        await import('../replay');
      const { createDataConverter } = await import('../../codec');
      let histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>;
      if (o.workflowId) histories = [await historyFromServer(await ctx.client(), o.workflowId, o.runId)];
      else if (o.query) histories = historiesFromServer(await ctx.client(), o.query);
      else if (files.length > 0) histories = historiesFromFiles(files);
      else throw new Error('give --workflow-id, --query or history files');
      const reports = await replayHistories(histories, {
        dataConverter: createDataConverter(ctx.config().codec),
      });
      ctx.emit(
        reports,
        reports.map(
          (r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.workflowId} ${r.runId}${r.error ? `\n     ${r.error}` : ''}`,
        ),
      );
      if (reports.some((r) => !r.ok)) ctx.exitCode = 1;
    });
}
