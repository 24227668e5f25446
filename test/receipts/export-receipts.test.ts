// End to end on real parts (Temporal dev server, the Pleo sandbox over HTTP, the embedded ledger):
// export jobs whose items carry receipts of every kind, asserting each item's outcome in the sandbox
// and the receipts stored with its entry in the ledger (files on disk, `document` directives, bean-check).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentReference } from '../../src/accounting/core/build';
import { createAccountingSystem } from '../../src/accounting-systems/registry';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import type { LedgerConfig } from '../../src/accounting-systems/config';
import { exportItem } from '../../src/export/export-item';
import type { ExportItem } from '../../src/pleo/types';
import { generateExportItems } from '../../src/sandbox/seed/export-items';
import { faultyReceipt, validReceipt, type ReceiptFile } from '../../src/sandbox/seed/receipts';
import type { ItemFailureReasonType } from '../../src/shared/failure-reasons';
import { logger, startHarness, type Harness } from '../pipeline/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

/** Valid items of types that carry receipts, with their `files[]` replaced by the case's. */
function itemsWithReceipts(
  companyId: string,
  seed: string,
  files: ((id: string) => ReceiptFile[] | null)[],
): ExportItem[] {
  const candidates = generateExportItems({
    seed,
    count: files.length * 6,
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  }).filter((item) => item.files?.length);
  if (candidates.length < files.length) throw new Error(`seed ${seed} gave too few items with receipts`);
  return files.map((make, i) => ({ ...candidates[i]!, files: make(candidates[i]!.accountingEntryId) }));
}

const ledgerOf = (companyId: string) => h.ledgerConfig(companyId) as LedgerConfig;

/** Receipt files stored with an entry, by name (the ledger keeps them under documents/<entry>/). */
function storedReceipts(companyId: string, externalId: string): string[] {
  const folder = join(ledgerOf(companyId).dir, 'documents', externalId);
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

function documentDirectives(companyId: string, externalId: string): number {
  const ledger = readFileSync(
    join(ledgerOf(companyId).dir, ledgerOf(companyId).fileName ?? 'ledger.beancount'),
    'utf8',
  );
  return ledger
    .split('\n\n')
    .filter((block) => / document /.test(block) && block.includes(`pleo-ref: "${externalId}"`)).length;
}

async function booked(companyId: string, accountingEntryId: string): Promise<boolean> {
  const ledger = await createAccountingSystem(ledgerOf(companyId), { logger });
  try {
    return Boolean(await ledger.findByReference(documentReference(accountingEntryId, 'main')));
  } finally {
    await ledger.close();
  }
}

test('a job with receipts of every kind gives each item the expected outcome and stores its receipts once', async () => {
  const companyId = h.addCompany();
  const b = h.sandbox.url;
  const cases: {
    name: string;
    files: (id: string) => ReceiptFile[] | null;
    stored?: number;
    failed?: ItemFailureReasonType;
  }[] = [
    { name: 'PDF', files: (id) => [validReceipt(b, 'pdf', id)], stored: 1 },
    { name: 'JPEG', files: (id) => [validReceipt(b, 'jpeg', id)], stored: 1 },
    { name: 'PNG', files: (id) => [validReceipt(b, 'png', id)], stored: 1 },
    {
      name: 'several',
      files: (id) => [
        validReceipt(b, 'pdf', `${id}-1`),
        validReceipt(b, 'jpeg', `${id}-2`),
        validReceipt(b, 'png', `${id}-3`),
      ],
      stored: 3,
    },
    { name: 'no receipt', files: () => null, stored: 0 },
    {
      name: 'over the size cap',
      files: (id) => [validReceipt(b, 'pdf', id), faultyReceipt(b, 'large', id)],
      failed: 'receipt_file_size_limit_exceeded',
    },
    {
      name: 'wrong declared type',
      files: (id) => [faultyReceipt(b, 'wrong_type', id)],
      failed: 'receipt_conversion_failure',
    },
    {
      name: 'expired link',
      files: (id) => [faultyReceipt(b, 'expired', id)],
      failed: 'receipt_download_failure',
    },
    {
      name: 'host not allowed',
      files: (id) => [faultyReceipt(b, 'not_allowed_host', id)],
      failed: 'receipt_download_failure',
    },
  ];
  const items = itemsWithReceipts(
    companyId,
    'receipts-every-kind',
    cases.map((c) => c.files),
  );
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId);

  expect(h.sandbox.getJob(job.id).status).toBe('completed_with_errors');
  const outcomes = new Map(h.sandbox.jobItems(job.id).map((i) => [i.accountingEntryId, i]));
  const seen = [];
  for (const [i, c] of cases.entries()) {
    const item = items[i]!;
    const outcome = outcomes.get(item.accountingEntryId)!;
    if (c.failed) {
      seen.push({
        case: c.name,
        status: outcome.status,
        reason: outcome.failureReasonType,
        booked: await booked(companyId, item.accountingEntryId),
      });
    } else {
      const externalId = outcome.externalId!;
      seen.push({
        case: c.name,
        status: outcome.status,
        stored: storedReceipts(companyId, externalId).length,
        directives: documentDirectives(companyId, externalId),
      });
    }
  }
  // Under the default policy (fail_item) a receipt problem books nothing: the entry waits for a fixed receipt.
  expect(seen).toEqual(
    cases.map((c) =>
      c.failed
        ? { case: c.name, status: 'failed', reason: c.failed, booked: false }
        : { case: c.name, status: 'successful', stored: c.stored, directives: c.stored },
    ),
  );
  expect(
    await runBeanCheck(join(ledgerOf(companyId).dir, ledgerOf(companyId).fileName ?? 'ledger.beancount')),
  ).toEqual([]);
  expect(readdirSync(join(h.dir, 'receipts'))).toEqual([]); // no receipt left in transit
});

