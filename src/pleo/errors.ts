// Pleo API errors, classified once, in one place: every failure of the client (HTTP status, Pleo's
// `type` code, network, timeout, malformed body, OAuth refusal) becomes a PleoApiError here.
//
// | Cause                                   | kind               | retryable | job failureReasonType   |
// | --------------------------------------- | ------------------ | --------- | ----------------------- |
// | 429 (honours Retry-After)               | rate_limited       | yes       | pleo_rate_limit         |
// | 500 / 502 / 503 / 504                   | unavailable        | yes       | service_unreachable     |
// | other 5xx                               | unavailable        | no        | service_unreachable     |
// | network error (no response)             | network            | yes       | service_unreachable     |
// | timeout, 408                            | timeout            | yes       | service_timeout         |
// | 401, OAuth invalid_client               | unauthenticated    | no        | authentication_failure  |
// | OAuth invalid_grant (refresh rejected)  | reconnect_required | no        | authentication_failure  |
// | 403                                     | forbidden          | no        | authorization_failure   |
// | 400                                     | bad_request        | no        | validation_failure (*)  |
// | 404 / 409 / 413 / 422                   | not_found / …      | no        | validation_failure      |
// | 2xx with a body that breaks the schema  | malformed_response | no        | validation_failure      |
// | > 100 item updates (refused, not sent)  | too_large          | no        | validation_failure      |
// | credential of another company / scopes  | forbidden          | no        | invalid_configuration   |
// (*) 400 MISSING_CONTRA_ACCOUNTS → missing_configuration: the bookkeeper must map contra accounts in Pleo.
// Pleo defines no job reason for "Pleo refused our credentials"; authentication_failure / authorization_failure
// are the closest, and "service_*" the closest for the integration failing to talk to Pleo.
import type { JobFailureReasonType } from '../shared/failure-reasons';

export type PleoErrorKind =
  | 'rate_limited'
  | 'unavailable'
  | 'network'
  | 'timeout'
  | 'unauthenticated'
  | 'reconnect_required'
  | 'forbidden'
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unprocessable'
  | 'rejected'
  | 'malformed_response';

/** Pleo's error `type` codes the integration reacts to (Export API v3; compared case-insensitively). */
export const PLEO_ERROR_CODES = {
  exportNotFound: 'EXPORT_NOT_FOUND',
  exportAlreadyInProgress: 'EXPORT_ALREADY_IN_PROGRESS',
  invalidStatusChange: 'INVALID_EXPORT_JOB_STATUS_CHANGE',
  jobStatusUnprocessable: 'EXPORT_JOB_STATUS_UNPROCESSABLE',
  itemsUpdateLimit: 'EXPORT_JOB_ITEMS_UPDATE_LIMIT',
  missingContraAccounts: 'MISSING_CONTRA_ACCOUNTS',
  reconnectRequired: 'RECONNECT_REQUIRED',
} as const;

/** Job failure reasons that depend on Pleo's `type` code rather than on the status alone. */
const REASON_BY_CODE: Record<string, JobFailureReasonType> = {
  [PLEO_ERROR_CODES.missingContraAccounts]: 'missing_configuration',
};

const KIND_BY_STATUS: Record<number, PleoErrorKind> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  408: 'timeout',
  409: 'conflict',
  413: 'too_large',
  422: 'unprocessable',
  429: 'rate_limited',
};

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

const REASON_BY_KIND: Record<PleoErrorKind, JobFailureReasonType> = {
  rate_limited: 'pleo_rate_limit',
  unavailable: 'service_unreachable',
  network: 'service_unreachable',
  timeout: 'service_timeout',
  unauthenticated: 'authentication_failure',
  reconnect_required: 'authentication_failure',
  forbidden: 'authorization_failure',
  bad_request: 'validation_failure',
  not_found: 'validation_failure',
  conflict: 'validation_failure',
  too_large: 'validation_failure',
  unprocessable: 'validation_failure',
  rejected: 'validation_failure',
  malformed_response: 'validation_failure',
};

export interface PleoApiErrorInit {
  message: string;
  endpoint: string;
  kind: PleoErrorKind;
  retryable: boolean;
  status?: number;
  code?: string;
  retryAfterMs?: number;
  jobFailureReasonType?: JobFailureReasonType;
  /** Where a malformed body broke the schema, e.g. `data.0.status`. */
  responsePath?: string;
}

export class PleoApiError extends Error {
  readonly kind: PleoErrorKind;
  readonly status?: number;
  /** Pleo's error `type` (e.g. EXPORT_NOT_FOUND), upper-cased: Pleo's docs mix cases. */
  readonly code?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly jobFailureReasonType: JobFailureReasonType;
  /** `METHOD /path` without query string (which may carry cursors) and never with credentials. */
  readonly endpoint: string;
  readonly responsePath?: string;

  constructor(init: PleoApiErrorInit) {
    super(init.message);
    this.name = 'PleoApiError';
    this.kind = init.kind;
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.code = init.code?.toUpperCase();
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.responsePath = init.responsePath;
    this.jobFailureReasonType =
      init.jobFailureReasonType ??
      (this.code ? REASON_BY_CODE[this.code] : undefined) ??
      REASON_BY_KIND[init.kind];
  }

  /** True when Pleo answered with this error type (compared case-insensitively). */
  is(code: string): boolean {
    return this.code === code.toUpperCase();
  }

  /** Only classification fields: safe for logs and Temporal failure details. */
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      endpoint: this.endpoint,
      status: this.status,
      code: this.code,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      jobFailureReasonType: this.jobFailureReasonType,
      responsePath: this.responsePath,
    };
  }
}

