// The per-job workflow: claim → pre-export validation → export items page by page (mapping, receipts,
// posting happen in the page activity) → report outcomes as it goes → exactly one final event.
// Export item payloads never enter history: activities fetch them from Pleo by cursor and return only
// small outcomes. History stays bounded with continue-as-new every few pages.
import {
  ActivityCancellationType,
  CancellationScope,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  log,
  ActivityFailure,
} from '@temporalio/workflow';
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import type { createActivities } from '../activities';
import {
  DEFAULT_EXPORT_JOB_SETTINGS,
  SA_OUTCOME,
  progressQuery,
  type ExportJobInput,
  type ExportJobState,
  type ItemOutcome,
  type JobOutcome,
  type JobProgress,
} from '../shared/workflow-api';
import type { ItemFailureReasonType } from '../shared/failure-reasons';
import { decideJobOutcome, jobFailureFromError, pageOutcomesFromError } from './outcome';
import { NON_RETRYABLE_ERROR_TYPES } from '../shared/error-types';

type Activities = ReturnType<typeof createActivities>;

export async function exportJobWorkflow(input: ExportJobInput): Promise<JobOutcome> {
  const { companyId, jobId } = input;
  const settings = { ...DEFAULT_EXPORT_JOB_SETTINGS, ...input.settings };
  const state: ExportJobState = input.state ?? { claimed: false, progress: newProgress(jobId) };
  const progress = state.progress;
  setHandler(progressQuery, () => progress);

  const retry: RetryPolicy = {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  };
  // Outages are retried with backoff until the outage budget is spent, then the job is failed on purpose.
  const pleo = proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: settings.outageBudgetMs,
    retry,
  });
  const exporterOptions: ActivityOptions = {
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: settings.heartbeatTimeoutMs,
    scheduleToCloseTimeout: settings.outageBudgetMs,
    retry,
    // On cancellation the page stops at an item boundary before the job is failed, so nothing is
    // booked after Pleo was told the export was cancelled.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  };
  const exporter = proxyActivities<Activities>(exporterOptions);
  // Clean-up after a failure gets its own budget: the job must still end in Pleo.
  const cleanup = proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '20 minutes',
    retry,
  });

  const finish = async (outcome: JobOutcome): Promise<JobOutcome> => {
    progress.phase = 'finishing';
    if (outcome.event !== 'already_finished') {
      await cleanup.finishExportJob({ companyId, jobId, outcome });
    }
    progress.phase = 'done';
    progress.outcome = outcome;
    upsertSearchAttributes([{ key: SA_OUTCOME, value: outcome.event }]);
    return outcome;
  };

  let pagesThisRun = 0;
  // A page's outcomes between the page returning and Pleo accepting them: reported even if the job fails.
  let unreported: ItemOutcome[] = [];
  try {
    if (!state.claimed) {
      progress.phase = 'claiming';
      const claim = await pleo.claimExportJob({ companyId, jobId });
      if (claim.kind === 'finished') return await finish({ event: 'already_finished', status: claim.status });
      state.claimed = true;
      progress.totalItems = claim.numberOfItems;

      progress.phase = 'validating';
      const ready = await pleo.checkAccountingSystemReady({
        companyId,
        vendorBasedBookkeeping: claim.vendorBasedBookkeeping,
      });
      if (!ready.ok) {
        return await finish({
          event: 'failed',
          failureReasonType: ready.reasonType,
          failureReason: ready.message,
        });
      }
      const survey = await pleo.surveyJobItems({ companyId, jobId });
      progress.totalItems = survey.total;
      progress.alreadyFinal = survey.successful + survey.failed;
      progress.successful += survey.successful;
      progress.failed += survey.failed;
    }

    progress.phase = 'exporting';
    for (;;) {
      if (pagesThisRun >= settings.pagesPerRun || workflowInfo().continueAsNewSuggested) break;
      const pageNumber = (state.pagesDone ?? 0) + 1;
      const from = (pageNumber - 1) * settings.pageSize + 1;
      const page = await exporter.exportItemsPage.executeWithOptions(
        // Shown in the Web UI; the heartbeat details name the export item being worked on.
        {
          ...exporterOptions,
          summary: `Export items ${from}–${from + settings.pageSize - 1} (page ${pageNumber}) of job ${jobId}`,
        },
        [
          {
            companyId,
            jobId,
            cursor: state.cursor,
            pageSize: settings.pageSize,
            // Items already final when this chain of runs began are skipped (a resumed job).
            resumeKey: progress.alreadyFinal > 0 ? workflowInfo().firstExecutionRunId : undefined,
          },
        ],
      );
      pagesThisRun++;
      state.pagesDone = pageNumber;
      if (page.outcomes.length > 0) {
        unreported = page.outcomes;
        const report = await pleo.reportItemOutcomes({ companyId, jobId, outcomes: page.outcomes });
        unreported = [];
        if (report.jobFinished)
          return await finish({ event: 'already_finished', status: 'finished_by_pleo' });
        tally(progress, page.outcomes, report.rejected);
      }
      setCurrentDetails(describeProgress(progress));
      if (!page.hasNextPage) return await finish(decideJobOutcome(progress));
      state.cursor = page.nextCursor;
    }
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() =>
        finish({
          event: 'failed',
          failureReasonType: 'canceled_by_user',
          failureReason: 'The export was cancelled.',
        }),
      );
      throw err;
    }
    if (!(err instanceof ActivityFailure)) throw err;
    // An outage outlived its budget, or an unrecoverable error: fail the job before Pleo expires it,
    // marking every unprocessed item so none is left pending.
    const failure = jobFailureFromError(err);
    log.warn('export job failed', { jobId, failureReasonType: failure.failureReasonType });
    // Items the interrupted page already booked are reported as they are, never failed (the rest of the
    // page is looked up in the accounting system by reference before it is failed).
    const reached = [...unreported, ...pageOutcomesFromError(err, 'exportItemsPage')];
    if (reached.length > 0) {
      const report = await cleanup.reportItemOutcomes({ companyId, jobId, outcomes: reached });
      if (report.jobFinished) return await finish({ event: 'already_finished', status: 'finished_by_pleo' });
      tally(progress, reached, report.rejected);
    }
    const remaining = await cleanup.failRemainingItems({
      companyId,
      jobId,
      failureReasonType: failure.itemFailureReasonType,
      failureReason: failure.failureReason,
      interruptedPage: { cursor: state.cursor, pageSize: settings.pageSize },
    });
    progress.failed += remaining.failed;
    progress.successful += remaining.successful;
    return await finish({
      event: 'failed',
      failureReasonType: failure.failureReasonType,
      failureReason: failure.failureReason,
    });
  }
  return await continueAsNew<typeof exportJobWorkflow>({ ...input, state });
}

function newProgress(jobId: string): JobProgress {
  return {
    jobId,
    phase: 'claiming',
    totalItems: 0,
    successful: 0,
    failed: 0,
    alreadyFinal: 0,
    failureReasons: {},
  };
}

function tally(progress: JobProgress, outcomes: ItemOutcome[], rejected: string[]): void {
  const rejectedIds = new Set(rejected);
  const countFailed = (reason: ItemFailureReasonType) => {
    progress.failed++;
    progress.failureReasons[reason] = (progress.failureReasons[reason] ?? 0) + 1;
  };
  for (const outcome of outcomes) {
    // An update Pleo refused leaves the item unfinished there: the job must not claim `completed`.
    if (rejectedIds.has(outcome.accountingEntryId)) countFailed('unexpected_failure');
    else if (outcome.status === 'successful') progress.successful++;
    else countFailed(outcome.failureReasonType);
  }
}

function describeProgress(progress: JobProgress): string {
  const done = progress.successful + progress.failed;
  return `**${progress.phase}**: ${done} of ${progress.totalItems} items final (${progress.successful} ok, ${progress.failed} failed)`;
}
