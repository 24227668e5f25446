// 2. Temporal server restart mid-job: the dev server (persistent SQLite file) is stopped and started
// again on the same file and port while the job runs; workers and clients reconnect. Same outcome:
// job completed, every item booked once and reported once.
import { checkJob } from '../lib/outcome';
import { runJob } from '../lib/run-job';
import { validItems } from '../scenarios/common';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { allBookedOnce, checkFigures, type DrillResult, JOB_TIMEOUT_MS } from './common';

const ITEMS: Record<Size, number> = { smoke: 300, full: 2_000 };

export async function serverRestart(env: BenchEnv, size: Size): Promise<DrillResult> {
  const count = ITEMS[size];
  const company = env.addCompany();
  const worker = await env.startWorker([company]);
  const items = validItems(env, company.companyId, count, 'drill-restart');
  let restartedAtFinal: number | undefined;
  let downSeconds = 0;
  try {
    const run = await runJob(env, company, items, {
      timeoutMs: JOB_TIMEOUT_MS[size],
      // Two items at a time, so the job is still running when its first outcomes reach Pleo (they are
      // reported 50 at a time) however fast this machine exports.
      settings: { heartbeatTimeoutMs: 10_000, pageSize: 20, itemsInFlight: 2 },
      during: async (_elapsed, final) => {
        if (restartedAtFinal !== undefined || final < Math.min(40, count / 4)) return;
        restartedAtFinal = final;
        const started = Date.now();
        await env.restartServer();
        downSeconds = (Date.now() - started) / 1000;
      },
    });
    const check = checkJob(env, company, run.jobId, items);
    const failures = allBookedOnce(check);
    if (restartedAtFinal === undefined) failures.push('the job ended before the server could be restarted');
    if (worker.child.exitCode !== null) failures.push('the worker process died');
    return {
      name: 'server-restart',
      title: `2. Temporal server restarted during a ${count}-item job`,
      figures: {
        ...checkFigures(check),
        itemsFinalAtRestart: restartedAtFinal ?? '–',
        serverDownSeconds: Math.round(downSeconds * 10) / 10,
        seconds: Math.round(run.seconds),
      },
      failures,
    };
  } finally {
    await worker.kill();
  }
}
