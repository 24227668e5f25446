// Xero: a job of card expenses with one receipt each, exported by two worker processes into the Xero
// stand-in under Xero's real limits (5 concurrent, 60 calls a minute per organisation). At 60 calls a
// minute the calls decide the speed, so the figures are calls per item (a naive adapter needs 3: look
// up, create, attach), how close the job runs to the limit (elapsed time ÷ the time its calls need at
// 60 a minute; 1 is the limit itself), and the 429s our own pacing let through (0 expected).
import { checkJob } from './lib/outcome';
import { runJob } from './lib/run-job';
import { round, table } from './lib/report';
import type { BenchEnv } from './lib/env';
import type { Size } from './lib/args';
import type { ScenarioResult } from './scenarios/common';
import { startXeroOrg } from './xero-org';

const ITEMS: Record<Size, number> = { smoke: 30, full: 300 };
/** Items side by side across the workers: under pacing, the queue that lets creates share a request. */
const ITEMS_IN_FLIGHT = 24;

export async function xeroBench(env: BenchEnv, size: Size): Promise<ScenarioResult> {
  const org = await startXeroOrg(env);
  // Two worker processes: the pacing has to hold across both.
  const workers = [await env.startWorker([org.company]), await env.startWorker([org.company])];
  try {
    const items = org.items(ITEMS[size], 'bench-xero');
    const before = org.calls();
    const job = await runJob(env, org.company, items, { settings: { itemsInFlight: ITEMS_IN_FLIGHT } });
    const after = org.calls();
    const check = checkJob(env, org.company, job.jobId, items);
    const calls = after.answered - before.answered;
    const limited = after.limited - before.limited;
    const successful = new Set(
      env.sandbox
        .jobItems(job.jobId)
        .filter((i) => i.status === 'successful')
        .map((i) => i.accountingEntryId),
    );
    const held = org.held(items.filter((i) => successful.has(i.accountingEntryId)));
    const seconds = round(job.seconds, 1);
    const perItem = round(calls / items.length);
    // Elapsed ÷ (calls ÷ 60 a minute) = elapsed seconds ÷ calls.
    const toLimit = round(job.seconds / calls);
    const itemsPerMinute = round((items.length * 60) / job.seconds, 1);
    const failures: string[] = [];
    if (check.successful !== items.length)
      failures.push(`Xero: ${check.successful} of ${items.length} items successful`);
    if (held.duplicateReferences) failures.push(`Xero: ${held.duplicateReferences} references booked twice`);
    if (held.missing) failures.push(`Xero: ${held.missing} successful items not in the organisation`);
    if (held.receiptsNotOne)
      failures.push(`Xero: ${held.receiptsNotOne} documents without exactly one receipt`);
    if (limited) failures.push(`Xero: ${limited} calls answered 429 by the organisation's limits`);
    if (size === 'full' && perItem > 1.3) failures.push(`Xero: ${perItem} calls per item (goal ≤ 1.3)`);
    if (size === 'full' && toLimit > 1.1) failures.push(`Xero: elapsed ÷ call time ${toLimit} (goal ≤ 1.1)`);
    return {
      name: 'xero',
      title: `Xero (${items.length} card expenses with one receipt each, 2 workers, Xero's limits)`,
      data: {
        seconds,
        check,
        calls,
        perItem,
        toLimit,
        itemsPerMinute,
        limited,
        limitedBy: after.limitedBy,
        held,
      },
      markdown: table(
        [
          'items',
          'job status',
          'successful',
          'seconds',
          'Xero calls',
          'calls/item',
          'elapsed ÷ (calls ÷ 60/min)',
          '429s from our pacing',
          'items/min',
        ],
        [
          [
            items.length,
            check.jobStatus,
            check.successful,
            seconds,
            calls,
            perItem,
            toLimit,
            limited,
            itemsPerMinute,
          ],
        ],
      ),
      failures,
    };
  } finally {
    for (const w of workers) await w.kill('SIGTERM');
    await org.close();
  }
}
