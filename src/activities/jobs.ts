// Export-job level activities: find, claim, survey, finish. Each is safe to retry: it reads Pleo's
// state first, so a lost reply never sends an event twice.
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { classified, toActivityFailure } from './failures';
import { PleoApiError } from '../pleo/errors';
import { PLEO_UPDATE_BATCH } from '../pleo/client';
import type { ExportJob } from '@pleo-export/pleo-api/types';
import type { ItemOutcome, JobOutcome } from '../shared/workflow-api';
import type { ItemFailureReasonType, JobFailureReasonType } from '../shared/failure-reasons';
import { ERROR_TYPES } from '../shared/error-types';
import { chunk } from '../shared/chunk';

const FINISHED = new Set(['completed', 'completed_with_errors', 'failed']);

export interface JobItemCounts {
  jobStatus: string;
  failureReasonType?: string;
  failureReason?: string;
  successful: number;
  failed: number;
  open: number;
}

export type ClaimResult =
  | { kind: 'claimed' | 'resumed'; numberOfItems: number; vendorBasedBookkeeping: boolean }
  | { kind: 'finished'; status: string };

export function createJobActivities(deps: ActivityDeps) {
  const connection = (companyId: string) => deps.connections.get(companyId);

  async function failRemainingItems(input: {
    companyId: string;
    jobId: string;
    failureReasonType: ItemFailureReasonType;
    failureReason: string;
  }): Promise<{ failed: number }> {
    return classified(async () => {
      const conn = await connection(input.companyId);
      const open = new Set<string>();
      for await (const item of conn.pleo.listJobItems(input.jobId)) {
        if (item.status === 'pending' || item.status === 'in_progress') open.add(item.accountingEntryId);
      }
      const updates: ItemOutcome[] = [...open].map((accountingEntryId) => ({
        accountingEntryId,
        status: 'failed' as const,
        failureReasonType: input.failureReasonType,
        failureReason: input.failureReason,
      }));
      try {
        for (const batch of chunk(updates, PLEO_UPDATE_BATCH))
          await conn.pleo.updateJobItems(input.jobId, batch);
      } catch (err) {
        // 422: Pleo already finished the job (expired, or cancelled by the user): nothing left to mark.
        if (err instanceof PleoApiError && err.status === 422) return { failed: 0 };
        throw err;
      }
      return { failed: open.size };
    });
  }

  return {
    /** The job to work on next: an `in_progress` one first (recovery), else the oldest `pending` one. */
    async findNextExportJob(input: {
      companyId: string;
    }): Promise<{ jobId: string; status: string } | undefined> {
      return classified(async () => {
        const { pleo } = await connection(input.companyId);
        const jobs: ExportJob[] = [];
        for await (const job of pleo.listExportJobs({
          companyId: input.companyId,
          statuses: ['pending', 'in_progress'],
        })) {
          jobs.push(job);
        }
        const byAge = (a: ExportJob, b: ExportJob) =>
          a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
        const next = jobs.filter((j) => j.status === 'in_progress').sort(byAge)[0] ?? jobs.sort(byAge)[0];
        return next && { jobId: next.id, status: next.status };
      });
    },

    /** Posts `started` for a pending job; never again for an in_progress one, which is already claimed. */
    async claimExportJob(input: { companyId: string; jobId: string }): Promise<ClaimResult> {
      return classified(async () => {
        const { pleo } = await connection(input.companyId);
        let job = await pleo.getExportJob(input.jobId);
        if (job.companyId !== input.companyId) {
          throw ApplicationFailure.nonRetryable(
            `Export job ${input.jobId} belongs to another company`,
            ERROR_TYPES.pleoRejected,
          );
        }
        let kind: 'claimed' | 'resumed' = 'resumed';
        if (job.status === 'pending') {
          try {
            await pleo.postJobEvent({ jobId: input.jobId, event: 'started' });
            kind = 'claimed';
          } catch (err) {
            // A retry after a lost reply finds the job already started: that is our own claim.
            if (!(err instanceof PleoApiError) || err.status !== 422) throw err;
          }
          job = await pleo.getExportJob(input.jobId);
        }
        if (FINISHED.has(job.status)) return { kind: 'finished', status: job.status };
        deps.logger.info(
          { companyId: input.companyId, jobId: input.jobId, kind, items: job.numberOfItems },
          'export job claimed',
        );
        return { kind, numberOfItems: job.numberOfItems, vendorBasedBookkeeping: job.vendorBasedBookkeeping };
      });
    },

    /** Reads every job item before any is processed and counts what is already final (a resumed job). */
    async surveyJobItems(input: { companyId: string; jobId: string }) {
      return classified(async () => {
        const { pleo } = await connection(input.companyId);
        const counts = { total: 0, successful: 0, failed: 0, pending: 0 };
        for await (const item of pleo.listJobItems(input.jobId)) {
          counts.total++;
          if (item.status === 'successful') counts.successful++;
          else if (item.status === 'failed' || item.status === 'abandoned') counts.failed++;
          else counts.pending++;
        }
        return counts;
      });
    },

    /** Sends the one final event. A retry first checks whether Pleo already has it. */
    async finishExportJob(input: { companyId: string; jobId: string; outcome: JobOutcome }): Promise<void> {
      return classified(async () => {
        const { outcome } = input;
        if (outcome.event === 'already_finished') return;
        const { pleo } = await connection(input.companyId);
        if (activityInfo().attempt > 1 && FINISHED.has((await pleo.getExportJob(input.jobId)).status)) return;
        try {
          // completed_with_errors carries its reason too, as Pleo's integration guide asks.
          await pleo.postJobEvent(
            outcome.event === 'completed'
              ? { jobId: input.jobId, event: outcome.event }
              : {
                  jobId: input.jobId,
                  event: outcome.event,
                  failureReasonType: outcome.failureReasonType,
                  failureReason: outcome.failureReason,
                },
          );
        } catch (err) {
          // 422: the job is already finished (our earlier attempt, expiry, or the user cancelled).
          if (!(err instanceof PleoApiError) || err.status !== 422) throw err;
        }
        deps.logger.info(
          { companyId: input.companyId, jobId: input.jobId, event: outcome.event },
          'export job finished',
        );
      });
    },

    failRemainingItems,

    /**
     * Pleo's own view of the job before its final event: the job's status (expired, cancelled?) and how
     * many items are successful, failed, or still open.
     */
    async jobItemCounts(input: { companyId: string; jobId: string }): Promise<JobItemCounts> {
      return classified(async () => {
        const { pleo } = await connection(input.companyId);
        const job = await pleo.getExportJob(input.jobId);
        const counts: JobItemCounts = {
          jobStatus: job.status,
          failureReasonType: job.failureReasonType ?? undefined,
          failureReason: job.failureReason ?? undefined,
          successful: 0,
          failed: 0,
          open: 0,
        };
        for await (const item of pleo.listJobItems(input.jobId)) {
          if (item.status === 'successful') counts.successful++;
          else if (item.status === 'failed' || item.status === 'abandoned') counts.failed++;
          else counts.open++;
        }
        return counts;
      });
    },

    /** After a job workflow died abnormally: end the job in Pleo if it is still open. */
    async ensureJobFinished(input: {
      companyId: string;
      jobId: string;
      failureReasonType: JobFailureReasonType;
      failureReason: string;
    }): Promise<void> {
      try {
        const { pleo } = await connection(input.companyId);
        const job = await pleo.getExportJob(input.jobId);
        if (FINISHED.has(job.status)) return;
        await failRemainingItems({ ...input, failureReasonType: 'unexpected_failure' });
        await pleo.postJobEvent({
          jobId: input.jobId,
          event: 'failed',
          failureReasonType: input.failureReasonType,
          failureReason: input.failureReason,
        });
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}
