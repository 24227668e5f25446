// The sandbox serves export items with `null` where Pleo's OpenAPI only says optional, as Pleo does:
// seed data can send a share of absent optional fields as null, and the admin API takes such items.
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { call, start } from '../support/sandbox';

let sandbox: PleoSandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox?.close());

const nullLaden = (companyId: string, absentAsNull: number) =>
  generateExportItems({
    seed: 'nulls',
    count: 40,
    companyId,
    fileBaseUrl: sandbox.url,
    mix: 'valid',
    absentAsNull,
  });

test('seed data sends a share of absent optional fields as null and is otherwise unchanged', () => {
  const plain = nullLaden('c-1', 0);
  const laden = nullLaden('c-1', 1);
  const json = JSON.stringify(laden);
  const nullRegistrations = (json: string) => json.split('"registrationNumber":null').length - 1;
  expect(nullRegistrations(json)).toBeGreaterThan(0);
  expect(nullRegistrations(JSON.stringify(plain))).toBe(0);
  // Dropping the nulls gives back the plain items: nothing present was changed.
  const withoutNulls = JSON.parse(json, (_key, value: unknown) => (value === null ? undefined : value));
  const plainWithoutNulls = JSON.parse(JSON.stringify(plain), (_key, value: unknown) =>
    value === null ? undefined : value,
  );
  expect(withoutNulls).toEqual(plainWithoutNulls);
});

test('the admin API takes null-laden items and the Export API serves them with their nulls', async () => {
  const company = sandbox.createCompany();
  const items = nullLaden(company.id, 1);
  const created = await call(sandbox, 'POST', `/admin/companies/${company.id}/jobs`, {
    body: { items },
    validate: false,
  });
  expect(created.status).toBe(201);
  const jobId = (created.body as { data: { id: string } }).data.id;
  // Pleo's OpenAPI does not allow these nulls, yet Pleo sends them: not checked against it here.
  const served = await call(sandbox, 'GET', `/v3/export-items?job_id=${jobId}&limit=100`, {
    auth: { apiKey: company.apiKey },
    validate: false,
  });
  expect(served.status).toBe(200);
  const vendors = (served.body as { data: { vendor: Record<string, unknown> | null }[] }).data
    .map((i) => i.vendor)
    .filter((v) => v !== null);
  expect(vendors.length).toBeGreaterThan(0);
  expect(
    vendors.every((v) => v.registrationNumber === null || typeof v.registrationNumber === 'string'),
  ).toBe(true);
  expect(vendors.some((v) => v.registrationNumber === null)).toBe(true);
});

test('the admin API still refuses a null where a field is required, naming the item and field', async () => {
  const company = sandbox.createCompany();
  const [item] = nullLaden(company.id, 0);
  const refused = await call(sandbox, 'POST', `/admin/companies/${company.id}/jobs`, {
    body: { items: [{ ...item, date: null }] },
    validate: false,
  });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toMatch(/items\[0\]: date: .*received null/);
});
