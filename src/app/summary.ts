// What a bookkeeper wants to know after an export: per job, the outcome and items ok / failed with reasons.
import type { PleoClient } from '../pleo/client';

export interface JobSummary {
  jobId: string;
  createdAt: string;
  status: string;
  failureReasonType?: string | null;
  successful: number;
  failed: number;
  failureReasons: Record<string, number>;
  examples: { accountingEntryId: string; reason: string }[];
}

const OPEN = ['pending', 'in_progress'] as const;
const ALL = ['pending', 'in_progress', 'completed', 'completed_with_errors', 'failed'] as const;

export async function summarizeCompanyJobs(
  pleo: PleoClient,
  companyId: string,
  options: { waitUntilIdle?: boolean; timeoutMs?: number } = {},
): Promise<JobSummary[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  while (options.waitUntilIdle) {
    const open = await pleo.listExportJobsPage({ companyId, statuses: [...OPEN], limit: 1 });
    if (open.data.length === 0) break;
    if (Date.now() > deadline) throw new Error('export jobs still open after the wait limit');
    await new Promise((r) => setTimeout(r, 500));
  }
  const summaries: JobSummary[] = [];
  for await (const job of pleo.listExportJobs({ companyId, statuses: [...ALL] })) {
    const summary: JobSummary = {
      jobId: job.id,
      createdAt: job.createdAt,
      status: job.status,
      failureReasonType: job.failureReasonType,
      successful: 0,
      failed: 0,
      failureReasons: {},
      examples: [],
    };
    for await (const item of pleo.listJobItems(job.id)) {
      if (item.status === 'successful') summary.successful++;
      else if (item.status === 'failed' || item.status === 'abandoned') {
        summary.failed++;
        const reason = item.failureReasonType ?? 'unknown';
        summary.failureReasons[reason] = (summary.failureReasons[reason] ?? 0) + 1;
        if (summary.examples.length < 3)
          summary.examples.push({
            accountingEntryId: item.accountingEntryId,
            reason: item.failureReason ?? reason,
          });
      }
    }
    summaries.push(summary);
  }
  return summaries.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function formatSummary(
  jobs: JobSummary[],
  links: { webUi?: string; ledger?: string; sandbox?: string },
): string {
  const lines = ['', 'Export summary', '=============='];
  for (const job of jobs) {
    lines.push(
      `job ${job.jobId}  ${job.status}${job.failureReasonType ? ` (${job.failureReasonType})` : ''}  items ok ${job.successful}, failed ${job.failed}`,
    );
    for (const [reason, count] of Object.entries(job.failureReasons)) lines.push(`    ${count} × ${reason}`);
    for (const example of job.examples)
      lines.push(`    e.g. ${example.accountingEntryId}: ${example.reason}`);
  }
  if (links.webUi)
    lines.push('', `Temporal Web UI: ${links.webUi}  (search: PleoExportOutcome="completed_with_errors")`);
  if (links.ledger) lines.push(`Ledger:          ${links.ledger}  (check it: bean-check ${links.ledger})`);
  if (links.sandbox) lines.push(`Pleo sandbox:    ${links.sandbox}`);
  return `${lines.join('\n')}\n`;
}
