// Xero: a job of card expenses with one receipt each, exported by two worker processes into the Xero
// stand-in under Xero's real limits (5 concurrent, 60 calls a minute per organisation). At 60 calls a
// minute the calls decide the speed, so the figures are calls per item (a naive adapter needs 3: look
// up, create, attach), how close the job runs to the limit (elapsed time ÷ the time its calls need at
// 60 a minute; 1 is the limit itself), and the 429s our own pacing let through (0 expected).
//
// Two runs, both under Xero's limits as the stand-in enforces them (5 concurrent, 60 a minute): the
// adapter's own window (24 items in flight: every call is paced a slot at a time, so calls in flight
// stay few however many items wait, and items waiting together share their create request), and, to
// show what the window buys, no more items in flight than Xero takes calls at once (5).
import type { XeroConfig } from '../src/accounting-systems/config';
import { checkJob } from './lib/outcome';
import { runJob } from './lib/run-job';
import { round, table } from './lib/report';
import type { BenchEnv } from './lib/env';
import type { Size } from './lib/args';
import type { ScenarioResult } from './scenarios/common';
import { startXeroOrg } from './xero-org';

const ITEMS: Record<Size, number> = { smoke: 30, full: 300 };

interface XeroRun {
  run: string;
  items: number;
  jobStatus: string;
  successful: number;
  seconds: number;
  calls: number;
  perItem: number;
  toLimit: number;
  limited: number;
  itemsPerMinute: number;
  failures: string[];
}

async function xeroRun(
  env: BenchEnv,
  size: Size,
  run: string,
  adapter: Partial<XeroConfig>,
): Promise<XeroRun> {
  const org = await startXeroOrg(env, { adapter });
  // Two worker processes: the pacing has to hold across both.
  const workers = [await env.startWorker([org.company]), await env.startWorker([org.company])];
  try {
    const items = org.items(ITEMS[size], 'bench-xero');
    const before = org.calls();
    const job = await runJob(env, org.company, items);
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
    const what = `Xero (${run})`;
    const failures: string[] = [];
    if (check.successful !== items.length)
      failures.push(`${what}: ${check.successful} of ${items.length} items successful`);
    if (held.duplicateReferences)
      failures.push(`${what}: ${held.duplicateReferences} references booked twice`);
    if (held.missing) failures.push(`${what}: ${held.missing} successful items not in the organisation`);
    if (held.receiptsNotOne)
      failures.push(`${what}: ${held.receiptsNotOne} documents without exactly one receipt`);
    if (limited)
      failures.push(
        `${what}: ${limited} calls answered 429 by the organisation's limits (${JSON.stringify(after.limitedBy)})`,
      );
    return {
      run,
      items: items.length,
      jobStatus: check.jobStatus,
      successful: check.successful,
      seconds: round(job.seconds, 1),
      calls,
      perItem: round(calls / items.length),
      // Elapsed ÷ (calls ÷ 60 a minute) = elapsed seconds ÷ calls.
      toLimit: round(job.seconds / calls),
      limited,
      itemsPerMinute: round((items.length * 60) / job.seconds, 1),
      failures,
    };
  } finally {
    for (const w of workers) await w.kill('SIGTERM');
    await org.close();
  }
}

export async function xeroBench(env: BenchEnv, size: Size): Promise<ScenarioResult> {
  const runs = [
    await xeroRun(env, size, "the adapter's window (24 items in flight)", {}),
    await xeroRun(env, size, 'window 5 (items no more than concurrent calls)', {
      limits: { itemsInFlight: 5 },
    }),
  ];
  const goals = (r: XeroRun) =>
    `${r.perItem <= 1.3 ? '✓' : '✗'} calls/item ≤ 1.3, ${r.toLimit <= 1.1 ? '✓' : '✗'} ratio ≤ 1.1`;
  return {
    name: 'xero',
    title: `Xero (${ITEMS[size]} card expenses with one receipt each, 2 workers, Xero's limits)`,
    data: { runs },
    markdown: table(
      [
        'run',
        'items',
        'job status',
        'successful',
        'seconds',
        'Xero calls',
        'calls/item',
        'elapsed ÷ (calls ÷ 60/min)',
        '429s from our pacing',
        'items/min',
        'goals',
      ],
      runs.map((r) => [
        r.run,
        r.items,
        r.jobStatus,
        r.successful,
        r.seconds,
        r.calls,
        r.perItem,
        r.toLimit,
        r.limited,
        r.itemsPerMinute,
        goals(r),
      ]),
    ),
    // The speed goals are reported, not enforced: they depend on the job's window (see above).
    failures: runs.flatMap((r) => r.failures),
  };
}
