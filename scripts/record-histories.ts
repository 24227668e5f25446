// Re-records the replay fixtures in test/fixtures/histories from real runs: a real Temporal server,
// the Pleo sandbox and the embedded ledger, through the same harness the pipeline tests use. Each run
// of each workflow becomes one JSON file (proto JSON, as the Web UI and CLI export). Run it after a
// deliberate, versioned change to workflow code: `npx ts-node --transpile-only scripts/record-histories.ts`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToFixture } from '../src/cli/commands/replay';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { companyWorkflowId, jobWorkflowId, pollScheduleId } from '../src/shared/workflow-api';
import { upsertPollSchedule } from '../src/client/schedules';
import { runHistories } from '../test/support/temporal';
import { startHarness, waitFor, type Harness } from '../test/support/pipeline-harness';

const OUT = join(__dirname, '..', 'test', 'fixtures', 'histories');

async function save(h: Harness, name: string, workflowId: string): Promise<void> {
  const runs = await runHistories(h.env.client, workflowId);
  for (const [i, run] of runs.entries())
    writeFileSync(join(OUT, `${name}-run${i + 1}.json`), await historyToFixture(run.history));
  process.stdout.write(`${name}: ${runs.length} run(s)\n`);
}

async function main(): Promise<void> {
  const h = await startHarness();
  try {
    mkdirSync(OUT, { recursive: true });
    for (const file of readdirSync(OUT)) if (file.endsWith('.json')) rmSync(join(OUT, file));
    const items = (companyId: string, seed: string, count: number, mix: 'valid' | 'all') =>
      generateExportItems({ seed, count, companyId, fileBaseUrl: h.sandbox.url, mix });

    // Mixed outcomes over several pages and runs (continue-as-new), then a second job for the company.
    const mixed = h.addCompany();
    const first = h.sandbox.createJob(mixed, items(mixed, 'fixture-mixed', 30, 'all'), {
      createdAt: '2026-01-01T09:00:00Z',
    });
    const second = h.sandbox.createJob(mixed, items(mixed, 'fixture-second', 4, 'valid'), {
      createdAt: '2026-01-01T10:00:00Z',
    });
    await h.exportNow(mixed, { pageSize: 5, pagesPerRun: 2 });
    await save(h, 'job-mixed', jobWorkflowId(mixed, first.id));
    await save(h, 'job-small', jobWorkflowId(mixed, second.id));
    await save(h, 'company-two-jobs', companyWorkflowId(mixed));

    // Cancelled mid-job.
    const cancelled = h.addCompany();
    const job = h.sandbox.createJob(cancelled, items(cancelled, 'fixture-cancel', 200, 'valid'));
    await h.trigger(cancelled, { pageSize: 5 });
    await waitFor(() => h.sandbox.jobItems(job.id).some((i) => i.status === 'successful'));
    await h.env.client.workflow.getHandle(jobWorkflowId(cancelled, job.id)).cancel();
    await h.env.client.workflow.getHandle(companyWorkflowId(cancelled)).result();
    await save(h, 'job-cancelled', jobWorkflowId(cancelled, job.id));
    await save(h, 'company-after-cancel', companyWorkflowId(cancelled));

    // The schedule's tick.
    const polled = h.addCompany();
    h.sandbox.createJob(polled, items(polled, 'fixture-poll', 3, 'valid'));
    await upsertPollSchedule(h.env.client, { companyId: polled, taskQueue: h.taskQueue, every: '1 hour' });
    const schedule = h.env.client.schedule.getHandle(pollScheduleId(polled));
    await schedule.trigger();
    await waitFor(async () => (await schedule.describe()).info.recentActions.length > 0);
    const tick = (await schedule.describe()).info.recentActions[0]!.action.workflow.workflowId;
    await h.env.client.workflow.getHandle(tick).result();
    await schedule.delete();
    await save(h, 'poll-tick', tick);
  } finally {
    await h.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
