// Pure decisions about how a job ends. Deterministic: used inside the workflow.
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  type TemporalFailure,
} from '@temporalio/common';
import type { ItemOutcome, JobOutcome, JobProgress } from '../shared/workflow-api';
import {
  ITEM_FAILURE_REASON_TYPES,
  JOB_FAILURE_REASON_TYPES,
  type ItemFailureReasonType,
  type JobFailureReasonType,
} from '../shared/failure-reasons';
import type { FailureClassification } from '../shared/error-types';

/** completed (all ok) · completed_with_errors (some failed) · failed (all failed), per Pleo's rule 25. */
export function decideJobOutcome(progress: JobProgress): JobOutcome {
  if (progress.failed === 0) return { event: 'completed' };
  if (progress.successful > 0) return { event: 'completed_with_errors' };
  const [reason] = Object.entries(progress.failureReasons).sort((a, b) => b[1] - a[1])[0] ?? [];
  const jobReason = asJobReason(reason);
  return {
    event: 'failed',
    failureReasonType: jobReason,
    failureReason: `All ${progress.failed} items failed${reason ? ` (mostly ${reason.replace(/_/g, ' ')})` : ''}; see each item for what to fix.`,
  };
}

/** The item reason Pleo shows on items that could not be processed because the job failed. */
export function itemReasonFor(jobReason: JobFailureReasonType): ItemFailureReasonType {
  return (ITEM_FAILURE_REASON_TYPES as readonly string[]).includes(jobReason)
    ? (jobReason as ItemFailureReasonType)
    : 'unexpected_failure';
}

function asJobReason(reason: string | undefined): JobFailureReasonType {
  return reason && (JOB_FAILURE_REASON_TYPES as readonly string[]).includes(reason)
    ? (reason as JobFailureReasonType)
    : 'validation_failure';
}

/** Finds the classification an activity attached to its failure, through retries and timeouts. */
export function jobFailureFromError(err: TemporalFailure): {
  failureReasonType: JobFailureReasonType;
  itemFailureReasonType: ItemFailureReasonType;
  failureReason: string;
} {
  let timedOut = false;
  for (let cause: Error | undefined = err; cause; cause = (cause as TemporalFailure).cause) {
    if (cause instanceof TimeoutFailure) timedOut = true;
    if (cause instanceof ApplicationFailure) {
      const details = cause.details?.[0] as Partial<FailureClassification> | undefined;
      if (details?.jobFailureReasonType) {
        const prefix = timedOut ? 'Gave up after retrying for the configured outage budget: ' : '';
        return {
          failureReasonType: details.jobFailureReasonType,
          itemFailureReasonType: itemReasonFor(details.jobFailureReasonType),
          failureReason: `${prefix}${details.message ?? cause.message}`,
        };
      }
    }
  }
  return {
    failureReasonType: timedOut ? 'service_timeout' : 'validation_failure',
    itemFailureReasonType: 'unexpected_failure',
    failureReason: timedOut
      ? 'The export did not finish within the configured time budget; it can be exported again.'
      : `The export stopped on an unexpected error: ${err.message}`,
  };
}

/**
 * The outcomes a page that gave up had reached (items it booked or failed before the outage): carried in
 * its last failure's details after the classification, or in its last heartbeat when it timed out.
 */
export function pageOutcomesFromError(err: TemporalFailure, pageActivity: string): ItemOutcome[] {
  if (!(err instanceof ActivityFailure) || err.activityType !== pageActivity) return [];
  const cause = err.cause;
  const carried =
    cause instanceof ApplicationFailure
      ? cause.details?.[1]
      : cause instanceof TimeoutFailure
        ? cause.lastHeartbeatDetails
        : undefined;
  const { outcomes, booked } = (carried ?? {}) as { outcomes?: unknown; booked?: unknown };
  const reached = new Map<string, ItemOutcome>();
  // Booked items whose receipts were still to be attached count as booked: never reported failed.
  for (const list of [booked, outcomes])
    if (Array.isArray(list)) for (const o of list as ItemOutcome[]) reached.set(o.accountingEntryId, o);
  return [...reached.values()];
}
