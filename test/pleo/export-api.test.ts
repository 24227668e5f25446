// The Export API v3 client against the sandbox over real HTTP, every exchange checked against Pleo's
// OpenAPI by the contract proxy: pagination, job events, item updates and their per-item errors,
// Pleo's refusals (413, 422, 404, 400) and faults (429, 5xx, timeouts, lost responses), all classified.
import { randomUUID } from 'node:crypto';
import { PleoTransport } from '../../src/pleo/transport';
import { itemUpdateResultSchema } from '@pleo-export/pleo-api/schemas';
import { PleoApiError, PLEO_ERROR_CODES } from '../../src/pleo/errors';
import type { JobItemOutcome, PleoClient } from '../../src/pleo/client';
import { ApiKeyAuth } from '../../src/pleo/auth';
import { collect, startPleoBench, type PleoBench } from '../support/pleo-bench';

let bench: PleoBench;
let pleo: PleoClient;

beforeAll(async () => {
  bench = await startPleoBench();
  pleo = bench.client();
});
afterAll(() => bench.close());
afterEach(() => {
  bench.sandbox.setFaults([]);
  expect(bench.takeViolations()).toEqual([]);
});

/** A fresh job of `count` items; earlier open jobs are failed first so each test starts clean. */
async function newJob(count: number, seed = randomUUID()) {
  return bench.sandbox.createJob(bench.company.id, bench.exportItems(count, seed));
}

const succeeded = (accountingEntryId: string, n = 1): JobItemOutcome => ({
  accountingEntryId,
  status: 'successful',
  externalId: `JE-${n}`,
  externalUrl: `https://ledger.example/JE-${n}`,
  exportedAt: '2026-04-22T10:08:56Z',
});

async function caught(promise: Promise<unknown>): Promise<PleoApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PleoApiError);
  return error as PleoApiError;
}

describe('pagination', () => {
  it('walks job items and export items to the last page, following endCursor as after', async () => {
    const job = await newJob(23);
    const expected = bench.sandbox
      .jobItems(job.id)
      .map((i) => i.accountingEntryId)
      .sort();
    const before = bench.proxy.exchanges.length;

    const jobItems = await collect(pleo.listJobItems(job.id, { pageSize: 5 }));
    const exportItems = await collect(pleo.listExportItems(job.id, { pageSize: 7 }));

    expect(jobItems.map((i) => i.accountingEntryId).sort()).toEqual(expected);
    expect(jobItems.every((i) => i.exportJobId === job.id && i.status === 'pending')).toBe(true);
    expect(exportItems.every((r) => r.ok)).toBe(true);
    expect(exportItems.map((r) => (r.ok ? r.item.accountingEntryId : '')).sort()).toEqual(expected);

    const pages = bench.proxy.exchanges.slice(before).filter((x) => x.url.includes('/items'));
    expect(pages).toHaveLength(5); // 23 items in pages of 5
    for (let i = 1; i < pages.length; i++) {
      const previous = pages[i - 1]!.responseBody as { pagination: { endCursor: string } };
      expect(new URL(pages[i]!.url, 'http://x').searchParams.get('after')).toBe(
        previous.pagination.endCursor,
      );
    }
    expect(new URL(pages[0]!.url, 'http://x').searchParams.get('after')).toBeNull();
  });

  it('lists export jobs by status across pages, with statuses as repeated parameters', async () => {
    const company = bench.sandbox.createCompany();
    const client = bench.client({ auth: new ApiKeyAuth(company.apiKey) });
    const items = (seed: string) => bench.exportItems(2, seed).map((i) => ({ ...i, companyId: company.id }));
    const ids = [1, 2, 3, 4].map((n) => bench.sandbox.createJob(company.id, items(`jobs-${n}`)).id);
    await client.postJobEvent({ jobId: ids[0]!, event: 'started' });
    await client.postJobEvent({
      jobId: ids[1]!,
      event: 'failed',
      failureReason: 'test',
      failureReasonType: 'validation_failure',
    });

    const open = await collect(
      client.listExportJobs({ companyId: company.id, statuses: ['pending', 'in_progress'], pageSize: 1 }),
    );
    expect(open.map((j) => j.id).sort()).toEqual([ids[0], ids[2], ids[3]].sort());
    const last = bench.proxy.exchanges.filter((x) => x.url.startsWith('/v3/export-jobs?')).at(-1)!;
    expect(new URL(last.url, 'http://x').searchParams.getAll('statuses')).toEqual(['pending', 'in_progress']);
    const failed = await collect(client.listExportJobs({ companyId: company.id, statuses: ['failed'] }));
    expect(failed.map((j) => [j.id, j.failureReasonType])).toEqual([[ids[1], 'validation_failure']]);
  });
});

