// Writes paced across worker processes: two workers export three companies' jobs into ledgers that
// declare a limit of 3 writes per second (their `writeLimit`), and one worker is SIGKILLed mid-way. No
// company's ledger ever receives more than 3 writes within a second (read from the entries' own
// creation times), and every item is booked once and reported once.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateExportItems } from '../../src/sandbox/seed/export-items';
import { documentReference } from '../../src/accounting/core';
import { companyWorkflowId } from '../../src/shared/workflow-api';
import { startHarness, ledgerReferenceCounts, waitFor, type Harness } from './harness';
import { killAll, killWorker, startWorkerProcess, writeWorkerSpec } from './worker-processes';

let h: Harness;
const workers: ChildProcess[] = [];
beforeAll(async () => {
  h = await startHarness({ worker: false });
}, 180_000);
afterAll(async () => {
  killAll(workers);
  await h?.close();
});

const LIMIT_PER_SECOND = 3;

/** When each transaction was written to a company's ledger (its created-at), in order. */
function writeTimes(ledgerDir: string): number[] {
  const times: number[] = [];
  for (const file of readdirSync(ledgerDir).filter((f) => f.endsWith('.beancount')))
    for (const match of readFileSync(join(ledgerDir, file), 'utf8').matchAll(
      /^\d{4}-\d\d-\d\d [*!] [^\n]*\n(?: {2}[^\n]*\n)*? {2}created-at: "([^"]+)"/gm,
    ))
      times.push(Date.parse(match[1]!));
  return times.sort((a, b) => a - b);
}

/** Writes that made more than LIMIT_PER_SECOND within one second. */
function overLimit(times: number[]): number {
  let over = 0;
  for (let i = LIMIT_PER_SECOND; i < times.length; i++)
    if (times[i]! - times[i - LIMIT_PER_SECOND]! < 1_000) over++;
  return over;
}

test('two workers, three companies, a strict 3 writes/s each, one worker killed: never over the limit, nothing lost or doubled', async () => {
  const companies = [h.addCompany(), h.addCompany(), h.addCompany()];
  const jobs = companies.map((companyId, n) => {
    const items = generateExportItems({
      seed: `pacing-${n}`,
      count: 18,
      companyId,
      fileBaseUrl: h.sandbox.url,
      mix: 'valid',
    });
    return { companyId, items, job: h.sandbox.createJob(companyId, items) };
  });
  const specFile = await writeWorkerSpec(h, companies, undefined, {
    writeLimit: { perSecond: LIMIT_PER_SECOND },
  });
  const first = await startWorkerProcess(specFile, workers);
  await startWorkerProcess(specFile, workers);

  const settings = {
    itemsInFlight: 5,
    pageSize: 10,
    heartbeatTimeoutMs: 5_000,
  };
  for (const companyId of companies) await h.trigger(companyId, settings);
  const successful = () =>
    jobs.reduce(
      (n, j) => n + h.sandbox.jobItems(j.job.id).filter((i) => i.status === 'successful').length,
      0,
    );
  await waitFor(() => successful() >= 10, 180_000, 'some items exported before the kill');
  expect(await killWorker(first)).toBe('SIGKILL');
  for (const companyId of companies)
    await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).result();

  for (const { companyId, items, job } of jobs) {
    expect(h.sandbox.getJob(job.id).status).toBe('completed');
    const updates = h.sandbox.itemUpdateCounts(job.id);
    expect(items.map((i) => updates.get(i.accountingEntryId) ?? 0)).toEqual(items.map(() => 1));
    const booked = ledgerReferenceCounts(h.ledgerDir(companyId));
    expect(items.map((i) => booked.get(documentReference(i.accountingEntryId, 'main')) ?? 0)).toEqual(
      items.map(() => 1),
    );
    const times = writeTimes(h.ledgerDir(companyId));
    expect(times.length).toBeGreaterThanOrEqual(items.length);
    expect(overLimit(times)).toBe(0);
  }
}, 600_000);
