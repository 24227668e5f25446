// Export-job level activities: find, claim, survey, finish. Each is safe to retry: it reads Pleo's
// state first, so a lost reply never sends an event twice.
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { classified, toActivityFailure } from './failures';
import { PleoApiError } from '../pleo/errors';
import type { ExportJob } from '../pleo/types';
import type { ItemOutcome, JobOutcome } from '../shared/workflow-api';
import type { CompanyConnection } from '../connections';
import { documentReference } from '../accounting/core';
import type { ItemFailureReasonType, JobFailureReasonType } from '../shared/failure-reasons';
import { ERROR_TYPES } from '../shared/error-types';
import { chunk } from '../shared/chunk';

const FINISHED = new Set(['completed', 'completed_with_errors', 'failed']);
export const PLEO_UPDATE_BATCH = 100;

/** Where the page the job stopped in starts (the workflow's export-items cursor). */
export interface InterruptedPage {
  cursor?: string;
  pageSize: number;
}

export type ClaimResult =
  | { kind: 'claimed' | 'resumed'; numberOfItems: number; vendorBasedBookkeeping: boolean }
  | { kind: 'finished'; status: string };

export function createJobActivities(deps: ActivityDeps) {
  const connection = (companyId: string) => deps.connections.get(companyId);

  /**
   * The open items of the page the job stopped in that the accounting system holds (found by their
   * deterministic reference): booked, but their outcome never reached Pleo. Best effort: when the
   * accounting system or Pleo cannot answer, what was found so far is returned and the rest is failed.
   */
  async function bookedInPage(
    { pleo, accountingSystem }: CompanyConnection,
    jobId: string,
    page: InterruptedPage,
    open: Set<string>,
  ): Promise<ItemOutcome[]> {
    const booked: ItemOutcome[] = [];
    try {
      const { data } = await pleo.listExportItemsPage(jobId, { after: page.cursor, limit: page.pageSize });
      for (const result of data) {
        const accountingEntryId = result.ok ? result.item.accountingEntryId : result.accountingEntryId;
        if (!accountingEntryId || !open.has(accountingEntryId)) continue;
        const posted = await accountingSystem.findByReference(documentReference(accountingEntryId, 'main'));
        if (!posted) continue;
        booked.push({
          accountingEntryId,
          status: 'successful',
          externalId: posted.externalId,
          externalUrl: posted.externalUrl,
          exportedAt: posted.createdAt,
        });
      }
    } catch (err) {
      deps.logger.warn(
        { jobId, err: err instanceof Error ? err.message : String(err) },
        'could not look the interrupted page up in the accounting system; its open items are failed',
      );
    }
    return booked;
  }

  async function failRemainingItems(input: {
    companyId: string;
    jobId: string;
    failureReasonType: ItemFailureReasonType;
    failureReason: string;
    /** The page the job stopped in: its open items may be booked already, and are looked up first. */
    interruptedPage?: InterruptedPage;
  }): Promise<{ failed: number; successful: number }> {
    return classified(async () => {
      const conn = await connection(input.companyId);
      const open = new Set<string>();
      for await (const item of conn.pleo.listJobItems(input.jobId)) {
        if (item.status === 'pending' || item.status === 'in_progress') open.add(item.accountingEntryId);
      }
      const booked = input.interruptedPage
        ? await bookedInPage(conn, input.jobId, input.interruptedPage, open)
        : [];
      for (const outcome of booked) open.delete(outcome.accountingEntryId);
      const updates: ItemOutcome[] = [
        ...booked,
        ...[...open].map((accountingEntryId) => ({
          accountingEntryId,
          status: 'failed' as const,
          failureReasonType: input.failureReasonType,
          failureReason: input.failureReason,
        })),
      ];
      try {
        for (const batch of chunk(updates, PLEO_UPDATE_BATCH))
          await conn.pleo.updateJobItems(input.jobId, batch);
      } catch (err) {
        // 422: Pleo already finished the job (expired, or cancelled by the user): nothing left to mark.
        if (err instanceof PleoApiError && err.status === 422) return { failed: 0, successful: 0 };
        throw err;
      }
      if (booked.length > 0) {
        deps.logger.info(
          { companyId: input.companyId, jobId: input.jobId, booked: booked.length },
          'items of the interrupted page found booked: reported successful instead of failed',
        );
      }
      return { failed: open.size, successful: booked.length };
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

    /** Posts `started` for a pending job; never for an in_progress one (rule 11). */
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

    /** Pages through every job item (rule 13) and counts what is already final (a resumed job). */
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
          await pleo.postJobEvent(
            outcome.event === 'failed'
              ? {
                  jobId: input.jobId,
                  event: 'failed',
                  failureReasonType: outcome.failureReasonType,
                  failureReason: outcome.failureReason,
                }
              : { jobId: input.jobId, event: outcome.event },
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
