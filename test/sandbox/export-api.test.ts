// The Export API v3 of the sandbox against Pleo's OpenAPI and Pleo's documented rules: pagination,
// the job state machine, one unfinished job per company, item updates, expiry, company scoping.
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { call, items, manualClock, start } from '../support/sandbox';

let sandbox: PleoSandbox;
const clock = manualClock();
beforeAll(async () => {
  sandbox = await start({ clock });
});
afterAll(() => sandbox?.close());

type Page<T> = { data: T[]; pagination: { hasNextPage: boolean; endCursor?: string; total?: number } };
type Job = {
  id: string;
  status: string;
  expiresIn: number;
  failureReasonType?: string;
  expiredAt?: string | null;
};
type JobItem = { accountingEntryId: string; status: string; externalId?: string | null };

function newCompany() {
  const company = sandbox.createCompany({ walletCurrency: 'EUR' });
  return { ...company, auth: { apiKey: company.apiKey } };
}

async function readAll<T>(
  path: string,
  auth: { apiKey: string },
  limit: number,
): Promise<{ data: T[]; pages: number }> {
  const data: T[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await call(sandbox, 'GET', `${path}${sep}limit=${limit}${after ? `&after=${after}` : ''}`, {
      auth,
    });
    expect(r.status).toBe(200);
    const page = r.body as Page<T>;
    data.push(...page.data);
    pages++;
    if (!page.pagination.hasNextPage) return { data, pages };
    after = page.pagination.endCursor;
    expect(after).toMatch(/^[A-Z2-7=~]+$/);
  }
}

test('export items and job items page to the end with opaque base32 cursors', async () => {
  const c = newCompany();
  const exportItems = items(sandbox, c.id, 57, 'paging');
  const job = sandbox.createJob(c.id, exportItems);

  const fetched = await readAll<{ accountingEntryId: string }>(
    `/v3/export-items?job_id=${job.id}`,
    c.auth,
    10,
  );
  expect(fetched.pages).toBe(6);
  expect(fetched.data.map((i) => i.accountingEntryId)).toEqual(exportItems.map((i) => i.accountingEntryId));

  const jobItems = await readAll<JobItem>(`/v3/export-jobs/${job.id}/items`, c.auth, 25);
  expect(jobItems.pages).toBe(3);
  expect(new Set(jobItems.data.map((i) => i.accountingEntryId)).size).toBe(57);
});

test('before=<startCursor> pages back to the previous page', async () => {
  const c = newCompany();
  const job = sandbox.createJob(c.id, items(sandbox, c.id, 7, 'backwards'));
  const url = `/v3/export-jobs/${job.id}/items?limit=3`;
  const first = (await call(sandbox, 'GET', url, { auth: c.auth })).body as Page<JobItem>;
  const second = (await call(sandbox, 'GET', `${url}&after=${first.pagination.endCursor}`, { auth: c.auth }))
    .body as Page<JobItem> & { pagination: { startCursor: string; hasPreviousPage: boolean } };
  expect(second.pagination.hasPreviousPage).toBe(true);
  const back = (
    await call(sandbox, 'GET', `${url}&before=${second.pagination.startCursor}`, { auth: c.auth })
  ).body as Page<JobItem>;
  expect(back.data).toEqual(first.data);
});

test('a cursor from one list is refused by another', async () => {
  const c = newCompany();
  const job = sandbox.createJob(c.id, items(sandbox, c.id, 3));
  const first = await call(sandbox, 'GET', `/v3/export-items?job_id=${job.id}&limit=1`, { auth: c.auth });
  const cursor = (first.body as Page<unknown>).pagination.endCursor!;
  const wrong = await call(sandbox, 'GET', `/v3/export-jobs/${job.id}/items?after=${cursor}`, {
    auth: c.auth,
  });
  expect(wrong.status).toBe(400);
});

test('the job list filters by statuses and pages across jobs', async () => {
  const c = newCompany();
  const created = ['2026-01-01T09:00:00Z', '2026-01-02T09:00:00Z', '2026-01-03T09:00:00Z'].map((createdAt) =>
    sandbox.createJob(c.id, items(sandbox, c.id, 1), { createdAt }),
  );
  await call(sandbox, 'POST', '/v3/export-job-events', {
    auth: c.auth,
    body: { jobId: created[0]!.id, event: 'started' },
  });
  const all = await readAll<Job>(`/v3/export-jobs?company_id=${c.id}`, c.auth, 2);
  expect(all.data.map((j) => j.id).sort()).toEqual(created.map((j) => j.id).sort());
  const pending = await readAll<Job>(`/v3/export-jobs?company_id=${c.id}&statuses=pending`, c.auth, 5);
  expect(pending.data.map((j) => j.id).sort()).toEqual([created[1]!.id, created[2]!.id].sort());
  const both = await readAll<Job>(`/v3/export-jobs?statuses=pending&statuses=in_progress`, c.auth, 5);
  expect(both.data).toHaveLength(3);
});

