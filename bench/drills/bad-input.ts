// 6. Bad input: fuzzed export items (bench/fuzz.ts: schema violations, missing accounts, unbalanced
// lines, unknown currencies, huge and non-ASCII notes, negative and zero amounts) mixed into a job of
// valid ones. Each bad item must end failed with a specific reason type and message (schema
// violations: validation_failure); odd-but-bookable ones end final; every valid item succeeds; the
// worker does not crash and no workflow task fails.
import type { ExportItem } from '../../src/pleo/types';
import { checkJob } from '../lib/outcome';
import { jobHistories } from '../lib/history';
import { runJob } from '../lib/run-job';
import { validItems } from '../scenarios/common';
import { EDGE, fuzzItems, type FuzzKind } from '../fuzz';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { checkFigures, type DrillResult, JOB_TIMEOUT_MS } from './common';

const SIZES: Record<Size, number> = { smoke: 50, full: 1_000 };
const SCHEMA_KINDS: FuzzKind[] = ['schema_wrong_type', 'schema_missing_lines', 'schema_unknown_type'];

export async function badInput(env: BenchEnv, size: Size): Promise<DrillResult> {
  const count = SIZES[size];
  const company = env.addCompany();
  const worker = await env.startWorker([company]);
  const valid = validItems(env, company.companyId, count, 'drill-bad-input');
  const bad = fuzzItems(valid, count, `drill-bad-input/${company.companyId}`);
  const kindOf = new Map(bad.map((b) => [b.item.accountingEntryId, b.kind]));
  // Interleaved, so bad items sit on every page among valid ones.
  const items: ExportItem[] = valid.flatMap((v, i) => [v, bad[i]!.item]);
  try {
    const run = await runJob(env, company, items, {
      timeoutMs: JOB_TIMEOUT_MS[size],
      settings: { pageSize: 50 },
    });
    const check = checkJob(env, company, run.jobId, items);
    const statuses = new Map(env.sandbox.jobItems(run.jobId).map((i) => [i.accountingEntryId, i]));
    const outcomes: Record<string, Record<string, number>> = {};
    const failures: string[] = [];
    const problem = (what: string) => failures.length < 20 && failures.push(what);
    for (const item of items) {
      const id = item.accountingEntryId;
      const status = statuses.get(id);
      const kind = kindOf.get(id);
      const label =
        status?.status === 'failed' ? `failed: ${status.failureReasonType}` : (status?.status ?? 'missing');
      const group = kind ?? 'valid';
      outcomes[group] ??= {};
      outcomes[group][label] = (outcomes[group][label] ?? 0) + 1;
      if (!kind) {
        if (status?.status !== 'successful') problem(`valid item ${id} ended ${label}`);
        continue;
      }
      const edge = (EDGE as readonly string[]).includes(kind);
      if (status?.status === 'successful' && edge) continue;
      if (status?.status !== 'failed') problem(`${kind} item ${id} ended ${label}, expected failed`);
      else if (!status.failureReasonType || status.failureReasonType === 'unexpected_failure')
        problem(`${kind} item ${id} failed without a specific reason (${status.failureReasonType})`);
      else if (!status.failureReason?.trim()) problem(`${kind} item ${id} failed without a message`);
      else if (SCHEMA_KINDS.includes(kind) && status.failureReasonType !== 'validation_failure')
        problem(`${kind} item ${id} failed as ${status.failureReasonType}, expected validation_failure`);
    }
    if (check.duplicates) failures.push(`${check.duplicates} items booked twice`);
    if (check.bookedButFailed)
      failures.push(`${check.bookedButFailed} failed items left entries in the ledger`);
    if (check.reportedNotOnce) failures.push(`${check.reportedNotOnce} items reported other than once`);
    if (check.jobStatus !== 'completed_with_errors')
      failures.push(`job ended ${check.jobStatus}, expected completed_with_errors`);
    if (worker.child.exitCode !== null || worker.child.signalCode !== null)
      failures.push('the worker process crashed');
    const history = await jobHistories(env.client, company.companyId, run.jobId);
    if (history.workflowTaskFailures) failures.push(`${history.workflowTaskFailures} workflow tasks failed`);
    return {
      name: 'bad-input',
      title: `6. Bad input (${count} fuzzed items among ${count} valid ones)`,
      figures: {
        ...checkFigures(check),
        workflowTaskFailures: history.workflowTaskFailures,
        outcomesByKind: Object.entries(outcomes)
          .map(
            ([kind, o]) =>
              `${kind}: ${Object.entries(o)
                .map(([k, n]) => `${n} ${k}`)
                .join(', ')}`,
          )
          .join('; '),
      },
      failures,
    };
  } finally {
    await worker.kill();
  }
}
