// The one classification table of Pleo failures: what is retried, what is not, and which job
// failureReasonType a job ends with. No server needed.
import {
  classifyResponse,
  classifyTokenError,
  malformedResponse,
  networkError,
  parseRetryAfter,
  PleoApiError,
  PLEO_ERROR_CODES,
  ReconnectRequiredError,
} from '../../src/pleo/errors';
import { JOB_FAILURE_REASON_TYPES } from '../../src/shared/failure-reasons';

const endpoint = 'GET /v3/export-jobs';

describe('classifyResponse', () => {
  it.each([
    [429, 'rate_limited', true, 'pleo_rate_limit'],
    [500, 'unavailable', true, 'service_unreachable'],
    [502, 'unavailable', true, 'service_unreachable'],
    [503, 'unavailable', true, 'service_unreachable'],
    [504, 'unavailable', true, 'service_unreachable'],
    [408, 'timeout', true, 'service_timeout'],
    [501, 'unavailable', false, 'service_unreachable'],
    [400, 'bad_request', false, 'validation_failure'],
    [401, 'unauthenticated', false, 'authentication_failure'],
    [403, 'forbidden', false, 'authorization_failure'],
    [404, 'not_found', false, 'validation_failure'],
    [409, 'conflict', false, 'validation_failure'],
    [413, 'too_large', false, 'validation_failure'],
    [422, 'unprocessable', false, 'validation_failure'],
    [418, 'rejected', false, 'validation_failure'],
  ])('%i → %s, retryable %s, job reason %s', (status, kind, retryable, reason) => {
    const error = classifyResponse({ endpoint, status, body: undefined });
    expect(error).toBeInstanceOf(PleoApiError);
    expect({
      kind: error.kind,
      retryable: error.retryable,
      reason: error.jobFailureReasonType,
      status: error.status,
    }).toEqual({
      kind,
      retryable,
      reason,
      status,
    });
    expect(JOB_FAILURE_REASON_TYPES).toContain(error.jobFailureReasonType);
  });

  it("compares Pleo's type codes case-insensitively (the docs use both cases)", () => {
    const lower = classifyResponse({
      endpoint,
      status: 422,
      body: { type: 'export_job_status_unprocessable', message: 'finished' },
    });
    const upper = classifyResponse({
      endpoint,
      status: 422,
      body: { type: 'EXPORT_JOB_STATUS_UNPROCESSABLE' },
    });
    expect(lower.is(PLEO_ERROR_CODES.jobStatusUnprocessable)).toBe(true);
    expect(upper.is('export_job_status_unprocessable')).toBe(true);
    expect(lower.code).toBe(upper.code);
    expect(lower.is(PLEO_ERROR_CODES.invalidStatusChange)).toBe(false);
  });

  it('maps 400 MISSING_CONTRA_ACCOUNTS (any case) to missing_configuration: the bookkeeper must map accounts', () => {
    const error = classifyResponse({ endpoint, status: 400, body: { type: 'missing_contra_accounts' } });
    expect(error.jobFailureReasonType).toBe('missing_configuration');
    expect(error.retryable).toBe(false);
  });

  it("names the endpoint, status, Pleo's type and message", () => {
    const error = classifyResponse({
      endpoint: 'GET /v3/export-jobs/x',
      status: 404,
      body: { type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' },
    });
    expect(error.message).toBe(
      'Pleo GET /v3/export-jobs/x answered 404 EXPORT_NOT_FOUND: Export job not found.',
    );
  });

  it('ignores bodies that are not Pleo error objects', () => {
    for (const body of ['<html>Bad gateway</html>', null, 42, ['x'], { type: 7 }]) {
      const error = classifyResponse({ endpoint, status: 502, body });
      expect(error.code).toBeUndefined();
      expect(error.retryable).toBe(true);
    }
  });

  it('surfaces Retry-After on retryable answers only', () => {
    const now = Date.parse('2026-04-22T10:00:00Z');
    expect(classifyResponse({ endpoint, status: 429, body: {}, retryAfter: '7', now }).retryAfterMs).toBe(
      7000,
    );
    expect(
      classifyResponse({ endpoint, status: 503, body: {}, retryAfter: 'Wed, 22 Apr 2026 10:00:30 GMT', now })
        .retryAfterMs,
    ).toBe(30_000);
    expect(classifyResponse({ endpoint, status: 429, body: {} }).retryAfterMs).toBeUndefined();
    expect(
      classifyResponse({ endpoint, status: 422, body: {}, retryAfter: '7' }).retryAfterMs,
    ).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-04-22T10:00:00Z');
  it.each([
    ['0', 0],
    ['120', 120_000],
    ['1.5', 1500],
    [' 3 ', 3000],
    ['Wed, 22 Apr 2026 10:01:00 GMT', 60_000],
    ['Wed, 22 Apr 2026 09:59:00 GMT', 0],
  ])('%j → %i ms', (value, ms) => expect(parseRetryAfter(value, now)).toBe(ms));

  it.each([undefined, '', '-5', 'soon', '1e3'])('%j → undefined', (value) =>
    expect(parseRetryAfter(value, now)).toBeUndefined(),
  );
});

describe('errors without an HTTP answer', () => {
  it('network errors and timeouts are retryable with service reasons', () => {
    const refused = networkError(endpoint, { code: 'ECONNREFUSED' }, false);
    const slow = networkError(endpoint, { code: 'ECONNABORTED' }, true);
    expect([refused.kind, refused.retryable, refused.jobFailureReasonType]).toEqual([
      'network',
      true,
      'service_unreachable',
    ]);
    expect([slow.kind, slow.retryable, slow.jobFailureReasonType]).toEqual([
      'timeout',
      true,
      'service_timeout',
    ]);
    expect(refused.message).toContain('ECONNREFUSED');
  });

  it('a malformed body names every offending path and is not retried', () => {
    const error = malformedResponse(endpoint, 200, [
      { path: 'data.0.status', message: 'Invalid option' },
      { path: 'pagination.hasNextPage', message: 'expected boolean' },
    ]);
    expect(error.kind).toBe('malformed_response');
    expect(error.responsePath).toBe('data.0.status');
    expect(error.message).toContain('data.0.status: Invalid option');
    expect(error.message).toContain('pagination.hasNextPage: expected boolean');
    expect(error.retryable).toBe(false);
  });
});

describe('OAuth token endpoint errors', () => {
  it('invalid_grant on a refresh means re-connect, never retry', () => {
    const error = classifyTokenError({
      connectionId: 'company-1',
      grant: 'refresh_token',
      status: 400,
      error: 'invalid_grant',
    });
    expect(error).toBeInstanceOf(ReconnectRequiredError);
    expect(error.kind).toBe('reconnect_required');
    expect(error.retryable).toBe(false);
    expect(error.jobFailureReasonType).toBe('authentication_failure');
    expect(error.message).toMatch(/must be re-connected/);
    expect(error.message).toMatch(/authorise this integration again/);
  });

  it('a refused authorization code is not a re-connect of an existing connection', () => {
    const error = classifyTokenError({
      connectionId: 'c',
      grant: 'authorization_code',
      status: 400,
      error: 'invalid_grant',
    });
    expect(error).not.toBeInstanceOf(ReconnectRequiredError);
    expect(error.retryable).toBe(false);
  });

  it('bad client credentials point at the configuration', () => {
    const error = classifyTokenError({
      connectionId: 'c',
      grant: 'refresh_token',
      status: 401,
      error: 'invalid_client',
    });
    expect(error.kind).toBe('unauthenticated');
    expect(error.message).toMatch(/client id and secret/);
  });

  it('an unavailable token endpoint is retryable', () => {
    const error = classifyTokenError({
      connectionId: 'c',
      grant: 'refresh_token',
      status: 503,
      retryAfter: '2',
    });
    expect([error.retryable, error.retryAfterMs]).toEqual([true, 2000]);
  });
});

it('toJSON carries the classification only', () => {
  const error = classifyResponse({ endpoint, status: 429, body: { type: 'TOO_MANY' }, retryAfter: '1' });
  expect(JSON.parse(JSON.stringify(error))).toEqual({
    name: 'PleoApiError',
    message: 'Pleo GET /v3/export-jobs answered 429 TOO_MANY',
    kind: 'rate_limited',
    endpoint,
    status: 429,
    code: 'TOO_MANY',
    retryable: true,
    retryAfterMs: 1000,
    jobFailureReasonType: 'pleo_rate_limit',
  });
});
