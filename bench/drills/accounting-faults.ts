// 4. Accounting-system faults: 5% of posts time out after the write succeeded (the outcome is
// uncertain to the worker), and the system is unreachable for 30 seconds mid-job. The idempotent post
// (find by reference first) must leave 0 duplicates, and every item must end final.
import { checkJob } from '../lib/outcome';
import { runJob } from '../lib/run-job';
import { validItems } from '../scenarios/common';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { allBookedOnce, checkFigures, type DrillResult, JOB_TIMEOUT_MS } from './common';

const SIZES: Record<Size, { items: number; outageMs: number }> = {
  smoke: { items: 60, outageMs: 5_000 },
  full: { items: 1_000, outageMs: 30_000 },
};

export async function accountingFaults(env: BenchEnv, size: Size): Promise<DrillResult> {
  const { items: count, outageMs } = SIZES[size];
  const company = env.addCompany({
    faults: {
      uncertainTimeoutRate: 0.05,
      outage: { afterWrites: Math.floor(count / 2), durationMs: outageMs },
      seed: 4,
    },
  });
  const worker = await env.startWorker([company]);
  const items = validItems(env, company.companyId, count, 'drill-as-faults');
  try {
    const run = await runJob(env, company, items, {
      timeoutMs: JOB_TIMEOUT_MS[size],
      settings: { pageSize: 50 },
    });
    const check = checkJob(env, company, run.jobId, items);
    const events = company.targetEvents();
    const uncertain = events.filter((e) => e.kind === 'uncertain').length;
    const outageStarted = events.some((e) => e.kind === 'outage-start');
    const failures = allBookedOnce(check);
    if (uncertain === 0) failures.push('no uncertain timeout happened');
    if (!outageStarted) failures.push('the outage never started');
    return {
      name: 'accounting-faults',
      title: `4. Accounting-system faults (5% timeouts after writing, ${outageMs / 1000} s outage) on a ${count}-item job`,
      figures: {
        ...checkFigures(check),
        uncertainTimeouts: uncertain,
        refusedDuringOutage: events.filter((e) => e.kind === 'outage-refused').length,
        seconds: Math.round(run.seconds),
      },
      failures,
    };
  } finally {
    await worker.kill();
  }
}
