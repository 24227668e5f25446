// Each export item is its own activity: one item's transient trouble stays that item's, Pleo's refusals
// are retried, and an invoice_payment never goes before the invoice it pays. Real Temporal server, the
// Pleo sandbox over HTTP, the embedded ledger; outcomes read from the sandbox, the ledger file and the
// job workflow's result.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { documentReference } from '../../src/accounting/core';
import { jobWorkflowId, type JobResult } from '../../src/shared/workflow-api';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { startFileServer, type FileServer } from '../support/file-server';
import { runHistories } from '../support/temporal';
import { failureLines, jobProgress, jobWorkflowIdOf } from '../../src/cli/commands/jobs';
import { failedItemsFromHistory } from '../../src/cli/commands/replay';
import { startHarness, ledgerReferenceCounts, type Harness } from '../support/pipeline-harness';

let h: Harness;
let files: FileServer;
beforeAll(async () => {
  h = await startHarness();
  files = await startFileServer();
}, 180_000);
afterAll(async () => {
  await files?.close();
  await h?.close();
});

const validItems = (companyId: string, seed: string, count: number) =>
  generateExportItems({ seed, count, companyId, fileBaseUrl: h.sandbox.url, mix: 'valid' });

const jobResult = (companyId: string, jobId: string): Promise<JobResult> =>
  h.env.client.workflow.getHandle(jobWorkflowId(companyId, jobId)).result();

test('one item whose receipt host always answers 503 fails alone; the others are booked', async () => {
  // The test's file host is an allowed receipt location, like Pleo's own.
  const companyId = h.addCompany(undefined, undefined, (connection) => ({
    ...connection,
    receipts: {
      ...connection.receipts,
      allowedHosts: [...connection.receipts.allowedHosts, files.host],
      allowInsecureHosts: [...(connection.receipts.allowInsecureHosts ?? []), files.host],
    },
  }));
  const items = validItems(companyId, 'isolation-503', 30);
  const victim = items.find((i) => (i.files?.length ?? 0) > 0)!;
  victim.files![0] = { ...victim.files![0]!, url: `${files.url}/down` };
  const job = h.sandbox.createJob(companyId, items);
  const started = Date.now();

  await h.exportNow(companyId, { pageSize: 10 });

  const seconds = (Date.now() - started) / 1000;
  expect(h.sandbox.getJob(job.id).status).toBe('completed_with_errors');
  const jobItems = h.sandbox.jobItems(job.id);
  const failed = jobItems.filter((i) => i.status !== 'successful');
  expect(failed.map((i) => [i.accountingEntryId, i.status, i.failureReasonType])).toEqual([
    [victim.accountingEntryId, 'failed', 'receipt_download_failure'],
  ]);
  // Retried for that item only: each of its attempts asked the host again.
  process.stdout.write(`receipt host asked ${files.requests.filter((r) => r === '/down').length} times\n`);
  expect(files.requests.filter((r) => r === '/down').length).toBeGreaterThanOrEqual(4);
  // Well before the 60 s outage budget: the receipt host's trouble was never taken for an outage.
  expect(seconds).toBeLessThan(h.settings.outageBudgetMs! / 1000);
  const booked = ledgerReferenceCounts(h.ledgerDir(companyId));
  expect(booked.has(documentReference(victim.accountingEntryId, 'main'))).toBe(false);
  expect(booked.size).toBeGreaterThanOrEqual(items.length - 1);
  expect(h.sandbox.jobEvents(job.id).at(-1)).toEqual(
    expect.objectContaining({ event: 'completed_with_errors', failureReasonType: expect.any(String) }),
  );
  const result = await jobResult(companyId, job.id);
  expect(result.failedItems.map((f) => [f.accountingEntryId, f.failureReasonType])).toEqual([
    [victim.accountingEntryId, 'receipt_download_failure'],
  ]);

  // What an operator sees: `jobs show <Pleo job id> --failures` and `replay` of the job's history.
  const workflowId = await jobWorkflowIdOf(h.env.client, job.id);
  expect(workflowId).toBe(jobWorkflowId(companyId, job.id));
  const progress = await jobProgress(h.env.client, workflowId);
  const [line] = failureLines(progress.failedItems);
  expect(line).toContain(victim.accountingEntryId);
  expect(line).toContain('receipt_download_failure');
  expect(line).toContain(victim.date.slice(0, 10));
  const [run] = await runHistories(h.env.client, workflowId);
  const failedInHistory = await failedItemsFromHistory(run!.history);
  expect(failedInHistory).toEqual([
    expect.objectContaining({ accountingEntryId: victim.accountingEntryId, attempts: 4 }),
  ]);
  expect(failedInHistory[0]!.summary).toContain(victim.accountingEntryId);
  expect(failedInHistory[0]!.errors.at(-1)).toMatch(/^receipt_download_failure: /);
}, 300_000);

