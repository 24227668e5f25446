// 3. A naive baseline: the same job as a plain sequential loop without Temporal (bench/naive.ts), and
// the ratio of elapsed times (pipeline / loop): what durability costs, or saves.
import { join } from 'node:path';
import { sandboxConnection } from '../../src/app/demo';
import { measuredJob } from '../lib/measure';
import { round, table } from '../lib/report';
import { checkJob } from '../lib/outcome';
import { waitForJobEnd } from '../lib/run-job';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { naiveExport } from '../naive';
import { integrityFailures, validItems, type ScenarioResult } from './common';

const ITEMS: Record<Size, number> = { smoke: 50, full: 1_000 };

export async function baseline(env: BenchEnv, size: Size): Promise<ScenarioResult> {
  const count = ITEMS[size];
  const pipelineCompany = env.addCompany();
  const pipeline = await measuredJob(env, pipelineCompany, validItems(env, pipelineCompany.companyId, count));

  const company = env.addCompany();
  const items = validItems(env, company.companyId, count);
  const connection = await sandboxConnection(env.sandbox, company, company.accountingSystem, env.logger)();
  const job = env.sandbox.createJob(company.companyId, items);
  const started = Date.now();
  const cpu = process.cpuUsage();
  await naiveExport(connection, job.id, { workDir: join(env.dir, 'naive-receipts'), logger: env.logger });
  await waitForJobEnd(env, job.id);
  const seconds = (Date.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await connection.accountingSystem.close();
  const check = checkJob(env, company, job.id, items);
  const data = {
    items: count,
    pipelineSeconds: pipeline.seconds,
    loopSeconds: round(seconds),
    ratio: round(pipeline.seconds / seconds),
    pipelineWorkerCpuSecondsPerItem: pipeline.workerCpuSecondsPerItem,
    pipelineServerCpuSecondsPerItem: pipeline.serverCpuSecondsPerItem,
    loopCpuSecondsPerItem: round((used.user + used.system) / 1e6 / count, 4),
  };
  return {
    name: 'baseline',
    title: '3. Naive baseline (plain sequential loop, no Temporal, same job)',
    data: { ...data, pipelineCheck: pipeline.check, loopCheck: check },
    markdown: table(
      [
        'items',
        'pipeline s',
        'plain loop s',
        'pipeline / loop',
        'pipeline CPU s/item (worker + server)',
        'loop CPU s/item (its process also serves the sandbox)',
      ],
      [
        [
          count,
          data.pipelineSeconds,
          data.loopSeconds,
          data.ratio,
          round(data.pipelineWorkerCpuSecondsPerItem + data.pipelineServerCpuSecondsPerItem, 4),
          data.loopCpuSecondsPerItem,
        ],
      ],
    ),
    failures: [
      ...integrityFailures('pipeline job', pipeline.check),
      ...integrityFailures('plain loop job', check),
    ],
  };
}
