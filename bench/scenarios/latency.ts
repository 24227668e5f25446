// 6. Latency: a signed webhook reaches the receiver (bench/lib/receiver.ts), which starts the
// company workflow; measured from that delivery to the first item booked (the target's write log)
// and to the job's final event in Pleo, for 1-item jobs, p50 and p95.
import { round, table } from '../lib/report';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { waitForJobEnd } from '../lib/run-job';
import { startReceiver } from '../lib/receiver';
import { validItems, type ScenarioResult } from './common';

const JOBS: Record<Size, number> = { smoke: 5, full: 20 };

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function latency(env: BenchEnv, size: Size): Promise<ScenarioResult> {
  const company = env.addCompany();
  const receiver = await startReceiver(env, company);
  const { deliveredAt } = receiver;
  const worker = await env.startWorker([company]);
  const toBooked: number[] = [];
  const toCompleted: number[] = [];
  const failures: string[] = [];
  try {
    const items = validItems(env, company.companyId, JOBS[size], 'bench-latency');
    for (const [n, item] of items.entries()) {
      const job = env.sandbox.createJob(company.companyId, [item]);
      await waitForJobEnd(env, job.id, 10);
      const completed = Date.now();
      const delivered = deliveredAt[n];
      const booked = company
        .targetEvents()
        .find((e) => e.kind === 'write' && e.ref.includes(item.accountingEntryId))?.t;
      if (delivered === undefined || booked === undefined) {
        failures.push(`job ${n + 1}: ${delivered === undefined ? 'no webhook delivery' : 'nothing booked'}`);
        continue;
      }
      toBooked.push(booked - delivered);
      toCompleted.push(completed - delivered);
      await env.waitCompany(company.companyId);
    }
  } finally {
    await worker.kill();
    await receiver.close();
  }
  const figures = {
    jobs: toBooked.length,
    toFirstBookedMs: { p50: percentile(toBooked, 50), p95: percentile(toBooked, 95) },
    toCompletedMs: { p50: percentile(toCompleted, 50), p95: percentile(toCompleted, 95) },
    samples: { toBooked, toCompleted },
  };
  return {
    name: 'latency',
    title: `6. Latency from webhook delivery (1-item jobs, ${figures.jobs} jobs)`,
    data: figures,
    markdown: table(
      ['from webhook delivery to', 'p50 s', 'p95 s'],
      [
        [
          'first item booked',
          round(figures.toFirstBookedMs.p50 / 1000),
          round(figures.toFirstBookedMs.p95 / 1000),
        ],
        [
          'job completed in Pleo',
          round(figures.toCompletedMs.p50 / 1000),
          round(figures.toCompletedMs.p95 / 1000),
        ],
      ],
    ),
    failures,
  };
}
