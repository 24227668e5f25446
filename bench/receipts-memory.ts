// Benchmark (not a test): worker memory while exporting many items with large receipts. Each item is
// booked into the embedded ledger, its receipt is downloaded from a local HTTP server (the sandbox's
// streamed large PDF) and attached, as the per-item activity does. Process RSS is sampled throughout;
// flat memory means the peak stays near the baseline however large and many the receipts are.
//   npx ts-node --transpile-only bench/receipts-memory.ts [--items 200] [--mb 25] [--concurrency 1]
// The file server runs in this process too (it streams 64 KB chunks), so its share is in the figure.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LedgerAccountingSystem } from '../src/accounting-systems/ledger/ledger';
import { DEFAULT_RECEIPT_POLICY, cleanupReceipts, fetchReceipts } from '../src/receipts';
import { startFileServer } from '../test/support/file-server';
import { postTaxiRide } from '../test/support/booked-entry';

export interface ReceiptsMemoryOptions {
  items: number;
  megabytes: number;
  /** Items in flight at once (the export activity handles one at a time). */
  concurrency: number;
  resultsDir: string;
}

export interface ReceiptsMemoryResult {
  benchmark: 'receipts-memory';
  items: number;
  receiptMegabytes: number;
  concurrency: number;
  totalMegabytes: number;
  seconds: number;
  baselineRssMb: number;
  peakRssMb: number;
  rssGrowthMb: number;
  finalRssMb: number;
  peakHeapUsedMb: number;
  attachmentsStored: number;
  node: string;
  at: string;
}

const MB = 1024 * 1024;
const toMb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

export async function runReceiptsMemoryBench(
  options: Partial<ReceiptsMemoryOptions> = {},
): Promise<ReceiptsMemoryResult> {
  const { items, megabytes, concurrency, resultsDir } = {
    items: 200,
    megabytes: 25,
    concurrency: 1,
    resultsDir: resolve(__dirname, '..', 'results'),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const server = await startFileServer();
  const dir = await mkdtemp(join(tmpdir(), 'bench-receipts-'));
  const ledgerConfig = { type: 'ledger' as const, dir: join(dir, 'ledger'), fileName: 'ledger.beancount' };
  const ledger = new LedgerAccountingSystem(ledgerConfig);
  const policy = {
    ...DEFAULT_RECEIPT_POLICY,
    allowedHosts: [server.host],
    allowInsecureHosts: [server.host],
  };
  const size = megabytes * MB;

  const exportItem = async (n: number) => {
    const accountingEntryId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const posted = await postTaxiRide(ledger, accountingEntryId);
    const url = `${server.url}/files/large/${size}-receipt-${n}.pdf`;
    const result = await fetchReceipts(
      { accountingEntryId, files: [{ url, type: 'application/pdf', size }] },
      ledger.capabilities.attachments,
      policy,
      join(dir, 'work'),
    );
    if (!result.ok) throw new Error(`item ${n}: ${result.failure.message}`);
    try {
      await ledger.attach(posted.externalId, result.files);
    } finally {
      await cleanupReceipts(result.files);
    }
  };

  try {
    await exportItem(0); // warm-up: modules, connection pool, ledger file
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peak = Math.max(peak, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }, 20);
    const started = process.hrtime.bigint();
    let next = 1;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next <= items) await exportItem(next++);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    const documentsDir = join(ledgerConfig.dir, 'documents');
    const attachmentsStored = (await readdir(documentsDir)).length - 1; // minus the warm-up item
    const result: ReceiptsMemoryResult = {
      benchmark: 'receipts-memory',
      items,
      receiptMegabytes: megabytes,
      concurrency,
      totalMegabytes: items * megabytes,
      seconds: Math.round(seconds * 10) / 10,
      baselineRssMb: toMb(baseline),
      peakRssMb: toMb(peak),
      rssGrowthMb: toMb(peak - baseline),
      finalRssMb: toMb(process.memoryUsage().rss),
      peakHeapUsedMb: toMb(peakHeap),
      attachmentsStored,
      node: process.version,
      at: new Date().toISOString(),
    };
    await mkdir(resultsDir, { recursive: true });
    await writeFile(
      join(resultsDir, `receipts-memory-${result.at.replace(/[:.]/g, '-')}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    return result;
  } finally {
    await ledger.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? Number(process.argv[at + 1]) : undefined;
  };
  runReceiptsMemoryBench({ items: arg('items'), megabytes: arg('mb'), concurrency: arg('concurrency') })
    .then((r) => {
      console.log(
        `receipts-memory: ${r.items} items × ${r.receiptMegabytes} MB (${r.totalMegabytes} MB, concurrency ${r.concurrency}) in ${r.seconds} s — ` +
          `RSS baseline ${r.baselineRssMb} MB, peak ${r.peakRssMb} MB, growth ${r.rssGrowthMb} MB; ${r.attachmentsStored} attachments stored`,
      );
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
