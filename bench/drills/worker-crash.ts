// 1. Worker crashes: a job while the worker process is SIGKILLed at random moments and restarted (no
// graceful shutdown, the item being booked is cut off). The job must complete with every item booked
// once and reported to Pleo once. The job is started by a signed webhook, as in production.
import { checkJob } from '../lib/outcome';
import { startReceiver } from '../lib/receiver';
import { runJob } from '../lib/run-job';
import { seeded } from '../target';
import { validItems } from '../scenarios/common';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { allBookedOnce, checkFigures, type DrillResult, JOB_TIMEOUT_MS } from './common';

const SIZES: Record<Size, { items: number; kills: number }> = {
  smoke: { items: 150, kills: 2 },
  full: { items: 2_000, kills: 10 },
};
const SETTINGS = { heartbeatTimeoutMs: 10_000, pageSize: 50 };

export async function workerCrash(env: BenchEnv, size: Size): Promise<DrillResult> {
  const { items: count, kills } = SIZES[size];
  const company = env.addCompany();
  const receiver = await startReceiver(env, company, SETTINGS);
  // Random moments, as numbers of items booked (the target's write log), between 5% and 90% of the job.
  const random = await seeded(7);
  const killAtWrites = Array.from({ length: kills }, () => Math.floor(count * (0.05 + random() * 0.85))).sort(
    (a, b) => a - b,
  );
  let worker = await env.startWorker([company]);
  let killed = 0;
  const killedAtBooked: number[] = [];
  const items = validItems(env, company.companyId, count, 'drill-crash');
  try {
    const run = await runJob(env, company, items, {
      timeoutMs: JOB_TIMEOUT_MS[size],
      byWebhook: true,
      tickMs: 100,
      during: async () => {
        if (killed >= kills) return;
        const booked = company.targetEvents().filter((e) => e.kind === 'write' && e.created).length;
        if (booked < killAtWrites[killed]!) return;
        await worker.kill('SIGKILL');
        killed++;
        killedAtBooked.push(booked);
        worker = await env.startWorker([company]);
      },
    });
    const check = checkJob(env, company, run.jobId, items);
    const failures = allBookedOnce(check);
    if (killed < kills) failures.push(`only ${killed} of ${kills} kills happened before the job ended`);
    if (receiver.deliveredAt.length === 0) failures.push('the webhook never reached the receiver');
    return {
      name: 'worker-crash',
      title: `1. Worker SIGKILLed ${killed}× during a ${count}-item job`,
      figures: {
        ...checkFigures(check),
        kills: killed,
        itemsBookedAtKills: killedAtBooked.join(' '),
        seconds: Math.round(run.seconds),
      },
      failures,
    };
  } finally {
    await worker.kill();
    await receiver.close();
  }
}
