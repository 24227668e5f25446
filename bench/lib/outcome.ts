// What a job left behind, read from the two sources of truth: Pleo (the sandbox's item statuses, update
// counts and job events) and the accounting system (ledger transactions by reference).
import { documentReference } from '../../src/accounting/core';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { ledgerReferenceCounts } from '../../test/support/pipeline-harness';
import type { BenchEnv, BenchCompany } from './env';

export interface JobCheck {
  jobStatus: string;
  events: string[];
  items: number;
  successful: number;
  failed: number;
  /** Items neither successful nor failed (pending, in_progress, abandoned). */
  unfinished: number;
  /** Items whose status Pleo was sent other than exactly once. */
  reportedNotOnce: number;
  /** Successful items whose main entry is in the ledger more than once. */
  duplicates: number;
  /** Successful items without their main entry in the ledger. */
  missing: number;
  /** Failed items that still left an entry in the ledger. */
  bookedButFailed: number;
  /** Their failure reason types. */
  bookedButFailedReasons: Record<string, number>;
  failureReasons: Record<string, number>;
}

export function checkJob(env: BenchEnv, company: BenchCompany, jobId: string, items: ExportItem[]): JobCheck {
  const { sandbox } = env;
  const statuses = new Map(sandbox.jobItems(jobId).map((i) => [i.accountingEntryId, i]));
  const updates = sandbox.itemUpdateCounts(jobId);
  const booked =
    company.accountingSystem.type === 'ledger' ? ledgerReferenceCounts(company.ledgerDir) : undefined;
  const check: JobCheck = {
    jobStatus: sandbox.getJob(jobId).status,
    events: sandbox.jobEvents(jobId).map((e) => e.event),
    items: items.length,
    successful: 0,
    failed: 0,
    unfinished: 0,
    reportedNotOnce: 0,
    duplicates: 0,
    missing: 0,
    bookedButFailed: 0,
    bookedButFailedReasons: {},
    failureReasons: {},
  };
  for (const item of items) {
    const id = item.accountingEntryId;
    const status = statuses.get(id);
    if ((updates.get(id) ?? 0) !== 1) check.reportedNotOnce++;
    const entries = booked?.get(documentReference(id, 'main')) ?? 0;
    if (status?.status === 'successful') {
      check.successful++;
      if (booked && entries > 1) check.duplicates++;
      if (booked && entries === 0) check.missing++;
    } else if (status?.status === 'failed') {
      check.failed++;
      const reason = status.failureReasonType ?? 'unknown';
      if (entries > 0) {
        check.bookedButFailed++;
        check.bookedButFailedReasons[reason] = (check.bookedButFailedReasons[reason] ?? 0) + 1;
      }
      check.failureReasons[reason] = (check.failureReasons[reason] ?? 0) + 1;
    } else check.unfinished++;
  }
  return check;
}

/** Entries per reference from the target's write log (any adapter): more than one creation is a double booking. */
export function targetDuplicates(company: BenchCompany): number {
  const created = new Map<string, number>();
  for (const e of company.targetEvents())
    if (e.kind === 'write' && e.created) created.set(e.ref, (created.get(e.ref) ?? 0) + 1);
  return [...created.values()].filter((n) => n > 1).length;
}
