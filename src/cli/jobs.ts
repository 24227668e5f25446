// `jobs list|show|watch`: export jobs as Temporal sees them (search attributes + the `progress` query).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { progressQuery, type FailedItem, type JobProgress } from '../shared/workflow-api';

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

/** A one-line text progress bar: `[#######-----------] 35% 350/1000 ok 340 failed 10`. */
export function progressBar(progress: JobProgress, width = 30): string {
  const done = progress.successful + progress.failed;
  const ratio =
    progress.totalItems > 0 ? Math.min(1, done / progress.totalItems) : progress.phase === 'done' ? 1 : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${progress.totalItems} ok ${progress.successful} failed ${progress.failed} (${progress.phase})`;
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
