// 6. Bad input: fuzzed export items (bench/fuzz.ts: schema violations, missing accounts, unbalanced
// lines, unknown currencies, huge and non-ASCII notes, negative and zero amounts) mixed into a job of
// valid ones. Each bad item must end failed with a specific reason type and message (schema
// violations: validation_failure); odd-but-bookable ones end final; every valid item succeeds; the
// worker does not crash and no workflow task fails. Valid items that send absent optional fields as
// `null` (as Pleo's services do) must all book; forged webhooks (another company's secret, an unknown
// company, a bad signature, a stale timestamp) must be refused and start no workflow.
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { triggerCompanyExport } from '../../src/client/trigger';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { companyWorkflowId } from '../../src/shared/workflow-api';
import { createWebhookReceiver, WEBHOOK_PATH } from '../../src/webhooks/receiver';
import { deliverSigned } from '../../test/support/webhooks';
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
  const nullLaden = generateExportItems({
    seed: 'drill-bad-input-nulls',
    count: Math.ceil(count / 2),
    companyId: company.companyId,
    fileBaseUrl: env.sandbox.url,
    mix: 'valid',
    absentAsNull: 1,
  });
  const nullLadenIds = new Set(nullLaden.map((i) => i.accountingEntryId));
  const kindOf = new Map(bad.map((b) => [b.item.accountingEntryId, b.kind]));
  // Interleaved, so bad items sit on every page among valid ones.
  const items: ExportItem[] = valid.flatMap((v, i) => [
    v,
    bad[i]!.item,
    ...(nullLaden[i] ? [nullLaden[i]] : []),
  ]);
  try {
    const forged = await forgedWebhooks(env);
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
      const group = kind ?? (nullLadenIds.has(id) ? 'valid_with_nulls' : 'valid');
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
    failures.push(...forged.failures);
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
      title: `6. Bad input (${count} fuzzed items among ${count + nullLaden.length} valid ones, ${nullLaden.length} of them null-laden; forged webhooks)`,
      figures: {
        ...checkFigures(check),
        workflowTaskFailures: history.workflowTaskFailures,
        forgedWebhooks: forged.sent,
        forgedWebhooksStartingAWorkflow: forged.started,
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

/**
 * Deliveries a receiver trusting two companies must refuse: signed with A's secret but naming B, for a
 * company it does not know, with a wrong signature, replayed after the tolerance. None may start a
 * company workflow (checked in Temporal, not by what the receiver says).
 */
async function forgedWebhooks(env: BenchEnv): Promise<{ sent: number; started: number; failures: string[] }> {
  const [a, b, stranger] = [randomUUID(), randomUUID(), randomUUID()];
  const secret = () => `whsec_${randomBytes(24).toString('base64')}`;
  const secrets = new Map<string, string>([
    [a, secret()],
    [b, secret()],
  ]);
  const app = createWebhookReceiver({
    secretFor: (companyId) => secrets.get(companyId),
    trigger: (companyId, signal) =>
      triggerCompanyExport(env.client, env.taskQueue, companyId, signal).then(() => undefined),
    logger: env.logger,
  });
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}${WEBHOOK_PATH}`;
  const body = (top: string, inData: string) =>
    JSON.stringify({
      companyId: top,
      eventId: randomUUID(),
      eventType: 'v1.export-job.created',
      data: { id: randomUUID(), companyId: inData, status: 'pending' },
    });
  const deliveries: [string, string, string, Date, number][] = [
    ["A's secret naming B", body(a, b), secrets.get(a)!, new Date(), 403],
    ['an unknown company', body(stranger, stranger), secrets.get(a)!, new Date(), 404],
    ['a wrong signature', body(b, b), secret(), new Date(), 401],
    ['a stale timestamp', body(b, b), secrets.get(b)!, new Date(Date.now() - 3_600_000), 401],
  ];
  const failures: string[] = [];
  try {
    for (const [what, raw, key, at, expected] of deliveries) {
      const response = await deliverSigned(url, raw, key, { at });
      if (response.status !== expected)
        failures.push(`forged webhook (${what}) answered ${response.status}, expected ${expected}`);
    }
  } finally {
    await app.close();
  }
  let started = 0;
  for (const companyId of [a, b, stranger]) {
    try {
      await env.client.workflow.getHandle(companyWorkflowId(companyId)).describe();
      started++;
      failures.push(`a forged webhook started the workflow of company ${companyId}`);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return { sent: deliveries.length, started, failures };
}
