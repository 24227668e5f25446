// What every scenario returns, and the items it books.
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import type { Chart } from '../lib/report';

export interface ScenarioResult {
  name: string;
  title: string;
  /** Figures for the JSON file. */
  data: unknown;
  /** The scenario's section of the Markdown report. */
  markdown: string;
  charts?: Chart[];
  /** Conditions the run must meet (0 duplicates, 0 limit violations …); failed ones are listed. */
  failures: string[];
}

export type Scenario = (env: BenchEnv, size: Size) => Promise<ScenarioResult>;

/** Valid export items (they book cleanly against the demo chart), receipts served by the sandbox. */
export function validItems(env: BenchEnv, companyId: string, count: number, seed = 'bench'): ExportItem[] {
  return generateExportItems({ seed, count, companyId, fileBaseUrl: env.sandbox.url, mix: 'valid' });
}

/** Conditions no run may break: every item final and reported once, no double or missing booking. */
export function integrityFailures(
  what: string,
  check: { unfinished: number; reportedNotOnce: number; duplicates: number; missing: number; failed: number },
): string[] {
  const failures: string[] = [];
  if (check.unfinished) failures.push(`${what}: ${check.unfinished} items not final`);
  if (check.reportedNotOnce)
    failures.push(`${what}: ${check.reportedNotOnce} items reported to Pleo other than once`);
  if (check.duplicates) failures.push(`${what}: ${check.duplicates} items booked twice`);
  if (check.missing) failures.push(`${what}: ${check.missing} successful items missing from the ledger`);
  if (check.failed) failures.push(`${what}: ${check.failed} valid items failed`);
  return failures;
}