describe('job life cycle', () => {
  it('claims, reports items (per-item errors surfaced) and completes a job', async () => {
    const job = await newJob(3);
    const [a, b, c] = bench.sandbox.jobItems(job.id).map((i) => i.accountingEntryId);
    await pleo.postJobEvent({ jobId: job.id, event: 'started' });
    expect((await pleo.getExportJob(job.id)).status).toBe('in_progress');

    const unknown = randomUUID();
    const result = await pleo.updateJobItems(job.id, [
      succeeded(a!, 1),
      {
        accountingEntryId: b!,
        status: 'failed',
        failureReasonType: 'tax_code_unknown',
        failureReason: 'Tax Code S25 does not exist in the Accounting System',
      },
      succeeded(unknown, 3),
    ]);
    expect(result.accepted.sort()).toEqual([a, b].sort());
    expect(result.errors).toEqual([
      { accountingEntryId: unknown, type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST', message: expect.any(String) },
    ]);

    await pleo.updateJobItems(job.id, [succeeded(c!, 2)]);
    await pleo.postJobEvent({
      jobId: job.id,
      event: 'completed_with_errors',
      failureReason: '1 of 3 items failed',
      failureReasonType: 'validation_failure',
    });

    const items = new Map(bench.sandbox.jobItems(job.id).map((i) => [i.accountingEntryId, i]));
    expect(items.get(a!)).toMatchObject({
      status: 'successful',
      externalId: 'JE-1',
      externalUrl: 'https://ledger.example/JE-1',
    });
    expect(items.get(b!)).toMatchObject({ status: 'failed', failureReasonType: 'tax_code_unknown' });
    expect(items.get(c!)).toMatchObject({ status: 'successful', externalId: 'JE-2' });
    expect(bench.sandbox.getJob(job.id).status).toBe('completed_with_errors');
    expect(bench.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'completed_with_errors']);
  });

  it('after completion: item updates, export items and further events are refused with 422', async () => {
    const job = await newJob(1);
    const [a] = bench.sandbox.jobItems(job.id).map((i) => i.accountingEntryId);
    await pleo.postJobEvent({ jobId: job.id, event: 'started' });
    await pleo.updateJobItems(job.id, [succeeded(a!)]);
    await pleo.postJobEvent({ jobId: job.id, event: 'completed' });

    const update = await caught(pleo.updateJobItems(job.id, [succeeded(a!, 9)]));
    expect([update.status, update.kind, update.retryable]).toEqual([422, 'unprocessable', false]);
    expect(update.is(PLEO_ERROR_CODES.jobStatusUnprocessable)).toBe(true);

    const read = await caught(collect(pleo.listExportItems(job.id)));
    expect([read.status, read.code]).toEqual([422, PLEO_ERROR_CODES.jobStatusUnprocessable]);

    const restart = await caught(pleo.postJobEvent({ jobId: job.id, event: 'started' }));
    expect([restart.status, restart.code, restart.jobFailureReasonType]).toEqual([
      422,
      PLEO_ERROR_CODES.invalidStatusChange,
      'validation_failure',
    ]);
    expect(bench.sandbox.jobItems(job.id)[0]).toMatchObject({ status: 'successful', externalId: 'JE-1' });
  });

  it('an expired job reads as failed / job_expired with its open items abandoned', async () => {
    const job = await newJob(2);
    await pleo.postJobEvent({ jobId: job.id, event: 'started' });
    const fresh = await pleo.getExportJob(job.id);
    expect(fresh.expiresIn).toBeGreaterThan(3500);

    bench.sandbox.clock.advance(3601 * 1000);
    const expired = await pleo.getExportJob(job.id);
    expect([expired.status, expired.failureReasonType, expired.expiresIn]).toEqual([
      'failed',
      'job_expired',
      0,
    ]);
    expect(expired.expiredAt).toEqual(expect.any(String));
    const items = await collect(pleo.listJobItems(job.id));
    expect(items.map((i) => i.status)).toEqual(['abandoned', 'abandoned']);
    const read = await caught(collect(pleo.listExportItems(job.id)));
    expect(read.code).toBe(PLEO_ERROR_CODES.jobStatusUnprocessable);
  });

  it('an unknown job is 404 EXPORT_NOT_FOUND, not retried', async () => {
    const error = await caught(pleo.getExportJob(randomUUID()));
    expect([error.status, error.kind, error.code, error.retryable]).toEqual([
      404,
      'not_found',
      PLEO_ERROR_CODES.exportNotFound,
      false,
    ]);
  });

  it('400 MISSING_CONTRA_ACCOUNTS on export items fails the job as missing_configuration', async () => {
    const job = await newJob(1);
    bench.sandbox.setBehaviour({ missingContraAccounts: true });
    try {
      const error = await caught(collect(pleo.listExportItems(job.id)));
      expect([error.status, error.code, error.jobFailureReasonType]).toEqual([
        400,
        PLEO_ERROR_CODES.missingContraAccounts,
        'missing_configuration',
      ]);
    } finally {
      bench.sandbox.setBehaviour({ missingContraAccounts: false });
    }
  });
});

