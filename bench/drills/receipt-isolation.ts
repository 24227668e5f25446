// 8. Receipt isolation: 2% of the items carry a receipt link that fails for good (expired: 403), and
// 5% of receipt downloads answer 503 before the file is served on a retry. Each permanently bad item
// fails alone with receipt_download_failure; the transient ones and every good item end successful;
// the job completes with errors; nothing is booked twice.
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import type { FaultKind } from '@pleo-export/pleo-sandbox/seed/faults';
import { checkJob } from '../lib/outcome';
import { runJob } from '../lib/run-job';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { checkFigures, type DrillResult, JOB_TIMEOUT_MS } from './common';

const ITEMS: Record<Size, number> = { smoke: 100, full: 1_000 };
/** Every 50th item: 2% of the job. */
const BAD_EVERY = 50;

export async function receiptIsolation(env: BenchEnv, size: Size): Promise<DrillResult> {
  const count = ITEMS[size];
  const company = env.addCompany();
  const worker = await env.startWorker([company]);
  const faults = new Map<number, FaultKind>();
  for (let i = BAD_EVERY / 2; i < count; i += BAD_EVERY) faults.set(i, 'receipt_expired');
  const items = generateExportItems({
    seed: 'drill-receipt-isolation',
    count,
    companyId: company.companyId,
    fileBaseUrl: env.sandbox.url,
    mix: 'valid',
    faults,
  });
  const bad = new Set([...faults.keys()].map((i) => items[i]!.accountingEntryId));
  const [flaky] = env.sandbox.setFaults([
    { endpoint: 'GET /files/{kind}/{name}', kind: 'server_error', probability: 0.05, status: 503 },
  ]);
  try {
    const run = await runJob(env, company, items, {
      timeoutMs: JOB_TIMEOUT_MS[size],
      settings: { pageSize: 50 },
    });
    env.sandbox.setFaults([]);
    const check = checkJob(env, company, run.jobId, items);
    const failures: string[] = [];
    if (check.jobStatus !== 'completed_with_errors')
      failures.push(`job ended ${check.jobStatus}, expected completed_with_errors`);
    for (const item of env.sandbox.jobItems(run.jobId)) {
      const id = item.accountingEntryId;
      if (bad.has(id) && (item.status !== 'failed' || item.failureReasonType !== 'receipt_download_failure'))
        failures.push(`${id} (link expired) ended ${item.status} ${item.failureReasonType ?? ''}`);
      if (!bad.has(id) && item.status !== 'successful')
        failures.push(
          `${id} ended ${item.status} ${item.failureReasonType ?? ''}: ${item.failureReason ?? ''}`,
        );
    }
    if (!flaky?.fired) failures.push('no receipt download answered 503');
    if (check.duplicates) failures.push(`${check.duplicates} items booked twice`);
    if (check.reportedNotOnce) failures.push(`${check.reportedNotOnce} items reported other than once`);
    return {
      name: 'receipt-isolation',
      title: `8. Receipt isolation (2% links expired, 5% of downloads 503) on a ${count}-item job`,
      figures: {
        ...checkFigures(check),
        badLinks: bad.size,
        downloads503: flaky?.fired ?? 0,
        seconds: Math.round(run.seconds),
      },
      failures: failures.slice(0, 20),
    };
  } finally {
    env.sandbox.setFaults([]);
    await worker.kill();
  }
}
