// 7. Tryton: the same kind of job booked into a real Tryton ERP (trytond on loopback, its demo
// database), to show what a real ERP costs next to the embedded ledger.
import { startTryton } from '../../test/support/tryton';
import { measuredJob } from '../lib/measure';
import { targetDuplicates } from '../lib/outcome';
import { table } from '../lib/report';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { validItems, type ScenarioResult } from './common';

const ITEMS: Record<Size, number> = { smoke: 10, full: 1_000 };

export async function tryton(
  env: BenchEnv,
  size: Size,
  ledgerItemsPerSecond?: number,
): Promise<ScenarioResult> {
  const server = await startTryton();
  try {
    const company = env.addCompany({ accountingSystem: server.config });
    // The demo Tryton has no CHF rate on purpose, and the items depend on the company id (new each run).
    const items = validItems(env, company.companyId, ITEMS[size], 'bench-tryton').filter(
      (item) => item.amount.inSupplierCurrency?.currency !== 'CHF',
    );
    const run = await measuredJob(env, company, items);
    const duplicates = targetDuplicates(company);
    const { progress: _p, ...data } = run;
    return {
      name: 'tryton',
      title: `7. Tryton (${run.items}-item job into a real Tryton 8.0)`,
      data: { ...data, duplicates, ledgerItemsPerSecond },
      markdown: table(
        [
          'items',
          'job status',
          'successful',
          'failed',
          'seconds',
          'items/s',
          'ledger items/s (scenario 1)',
          'worker CPU s/item',
          'peak worker RSS MB',
        ],
        [
          [
            run.items,
            run.check.jobStatus,
            run.check.successful,
            run.check.failed,
            run.seconds,
            run.itemsPerSecond,
            ledgerItemsPerSecond ?? '–',
            run.workerCpuSecondsPerItem,
            run.peakWorkerRssMb,
          ],
        ],
      ),
      failures: [
        ...(duplicates > 0 ? [`Tryton: ${duplicates} documents created twice`] : []),
        ...(run.check.unfinished > 0 ? [`Tryton: ${run.check.unfinished} items not final`] : []),
        ...(run.check.reportedNotOnce > 0
          ? [`Tryton: ${run.check.reportedNotOnce} items reported other than once`]
          : []),
        ...(run.check.successful === 0 ? ['Tryton: no item booked'] : []),
      ],
    };
  } finally {
    await server.stop();
  }
}