/**
 * The OAuth connection can no longer refresh (refresh token expired, revoked or reused): retrying cannot
 * help, a person must connect the company to Pleo again.
 */
export class ReconnectRequiredError extends PleoApiError {
  readonly connectionId: string;
  constructor(connectionId: string, reason: string) {
    super({
      message:
        `Pleo connection "${connectionId}" must be re-connected: ${reason}. ` +
        'An admin of the Pleo company has to authorise this integration again (OAuth connect); ' +
        'exports for this company are paused until then.',
      endpoint: 'POST /oauth/token',
      kind: 'reconnect_required',
      code: PLEO_ERROR_CODES.reconnectRequired,
      retryable: false,
    });
    this.name = 'ReconnectRequiredError';
    this.connectionId = connectionId;
  }
}

/** Parses `Retry-After` (delay in seconds, or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP-date names its weekday/month ("Wed, 22 Apr 2026 10:00:30 GMT"); a bare "-5" is not one.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function classifyResponse(input: {
  endpoint: string;
  status: number;
  body: unknown;
  retryAfter?: string;
  now?: number;
}): PleoApiError {
  const { status, endpoint } = input;
  const body = (input.body ?? {}) as { type?: unknown; message?: unknown };
  const code = typeof body?.type === 'string' ? body.type : undefined;
  const detail = typeof body?.message === 'string' ? body.message.slice(0, 300) : undefined;
  const kind: PleoErrorKind = KIND_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'rejected');
  const retryable = RETRYABLE_STATUSES.has(status);
  return new PleoApiError({
    message: `Pleo ${endpoint} answered ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`,
    endpoint,
    kind,
    status,
    code,
    retryable,
    retryAfterMs: retryable ? parseRetryAfter(input.retryAfter, input.now) : undefined,
  });
}

/** `origin` is where the request went (scheme, host and port only: paths and queries stay out of messages). */
export function networkError(
  endpoint: string,
  cause: { code?: string; origin?: string },
  timedOut: boolean,
): PleoApiError {
  const at = cause.origin ? ` at ${cause.origin}` : '';
  return new PleoApiError({
    message: `Pleo ${endpoint}${at} ${timedOut ? 'timed out' : `could not be reached (${cause.code ?? 'network error'})`}`,
    endpoint,
    kind: timedOut ? 'timeout' : 'network',
    retryable: true,
  });
}

/** A 2xx answer whose body does not match Pleo's contract: never a crash or a silent `undefined`. */
export function malformedResponse(
  endpoint: string,
  status: number,
  issues: { path: string; message: string }[],
): PleoApiError {
  const where = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
  return new PleoApiError({
    message: `Pleo ${endpoint} answered ${status} with a body that does not match its contract at ${where}`,
    endpoint,
    kind: 'malformed_response',
    status,
    retryable: false,
    responsePath: issues[0]?.path,
  });
}

/** The client refuses a request Pleo is documented to reject, without sending it. */
export function refusedBeforeSending(
  endpoint: string,
  kind: PleoErrorKind,
  code: string,
  message: string,
): PleoApiError {
  return new PleoApiError({
    message: `${message} (not sent to Pleo ${endpoint})`,
    endpoint,
    kind,
    code,
    retryable: false,
  });
}

/**
 * Errors from Pleo's OAuth token endpoint (RFC 6749 §5.2 `error` codes). `invalid_grant` on a refresh
 * means the refresh token is expired, revoked or was reused: only re-connecting helps.
 */
export function classifyTokenError(input: {
  connectionId: string;
  grant: 'authorization_code' | 'refresh_token';
  status?: number;
  error?: string;
  retryAfter?: string;
}): PleoApiError {
  const endpoint = 'POST /oauth/token';
  if (input.grant === 'refresh_token' && input.error === 'invalid_grant') {
    return new ReconnectRequiredError(
      input.connectionId,
      'Pleo rejected its refresh token (invalid_grant: expired, revoked or reused)',
    );
  }
  if (input.error === 'invalid_client' || input.error === 'unauthorized_client') {
    return new PleoApiError({
      message: `Pleo's token endpoint rejected the OAuth client (${input.error}): check the configured client id and secret`,
      endpoint,
      kind: 'unauthenticated',
      status: input.status,
      code: input.error,
      retryable: false,
    });
  }
  if (input.status !== undefined && (input.status >= 500 || input.status === 429 || input.status === 408)) {
    return classifyResponse({
      endpoint,
      status: input.status,
      body: { type: input.error },
      retryAfter: input.retryAfter,
    });
  }
  return new PleoApiError({
    message: `Pleo's token endpoint refused the ${input.grant} grant${input.error ? ` (${input.error})` : ''}`,
    endpoint,
    kind: input.status === 401 ? 'unauthenticated' : 'bad_request',
    status: input.status,
    code: input.error,
    retryable: false,
  });
}

/** A credential that authenticates but cannot serve this connection (wrong company, missing scopes). */
export function credentialRefused(endpoint: string, message: string): PleoApiError {
  return new PleoApiError({
    message,
    endpoint,
    kind: 'forbidden',
    retryable: false,
    jobFailureReasonType: 'invalid_configuration',
  });
}

/** The OAuth callback did not carry our state and a code, or Pleo refused the authorisation. */
export function authorizationRejected(reason: string): PleoApiError {
  return new PleoApiError({
    message: `Pleo OAuth callback rejected: ${reason}; start the connection again`,
    endpoint: 'GET /oauth/authorize',
    kind: 'unauthenticated',
    retryable: false,
  });
}