test('the job state machine answers 422 INVALID_EXPORT_JOB_STATUS_CHANGE on illegal events', async () => {
  const c = newCompany();
  const job = sandbox.createJob(c.id, items(sandbox, c.id, 2));
  const event = (e: string) =>
    call(sandbox, 'POST', '/v3/export-job-events', { auth: c.auth, body: { jobId: job.id, event: e } });

  expect((await event('completed')).status).toBe(422); // pending → completed is not a transition
  expect((await event('started')).status).toBe(202);
  const again = await event('started');
  expect(again.status).toBe(422);
  expect((again.body as { type: string }).type).toBe('INVALID_EXPORT_JOB_STATUS_CHANGE');
  expect((await event('completed')).status).toBe(202);
  expect((await event('started')).status).toBe(422);
  expect((await event('failed')).status).toBe(422);
  expect(sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'completed']);
});

test('a second unfinished job of a company is refused with 409 EXPORT_ALREADY_IN_PROGRESS', async () => {
  const c = newCompany();
  const body = { items: items(sandbox, c.id, 2) };
  const first = await call(sandbox, 'POST', `/admin/companies/${c.id}/jobs`, { body, validate: false });
  expect(first.status).toBe(201);
  const second = await call(sandbox, 'POST', `/admin/companies/${c.id}/jobs`, {
    body: { items: items(sandbox, c.id, 2, 'b') },
    validate: false,
  });
  expect(second.status).toBe(409);
  expect((second.body as { type: string }).type).toBe('EXPORT_ALREADY_IN_PROGRESS');
  // The documented 409 body is Pleo's ExceptionInfo on POST /v3/export-jobs.
  (await import('../support/openapi'))
    .pleoContract()
    .validateResponse({ ...second, method: 'POST', url: '/v3/export-jobs' });
});

