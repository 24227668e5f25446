// Fault injection: 429 with Retry-After, 5xx, hangs and "applied but response lost", for the next N
// calls of one endpoint or by seeded probability, set at start or at run time through the admin API.
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { call, items, start } from '../support/sandbox';

let sandbox: PleoSandbox;
beforeAll(async () => {
  sandbox = await start({
    faults: [{ endpoint: 'GET /v3/export-jobs', kind: 'rate_limit', retryAfterSeconds: 7, times: 1 }],
  });
});
afterAll(() => sandbox?.close());

function newJob(n = 2) {
  const company = sandbox.createCompany();
  return {
    company,
    auth: { apiKey: company.apiKey },
    job: sandbox.createJob(company.id, items(sandbox, company.id, n)),
  };
}

test('a fault set at start answers 429 with Retry-After once, then the endpoint recovers', async () => {
  const limited = await call(sandbox, 'GET', '/v3/export-jobs');
  expect({ status: limited.status, retryAfter: limited.headers.get('retry-after') }).toEqual({
    status: 429,
    retryAfter: '7',
  });
  expect((await call(sandbox, 'GET', '/v3/export-jobs')).status).toBe(200);
});

test('faults set through the admin API: 503 for the next two calls of one endpoint only', async () => {
  const { auth, job } = newJob();
  const set = await fetch(`${sandbox.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      endpoint: 'GET /v3/export-jobs/{jobId}',
      kind: 'server_error',
      status: 503,
      times: 2,
    }),
  });
  expect(set.status).toBe(201);
  const statuses = [];
  for (let i = 0; i < 3; i++)
    statuses.push((await call(sandbox, 'GET', `/v3/export-jobs/${job.id}`, { auth })).status);
  expect(statuses).toEqual([503, 503, 200]);
  expect((await call(sandbox, 'GET', `/v3/export-jobs/${job.id}/items`, { auth })).status).toBe(200);
});

test('a lost response still applies the change: the job is started although the client saw no reply', async () => {
  const { auth, job } = newJob();
  sandbox.addFault({ endpoint: 'POST /v3/export-job-events', kind: 'lost_response', times: 1 });
  await expect(
    call(sandbox, 'POST', '/v3/export-job-events', { auth, body: { jobId: job.id, event: 'started' } }),
  ).rejects.toThrow();
  expect(sandbox.getJob(job.id).status).toBe('in_progress');
  // The client's retry of the same event is then refused, as Pleo refuses a repeated transition.
  expect(
    (
      await call(sandbox, 'POST', '/v3/export-job-events', {
        auth,
        body: { jobId: job.id, event: 'started' },
      })
    ).status,
  ).toBe(422);
});

test('a hang answers nothing and changes nothing until the client gives up', async () => {
  const { company, job } = newJob(1);
  sandbox.addFault({ endpoint: 'PUT /v3/export-jobs/{jobId}/items', kind: 'hang', times: 1 });
  const itemId = sandbox.jobItems(job.id)[0]!.accountingEntryId;
  const request = fetch(`${sandbox.url}/v3/export-jobs/${job.id}/items`, {
    method: 'PUT',
    headers: {
      authorization: `Basic ${Buffer.from(`${company.apiKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify([{ accountingEntryId: itemId, status: 'successful' }]),
    signal: AbortSignal.timeout(300),
  });
  await expect(request).rejects.toThrow();
  expect(sandbox.jobItems(job.id)[0]!.status).toBe('pending');
});

test('probabilistic faults are repeatable for one seed', async () => {
  const run = async () => {
    const s = await start({
      faultSeed: 42,
      faults: [{ endpoint: '*', kind: 'server_error', probability: 0.5 }],
    });
    try {
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await call(s, 'GET', '/v3/export-jobs')).status);
      return statuses;
    } finally {
      await s.close();
    }
  };
  const first = await run();
  expect(new Set(first)).toEqual(new Set([200, 503]));
  expect(await run()).toEqual(first);
});

test('calls are counted per endpoint, faulted ones included', async () => {
  sandbox.resetCalls();
  const { auth, job } = newJob();
  await call(sandbox, 'GET', `/v3/export-jobs/${job.id}`, { auth });
  await call(sandbox, 'GET', `/v3/export-jobs/${job.id}`, { auth });
  await call(sandbox, 'GET', `/v3/export-items?job_id=${job.id}`, { auth });
  const counts = (await (await fetch(`${sandbox.url}/admin/calls`)).json()) as {
    data: Record<string, number>;
  };
  expect(counts.data).toEqual({ 'GET /v3/export-jobs/{jobId}': 2, 'GET /v3/export-items': 1 });
});
