// The generator and the accounting core must agree: every 'valid' item becomes balanced documents the
// demo ledger accepts, and every item designed to fail fails in the core or the ledger's checks with
// exactly the reason expectedFailure names (receipt faults are met later, over HTTP: test/pipeline).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocuments, vendorToResolve, type AccountingDocument } from '../../src/accounting/core';
import { demoAccountingConfig } from '../../src/demo/accounting-config';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import {
  FAULT_KINDS,
  demoJobs,
  expectedFailure,
  faultOf,
  generateExportItems,
} from '@pleo-export/pleo-sandbox/seed/export-items';

const COMPANY = '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11';
const BASE = 'http://127.0.0.1:4010';
const config = demoAccountingConfig();
let dir: string;
let ledger: LedgerAccountingSystem;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seed-core-'));
  ledger = new LedgerAccountingSystem({ type: 'ledger', dir, fileName: 'ledger.beancount', chart: 'demo' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the pipeline's per-item steps before receipts say: build, then the ledger's existence checks. */
async function bookable(
  item: ExportItem,
): Promise<{ reason?: string; message?: string; documents: AccountingDocument[] }> {
  const ref = vendorToResolve(item, config);
  const vendor = ref ? await ledger.resolveVendor(ref) : undefined;
  const built = buildDocuments(item, config, { vendor, target: ledger.capabilities });
  if (!built.ok) return { reason: built.failure.reasonType, message: built.failure.message, documents: [] };
  for (const document of built.documents) {
    const problem = await ledger.validate(document);
    if (problem) return { reason: problem.reasonType, message: problem.message, documents: built.documents };
  }
  return { documents: built.documents };
}

const describeItem = (item: ExportItem) =>
  `${item.type}/${item.subType ?? '-'}/${item.bookkeeping?.method ?? 'legacy'} ${item.accountingEntryId}`;

test('every valid item becomes balanced documents the demo ledger accepts', async () => {
  for (const walletCurrency of ['EUR', 'GBP']) {
    for (const moneyInSign of ['positive', 'negative'] as const) {
      const items = generateExportItems({
        seed: `core-${walletCurrency}-${moneyInSign}`,
        count: 1500,
        companyId: COMPANY,
        fileBaseUrl: BASE,
        mix: 'valid',
        walletCurrency,
        moneyInSign,
      });
      for (const item of items) {
        const result = await bookable(item);
        if (result.reason)
          throw new Error(`${describeItem(item)} failed: ${result.reason}: ${result.message}`);
        expect(result.documents.length).toBeGreaterThan(0);
        for (const document of result.documents) {
          expect(document.postings.reduce((total, p) => total + p.amount, 0)).toBe(0);
          expect(document.postings.every((p) => Number.isSafeInteger(p.amount))).toBe(true);
        }
      }
    }
  }
});

test.each([true, false])(
  'items designed to fail fail for their one reason, at about one in five (vendor tagging %s)',
  async (vendorTagging) => {
    const items = generateExportItems({
      seed: 'core-faults',
      count: 2000,
      companyId: COMPANY,
      fileBaseUrl: BASE,
      mix: 'all',
      vendorTagging,
    });
    const faults = items.map(faultOf);
    const share = faults.filter(Boolean).length / items.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(new Set(faults.filter(Boolean))).toEqual(new Set(FAULT_KINDS));
    for (const item of items) {
      const expected = expectedFailure(item);
      const beforeReceipts = expected?.startsWith('receipt_') ? undefined : expected;
      const { reason, message } = await bookable(item);
      if (reason !== beforeReceipts)
        throw new Error(
          `${describeItem(item)}: expected ${expected ?? 'success'}, the core and ledger say ${reason ?? 'success'} ${message ?? ''}`,
        );
    }
  },
);

test('without vendor tagging every item is legacy (no bookkeeping method, no vendor) and still books', async () => {
  const items = generateExportItems({
    seed: 'core-legacy',
    count: 600,
    companyId: COMPANY,
    fileBaseUrl: BASE,
    mix: 'valid',
    vendorTagging: false,
  });
  expect(items.every((i) => i.bookkeeping === null && i.vendor === null)).toBe(true);
  expect(items.some((i) => i.type === 'invoice' && i.supplier?.code)).toBe(true);
  for (const item of items) {
    const { reason, message } = await bookable(item);
    if (reason) throw new Error(`${describeItem(item)} failed: ${reason}: ${message}`);
  }
});

test('demo jobs: a valid mixed job, a job with five different failures, an accounts-payable job', async () => {
  const jobs = demoJobs(COMPANY, BASE);
  expect(jobs.map((j) => j.createdAt)).toEqual([...jobs.map((j) => j.createdAt)].sort());
  const [mixed, someFail, payables] = jobs;
  expect(mixed!.items.map(expectedFailure).filter(Boolean)).toEqual([]);
  expect(new Set(mixed!.items.map((i) => i.type)).size).toBeGreaterThanOrEqual(8);
  const reasons = someFail!.items.map(expectedFailure).filter(Boolean);
  expect(reasons).toHaveLength(5);
  expect(new Set(reasons).size).toBe(5);
  expect(
    payables!.items.every((i) => i.bookkeeping?.method === 'accounts_payable' && !expectedFailure(i)),
  ).toBe(true);
  expect(new Set(payables!.items.map((i) => i.type))).toEqual(
    new Set(['invoice', 'invoice_payment', 'card_invoice', 'refund']),
  );
  for (const item of [...mixed!.items, ...someFail!.items, ...payables!.items]) {
    const expected = expectedFailure(item);
    const { reason } = await bookable(item);
    expect({ item: describeItem(item), reason }).toEqual({
      item: describeItem(item),
      reason: expected?.startsWith('receipt_') ? undefined : expected,
    });
  }
});
