// One per company (ID from the company id): processes that company's export jobs one at a time, oldest
// first, and ends when no job is left and no trigger arrived meanwhile. Webhooks, the polling schedule
// and `check now` all reach it with signal-with-start, so duplicate triggers never process a job twice.
// A company not in the configuration (a stale trigger, or removed since) ends it at once.
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import {
  TimeoutFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import type { createActivities } from '../activities';
import {
  SA_COMPANY_ID,
  SA_JOB_ID,
  companyStatusQuery,
  jobAvailableSignal,
  jobWorkflowId,
  type CompanyExportInput,
  type CompanyStatus,
} from '../shared/workflow-api';
import { ERROR_TYPES, NON_RETRYABLE_ERROR_TYPES } from '../shared/error-types';
import { exportJobWorkflow } from './export-job';

type Activities = ReturnType<typeof createActivities>;

const { findNextExportJob, ensureJobFinished } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
});

/** Jobs per run before continue-as-new; keeps a busy company's history small. */
const JOBS_PER_RUN = 25;

export async function companyExportWorkflow(input: CompanyExportInput): Promise<CompanyStatus> {
  const status: CompanyStatus = { companyId: input.companyId, jobsProcessed: input.jobsProcessed ?? 0 };
  let lookAgain = true;
  setHandler(jobAvailableSignal, () => {
    lookAgain = true;
  });
  setHandler(companyStatusQuery, () => status);

  let jobsThisRun = 0;
  try {
    while (lookAgain) {
      lookAgain = false;
      const next = await findNextExportJob({ companyId: input.companyId });
      if (!next) continue;
      lookAgain = true; // after a job, there may be another one
      status.currentJobId = next.jobId;
      await runJob(input, next.jobId);
      status.currentJobId = undefined;
      status.jobsProcessed++;
      if (++jobsThisRun >= JOBS_PER_RUN || workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof companyExportWorkflow>({ ...input, jobsProcessed: status.jobsProcessed });
      }
    }
  } catch (err) {
    if (!isUnknownCompany(err)) throw err;
    // A stale or forged trigger, or a company removed from the configuration (even mid-job).
    log.warn('company is not in the configuration: its export workflow ends', {
      companyId: input.companyId,
      jobId: status.currentJobId,
    });
  }
  await condition(allHandlersFinished);
  return status;
}

function isUnknownCompany(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === ERROR_TYPES.unknownCompany;
}

async function runJob(input: CompanyExportInput, jobId: string): Promise<void> {
  const { companyId } = input;
  try {
    await executeChild(exportJobWorkflow, {
      workflowId: jobWorkflowId(companyId, jobId),
      args: [{ companyId, jobId, settings: input.settings }],
      // The job must end in Pleo even if this company workflow is terminated.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // Only one open run per job (the ID); a closed one (terminated, failed) may be followed by a new
      // run that resumes the still in_progress job without sending `started` again.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      // A bug that keeps failing workflow tasks must not hold the company forever.
      workflowExecutionTimeout: '6 hours',
      typedSearchAttributes: [
        { key: SA_COMPANY_ID, value: companyId },
        { key: SA_JOB_ID, value: jobId },
      ],
      staticSummary: `Pleo export job ${jobId}`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      // A job workflow from an earlier (terminated) company run is still working on it: wait for it.
      log.info('export job workflow already running; waiting', { jobId });
      await sleep('1 minute');
      return;
    }
    if (!(err instanceof ChildWorkflowFailure)) throw err;
    // The job workflow failed, timed out or was terminated: make sure the job still ends in Pleo.
    log.warn('export job workflow ended abnormally; failing the job in Pleo if still open', { jobId });
    const timedOut = err.cause instanceof TimeoutFailure;
    await ensureJobFinished({
      companyId,
      jobId,
      failureReasonType: timedOut ? 'service_timeout' : 'integration_unusable',
      failureReason: timedOut
        ? 'The export took longer than its time limit and was ended so the next export is not blocked; export the items again.'
        : 'The export stopped unexpectedly and was ended so the next export is not blocked; export the items again.',
    });
  }
}
