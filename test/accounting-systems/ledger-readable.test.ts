// The embedded ledger as a bookkeeper opens it: beancount accepts it, accounts carry the chart's code
// and name, the payee is the merchant or vendor, the header explains the flags, every account is opened
// before the first entry, and entries written together are in date order. Read with beancount's own
// bean-check and bean-query, from the demo jobs' export items booked through the ledger adapter.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDocuments, vendorToResolve } from '../../src/accounting/core';
import type { AccountingDocument } from '../../src/accounting/core';
import { demoAccountingConfig } from '../../src/demo/accounting-config';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import { DEMO_ACCOUNTS } from '@pleo-export/demo-company/chart';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { demoJobs } from '@pleo-export/pleo-sandbox/seed/export-items';
import { pythonTool } from '../../src/util/python-tools';

let dir: string;
let file: string;
const booked: { item: ExportItem; document: AccountingDocument }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledger-readable-'));
  file = join(dir, 'ledger.beancount');
  const ledger = new LedgerAccountingSystem({
    type: 'ledger',
    dir,
    fileName: 'ledger.beancount',
    chart: 'demo',
  });
  const config = demoAccountingConfig();
  const [mixed, , payables] = demoJobs('d3b0c6a2-5e1f-4c7a-9b2e-5a1d0c0de001', 'http://127.0.0.1:1');
  for (const item of [...mixed!.items, ...payables!.items]) {
    const ref = vendorToResolve(item, config);
    const vendor = ref ? await ledger.resolveVendor(ref) : undefined;
    const built = buildDocuments(item, config, { vendor, target: ledger.capabilities });
    if (!built.ok) throw new Error(`${item.type}: ${built.failure.message}`);
    for (const document of built.documents) booked.push({ item, document });
  }
  // Posted all at once, newest first: the ledger writes them together, and must order them by date.
  const newestFirst = [...booked].sort((a, b) => b.document.date.localeCompare(a.document.date));
  await Promise.all(newestFirst.map(({ document }) => ledger.post(document)));
  await ledger.close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function beanQuery(query: string): Promise<Record<string, string>[]> {
  const { stdout } = await promisify(execFile)(pythonTool('bean-query'), ['-f', 'csv', file, query]);
  const [head, ...rows] = stdout.trim().split(/\r?\n/);
  const columns = head!.split(',');
  return rows.map((row) => {
    const cells = row
      .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
      .map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]!.replace(/""/g, '"').trim()]));
  });
}

test('bean-check accepts the books', async () => {
  expect(booked.length).toBeGreaterThan(15);
  expect(await runBeanCheck(file)).toEqual([]);
});

test("accounts are named by the chart's code and name, opened before any entry with both as metadata", async () => {
  const chart = new Map<string, string>(Object.values(DEMO_ACCOUNTS).map((a) => [a.code, a.name]));
  const accounts = await beanQuery(
    "SELECT DISTINCT account, open_meta(account, 'code') AS code, open_meta(account, 'name') AS name, open_date(account) AS opened",
  );
  expect(accounts.length).toBeGreaterThan(5);
  for (const { account, code, name, opened } of accounts) {
    expect(chart.get(code!)).toBe(name);
    // e.g. 1680 "Receivable from employees (personal spend)" → Assets:1680-Receivable-from-employees-personal-spend
    expect(account).toBe(
      `${account!.split(':')[0]}:${code}-${name!.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`,
    );
    expect(opened).toBe('2000-01-01');
  }
  const text = await readFile(file, 'utf8');
  const firstEntry = text.search(/^\d{4}-\d\d-\d\d [!*] /m);
  expect([...text.matchAll(/^\d{4}-\d\d-\d\d open /gm)].every((m) => m.index < firstEntry)).toBe(true);
});

test('the payee is the merchant or vendor (else the employee, or Pleo for its own fees)', async () => {
  const rows = await beanQuery("SELECT DISTINCT entry_meta('accounting-entry-id') AS id, payee");
  const payeeOf = new Map(rows.map((r) => [r.id, r.payee]));
  for (const { item } of booked) {
    const expected =
      item.vendor?.name ??
      item.supplier?.name ??
      (['cashback', 'fee', 'wallet_topup', 'wallet_unload'].includes(item.type) ? 'Pleo' : item.user?.name);
    expect({
      id: item.accountingEntryId,
      type: item.type,
      payee: payeeOf.get(item.accountingEntryId),
    }).toEqual({
      id: item.accountingEntryId,
      type: item.type,
      payee: expected,
    });
  }
  expect([...payeeOf.values()].filter((p) => !p)).toEqual([]);
});

test('the header says what the flags mean; entries written together are in date order', async () => {
  const text = await readFile(file, 'utf8');
  expect(text.split('\n').slice(0, 12).join('\n')).toMatch(/"!" = draft[\s\S]*"\*" = posted/);
  const dates = [...text.matchAll(/^(\d{4}-\d\d-\d\d) [!*] /gm)].map((m) => m[1]!);
  expect(dates).toHaveLength(booked.length);
  expect(dates).toEqual([...dates].sort());
});
