// History stays bounded however large the job: each item is an activity and the job workflow continues
// as new every `pagesPerRun` pages, so events per run do not grow with the number of items. The figures
// come from the server's own histories; export item data (the bookkeeper's notes) never enters them.
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { jobWorkflowId } from '../../src/shared/workflow-api';
import { historyPayloadText, runHistories } from '../support/temporal';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

/** Temporal's warning level for events in one run; 51,200 is the hard limit. */
const HISTORY_EVENTS_WARNING = 10_240;

test('a 2,000-item job runs in several small runs and keeps item data out of history', async () => {
  const pageSize = 20;
  const pagesPerRun = 10;
  const companyId = h.addCompany();
  const items = generateExportItems({
    seed: 'history',
    count: 2_000,
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  });
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId, { pageSize, pagesPerRun });

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  const runs = await runHistories(h.env.client, jobWorkflowId(companyId, job.id));
  const eventsPerRun = runs.map((r) => r.history.events?.length ?? 0);
  const pages = Math.ceil(items.length / pageSize);
  // Continue-as-new happened as configured: one run per `pagesPerRun` pages.
  expect(runs.length).toBe(Math.ceil(pages / pagesPerRun));
  // A full run costs about the same whichever run it is: events do not accumulate across the job (how
  // many item completions share a workflow task varies with timing, hence the margin).
  const fullRuns = eventsPerRun.slice(1, -1);
  expect(Math.max(...fullRuns)).toBeLessThanOrEqual(Math.min(...fullRuns) * 1.25);
  expect(Math.max(...eventsPerRun)).toBeLessThan(HISTORY_EVENTS_WARNING);
  process.stdout.write(
    `history: ${runs.length} runs, events per run max ${Math.max(...eventsPerRun)} (${eventsPerRun.join(', ')})\n`,
  );

  const payloads = runs.map((r) => historyPayloadText(r.history)).join('\n');
  // The search can find what it looks for: outcome ids are in history.
  expect(payloads).toContain(items[0]!.accountingEntryId);
  const notes = items.map((i) => i.note).filter((n): n is string => typeof n === 'string' && n.length >= 12);
  expect(notes.length).toBeGreaterThan(0);
  expect(
    notes.filter((note) => payloads.includes(note) || payloads.includes(JSON.stringify(note).slice(1, -1))),
  ).toEqual([]);
}, 900_000);
