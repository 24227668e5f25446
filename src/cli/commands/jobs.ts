// `jobs list|show|watch` over src/cli/jobs.ts.
import { Option, type Command } from 'commander';
import { failureLines, jobProgress, jobWorkflowIdOf, listJobs, progressBar, watchJob } from '../jobs';
import type { CliContext } from '../context';
import { integerFrom, JOB_OUTCOMES } from '../options';

export function registerJobs(program: Command, ctx: CliContext): void {
  const jobs = program.command('jobs').description('Export jobs as Temporal sees them');
  jobs
    .command('list')
    .description('Export job workflows, newest first')
    .option('--company <id>', 'only this Pleo company')
    .addOption(new Option('--outcome <event>', 'only jobs that ended so').choices(JOB_OUTCOMES))
    .option('--limit <n>', 'at most this many (1 to 10000)', integerFrom(1, 10_000), 50)
    .action(async (o: { company?: string; outcome?: string; limit: number }) => {
      const rows = await listJobs(await ctx.client(), {
        companyId: o.company,
        outcome: o.outcome,
        limit: o.limit,
      });
      ctx.emit(
        rows,
        rows.length
          ? rows.map((r) => `${r.workflowId}  ${r.status}  ${r.outcome ?? ''}  ${r.startTime}`)
          : 'no export jobs found',
      );
    });
  jobs
    .command('show <id>')
    .description("A job's progress, by Pleo export job id or workflow id")
    .option('--failures', 'list the failed items (merchant, amount, date, reason, message)')
    .action(async (id: string, o: { failures?: boolean }) => {
      const client = await ctx.client();
      const progress = await jobProgress(client, await jobWorkflowIdOf(client, id));
      const failed = o.failures ? failureLines(progress.failedItems ?? []) : [];
      const more =
        o.failures && progress.failed > failed.length ? [`  … ${progress.failed - failed.length} more`] : [];
      ctx.emit(progress, [progressBar(progress), ...failed, ...more].join('\n'));
    });
  jobs
    .command('watch <workflowId>')
    .description('A live progress bar until the job ends')
    .action(async (workflowId: string) => {
      // With --json only the final progress is printed.
      const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
      const last = await watchJob(await ctx.client(), workflowId, ctx.json ? quiet : process.stdout);
      if (ctx.json) ctx.emit(last, '');
    });
}
