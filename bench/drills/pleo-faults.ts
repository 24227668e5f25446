// 3. Pleo faults: 20% of calls answered 429 with Retry-After, 5% 503, latency spikes, and "applied but
// the response lost" on item updates and job events. The job must end correctly with every item
// reported exactly once.
import type { FaultRuleInput } from '@pleo-export/pleo-sandbox/faults';
import { checkJob } from '../lib/outcome';
import { runJob } from '../lib/run-job';
import { validItems } from '../scenarios/common';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { allBookedOnce, checkFigures, type DrillResult, JOB_TIMEOUT_MS } from './common';

const ITEMS: Record<Size, number> = { smoke: 60, full: 1_000 };

export const PLEO_FAULTS: FaultRuleInput[] = [
  { endpoint: '*', kind: 'rate_limit', probability: 0.2, retryAfterSeconds: 1 },
  { endpoint: '*', kind: 'server_error', probability: 0.05, status: 503 },
  { endpoint: '*', kind: 'latency', probability: 0.05, latencyMs: 3_000 },
  { endpoint: 'PUT /v3/export-jobs/{jobId}/items', kind: 'lost_response', probability: 0.25 },
  { endpoint: 'POST /v3/export-job-events', kind: 'lost_response', probability: 0.5 },
];

export async function pleoFaults(env: BenchEnv, size: Size): Promise<DrillResult> {
  const count = ITEMS[size];
  const company = env.addCompany();
  const worker = await env.startWorker([company]);
  const items = validItems(env, company.companyId, count, 'drill-pleo-faults');
  const rules = env.sandbox.setFaults(PLEO_FAULTS);
  try {
    const run = await runJob(env, company, items, {
      timeoutMs: JOB_TIMEOUT_MS[size],
      settings: { pageSize: 50 },
    });
    env.sandbox.setFaults([]);
    // The rules setFaults returned are the live ones: their `fired` counts are final now.
    const fired = Object.fromEntries(
      rules.map((r) => [`fired ${r.kind}${r.endpoint === '*' ? '' : ` on ${r.endpoint}`}`, r.fired]),
    );
    await env.waitCompany(company.companyId);
    const check = checkJob(env, company, run.jobId, items);
    const failures = allBookedOnce(check);
    if (Object.values(fired).every((n) => n === 0)) failures.push('no fault fired');
    return {
      name: 'pleo-faults',
      title: `3. Pleo faults (429 20%, 503 5%, latency, lost responses) on a ${count}-item job`,
      figures: { ...checkFigures(check), ...fired, seconds: Math.round(run.seconds) },
      failures,
    };
  } finally {
    env.sandbox.setFaults([]);
    await worker.kill();
  }
}
