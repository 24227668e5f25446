// The committed histories (recorded from real runs by scripts/record-histories.ts) replay against the
// current workflow code: a change that would break running workflows fails here, without a server.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { historiesFromFiles, replayHistories } from '../../src/cli/commands/replay';
import { workflowBundle } from '../support/temporal';

const DIR = join(__dirname, '..', 'fixtures', 'histories');

test('every recorded history replays without non-determinism', async () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(DIR, f));
  // Job, company and poll workflows, including continue-as-new and cancellation, are all covered.
  for (const kind of ['job-mixed-run2', 'job-cancelled', 'company-two-jobs', 'poll-tick']) {
    expect(files.some((f) => f.includes(kind))).toBe(true);
  }
  const reports = await replayHistories(await historiesFromFiles(files), {
    workflowBundle: await workflowBundle(),
  });
  expect(reports.filter((r) => !r.ok)).toEqual([]);
  expect(reports).toHaveLength(files.length);
}, 300_000);