test('item updates: at most 100 (413), per-item errors[], refused after the job finished (422)', async () => {
  const c = newCompany();
  const exportItems = items(sandbox, c.id, 101, 'updates');
  const job = sandbox.createJob(c.id, exportItems);
  const put = (body: unknown) =>
    call(sandbox, 'PUT', `/v3/export-jobs/${job.id}/items`, { auth: c.auth, body });
  await call(sandbox, 'POST', '/v3/export-job-events', {
    auth: c.auth,
    body: { jobId: job.id, event: 'started' },
  });
  const success = (id: string) => ({
    accountingEntryId: id,
    status: 'successful',
    externalId: `JE-${id.slice(0, 6)}`,
    exportedAt: '2026-03-02T09:00:00Z',
  });

  const tooMany = await put(exportItems.map((i) => success(i.accountingEntryId)));
  expect(tooMany.status).toBe(413);
  expect((tooMany.body as { type: string }).type).toBe('EXPORT_JOB_ITEMS_UPDATE_LIMIT');

  const unknown = '4f0e7a52-2d2b-4a7e-9a43-0d1a2b3c4d5e';
  const partial = await put([success(exportItems[0]!.accountingEntryId), success(unknown)]);
  expect(partial.status).toBe(200);
  const result = partial.body as { data: JobItem[]; errors: { accountingEntryId: string; type: string }[] };
  expect(result.data.map((i) => [i.accountingEntryId, i.status])).toEqual([
    [exportItems[0]!.accountingEntryId, 'successful'],
  ]);
  expect(result.errors).toEqual([
    expect.objectContaining({ accountingEntryId: unknown, type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST' }),
  ]);

  await call(sandbox, 'POST', '/v3/export-job-events', {
    auth: c.auth,
    body: {
      jobId: job.id,
      event: 'completed_with_errors',
      failureReason: 'one item failed',
      failureReasonType: 'validation_failure',
    },
  });
  const late = await put([success(exportItems[1]!.accountingEntryId)]);
  expect(late.status).toBe(422);
  expect((late.body as { type: string }).type).toBe('EXPORT_JOB_STATUS_UNPROCESSABLE');
  const items422 = await call(sandbox, 'GET', `/v3/export-items?job_id=${job.id}`, { auth: c.auth });
  expect(items422.status).toBe(422);
  // Items nobody reported are abandoned when the job ends.
  expect(sandbox.jobItems(job.id).filter((i) => i.status === 'abandoned')).toHaveLength(100);
});

test('a job expires one hour after its last update: expiresIn counts down, then failed / job_expired', async () => {
  const c = newCompany();
  const exportItems = items(sandbox, c.id, 3, 'expiry');
  const job = sandbox.createJob(c.id, exportItems);
  const get = async () =>
    (await call(sandbox, 'GET', `/v3/export-jobs/${job.id}`, { auth: c.auth })).body as { data: Job };

  expect((await get()).data.expiresIn).toBe(3600);
  clock.advance(20 * 60_000);
  expect((await get()).data.expiresIn).toBe(2400);
  await call(sandbox, 'POST', '/v3/export-job-events', {
    auth: c.auth,
    body: { jobId: job.id, event: 'started' },
  });
  expect((await get()).data.expiresIn).toBe(3600); // any action resets the clock
  clock.advance(59 * 60_000);
  await call(sandbox, 'PUT', `/v3/export-jobs/${job.id}/items`, {
    auth: c.auth,
    body: [{ accountingEntryId: exportItems[0]!.accountingEntryId, status: 'successful' }],
  });
  clock.advance(59 * 60_000);
  expect((await get()).data.status).toBe('in_progress');
  clock.advance(60_000);

  const expired = (await get()).data;
  expect({ status: expired.status, reason: expired.failureReasonType, expiresIn: expired.expiresIn }).toEqual(
    { status: 'failed', reason: 'job_expired', expiresIn: 0 },
  );
  expect(expired.expiredAt).toBeTruthy();
  expect(
    sandbox
      .jobItems(job.id)
      .map((i) => i.status)
      .sort(),
  ).toEqual(['abandoned', 'abandoned', 'successful']);
  const read = await call(sandbox, 'GET', `/v3/export-items?job_id=${job.id}`, { auth: c.auth });
  expect(read.status).toBe(422);
});

test('unknown jobs answer 404 EXPORT_NOT_FOUND', async () => {
  const missing = '8eb648ab-464b-42a0-ba17-eda703657e33';
  for (const [method, url, body] of [
    ['GET', `/v3/export-jobs/${missing}`],
    ['GET', `/v3/export-jobs/${missing}/items`],
    ['PUT', `/v3/export-jobs/${missing}/items`, []],
  ] as const) {
    const r = await call(sandbox, method, url, { body });
    expect({ url, status: r.status, type: (r.body as { type: string }).type }).toEqual({
      url,
      status: 404,
      type: 'EXPORT_NOT_FOUND',
    });
  }
});

test('an API key reads only its own company: other jobs are not found, other company ids forbidden', async () => {
  const a = newCompany();
  const b = newCompany();
  const job = sandbox.createJob(a.id, items(sandbox, a.id, 2));
  expect((await call(sandbox, 'GET', `/v3/export-jobs/${job.id}`, { auth: b.auth })).status).toBe(404);
  expect((await call(sandbox, 'GET', `/v3/export-items?job_id=${job.id}`, { auth: b.auth })).status).toBe(
    404,
  );
  expect(
    (
      await call(sandbox, 'POST', '/v3/export-job-events', {
        auth: b.auth,
        body: { jobId: job.id, event: 'started' },
      })
    ).status,
  ).toBe(404);
  expect((await call(sandbox, 'GET', `/v3/export-jobs?company_id=${a.id}`, { auth: b.auth })).status).toBe(
    403,
  );
  const own = await call(sandbox, 'GET', '/v3/export-jobs', { auth: b.auth });
  expect((own.body as Page<Job>).data).toEqual([]);
  expect((await call(sandbox, 'GET', '/v3/export-jobs', { auth: { apiKey: 'not-a-key' } })).status).toBe(401);
  expect(sandbox.getJob(job.id).status).toBe('pending');
});

test('MISSING_CONTRA_ACCOUNTS is answered on export items when the behaviour is switched on', async () => {
  const c = newCompany();
  const job = sandbox.createJob(c.id, items(sandbox, c.id, 1));
  sandbox.setBehaviour({ missingContraAccounts: true });
  try {
    const r = await call(sandbox, 'GET', `/v3/export-items?job_id=${job.id}`, { auth: c.auth });
    expect({ status: r.status, type: (r.body as { type: string }).type }).toEqual({
      status: 400,
      type: 'MISSING_CONTRA_ACCOUNTS',
    });
  } finally {
    sandbox.setBehaviour({ missingContraAccounts: false });
  }
});
