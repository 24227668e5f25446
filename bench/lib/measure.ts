// One job through the pipeline with its costs: a fresh worker process (so its peak RSS is this job's),
// CPU seconds of worker and Temporal server, Pleo API calls by endpoint, histories, and the outcome.
import type { ExportItem } from '../../src/pleo/types';
import type { ExportJobSettings } from '../../src/shared/workflow-api';
import type { BenchCompany, BenchEnv } from './env';
import { checkJob, type JobCheck } from './outcome';
import { jobHistories, type HistoryFigures } from './history';
import { ProcessMeter } from './proc';
import { runJob, type JobRun } from './run-job';
import { round } from './report';

export interface MeasuredJob {
  items: number;
  seconds: number;
  itemsPerSecond: number;
  workerCpuSecondsPerItem: number;
  serverCpuSecondsPerItem: number;
  peakWorkerRssMb: number;
  history: HistoryFigures;
  /** Pleo API calls by endpoint during the job. */
  calls: Record<string, number>;
  check: JobCheck;
  progress: JobRun['progress'];
}

export async function measuredJob(
  env: BenchEnv,
  company: BenchCompany,
  items: ExportItem[],
  options: { settings?: Partial<ExportJobSettings> } = {},
): Promise<MeasuredJob> {
  const worker = await env.startWorker([company]);
  const workerMeter = new ProcessMeter();
  const serverMeter = new ProcessMeter();
  workerMeter.track(worker.pid);
  serverMeter.track(env.server.process.pid!);
  env.sandbox.resetCalls();
  try {
    const run = await runJob(env, company, items, { settings: options.settings });
    const calls = env.sandbox.calls();
    const workerCpu = workerMeter.cpuSeconds();
    const serverCpu = serverMeter.cpuSeconds();
    const peak = workerMeter.peakRssMb();
    return {
      items: items.length,
      seconds: round(run.seconds),
      itemsPerSecond: round(items.length / run.seconds),
      workerCpuSecondsPerItem: round(workerCpu / items.length, 4),
      serverCpuSecondsPerItem: round(serverCpu / items.length, 4),
      peakWorkerRssMb: round(peak, 1),
      history: await jobHistories(env.client, company.companyId, run.jobId),
      calls,
      check: checkJob(env, company, run.jobId, items),
      progress: run.progress,
    };
  } finally {
    workerMeter.stop();
    serverMeter.stop();
    await worker.kill('SIGTERM');
  }
}

/** Calls per 1,000 items by endpoint. */
export function callsPerThousand(calls: Record<string, number>, items: number): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, round((v * 1000) / items, 1)]));
}