describe('more than 100 item updates', () => {
  it('the client refuses 101 before sending anything', async () => {
    const job = await newJob(1);
    const sent = bench.proxy.exchanges.length;
    const updates = Array.from({ length: 101 }, () => succeeded(randomUUID()));
    const error = await caught(pleo.updateJobItems(job.id, updates));
    expect([error.kind, error.code, error.retryable, error.status]).toEqual([
      'too_large',
      PLEO_ERROR_CODES.itemsUpdateLimit,
      false,
      undefined,
    ]);
    expect(error.message).toMatch(/not sent/);
    expect(bench.proxy.exchanges.length).toBe(sent);
  });

  it("Pleo's own 413 (when 101 are sent anyway) is classified the same way", async () => {
    const job = await newJob(1);
    const transport = new PleoTransport({
      baseUrl: bench.proxy.url,
      auth: new ApiKeyAuth(bench.company.apiKey),
    });
    const updates = Array.from({ length: 101 }, () => ({
      accountingEntryId: randomUUID(),
      status: 'successful',
    }));
    const error = await caught(
      transport.request('PUT', `/v3/export-jobs/${job.id}/items`, itemUpdateResultSchema, { data: updates }),
    );
    expect([error.status, error.kind, error.code, error.retryable]).toEqual([
      413,
      'too_large',
      PLEO_ERROR_CODES.itemsUpdateLimit,
      false,
    ]);
  });
});

describe('faults', () => {
  it('429 surfaces Retry-After as retryAfterMs and is retryable; the next call goes through', async () => {
    const job = await newJob(1);
    bench.sandbox.addFault({
      endpoint: 'GET /v3/export-jobs/{jobId}',
      kind: 'rate_limit',
      retryAfterSeconds: 7,
      times: 1,
    });
    const error = await caught(pleo.getExportJob(job.id));
    expect([
      error.status,
      error.kind,
      error.retryable,
      error.retryAfterMs,
      error.jobFailureReasonType,
    ]).toEqual([429, 'rate_limited', true, 7000, 'pleo_rate_limit']);
    expect((await pleo.getExportJob(job.id)).id).toBe(job.id);
  });

  it.each([502, 503, 504])('%i is retryable (service_unreachable)', async (status) => {
    const job = await newJob(1);
    bench.sandbox.addFault({
      endpoint: 'GET /v3/export-jobs/{jobId}/items',
      kind: 'server_error',
      status,
      times: 1,
    });
    const error = await caught(pleo.listJobItemsPage(job.id));
    expect([error.status, error.kind, error.retryable, error.jobFailureReasonType]).toEqual([
      status,
      'unavailable',
      true,
      'service_unreachable',
    ]);
  });

  it('a page walk fetches a page again after a retryable fault (429 with Retry-After, 503) and reads every item', async () => {
    const job = await newJob(7);
    bench.sandbox.addFault({
      endpoint: 'GET /v3/export-jobs/{jobId}/items',
      kind: 'rate_limit',
      retryAfterSeconds: 1,
      times: 1,
    });
    bench.sandbox.addFault({
      endpoint: 'GET /v3/export-jobs/{jobId}/items',
      kind: 'server_error',
      status: 503,
      times: 1,
    });
    const items = await collect(pleo.listJobItems(job.id, { pageSize: 3 }));
    expect(items.map((i) => i.accountingEntryId).sort()).toEqual(
      bench.sandbox
        .jobItems(job.id)
        .map((i) => i.accountingEntryId)
        .sort(),
    );
  });

  it('a page walk does not retry a refusal: 404 surfaces at once', async () => {
    const error = await caught(collect(pleo.listJobItems(randomUUID())));
    expect([error.status, error.retryable]).toEqual([404, false]);
  });

  it('a request that never gets an answer times out, retryable', async () => {
    const job = await newJob(1);
    bench.sandbox.addFault({ endpoint: 'GET /v3/export-jobs/{jobId}', kind: 'hang', times: 1 });
    const error = await caught(bench.client({ timeoutMs: 300 }).getExportJob(job.id));
    expect([error.kind, error.retryable, error.jobFailureReasonType, error.status]).toEqual([
      'timeout',
      true,
      'service_timeout',
      undefined,
    ]);
  });

  it('a lost response is a retryable network error; the update stood, and repeating it is harmless', async () => {
    const job = await newJob(1);
    const [a] = bench.sandbox.jobItems(job.id).map((i) => i.accountingEntryId);
    await pleo.postJobEvent({ jobId: job.id, event: 'started' });
    bench.sandbox.addFault({
      endpoint: 'PUT /v3/export-jobs/{jobId}/items',
      kind: 'lost_response',
      times: 1,
    });
    const error = await caught(pleo.updateJobItems(job.id, [succeeded(a!, 5)]));
    expect([error.kind, error.retryable]).toEqual(['network', true]);
    expect(bench.sandbox.jobItems(job.id)[0]).toMatchObject({ status: 'successful', externalId: 'JE-5' });

    const again = await pleo.updateJobItems(job.id, [succeeded(a!, 5)]);
    expect(again).toEqual({ accepted: [a], errors: [] });
    expect(bench.sandbox.jobItems(job.id)[0]).toMatchObject({ status: 'successful', externalId: 'JE-5' });
  });
});

