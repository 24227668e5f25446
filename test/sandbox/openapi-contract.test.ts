// The contract checker itself: it must catch what it exists to catch, naming where.
import { pleoContract } from '../support/openapi';

const contract = pleoContract();
const job = {
  id: '8eb648ab-464b-42a0-ba17-eda703657e33',
  companyId: '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11',
  status: 'pending',
  createdAt: '2026-04-22T09:58:12Z',
  isInteractive: true,
  numberOfItems: 4,
  vendorBasedBookkeeping: false,
  expiresIn: 3600,
  lastUpdatedAt: '2026-04-22T09:58:12Z',
  startedAt: null,
};
const get = (body: unknown, status = 200) => ({
  method: 'GET',
  url: `/v3/export-jobs/${job.id}`,
  status,
  contentType: 'application/json;charset=UTF-8',
  body,
});

test('a valid job passes; real timestamps pass although the file writes their format as a pattern', () => {
  expect(() => contract.validateResponse(get({ data: job }))).not.toThrow();
});

test('a missing required field or a wrong type fails, naming the operation and the path', () => {
  const { id: _id, ...withoutId } = job;
  expect(() => contract.validateResponse(get({ data: withoutId }))).toThrow(
    /GET \/v3\/export-jobs\/\{jobId\} → 200[\s\S]*at \/data: must have required property 'id'/,
  );
  expect(() => contract.validateResponse(get({ data: { ...job, expiresIn: '3600' } }))).toThrow(
    /at \/data\/expiresIn: must be integer/,
  );
  expect(() => contract.validateResponse(get({ data: { ...job, createdAt: 'yesterday' } }))).toThrow(
    /at \/data\/createdAt: must match format/,
  );
});

test('statuses: undocumented errors must be ExceptionInfo, undocumented successes fail', () => {
  expect(() => contract.validateResponse(get({ type: 'TOO_MANY_REQUESTS' }, 429))).not.toThrow();
  expect(() => contract.validateResponse(get({ message: 'no type' }, 429))).toThrow(/error body/);
  expect(() => contract.validateResponse(get({ data: job }, 203))).toThrow(/status 203 is not documented/);
  expect(() => contract.validateResponse({ ...get({ data: job }), contentType: 'text/html' })).toThrow(
    /content-type/,
  );
});

test('requests: undocumented query parameters, bad enum values and bad bodies fail', () => {
  expect(() => contract.validateRequest({ method: 'GET', url: '/v3/export-jobs?companyId=x' })).toThrow(
    /query parameter companyId is not documented/,
  );
  expect(() => contract.validateRequest({ method: 'GET', url: '/v3/export-jobs?statuses=done' })).toThrow(
    /statuses/,
  );
  expect(() =>
    contract.validateRequest({
      method: 'GET',
      url: '/v3/export-jobs?statuses=pending&statuses=in_progress&limit=10',
    }),
  ).not.toThrow();
  expect(() =>
    contract.validateRequest({
      method: 'POST',
      url: '/v3/export-job-events',
      body: { jobId: job.id, event: 'cancelled' },
    }),
  ).toThrow(/request body[\s\S]*\/event/);
  expect(() => contract.validateRequest({ method: 'GET', url: '/v9/nothing' })).toThrow(/No operation/);
});
