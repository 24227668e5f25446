// Turns adapter errors into Temporal failures, classified once: outages are retried (honouring
// Retry-After) until the workflow's outage budget runs out; refusals are not retried.
import { ApplicationFailure } from '@temporalio/activity';
import { PleoApiError } from '../pleo/errors';
import { AccountingSystemError } from '../accounting-systems/port';
import { UnknownCompanyError } from '../connections';
import { ItemError, OutageAfterBooking } from '../export/export-item';
import { ERROR_TYPES, type FailureClassification } from '../shared/error-types';
import type { ItemFailure, JobFailureReasonType } from '../shared/failure-reasons';

const AS_OUTAGE_REASON: Record<'unreachable' | 'timeout' | 'rate_limited', JobFailureReasonType> = {
  unreachable: 'accounting_system_unreachable',
  timeout: 'accounting_system_timeout',
  rate_limited: 'accounting_system_rate_limit',
};

export function toActivityFailure(err: unknown, booked?: ItemFailure): Error {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof UnknownCompanyError)
    return ApplicationFailure.nonRetryable(err.message, ERROR_TYPES.unknownCompany);
  if (err instanceof PleoApiError) {
    const details: FailureClassification = {
      jobFailureReasonType: err.jobFailureReasonType,
      message: err.message,
      booked,
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
      booked,
      retryAfterMs: err.kind.reason === 'rate_limited' ? (err.kind.retryAfterMs ?? 1_000) : undefined,
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

/**
 * An item activity's failure: the item's own problem typed with Pleo's failureReasonType and message
 * (retryable only when transient), or an outage (type Outage, carrying the entry when it was booked).
 */
export function itemActivityFailure(err: unknown): Error {
  if (err instanceof ItemError)
    return ApplicationFailure.create({
      message: err.failure.message,
      type: err.failure.reasonType,
      nonRetryable: !err.transient,
    });
  if (err instanceof OutageAfterBooking) return toActivityFailure(err.outage, err.failure);
  return toActivityFailure(err);
}

/** Runs an activity body, converting whatever it throws into a classified Temporal failure. */
export async function classified<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