test('a retry after a crash between upload and report leaves exactly one attachment per receipt', async () => {
  const companyId = h.addCompany();
  const b = h.sandbox.url;
  const items = itemsWithReceipts(
    companyId,
    'receipts-crash',
    [1, 2, 3].map(() => (id: string) => [
      validReceipt(b, 'pdf', `${id}-1`),
      validReceipt(b, 'jpeg', `${id}-2`),
      validReceipt(b, 'png', `${id}-3`),
    ]),
  );
  const job = h.sandbox.createJob(companyId, items);

  // The first attempt, in a worker that then dies: each item is booked and its receipts uploaded by the
  // per-item step the page activity runs, and the outcomes never reach Pleo.
  const connection = await h.connections.get(companyId);
  const crashed = {
    ...connection,
    accountingSystem: await createAccountingSystem(ledgerOf(companyId), { logger }),
  };
  expect(await crashed.accountingSystem.checkReady({ vendorBasedBookkeeping: false })).toEqual({ ok: true });
  const page = await connection.pleo.listExportItemsPage(job.id, { limit: 100 });
  const today = new Date().toISOString().slice(0, 10);
  for (const result of page.data) {
    if (!result.ok) throw new Error(result.message);
    const outcome = await exportItem(result, crashed, { workDir: join(h.dir, 'receipts'), today, logger });
    expect(outcome.status).toBe('successful');
  }
  await crashed.accountingSystem.close();
  expect(h.sandbox.jobItems(job.id).every((i) => i.status === 'pending')).toBe(true);

  // The job is then exported for real: every item is exported again and reported once.
  await h.exportNow(companyId);

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  const jobItems = h.sandbox.jobItems(job.id);
  expect(jobItems.map((i) => i.status)).toEqual(items.map(() => 'successful'));
  expect([...h.sandbox.itemUpdateCounts(job.id).values()]).toEqual(items.map(() => 1));
  for (const item of jobItems) {
    expect(
      storedReceipts(companyId, item.externalId!).map((name) => /-(receipt-\d\.\w+)$/.exec(name)?.[1]),
    ).toEqual(['receipt-1.pdf', 'receipt-2.jpg', 'receipt-3.png']);
    expect(documentDirectives(companyId, item.externalId!)).toBe(3);
  }
  expect(
    await runBeanCheck(join(ledgerOf(companyId).dir, ledgerOf(companyId).fileName ?? 'ledger.beancount')),
  ).toEqual([]);
});