describe('malformed responses', () => {
  it('a body breaking the contract is a classified error naming the path, never a crash or undefined', async () => {
    const job = await newJob(1);
    bench.proxy.corruptNextResponse('GET', /^\/v3\/export-jobs\/[^/]+$/, (body) => {
      const b = body as { data: Record<string, unknown> };
      return { data: { ...b.data, status: 'archived', numberOfItems: 'one' } };
    });
    const error = await caught(pleo.getExportJob(job.id));
    expect([error.kind, error.retryable, error.status, error.jobFailureReasonType]).toEqual([
      'malformed_response',
      false,
      200,
      'validation_failure',
    ]);
    expect(error.responsePath).toMatch(/^data\.(status|numberOfItems)$/);
    expect(error.message).toContain('data.status');
    expect(error.message).toContain('data.numberOfItems');
    // The contract proxy saw the same breach (and is emptied here, as this one is on purpose).
    expect(bench.takeViolations()).toEqual([expect.stringMatching(/GET \/v3\/export-jobs\/\{jobId\} → 200/)]);
  });

  it('a page announcing a next page without a cursor is malformed, not silently truncated', async () => {
    const job = await newJob(3);
    bench.proxy.corruptNextResponse('GET', /\/items$/, (body) => {
      const b = body as { data: unknown[]; pagination: Record<string, unknown> };
      return { ...b, pagination: { ...b.pagination, hasNextPage: true, endCursor: undefined } };
    });
    const error = await caught(collect(pleo.listJobItems(job.id)));
    expect([error.kind, error.responsePath]).toEqual(['malformed_response', 'pagination.endCursor']);
  });

  it('one malformed export item fails alone; the rest of its page is usable', async () => {
    const job = await newJob(3);
    bench.proxy.corruptNextResponse('GET', /^\/v3\/export-items$/, (body) => {
      const b = body as { data: Record<string, unknown>[] };
      return {
        ...b,
        data: b.data.map((item, i) => (i === 1 ? { ...item, accountingEntryLines: 'none' } : item)),
      };
    });
    const results = await collect(pleo.listExportItems(job.id));
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = results[1]!;
    expect(bad.ok ? '' : bad.message).toMatch(/^accountingEntryLines: /);
    expect(bad.ok ? undefined : bad.accountingEntryId).toBe(
      bench.sandbox.jobItems(job.id)[1]!.accountingEntryId,
    );
    expect(bench.takeViolations()).toHaveLength(1);
  });
});

describe('credentials stay out of errors', () => {
  it('a refused API key is a 401 authentication_failure whose message and JSON hold neither key nor header', async () => {
    const apiKey = `wrong-key-${randomUUID()}`;
    const header = Buffer.from(`${apiKey}:`).toString('base64');
    const job = await newJob(1);
    const client = bench.client({ auth: new ApiKeyAuth(apiKey) });
    const errors = [
      await caught(client.getExportJob(job.id)),
      await caught(bench.client({ auth: new ApiKeyAuth(apiKey), timeoutMs: 1 }).getExportJob(job.id)),
    ];
    expect([errors[0]!.status, errors[0]!.kind, errors[0]!.jobFailureReasonType]).toEqual([
      401,
      'unauthenticated',
      'authentication_failure',
    ]);
    for (const error of errors) {
      const everything = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
      expect(everything).not.toContain(apiKey);
      expect(everything).not.toContain(header);
    }
    expect(JSON.stringify(new ApiKeyAuth(apiKey))).toBe('"[ApiKeyAuth]"');
  });
});
