// End to end on real parts (Temporal dev server, the Pleo sandbox over HTTP, and each accounting system:
// the embedded ledger and a real Tryton): export jobs whose items carry receipts of every kind, asserting
// each item's outcome in the sandbox and the receipts stored with its entry in the accounting system.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { documentReference } from '../../src/accounting/core';
import { createAccountingSystem } from '../../src/accounting-systems/registry';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { TrytonRpc } from '../../src/accounting-systems/tryton/json-rpc';
import type { AccountingSystemConfig, LedgerConfig } from '../../src/accounting-systems/config';
import { exportItemOutcome } from '../../src/export/export-item';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { faultyReceipt, validReceipt, type ReceiptFile } from '@pleo-export/pleo-sandbox/seed/receipts';
import type { ItemFailureReasonType } from '../../src/shared/failure-reasons';
import { startTryton, type TrytonServer } from '../support/tryton';
import { logger, useHarness } from '../support/pipeline-harness';

/** One accounting system as these tests see it: where a company books, and what it holds for an entry. */
interface Target {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Adds a sandbox company booking into this accounting system; returns its id. */
  addCompany(): string;
  config(companyId: string): AccountingSystemConfig;
  /** One name per stored copy of a receipt (`receipt-2.jpg`), sorted: a duplicate shows twice. */
  storedReceipts(companyId: string, externalId: string): Promise<string[]>;
  /** An independent check of everything booked for the company (empty: no problem). */
  problems(companyId: string): Promise<string[]>;
}

const receiptName = (name: string) => /(receipt-\d+\.\w+)$/.exec(name)?.[1] ?? name;

function ledgerTarget(): Target {
  const ledger = (companyId: string) => h.ledgerConfig(companyId) as LedgerConfig;
  const file = (companyId: string) =>
    join(ledger(companyId).dir, ledger(companyId).fileName ?? 'ledger.beancount');
  return {
    name: 'on the embedded ledger',
    start: async () => undefined,
    stop: async () => undefined,
    addCompany: () => h.addCompany(), // the harness books each company into its own ledger folder
    config: ledger,
    async storedReceipts(companyId, externalId) {
      // Each `document` directive is one stored receipt; the file it names must exist, alone in the entry's folder.
      const text = existsSync(file(companyId)) ? readFileSync(file(companyId), 'utf8') : '';
      const paths = text
        .split('\n\n')
        .filter((block) => / document /.test(block) && block.includes(`pleo-ref: "${externalId}"`))
        .map((block) => /document \S+ "([^"]+)"/.exec(block)![1]!);
      const folder = join(ledger(companyId).dir, 'documents', externalId);
      const onDisk = existsSync(folder) ? readdirSync(folder) : [];
      expect(paths.map((p) => basename(p)).sort()).toEqual(onDisk.sort());
      return paths.map(receiptName).sort();
    },
    async problems(companyId) {
      return (await runBeanCheck(file(companyId))).map((e) => e.message);
    },
  };
}

function trytonTarget(): Target {
  let server: TrytonServer;
  let admin: TrytonRpc;
  return {
    name: 'on Tryton',
    async start() {
      server = await startTryton();
      admin = new TrytonRpc({ ...server.config });
    },
    stop: async () => server?.stop(),
    addCompany: () => h.addCompany(server.config),
    config: () => server.config,
    async storedReceipts(_companyId, externalId) {
      const rows = await admin.call<{ name: string }[]>('model.ir.attachment.search_read', [
        [['resource', '=', externalId]],
        0,
        null,
        null,
        ['name'],
      ]);
      return rows.map((r) => receiptName(r.name)).sort();
    },
    problems: async () => [], // Tryton validates every move and invoice itself when it posts them
  };
}

const h = useHarness();

/** Valid card purchases, with their `files[]` replaced by the case's. */
function itemsWithReceipts(
  companyId: string,
  seed: string,
  files: ((id: string) => ReceiptFile[] | null)[],
): ExportItem[] {
  const candidates = generateExportItems({
    seed,
    count: 400, // plenty: the type mix depends on the (random) company id
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  }).filter((item) => item.type === 'card_purchase'); // receipts matter here, not the variety of item types
  if (candidates.length < files.length) throw new Error(`seed ${seed} gave too few items with receipts`);
  return files.map((make, i) => ({ ...candidates[i]!, files: make(candidates[i]!.accountingEntryId) }));
}

