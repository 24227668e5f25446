// Pleo API errors, classified once, in one place.
//
// | Response                          | retryable | job failureReasonType when the job must fail |
// | --------------------------------- | --------- | -------------------------------------------- |
// | 429 (honours Retry-After)         | yes       | pleo_rate_limit                              |
// | 502 / 503 / 504, 500              | yes       | service_unreachable                          |
// | network error (no response)       | yes       | service_unreachable                          |
// | timeout                           | yes       | service_timeout                              |
// | 401                               | no        | authentication_failure                       |
// | 403                               | no        | authorization_failure                        |
// | 400 / 404 / 409 / 413 / 422       | no        | validation_failure                           |
// "service_*" are the closest job reasons Pleo offers for the integration failing to talk to Pleo.
import type { JobFailureReasonType } from '../shared/failure-reasons';

export class PleoApiError extends Error {
  readonly status?: number;
  /** Pleo's error `type` (e.g. EXPORT_NOT_FOUND), upper-cased: Pleo's docs mix cases. */
  readonly code?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly jobFailureReasonType: JobFailureReasonType;
  /** `METHOD /path` without query string (which may carry cursors) and never with credentials. */
  readonly endpoint: string;

  constructor(init: {
    message: string;
    endpoint: string;
    status?: number;
    code?: string;
    retryable: boolean;
    retryAfterMs?: number;
    jobFailureReasonType: JobFailureReasonType;
  }) {
    super(init.message);
    this.name = 'PleoApiError';
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.code = init.code?.toUpperCase();
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.jobFailureReasonType = init.jobFailureReasonType;
  }

  /** True when Pleo answered with this error type (compared case-insensitively). */
  is(code: string): boolean {
    return this.code === code.toUpperCase();
  }
}

/** Parses `Retry-After` (delay in seconds, or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function classifyResponse(input: {
  endpoint: string;
  status: number;
  body: unknown;
  retryAfter?: string;
}): PleoApiError {
  const { status } = input;
  const body = (input.body ?? {}) as { type?: unknown; message?: unknown };
  const code = typeof body.type === 'string' ? body.type : undefined;
  const detail = typeof body.message === 'string' ? body.message : undefined;
  const message = `Pleo ${input.endpoint} answered ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    return new PleoApiError({
      message,
      endpoint: input.endpoint,
      status,
      code,
      retryable: true,
      retryAfterMs: parseRetryAfter(input.retryAfter),
      jobFailureReasonType: 'pleo_rate_limit',
    });
  }
  if (status >= 500) {
    return new PleoApiError({ message, endpoint: input.endpoint, status, code, retryable: true, jobFailureReasonType: 'service_unreachable' });
  }
  const jobFailureReasonType: JobFailureReasonType =
    status === 401 ? 'authentication_failure' : status === 403 ? 'authorization_failure' : 'validation_failure';
  return new PleoApiError({ message, endpoint: input.endpoint, status, code, retryable: false, jobFailureReasonType });
}

export function networkError(endpoint: string, cause: { code?: string; message: string }, timedOut: boolean): PleoApiError {
  return new PleoApiError({
    message: `Pleo ${endpoint} ${timedOut ? 'timed out' : `could not be reached (${cause.code ?? cause.message})`}`,
    endpoint,
    retryable: true,
    jobFailureReasonType: timedOut ? 'service_timeout' : 'service_unreachable',
  });
}
