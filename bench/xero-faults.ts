// Xero faults: under Xero's real limits, 10% of the stand-in's API calls answer 429 or 503 and 3% are
// committed and then lose their reply (drawn from a fixed seed), while two workers export card
// expenses with one receipt each. What the organisation holds afterwards must have no document twice
// (by reference, or made twice by one element of a keyed request), nothing missing for an item Pleo
// shows successful, one receipt per document, and every item final: successful, or failed with a
// specific reason.
import { checkJob } from './lib/outcome';
import { runJob } from './lib/run-job';
import type { BenchEnv } from './lib/env';
import type { Size } from './lib/args';
import { JOB_TIMEOUT_MS, type DrillResult } from './drills/common';
import { startXeroOrg } from './xero-org';

const ITEMS: Record<Size, number> = { smoke: 30, full: 150 };
const FAULT_SEED = 16;
/** Failure reasons that say nothing specific: an item ending with one of them fails the drill. */
const UNSPECIFIC = new Set(['unexpected_failure', 'unknown']);

export async function xeroFaults(env: BenchEnv, size: Size): Promise<DrillResult> {
  const org = await startXeroOrg(env, {
    faultSeed: FAULT_SEED,
    faults: [
      { endpoint: '*', kind: 'rate_limit', probability: 0.05 },
      { endpoint: '*', kind: 'server_error', probability: 0.05 },
      { endpoint: '*', kind: 'lost_response', probability: 0.03 },
    ],
  });
  const workers = [await env.startWorker([org.company]), await env.startWorker([org.company])];
  try {
    const items = org.items(ITEMS[size], 'drill-xero');
    // Twice the job's own timeout: every fault costs a wait of its own at 60 calls a minute.
    const run = await runJob(env, org.company, items, { timeoutMs: 2 * JOB_TIMEOUT_MS[size] });
    const check = checkJob(env, org.company, run.jobId, items);
    const statuses = env.sandbox.jobItems(run.jobId);
    const successful = new Set(
      statuses.filter((i) => i.status === 'successful').map((i) => i.accountingEntryId),
    );
    const held = org.held(items.filter((i) => successful.has(i.accountingEntryId)));
    const fired = Object.fromEntries(org.xero.faults.list().map((r) => [`${r.kind} fired`, r.fired]));
    const failures: string[] = [];
    if (held.duplicateReferences) failures.push(`${held.duplicateReferences} references booked twice`);
    if (held.duplicateKeys) failures.push(`${held.duplicateKeys} documents made twice by one keyed request`);
    if (held.missing) failures.push(`${held.missing} successful items not in the organisation`);
    if (held.receiptsNotOne) failures.push(`${held.receiptsNotOne} documents without exactly one receipt`);
    if (check.unfinished) failures.push(`${check.unfinished} items not final`);
    if (check.reportedNotOnce) failures.push(`${check.reportedNotOnce} items reported other than once`);
    const unspecific = Object.entries(check.failureReasons).filter(([reason]) => UNSPECIFIC.has(reason));
    if (unspecific.length)
      failures.push(
        `items failed without a specific reason: ${unspecific.map(([r, n]) => `${n} ${r}`).join(', ')}`,
      );
    if (!Object.values(fired).some((n) => n > 0)) failures.push('no fault fired');
    return {
      name: 'xero-faults',
      title: `Xero faults (10% 429 or 503, 3% replies lost after commit, seed ${FAULT_SEED}) on a ${items.length}-item job, 2 workers`,
      figures: {
        jobStatus: check.jobStatus,
        items: check.items,
        successful: check.successful,
        failed: check.failed,
        ...fired,
        failureReasons: JSON.stringify(check.failureReasons),
        duplicateReferences: held.duplicateReferences,
        duplicateKeys: held.duplicateKeys,
        missingInXero: held.missing,
        documents: held.documents,
        xeroCalls: org.calls().answered,
        limited429s: org.calls().limited,
        seconds: Math.round(run.seconds),
      },
      failures,
    };
  } finally {
    for (const w of workers) await w.kill('SIGTERM');
    await org.close();
  }
}