const several = (b: string) => (id: string) => [
  validReceipt(b, 'pdf', `${id}-1`),
  validReceipt(b, 'jpeg', `${id}-2`),
  validReceipt(b, 'png', `${id}-3`),
];

describe.each([ledgerTarget(), trytonTarget()])('$name', (target) => {
  beforeAll(() => target.start(), 300_000);
  afterAll(() => target.stop());

  async function booked(companyId: string, accountingEntryId: string): Promise<boolean> {
    const system = await createAccountingSystem(target.config(companyId), { logger });
    try {
      return Boolean(await system.findByReference(documentReference(accountingEntryId, 'main')));
    } finally {
      await system.close();
    }
  }

  test('a job with receipts of every kind gives each item the expected outcome and stores its receipts once', async () => {
    const companyId = target.addCompany();
    const b = h.sandbox.url;
    const cases: {
      name: string;
      files: (id: string) => ReceiptFile[] | null;
      stored?: string[];
      failed?: ItemFailureReasonType;
    }[] = [
      { name: 'PDF', files: (id) => [validReceipt(b, 'pdf', id)], stored: ['receipt-1.pdf'] },
      { name: 'JPEG', files: (id) => [validReceipt(b, 'jpeg', id)], stored: ['receipt-1.jpg'] },
      { name: 'PNG', files: (id) => [validReceipt(b, 'png', id)], stored: ['receipt-1.png'] },
      { name: 'several', files: several(b), stored: ['receipt-1.pdf', 'receipt-2.jpg', 'receipt-3.png'] },
      { name: 'no receipt', files: () => null, stored: [] },
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
      `receipts-every-kind ${target.name}`,
      cases.map((c) => c.files),
    );
    const job = h.sandbox.createJob(companyId, items);

    await h.exportNow(companyId);

    expect(h.sandbox.getJob(job.id).status).toBe('completed_with_errors');
    const outcomes = new Map(h.sandbox.jobItems(job.id).map((i) => [i.accountingEntryId, i]));
    const seen = [];
    for (const [i, c] of cases.entries()) {
      const { accountingEntryId } = items[i]!;
      const outcome = outcomes.get(accountingEntryId)!;
      seen.push(
        c.failed
          ? {
              case: c.name,
              status: outcome.status,
              reason: outcome.failureReasonType,
              booked: await booked(companyId, accountingEntryId),
            }
          : {
              case: c.name,
              status: outcome.status,
              stored: await target.storedReceipts(companyId, outcome.externalId!),
            },
      );
    }
    // Under the default policy (fail_item) a receipt problem books nothing: the entry waits for a fixed receipt.
    expect(seen).toEqual(
      cases.map((c) =>
        c.failed
          ? { case: c.name, status: 'failed', reason: c.failed, booked: false }
          : { case: c.name, status: 'successful', stored: c.stored },
      ),
    );
    expect(await target.problems(companyId)).toEqual([]);
    expect(readdirSync(join(h.dir, 'receipts'))).toEqual([]); // no receipt left in transit
  });

  test('a retry after a crash between upload and report leaves exactly one attachment per receipt', async () => {
    const companyId = target.addCompany();
    const items = itemsWithReceipts(
      companyId,
      `receipts-crash ${target.name}`,
      [1, 2, 3].map(() => several(h.sandbox.url)),
    );
    const job = h.sandbox.createJob(companyId, items);

    // The first attempt, in a worker that then dies: the per-item step the page activity runs books each
    // item and uploads its receipts, and the outcomes never reach Pleo.
    const connection = await h.connections.get(companyId);
    const crashed = {
      ...connection,
      accountingSystem: await createAccountingSystem(target.config(companyId), { logger }),
    };
    expect(await crashed.accountingSystem.checkReady({ vendorBasedBookkeeping: false })).toEqual({
      ok: true,
    });
    const page = await connection.pleo.listExportItemsPage(job.id, { limit: 100 });
    const today = new Date().toISOString().slice(0, 10);
    for (const result of page.data) {
      if (!result.ok) throw new Error(result.message);
      const outcome = await exportItemOutcome(result.item, crashed, {
        workDir: join(h.dir, 'receipts'),
        today,
        logger,
      });
      expect(outcome).toEqual(expect.objectContaining({ status: 'successful' }));
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
      expect(await target.storedReceipts(companyId, item.externalId!)).toEqual([
        'receipt-1.pdf',
        'receipt-2.jpg',
        'receipt-3.png',
      ]);
    }
    expect(await target.problems(companyId)).toEqual([]);
  });
});
