// 1. Throughput (and 5. API economy from the same runs): jobs of 1,000 and 10,000 items against the
// sandbox and the embedded ledger with no artificial limits.
import { callsPerThousand, measuredJob, type MeasuredJob } from '../lib/measure';
import { table } from '../lib/report';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { integrityFailures, validItems, type ScenarioResult } from './common';

export const THROUGHPUT_SIZES: Record<Size, number[]> = { smoke: [50], full: [1_000, 10_000] };

export async function throughput(
  env: BenchEnv,
  size: Size,
): Promise<{ result: ScenarioResult; runs: MeasuredJob[] }> {
  const runs: MeasuredJob[] = [];
  for (const count of THROUGHPUT_SIZES[size]) {
    const company = env.addCompany();
    runs.push(await measuredJob(env, company, validItems(env, company.companyId, count)));
  }
  const markdown = table(
    [
      'items',
      'seconds',
      'items/s',
      'worker CPU s/item',
      'server CPU s/item',
      'peak worker RSS MB',
      'runs',
      'largest history (events / bytes)',
    ],
    runs.map((r) => [
      r.items,
      r.seconds,
      r.itemsPerSecond,
      r.workerCpuSecondsPerItem,
      r.serverCpuSecondsPerItem,
      r.peakWorkerRssMb,
      r.history.runs,
      `${r.history.largestEvents} / ${r.history.largestBytes}`,
    ]),
  );
  return {
    runs,
    result: {
      name: 'throughput',
      title: '1. Throughput (sandbox → embedded ledger, no limits)',
      data: runs.map(({ progress: _p, ...r }) => r),
      markdown,
      charts: [
        {
          file: 'bench-throughput.svg',
          title: 'Items final in Pleo over time',
          xLabel: 'seconds',
          yLabel: 'items',
          series: runs.map((r) => ({ name: `${r.items} items`, points: r.progress })),
        },
      ],
      failures: runs.flatMap((r) => integrityFailures(`${r.items}-item job`, r.check)),
    },
  };
}

/** 5. API economy: Pleo API calls per 1,000 items by endpoint, from a throughput run. */
export function apiEconomy(run: MeasuredJob): ScenarioResult {
  const per = callsPerThousand(run.calls, run.items);
  const total = Object.values(per).reduce((a, b) => a + b, 0);
  return {
    name: 'api',
    title: `5. API economy (Pleo API calls per 1,000 items, ${run.items}-item job)`,
    data: { items: run.items, calls: run.calls, perThousandItems: per },
    markdown: table(
      ['endpoint', 'calls', 'per 1,000 items'],
      [
        ...Object.entries(run.calls).map(([k, v]) => [`\`${k}\``, v, per[k]!]),
        ['**total**', Object.values(run.calls).reduce((a, b) => a + b, 0), Math.round(total * 10) / 10],
      ],
    ),
    failures: Object.keys(run.calls).length === 0 ? ['no Pleo API calls counted'] : [],
  };
}
