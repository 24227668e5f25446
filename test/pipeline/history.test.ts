// History stays bounded however large the job: each item is an activity and the job workflow continues
// as new every `pagesPerRun` pages, so events per run do not grow with the number of items. The figures
// come from the server's own histories; export item data (the bookkeeper's notes) never enters them.
import { jobWorkflowId } from '../../src/shared/workflow-api';
import { historyPayloadText, runHistories } from '../support/temporal';
import { useHarness } from '../support/pipeline-harness';

const h = useHarness();

/** Temporal's warning level for events in one run; 51,200 is the hard limit. */
const HISTORY_EVENTS_WARNING = 10_240;

test('a 2,000-item job runs in several small runs and keeps item data out of history', async () => {
  const pageSize = 20;
  const pagesPerRun = 10;
  const companyId = h.addCompany();
  const items = h.exportItems(companyId, 'history', 2_000);
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId, { pageSize, pagesPerRun });

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  const runs = await runHistories(h.env.client, jobWorkflowId(companyId, job.id));
  const eventsPerRun = runs.map((r) => r.history.events?.length ?? 0);
  const pages = Math.ceil(items.length / pageSize);
  // Continue-as-new happened as configured: one run per `pagesPerRun` pages, each starting at most as
  // many items as those pages hold. Invoice payments wait for the last page; they may need more runs.
  const share = pageSize * pagesPerRun;
  const startedPerRun = runs.map(
    (r) =>
      (r.history.events ?? []).filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'exportItem',
      ).length,
  );
  expect(Math.max(...startedPerRun)).toBeLessThanOrEqual(share);
  const payments = items.filter((i) => i.type === 'invoice_payment').length;
  expect(runs.length).toBeGreaterThanOrEqual(Math.ceil(pages / pagesPerRun));
  expect(runs.length).toBeLessThanOrEqual(Math.ceil(pages / pagesPerRun) + Math.ceil(payments / share));
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
