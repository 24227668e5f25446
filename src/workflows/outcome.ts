// Pure decisions about items and how a job ends. Deterministic: used inside the workflow.
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  type TemporalFailure,
} from '@temporalio/common';
import {
  MAX_LISTED_FAILURES,
  type ItemDescriptor,
  type ItemOutcome,
  type JobOutcome,
  type JobProgress,
} from '../shared/workflow-api';
import {
  ITEM_FAILURE_REASON_TYPES,
  JOB_FAILURE_REASON_TYPES,
  type ItemFailureReasonType,
  type JobFailureReasonType,
} from '../shared/failure-reasons';
import { ERROR_TYPES, type FailureClassification } from '../shared/error-types';

type FailedOutcome = ItemOutcome & { status: 'failed' };

/**
 * completed (every item successful) · completed_with_errors (some failed, with the main reason) ·
 * failed (none successful), decided on Pleo's own counts of the job's items.
 */
export function decideJobOutcome(
  progress: JobProgress,
  counts: { successful: number; failed: number; open: number },
): JobOutcome {
  const failed = counts.failed + counts.open;
  if (failed === 0) return { event: 'completed' };
  const main = mainReasons(progress.failureReasons);
  const [reason] = main;
  const named = main.map((r) => r.replace(/_/g, ' '));
  const listed = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
  const mostly = listed ? ` (mostly ${listed})` : '';
  const failureReasonType = asJobReason(reason);
  if (counts.successful > 0) {
    return {
      event: 'completed_with_errors',
      failureReasonType,
      failureReason: `${failed} of ${failed + counts.successful} items failed${mostly}; see each item for what to fix.`,
    };
  }
  return {
    event: 'failed',
    failureReasonType,
    failureReason: `All ${failed} items failed${mostly}; see each item for what to fix.`,
  };
}

/**
 * The most frequent failure reasons (several when their counts tie), whatever order the items failed
 * in: a specific reason before `unexpected_failure`, which says least about what to fix, then by name.
 */
function mainReasons(reasons: JobProgress['failureReasons']): string[] {
  const ranked = Object.entries(reasons)
    .filter(([, count]) => (count ?? 0) > 0)
    .sort(
      ([a, x], [b, y]) =>
        (y ?? 0) - (x ?? 0) ||
        Number(a === 'unexpected_failure') - Number(b === 'unexpected_failure') ||
        a.localeCompare(b),
    );
  const top = ranked[0]?.[1];
  return ranked.filter(([, count]) => count === top).map(([reason]) => reason);
}

/** Counts a failed item and lists it (bounded) with what a bookkeeper needs to find it. */
export function recordFailure(
  progress: JobProgress,
  d: Partial<ItemDescriptor> & { accountingEntryId: string },
  failed: { failureReasonType: ItemFailureReasonType; failureReason: string },
): void {
  progress.failed++;
  progress.failureReasons[failed.failureReasonType] =
    (progress.failureReasons[failed.failureReasonType] ?? 0) + 1;
  if (progress.failedItems.length >= MAX_LISTED_FAILURES) return;
  progress.failedItems.push({
    accountingEntryId: d.accountingEntryId,
    failureReasonType: failed.failureReasonType,
    failureReason: failed.failureReason,
    ...(d.merchant ? { merchant: d.merchant } : {}),
    ...(d.amount ? { amount: d.amount, currency: d.currency } : {}),
    ...(d.date ? { date: d.date } : {}),
  });
}

/**
 * Pleo refused an item's result twice: the item stays open there and counts as failed, once, with the
 * refusal as its reason (and what it had failed of, when it had).
 */
export function recordRefusal(
  progress: JobProgress,
  outcome: ItemOutcome,
  refused: { type: string; message: string },
): void {
  const refusal = `Pleo refused this item's result (${refused.type}: ${refused.message}).`;
  if (outcome.status === 'successful') {
    progress.successful--;
    recordFailure(
      progress,
      { accountingEntryId: outcome.accountingEntryId },
      { failureReasonType: 'unexpected_failure', failureReason: refusal },
    );
    return;
  }
  // Already counted and listed as failed: its reason changes, it is not failed a second time.
  const reasons = progress.failureReasons;
  reasons[outcome.failureReasonType] = (reasons[outcome.failureReasonType] ?? 1) - 1;
  reasons.unexpected_failure = (reasons.unexpected_failure ?? 0) + 1;
  const listed = progress.failedItems.find((f) => f.accountingEntryId === outcome.accountingEntryId);
  if (listed) {
    listed.failureReasonType = 'unexpected_failure';
    listed.failureReason = `${refusal} It had failed: ${outcome.failureReason}`;
  }
}

/** The classification an outage carries, when the item activity stopped on one (not the item's fault). */
export function outageOf(err: unknown): FailureClassification | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== ERROR_TYPES.outage) return undefined;
  return (
    (cause.details?.[0] as FailureClassification | undefined) ?? {
      jobFailureReasonType: 'service_unreachable',
      message: cause.message,
    }
  );
}

/** The failed outcome of an item activity that gave up: its Pleo reason type and message. */
export function itemFailureFromError(d: ItemDescriptor, err: unknown): FailedOutcome {
  const { accountingEntryId } = d;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && isItemReason(cause.type)) {
    return {
      accountingEntryId,
      status: 'failed',
      failureReasonType: cause.type,
      failureReason: cause.message,
    };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      accountingEntryId,
      status: 'failed',
      failureReasonType: 'accounting_system_timeout',
      failureReason: 'Exporting this item did not finish in time, even after retrying. Export it again.',
    };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return {
    accountingEntryId,
    status: 'failed',
    failureReasonType: 'unexpected_failure',
    failureReason: `Unexpected error while exporting this item (${message}). Export it again; if it keeps failing, contact the integration's support.`,
  };
}

/** The item reason Pleo shows on items that could not be processed because the job failed. */
export function itemReasonFor(jobReason: JobFailureReasonType): ItemFailureReasonType {
  return isItemReason(jobReason) ? jobReason : 'unexpected_failure';
}

function isItemReason(type: string | undefined | null): type is ItemFailureReasonType {
  return !!type && (ITEM_FAILURE_REASON_TYPES as readonly string[]).includes(type);
}

function asJobReason(reason: string | undefined): JobFailureReasonType {
  return reason && (JOB_FAILURE_REASON_TYPES as readonly string[]).includes(reason)
    ? (reason as JobFailureReasonType)
    : 'validation_failure';
}

/** Finds the classification an activity attached to its failure, through retries and timeouts. */
export function jobFailureFromError(err: TemporalFailure): {
  failureReasonType: JobFailureReasonType;
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
          failureReason: `${prefix}${details.message ?? cause.message}`,
        };
      }
    }
  }
  return {
    failureReasonType: timedOut ? 'service_timeout' : 'validation_failure',
    failureReason: timedOut
      ? 'The export did not finish within the configured time budget; it can be exported again.'
      : `The export stopped on an unexpected error: ${err.message}`,
  };
}

export function describeProgress(progress: JobProgress): string {
  const done = progress.successful + progress.failed;
  return `**${progress.phase}**: ${done} of ${progress.totalItems} items final (${progress.successful} ok, ${progress.failed} failed)`;
}
