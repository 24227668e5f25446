// 8. Realistic latency: Pleo and receipt downloads take 80 ms, the accounting system 250 ms per write
// and 150 ms per look-up or attachment. The same job exported by the pipeline (2 worker processes, a
// window of items in flight) and by the naive sequential loop; with no concurrency limit at the target
// the pipeline should be many times faster. A second target declares (and enforces) 5 writes at once
// and 10 writes a second, attachments counted as writes: the paced job should come close to the ideal
// those limits allow, its writes / 10 (5 at once, 250 ms each, would allow 20 a second).
import { join } from 'node:path';
import { sandboxConnection } from '../../src/app/demo';
import { round, table } from '../lib/report';
import { checkJob } from '../lib/outcome';
import { runJob, waitForJobEnd } from '../lib/run-job';
import type { BenchEnv, BenchCompany } from '../lib/env';
import type { Size } from '../lib/args';
import { naiveExport } from '../naive';
import { BenchTarget, type TargetFaults } from '../target';
import type { ExportJobSettings } from '../../src/shared/workflow-api';
import { integrityFailures, validItems, type ScenarioResult } from './common';

const ITEMS: Record<Size, number> = { smoke: 30, full: 300 };
const TARGET: TargetFaults = { latency: { writeMs: 250, readMs: 150 } };
const PLEO_MS = 80;
const LIMITED = { perSecond: 10, concurrent: 5 };

async function pipelineRun(
  env: BenchEnv,
  company: BenchCompany,
  count: number,
  settings: Partial<ExportJobSettings>,
) {
  const workers = [await env.startWorker([company]), await env.startWorker([company])];
  try {
    const items = validItems(env, company.companyId, count, 'bench-item-latency');
    const run = await runJob(env, company, items, { settings });
    const check = checkJob(env, company, run.jobId, items);
    const events = company.targetEvents();
    return {
      seconds: run.seconds,
      check,
      posts: events.filter((e) => e.kind === 'write').length,
      writes: events.filter((e) => e.kind === 'write' || e.kind === 'attach').length,
      violations: events.filter((e) => e.kind === 'violation').length,
    };
  } finally {
    for (const worker of workers) await worker.kill();
  }
}

export async function itemLatency(env: BenchEnv, size: Size): Promise<ScenarioResult> {
  const count = ITEMS[size];
  env.sandbox.setFaults([{ endpoint: '*', kind: 'latency', latencyMs: PLEO_MS }]);
  try {
    const open = await pipelineRun(env, env.addCompany({ faults: TARGET }), count, { itemsInFlight: 20 });
    const limitedCompany = env.addCompany({
      faults: { ...TARGET, limit: { perSecond: LIMITED.perSecond, concurrent: LIMITED.concurrent } },
    });
    const limited = await pipelineRun(env, limitedCompany, count, { itemsInFlight: 20 });
    const ideal = limited.writes / LIMITED.perSecond;

    const company = env.addCompany({ faults: TARGET });
    const items = validItems(env, company.companyId, count, 'bench-item-latency');
    const connection = await sandboxConnection(env.sandbox, company, company.accountingSystem, env.logger)();
    const target = new BenchTarget(connection.accountingSystem, company.targetLog, TARGET);
    const job = env.sandbox.createJob(company.companyId, items);
    const started = Date.now();
    await naiveExport({ ...connection, accountingSystem: target }, job.id, {
      workDir: join(env.dir, 'naive-latency-receipts'),
      logger: env.logger,
    });
    await waitForJobEnd(env, job.id);
    const loopSeconds = (Date.now() - started) / 1000;
    await target.close();
    const loopCheck = checkJob(env, company, job.id, items);

    const data = {
      items: count,
      loopItemsPerSecond: round(count / loopSeconds),
      pipelineItemsPerSecond: round(count / open.seconds),
      speedUp: round(loopSeconds / open.seconds),
      limitedSeconds: round(limited.seconds),
      limitedIdealSeconds: round(ideal),
      limitedOverIdeal: round(limited.seconds / ideal),
      limitedViolations: limited.violations,
      postsPerItem: round(open.posts / count, 2),
      writesPerItem: round(open.writes / count, 2),
    };
    return {
      name: 'item-latency',
      title:
        '8. Realistic latency (Pleo 80 ms; accounting 250 ms/write, 150 ms/look-up and attach), 2 workers',
      data,
      markdown: table(
        [
          'items',
          'loop items/s',
          'pipeline items/s',
          'speed-up',
          '5 at once, 10 writes/s: s (ideal)',
          'elapsed / ideal',
          'violations',
          'posts/item',
          'writes/item (posts + attachments)',
        ],
        [
          [
            count,
            data.loopItemsPerSecond,
            data.pipelineItemsPerSecond,
            data.speedUp,
            `${data.limitedSeconds} (${data.limitedIdealSeconds})`,
            data.limitedOverIdeal,
            data.limitedViolations,
            data.postsPerItem,
            data.writesPerItem,
          ],
        ],
      ),
      failures: [
        ...(limited.violations > 0 ? [`paced pipeline job: ${limited.violations} limit violations`] : []),
        ...integrityFailures('pipeline job', open.check),
        ...integrityFailures('paced pipeline job', limited.check),
        ...integrityFailures('plain loop job', loopCheck),
      ],
    };
  } finally {
    env.sandbox.setFaults([]);
  }
}
