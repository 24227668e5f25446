// Live counts while `npm start` exports: which jobs Pleo has open, and for each the `progress` its
// export job workflow reports. A line is printed when a job's counts change, not on every look. Each
// job's export items are described (merchant, date, amount) when it is first seen open, because Pleo
// serves them only until the job is finished and the summary names failed items by them.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PleoClient } from '../pleo/client';
import { PleoApiError } from '../pleo/errors';
import { jobWorkflowId, progressQuery, type JobProgress } from '../shared/workflow-api';
import { progressBar } from './progress-bar';
import { describeItem, type ExportsSeen, type ItemDescription } from './summary';

export async function followExports(options: {
  pleo: PleoClient;
  client: Client;
  companyId: string;
  write(line: string): void;
  everyMs?: number;
  timeoutMs?: number;
}): Promise<ExportsSeen> {
  const { pleo, client, companyId } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  const printed = new Map<string, string>();
  const described = new Map<string, ItemDescription>();
  const alreadyBooked = new Map<string, number>();
  const following: { id: string; createdAt: string }[] = [];
  for (;;) {
    const open: string[] = [];
    for await (const job of pleo.listExportJobs({ companyId, statuses: ['pending', 'in_progress'] })) {
      open.push(job.id);
      if (following.some((j) => j.id === job.id)) continue;
      following.push({ id: job.id, createdAt: job.createdAt });
      await describeJobItems(pleo, job.id, described);
    }
    following.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const [index, { id: jobId }] of following.entries()) {
      if (printed.get(jobId)?.includes('(done)')) continue;
      const progress = await queryProgress(client, companyId, jobId);
      if (!progress) continue;
      alreadyBooked.set(jobId, progress.alreadyBooked);
      const found = progress.alreadyBooked ? `, ${progress.alreadyBooked} of them already booked` : '';
      const line = `job ${index + 1} (${jobId.slice(0, 8)})  ${progressBar(progress, 20)}${found}`;
      if (printed.get(jobId) !== line) options.write(line);
      printed.set(jobId, line);
    }
    if (open.length === 0) return { described, alreadyBooked };
    if (Date.now() > deadline) throw new Error('export jobs still open after the wait limit');
    await new Promise((r) => setTimeout(r, options.everyMs ?? 500));
  }
}

/** The job's progress, or undefined while its workflow has not started yet. */
async function queryProgress(
  client: Client,
  companyId: string,
  jobId: string,
): Promise<JobProgress | undefined> {
  try {
    return await client.workflow.getHandle(jobWorkflowId(companyId, jobId)).query(progressQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

async function describeJobItems(pleo: PleoClient, jobId: string, into: Map<string, ItemDescription>) {
  try {
    for await (const result of pleo.listExportItems(jobId))
      if (result.ok) into.set(result.item.accountingEntryId, describeItem(result.item));
  } catch (err) {
    // Finished between the two requests: its failed items are then listed without these details.
    if (!(err instanceof PleoApiError && err.status === 422)) throw err;
  }
}
