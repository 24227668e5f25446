// Receipt links (real bytes, expiring with the sandbox clock), the supporting APIs answered from the
// demo chart, and the admin API that creates jobs from export items supplied as JSON.
import jpegJs from 'jpeg-js';
import { PNG } from 'pngjs';
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { DEMO_TAX_CODES, DEMO_VENDORS } from '@pleo-export/demo-company/chart';
import { call, items, manualClock, start } from '../support/sandbox';

let sandbox: PleoSandbox;
const clock = manualClock();
beforeAll(async () => {
  sandbox = await start({ clock, behaviour: { fileUrlTtlSeconds: 3600 } });
});
afterAll(() => sandbox?.close());

function withFiles(companyId: string, kinds: string[]): ExportItem {
  const [item] = items(sandbox, companyId, 1, `files-${kinds.join('-')}`);
  const files = kinds.map((kind) =>
    kind === 'large'
      ? {
          url: `${sandbox.url}/files/large/31500000-${item!.accountingEntryId}.pdf`,
          type: 'application/pdf',
          size: 31_500_000,
        }
      : {
          url: `${sandbox.url}/files/${kind}/${item!.accountingEntryId}.${kind === 'jpeg' ? 'jpg' : kind === 'png' ? 'png' : 'pdf'}`,
          type: 'application/pdf',
          size: 1,
        },
  );
  return { ...item!, files } as ExportItem;
}

test('receipt links serve real bytes without credentials, and expire after the link lifetime', async () => {
  const company = sandbox.createCompany();
  const item = withFiles(company.id, ['pdf', 'jpeg', 'png', 'wrong-type', 'large', 'expired']);
  sandbox.createJob(company.id, [item]);
  const [pdf, jpeg, png, wrongType, large, expired] = item.files!.map((f) => f!.url);

  const bytes = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());
  expect((await bytes(pdf!)).subarray(0, 5).toString()).toBe('%PDF-');
  expect((await bytes(jpeg!)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  expect((await bytes(png!)).subarray(1, 4).toString()).toBe('PNG');
  const wrong = await fetch(wrongType!);
  expect({
    type: wrong.headers.get('content-type'),
    magic: Buffer.from(await wrong.arrayBuffer())
      .subarray(1, 4)
      .toString(),
  }).toEqual({
    type: 'application/pdf',
    magic: 'PNG',
  });
  const head = await fetch(large!, { method: 'HEAD' });
  expect(head.headers.get('content-length')).toBe('31500000');
  expect((await fetch(expired!)).status).toBe(403);
  expect((await fetch(`${sandbox.url}/files/pdf/never-issued.pdf`)).status).toBe(404);

  clock.advance(3600_000);
  expect((await fetch(pdf!)).status).toBe(403);
});

test('image receipts decode as the declared images, byte for byte the same on every download', async () => {
  const company = sandbox.createCompany();
  const item = withFiles(company.id, ['jpeg', 'png']);
  sandbox.createJob(company.id, [item]);
  const [jpegUrl, pngUrl] = item.files!.map((f) => f!.url);
  const bytes = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

  const [jpeg1, jpeg2, png1, png2] = await Promise.all([jpegUrl!, jpegUrl!, pngUrl!, pngUrl!].map(bytes));
  expect(jpeg2!.equals(jpeg1!)).toBe(true);
  expect(png2!.equals(png1!)).toBe(true);
  const decodedJpeg = jpegJs.decode(jpeg1!);
  const decodedPng = PNG.sync.read(png1!);
  expect([decodedJpeg.width, decodedJpeg.height, decodedPng.width, decodedPng.height]).toEqual([
    32, 24, 24, 32,
  ]);
});

test('supporting APIs answer from the demo chart in the shapes of Pleo’s OpenAPI', async () => {
  const vendors = await call(
    sandbox,
    'POST',
    `/v1/vendors:search?company_id=${sandbox.credentials.companyId}`,
    { body: { codes: [DEMO_VENDORS[0].code] } },
  );
  expect((vendors.body as { data: { code: string }[] }).data.map((v) => v.code)).toEqual([
    DEMO_VENDORS[0].code,
  ]);
  const taxCodes = await call(sandbox, 'POST', '/v0/tax-codes:search', { body: { archived: false } });
  expect((taxCodes.body as { data: { code: string }[] }).data.map((t) => t.code).sort()).toEqual(
    Object.keys(DEMO_TAX_CODES).sort(),
  );
  const groups = await call(sandbox, 'GET', `/v0/tag-groups?company_id=${sandbox.credentials.companyId}`);
  const group = (groups.body as { data: { id: string; code: string }[] }).data.find(
    (g) => g.code === 'DEPT',
  )!;
  const tags = await call(sandbox, 'GET', `/v0/tag-groups/${group.id}/tags`);
  expect((tags.body as { data: { code: string }[] }).data.map((t) => t.code)).toEqual([
    'SALES',
    'ENG',
    'OPS',
  ]);
  const accounts = await call(sandbox, 'POST', '/v1/chart-of-accounts:search', {
    body: {
      companyId: sandbox.credentials.companyId,
      excludeIfAssignedToCategory: false,
      excludeIfAssignedToContraAccount: false,
      codes: ['6000', '9999'],
    },
  });
  expect((accounts.body as { data: { code: string }[] }).data.map((a) => a.code)).toEqual(['6000']);
});

test('the admin API creates a job from export items as JSON, refusing an invalid item by position', async () => {
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  const company = (
    (await (await admin('POST', '/admin/companies', { name: 'Fjord AS', walletCurrency: 'NOK' })).json()) as {
      data: { id: string; apiKey: string };
    }
  ).data;
  const good = items(sandbox, company.id, 3, 'admin');
  const bad = await admin('POST', `/admin/companies/${company.id}/jobs`, {
    items: [good[0], { ...good[1], accountingEntryLines: [] }],
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { message: string }).message).toContain('items[1]');

  const created = await admin('POST', `/admin/companies/${company.id}/jobs`, { items: good });
  expect(created.status).toBe(201);
  const job = ((await created.json()) as { data: { id: string } }).data;
  const listed = await call(sandbox, 'GET', `/v3/export-items?job_id=${job.id}`, {
    auth: { apiKey: company.apiKey },
  });
  expect((listed.body as { data: ExportItem[] }).data).toEqual(good);

  await call(sandbox, 'POST', '/v3/export-job-events', {
    auth: { apiKey: company.apiKey },
    body: { jobId: job.id, event: 'started' },
  });
  const view = (await (await admin('GET', `/admin/jobs/${job.id}`)).json()) as {
    data: { job: { status: string }; items: unknown[]; events: { event: string }[] };
  };
  expect({
    status: view.data.job.status,
    items: view.data.items.length,
    events: view.data.events.map((e) => e.event),
  }).toEqual({
    status: 'in_progress',
    items: 3,
    events: ['started'],
  });
  expect((await admin('POST', '/admin/clock/advance', { seconds: 3600 })).status).toBe(200);
  expect(sandbox.getJob(job.id).failureReasonType).toBe('job_expired');
  const behaviour = await admin('PATCH', '/admin/behaviour', { defaultLimit: 2 });
  expect(((await behaviour.json()) as { data: { defaultLimit: number } }).data.defaultLimit).toBe(2);
  expect((await admin('PATCH', '/admin/behaviour', { noSuchOption: true })).status).toBe(400);
});
