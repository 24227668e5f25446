// `jobs list|show|watch`: export jobs as Temporal sees them (search attributes + the `progress` query).
import { Option, type Command } from 'commander';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { progressQuery, type FailedItem, type JobProgress } from '../../shared/workflow-api';
import type { CliContext } from '../context';
import { progressBar } from '../../app/progress-bar';
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

export interface JobRow {
  workflowId: string;
  companyId?: string;
  jobId?: string;
  status: string;
  outcome?: string;
  startTime: string;
  closeTime?: string;
}

function keyword(info: WorkflowExecutionInfo, name: string): string | undefined {
  const value = info.typedSearchAttributes.getAll().find((pair) => pair.key.name === name)?.value;
  return typeof value === 'string' ? value : undefined;
}

export async function listJobs(
  client: Client,
  filter: { companyId?: string; outcome?: string; limit?: number },
): Promise<JobRow[]> {
  const clauses = [`WorkflowType = 'exportJobWorkflow'`];
  if (filter.companyId) clauses.push(`PleoCompanyId = '${filter.companyId.replace(/'/g, '')}'`);
  if (filter.outcome) clauses.push(`PleoExportOutcome = '${filter.outcome.replace(/'/g, '')}'`);
  const rows: JobRow[] = [];
  for await (const info of client.workflow.list({ query: clauses.join(' AND ') })) {
    rows.push({
      workflowId: info.workflowId,
      companyId: keyword(info, 'PleoCompanyId'),
      jobId: keyword(info, 'PleoExportJobId'),
      status: info.status.name,
      outcome: keyword(info, 'PleoExportOutcome'),
      startTime: info.startTime.toISOString(),
      closeTime: info.closeTime?.toISOString(),
    });
    if (rows.length >= (filter.limit ?? 50)) break;
  }
  return rows;
}

export async function jobProgress(client: Client, workflowId: string): Promise<JobProgress> {
  return client.workflow.getHandle(workflowId).query(progressQuery);
}

/** A job workflow id as given, or the latest job workflow for a Pleo export job id. */
export async function jobWorkflowIdOf(client: Client, id: string): Promise<string> {
  if (id.startsWith('pleo-export-job-')) return id;
  const query = `WorkflowType = 'exportJobWorkflow' AND PleoExportJobId = '${id.replace(/'/g, '')}'`;
  for await (const info of client.workflow.list({ query })) return info.workflowId;
  return id;
}

/** One line per failed item: merchant, amount, date, reason, message. */
export function failureLines(items: FailedItem[]): string[] {
  return items.map(
    (f) =>
      `  ${f.merchant ?? '–'}  ${f.amount ? `${f.amount} ${f.currency ?? ''}` : '–'}  ${f.date ?? '–'}  ${f.failureReasonType}  ${f.failureReason}  (${f.accountingEntryId})`,
  );
}

/** Redraws the progress bar until the job's workflow closes. */
export async function watchJob(
  client: Client,
  workflowId: string,
  out: NodeJS.WriteStream,
  everyMs = 1000,
): Promise<JobProgress> {
  const handle = client.workflow.getHandle(workflowId);
  let last: JobProgress | undefined;
  for (;;) {
    const closed = (await handle.describe()).status.name !== 'RUNNING';
    try {
      last = await handle.query(progressQuery);
    } catch (err) {
      if (!last) throw err;
    }
    out.write(`${out.isTTY ? '\r' : ''}${progressBar(last)}${out.isTTY ? '' : '\n'}`);
    if (closed) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  if (out.isTTY) out.write('\n');
  return last;
}
