// The company's reference data for pre-export checks (vendors, tax codes, tag groups and tags, chart of
// accounts) through the client over real HTTP, checked against Pleo's OpenAPI: paging to the end gives
// the same set as one big page, and filters narrow it.
import { collect, startPleoBench, type PleoBench } from '../support/pleo-bench';
import type { PleoClient } from '../../src/pleo/client';

let bench: PleoBench;
let pleo: PleoClient;
let companyId: string;

beforeAll(async () => {
  bench = await startPleoBench();
  pleo = bench.client();
  companyId = bench.company.id;
});
afterAll(() => bench.close());
afterEach(() => expect(bench.takeViolations()).toEqual([]));

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

it('vendors: all pages equal one page, and a code filter finds exactly that vendor', async () => {
  const whole = await bench.client().catalog.searchVendorsPage(companyId, {}, { limit: 1000 });
  expect(whole.hasNextPage).toBe(false);
  expect(whole.data.length).toBeGreaterThan(1);
  const paged = await collect(pleo.catalog.searchVendors(companyId, {}, 1));
  expect(ids(paged)).toEqual(ids(whole.data));
  expect(paged.every((v) => v.companyId === companyId)).toBe(true);

  const target = whole.data[1]!;
  const found = await collect(pleo.catalog.searchVendors(companyId, { codes: [target.code!] }));
  expect(found).toEqual([target]);
});

it('tax codes: paging to the end, and the type filter', async () => {
  const all = await collect(pleo.catalog.searchTaxCodes(companyId, {}, 2));
  const whole = await pleo.catalog.searchTaxCodesPage(companyId, {}, { limit: 1000 });
  expect(ids(all)).toEqual(ids(whole.data));
  const reverse = await collect(pleo.catalog.searchTaxCodes(companyId, { type: 'reverse' }));
  expect(reverse.length).toBeGreaterThan(0);
  expect(reverse).toEqual(all.filter((t) => t.type === 'reverse'));
});

it('tag groups and every tag of each group', async () => {
  const groups = await pleo.catalog.listTagGroups(companyId);
  expect(groups.length).toBeGreaterThan(0);
  for (const group of groups) {
    const tags = await collect(pleo.catalog.listTags(group.id, { pageSize: 2 }));
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.every((t) => t.groupId === group.id)).toBe(true);
    expect(new Set(tags.map((t) => t.code)).size).toBe(tags.length);
  }
});

it('chart of accounts: paging to the end, and a search by codes', async () => {
  const all = await collect(pleo.catalog.searchAccounts(companyId, {}, 3));
  const whole = await pleo.catalog.searchAccountsPage(companyId, {}, { limit: 1000 });
  expect(ids(all)).toEqual(ids(whole.data));
  const codes = all.slice(0, 2).map((a) => a.code!);
  const found = await collect(pleo.catalog.searchAccounts(companyId, { codes }));
  expect(found.map((a) => a.code).sort()).toEqual([...codes].sort());
  const sent = bench.proxy.exchanges.filter((x) => x.url.startsWith('/v1/chart-of-accounts:search')).at(-1)!;
  expect(sent.requestBody).toEqual({
    companyId,
    codes,
    excludeIfAssignedToCategory: false,
    excludeIfAssignedToContraAccount: false,
  });
});
