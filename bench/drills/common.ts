// What every drill returns, and helpers shared by drills.
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import type { JobCheck } from '../lib/outcome';

export interface DrillResult {
  name: string;
  title: string;
  /** The figures printed and stored. */
  figures: Record<string, number | string | boolean>;
  /** Assertions that did not hold; the drill passed when empty. */
  failures: string[];
  /** Observations worth fixing that the drill's own assertions do not cover. */
  findings?: string[];
}

export type Drill = (env: BenchEnv, size: Size) => Promise<DrillResult>;

/** How long a drill waits for its job to end before it fails the drill (and goes on to the next). */
export const JOB_TIMEOUT_MS: Record<Size, number> = { smoke: 4 * 60_000, full: 8 * 60_000 };

/** "Nothing lost, nothing doubled": the job ended as expected, every item successful, booked and reported once. */
export function allBookedOnce(check: JobCheck, expectedStatus = 'completed'): string[] {
  const failures: string[] = [];
  if (check.jobStatus !== expectedStatus)
    failures.push(`job ended ${check.jobStatus}, expected ${expectedStatus}`);
  if (check.successful !== check.items)
    failures.push(`${check.successful} of ${check.items} items successful`);
  if (check.duplicates) failures.push(`${check.duplicates} items booked more than once`);
  if (check.missing) failures.push(`${check.missing} successful items missing from the ledger`);
  if (check.reportedNotOnce)
    failures.push(`${check.reportedNotOnce} items reported to Pleo other than exactly once`);
  if (check.unfinished) failures.push(`${check.unfinished} items left unfinished`);
  const final = check.events.filter((e) => e !== 'started');
  if (final.length !== 1)
    failures.push(`job events ${check.events.join(', ')}: expected exactly one final event`);
  return failures;
}

export function checkFigures(check: JobCheck): Record<string, number | string> {
  return {
    jobStatus: check.jobStatus,
    items: check.items,
    successful: check.successful,
    failed: check.failed,
    duplicates: check.duplicates,
    missing: check.missing,
    reportedNotOnce: check.reportedNotOnce,
  };
}
