// 4. Scale: one 50,000-item job. It must complete before Pleo's one-hour expiry; the figures are the
// largest history of any run (events, bytes), the number of runs and the worker's peak RSS.
import { measuredJob } from '../lib/measure';
import { table } from '../lib/report';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { integrityFailures, validItems, type ScenarioResult } from './common';

const ITEMS: Record<Size, number> = { smoke: 300, full: 50_000 };
const PLEO_EXPIRY_SECONDS = 3600;

export async function scale(env: BenchEnv, size: Size): Promise<ScenarioResult> {
  const company = env.addCompany();
  const run = await measuredJob(env, company, validItems(env, company.companyId, ITEMS[size], 'bench-scale'));
  const { progress, ...data } = run;
  return {
    name: 'scale',
    title: `4. Scale (one ${run.items}-item job)`,
    data,
    markdown: table(
      [
        'items',
        'job status',
        'seconds',
        'before 1 h expiry',
        'items/s',
        'runs',
        'largest history events',
        'largest history bytes',
        'peak worker RSS MB',
      ],
      [
        [
          run.items,
          run.check.jobStatus,
          run.seconds,
          run.seconds < PLEO_EXPIRY_SECONDS ? 'yes' : 'no',
          run.itemsPerSecond,
          run.history.runs,
          run.history.largestEvents,
          run.history.largestBytes,
          run.peakWorkerRssMb,
        ],
      ],
    ),
    charts: [
      {
        file: 'bench-scale.svg',
        title: `Items final in Pleo over time (${run.items}-item job)`,
        xLabel: 'seconds',
        yLabel: 'items',
        series: [{ name: `${run.items} items`, points: progress }],
      },
    ],
    failures: [
      ...integrityFailures('scale job', run.check),
      ...(run.check.jobStatus !== 'completed' ? [`scale job ended ${run.check.jobStatus}`] : []),
      ...(run.seconds >= PLEO_EXPIRY_SECONDS ? ['scale job took longer than Pleo’s one-hour expiry'] : []),
    ],
  };
}
