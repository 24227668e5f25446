// Turns adapter errors into Temporal failures, classified once: outages are retried (honouring
// Retry-After) until the workflow's outage budget runs out; refusals are not retried.
import { ApplicationFailure } from '@temporalio/activity';
import { PleoApiError } from '../pleo/errors';
import { AccountingSystemError } from '../accounting-systems/port';
import { UnknownCompanyError } from '../connections';
import { ERROR_TYPES, type FailureClassification } from '../shared/error-types';
import type { JobFailureReasonType } from '../shared/failure-reasons';

const AS_OUTAGE_REASON: Record<'unreachable' | 'timeout' | 'rate_limited', JobFailureReasonType> = {
  unreachable: 'accounting_system_unreachable',
  timeout: 'accounting_system_timeout',
  rate_limited: 'accounting_system_rate_limit',
};

/**
 * `extra` is appended to a classified failure's details (after the classification, which stays first),
 * e.g. the outcomes a page had reached, so the workflow still learns them when the activity gives up.
 */
export function toActivityFailure(err: unknown, extra?: unknown): Error {
  const failure = classify(err);
  if (extra === undefined || !(failure instanceof ApplicationFailure)) return failure;
  return new ApplicationFailure(
    failure.message,
    failure.type,
    failure.nonRetryable,
    [...(failure.details ?? [undefined]), extra],
    failure.cause,
    failure.nextRetryDelay,
  );
}

function classify(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof UnknownCompanyError)
    return ApplicationFailure.nonRetryable(err.message, ERROR_TYPES.unknownCompany);
  if (err instanceof PleoApiError) {
    const details: FailureClassification = {
      jobFailureReasonType: err.jobFailureReasonType,
      message: err.message,
    };
    return ApplicationFailure.create({
      message: err.message,
      type: err.retryable ? ERROR_TYPES.outage : ERROR_TYPES.pleoRejected,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.retryAfterMs,
      details: [details],
    });
  }
  if (err instanceof AccountingSystemError && err.kind.retryable) {
    const details: FailureClassification = {
      jobFailureReasonType: AS_OUTAGE_REASON[err.kind.reason],
      message: `The accounting system is unavailable: ${err.message}`,
    };
    return ApplicationFailure.create({
      message: details.message,
      type: ERROR_TYPES.outage,
      nextRetryDelay: err.kind.retryAfterMs,
      details: [details],
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Runs an activity body, converting whatever it throws into a classified Temporal failure. */
export async function classified<T>(body: () => Promise<T>, extra?: () => unknown): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toActivityFailure(err, extra?.());
  }
}