test('an item update Pleo refuses once (errors[]) is sent again; the job completes', async () => {
  const refusedOnce = new Set<string>();
  // Known once the items are generated for the company: the client is wrapped before.
  const victim = { id: '' };
  const companyId = h.addCompany(undefined, undefined, (connection) => {
    const { pleo } = connection;
    const update = pleo.updateJobItems.bind(pleo);
    pleo.updateJobItems = async (jobId, updates) => {
      const target = updates.find((u) => u.accountingEntryId === victim.id);
      if (!target || refusedOnce.has(target.accountingEntryId)) return update(jobId, updates);
      refusedOnce.add(target.accountingEntryId);
      const result = await update(
        jobId,
        updates.filter((u) => u !== target),
      );
      const error = { accountingEntryId: target.accountingEntryId, type: 'CONFLICT', message: 'try again' };
      return { ...result, errors: [...result.errors, error] };
    };
    return connection;
  });
  const items = validItems(companyId, 'isolation-refused', 12);
  victim.id = items[3]!.accountingEntryId;
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId);

  expect(refusedOnce).toEqual(new Set([victim.id]));
  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  expect(h.sandbox.jobItems(job.id).every((i) => i.status === 'successful')).toBe(true);
  const updates = h.sandbox.itemUpdateCounts(job.id);
  expect(items.map((i) => updates.get(i.accountingEntryId) ?? 0)).toEqual(items.map(() => 1));
  expect(h.sandbox.jobEvents(job.id).map((e) => e.event)).toEqual(['started', 'completed']);
}, 300_000);

test('an invoice listed after its payment is booked first', async () => {
  const companyId = h.addCompany();
  const items = validItems(companyId, 'isolation-ap', 80);
  const invoice = items.find((i) => i.type === 'invoice' && i.additionalInformation?.invoiceInformation);
  const payment = items.find(
    (i) => i.type === 'invoice_payment' && i.additionalInformation?.invoiceInformation,
  );
  expect(invoice && payment).toBeTruthy();
  const invoiceNumber = invoice!.additionalInformation!.invoiceInformation!.invoiceNumber;
  payment!.additionalInformation!.invoiceInformation!.invoiceNumber = invoiceNumber;
  // The payment on Pleo's first page and first by date; its invoice last, on a later page.
  payment!.date = '2026-01-01T08:00:00Z';
  invoice!.date = '2026-01-02T08:00:00Z';
  const ordered: ExportItem[] = [payment!, ...items.filter((i) => i !== payment && i !== invoice), invoice!];
  const job = h.sandbox.createJob(companyId, ordered);

  await h.exportNow(companyId, { pageSize: 10 });

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  // Transactions are appended in the order they were posted.
  const dir = h.ledgerDir(companyId);
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.beancount'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const at = (item: ExportItem) => text.indexOf(`"${documentReference(item.accountingEntryId, 'main')}"`);
  expect(at(invoice!)).toBeGreaterThanOrEqual(0);
  expect(at(payment!)).toBeGreaterThan(at(invoice!));
}, 300_000);
