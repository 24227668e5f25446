// One export job through the real pipeline: create it in the sandbox, trigger the company workflow,
// sample progress (items final in Pleo) once a second for the throughput chart, wait for the end.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { companyWorkflowId, jobWorkflowId, type ExportJobSettings } from '../../src/shared/workflow-api';
import type { BenchCompany, BenchEnv } from './env';

export interface JobRun {
  jobId: string;
  seconds: number;
  /** [seconds since trigger, items final in Pleo] once a second. */
  progress: [number, number][];
}

const FINAL = new Set(['successful', 'failed']);

export function finalCount(env: BenchEnv, jobId: string): number {
  return env.sandbox.jobItems(jobId).filter((i) => FINAL.has(i.status)).length;
}

export async function runJob(
  env: BenchEnv,
  company: BenchCompany,
  items: ExportItem[],
  options: {
    settings?: Partial<ExportJobSettings>;
    /** Called once a second while the job runs (drills kill workers or restart the server from here). */
    during?: (elapsedSeconds: number, final: number) => Promise<void> | void;
    /** A subscribed webhook receiver starts the workflow, instead of a trigger like `check now`. */
    byWebhook?: boolean;
    /** How often `during` is called (default once a second). */
    tickMs?: number;
    /** Give up waiting (and throw) when the job has not ended by then. */
    timeoutMs?: number;
  } = {},
): Promise<JobRun> {
  const { settings, during } = options;
  const job = env.sandbox.createJob(company.companyId, items);
  const started = Date.now();
  const progress: [number, number][] = [[0, 0]];
  const tickMs = options.tickMs ?? 1000;
  let lastSample = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, tickMs));
      if (done) break;
      const final = finalCount(env, job.id);
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed - lastSample >= 1) {
        lastSample = elapsed;
        progress.push([Math.round(elapsed * 10) / 10, final]);
      }
      await during?.(elapsed, final);
    }
  })();
  try {
    if (!options.byWebhook) await env.trigger(company.companyId, settings);
    await waitForJobEnd(env, job.id, 100, options.timeoutMs);
  } catch (err) {
    // A job that did not end must not keep running into the next drill's workers.
    for (const id of [jobWorkflowId(company.companyId, job.id), companyWorkflowId(company.companyId)])
      await env.client.workflow
        .getHandle(id)
        .terminate('benchmark gave up waiting')
        .catch(() => undefined);
    throw err;
  } finally {
    done = true;
    await sampler;
  }
  const seconds = (Date.now() - started) / 1000;
  progress.push([Math.round(seconds * 10) / 10, finalCount(env, job.id)]);
  await env.waitCompany(company.companyId);
  return { jobId: job.id, seconds, progress };
}

const ENDED = new Set(['completed', 'completed_with_errors', 'failed']);

/** Polls the sandbox until the job has its final event (Pleo's view is what counts). */
export async function waitForJobEnd(
  env: BenchEnv,
  jobId: string,
  pollMs = 100,
  timeoutMs = Infinity,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ENDED.has(env.sandbox.getJob(jobId).status)) {
    if (Date.now() > deadline) {
      const final = finalCount(env, jobId);
      throw new Error(
        `job still ${env.sandbox.getJob(jobId).status} after ${Math.round(timeoutMs / 60_000)} min (${final} items final)`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
