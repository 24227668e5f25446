// Names and types shared by workflows, activities, the worker and clients. Free of Node-only code.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ItemFailureReasonType, JobFailureReasonType } from './failure-reasons';
import type { AccountingSystemLimits } from './pacing';

export const DEFAULT_TASK_QUEUE = 'pleo-export';

/**
 * Workflow type names (the names src/workflows exports): clients and activities start workflows by name
 * and import their functions as types only, so the activity process never loads workflow code.
 */
export const COMPANY_EXPORT_WORKFLOW = 'companyExportWorkflow';
export const EXPORT_JOB_WORKFLOW = 'exportJobWorkflow';
export const POLL_COMPANY_WORKFLOW = 'pollCompanyWorkflow';

/** Custom search attributes registered on the server, so the Web UI can find "all failed exports of company X". */
export const SA_COMPANY_ID = defineSearchAttributeKey('PleoCompanyId', SearchAttributeType.KEYWORD);
export const SA_JOB_ID = defineSearchAttributeKey('PleoExportJobId', SearchAttributeType.KEYWORD);
export const SA_OUTCOME = defineSearchAttributeKey('PleoExportOutcome', SearchAttributeType.KEYWORD);
export const SEARCH_ATTRIBUTES = [SA_COMPANY_ID, SA_JOB_ID, SA_OUTCOME];

/** Deterministic workflow IDs from business keys: duplicate triggers can never start a second run. */
export const companyWorkflowId = (companyId: string): string => `pleo-export-company-${companyId}`;
export const jobWorkflowId = (companyId: string, jobId: string): string =>
  `pleo-export-job-${companyId}-${jobId}`;
export const pollScheduleId = (companyId: string): string => `pleo-export-poll-${companyId}`;

export type TriggerSource = 'webhook' | 'schedule' | 'manual' | 'start';

/** "There may be an export job to process": sent by the webhook receiver, the schedule and `check now`. */
export interface JobAvailable {
  source: TriggerSource;
  jobId?: string;
}
export const jobAvailableSignal = defineSignal<[JobAvailable]>('jobAvailable');

/** The outcome of one export item, as reported to Pleo. Small: no export item payload. */
export type ItemOutcome =
  | {
      accountingEntryId: string;
      status: 'successful';
      externalId: string;
      externalUrl?: string;
      exportedAt: string;
    }
  | {
      accountingEntryId: string;
      status: 'failed';
      failureReasonType: ItemFailureReasonType;
      failureReason: string;
    };

/**
 * What the workflow knows of an export item before exporting it: enough to order it, pace it and name it
 * in the Web UI. The payload itself (notes, attendees, people) stays in the worker, fetched by `page`.
 */
export interface ItemDescriptor {
  accountingEntryId: string;
  /** The expense date (YYYY-MM-DD): with the id, Pleo's stable order. */
  date: string;
  /** The amount as Pleo shows it ("12.50") and its currency. */
  amount: string;
  currency: string;
  /** Merchant or supplier name, for the Web UI summary. */
  merchant?: string;
  type: string;
  /** An invoice, or the invoice an invoice_payment pays: a payment never goes before its invoice. */
  invoiceNumber?: string;
  /** Where the item's page starts (the worker refetches the page by this cursor when its cache misses it). */
  page: ItemPage;
  /** Pleo sent the item in a form that cannot be read: it fails without being exported. */
  unreadable?: string;
}

export interface ItemPage {
  cursor?: string;
  pageSize: number;
}

/** A failed item as shown by `progress`, the job result and `jobs show --failures`. */
export interface FailedItem {
  accountingEntryId: string;
  failureReasonType: ItemFailureReasonType;
  failureReason: string;
  merchant?: string;
  amount?: string;
  currency?: string;
  date?: string;
}

/** Failed items kept in progress and results: enough to act on, bounded so history stays small. */
export const MAX_LISTED_FAILURES = 50;

export interface JobProgress {
  jobId: string;
  phase: 'claiming' | 'validating' | 'exporting' | 'paused' | 'finishing' | 'done';
  totalItems: number;
  successful: number;
  failed: number;
  /** Items already final when this workflow started (a resumed job). */
  alreadyFinal: number;
  /** Items whose entry the accounting system already held (found by reference, not booked twice). */
  alreadyBooked: number;
  failureReasons: Partial<Record<ItemFailureReasonType, number>>;
  /** The first failed items (at most MAX_LISTED_FAILURES). */
  failedItems: FailedItem[];
  outcome?: JobOutcome;
}
export const progressQuery = defineQuery<JobProgress>('progress');

/**
 * An item activity asks its job workflow when it may send its next rate-limited call (`earliest`: its
 * own clock plus the time the answer takes); the answer is a time no closer than the limit allows to
 * any other such call of the job, whichever worker sends it. `item` (the accounting entry id) holds one
 * of the system's concurrent writes from the answer until the item asks again or its activity ends: an
 * item writes one call at a time.
 */
export const postSlotUpdate = defineUpdate<number, [{ earliest: number; item?: string }]>('postSlot');

export type JobOutcome =
  | { event: 'completed' }
  | {
      event: 'completed_with_errors';
      failureReasonType: JobFailureReasonType;
      failureReason: string;
    }
  | { event: 'failed'; failureReasonType: JobFailureReasonType; failureReason: string }
  /** Pleo already finished the job (another run, expiry or the user): nothing was sent. */
  | { event: 'already_finished'; status: string; failureReasonType?: string; failureReason?: string };

/** What a job workflow returns: its outcome, with the counts and the failed items. */
export interface JobResult {
  jobId: string;
  outcome: JobOutcome;
  successful: number;
  failed: number;
  alreadyBooked: number;
  failedItems: FailedItem[];
}

export interface ExportJobInput {
  companyId: string;
  jobId: string;
  settings?: Partial<ExportJobSettings>;
  /** Carried across continue-as-new. */
  state?: ExportJobState;
}

export interface ExportJobState {
  claimed: boolean;
  /** Cursor of the next page to list; undefined with `pagesDone > 0` and `!hasNextPage` at the end. */
  cursor?: string;
  hasNextPage?: boolean;
  /** Export item pages listed so far. */
  pagesDone?: number;
  /** Items listed but not started yet (the rest of a page), carried into the next run. */
  queued?: ItemDescriptor[];
  /** invoice_payments held back until every page is listed (their invoice may come later in the job). */
  deferred?: ItemDescriptor[];
  /** Outcomes not yet accepted by Pleo. */
  unreported?: ItemOutcome[];
  /** Items counted failed because Pleo refused their update twice, still open in Pleo. */
  refusedOpen?: number;
  /** The next call slot (epoch ms) when calls to the accounting system are paced. */
  nextPostSlot?: number;
  /** What the accounting system allows this company (from readiness): the window and the pacing follow it. */
  limits?: AccountingSystemLimits;
  progress: JobProgress;
}

export interface CompanyExportInput {
  companyId: string;
  settings?: Partial<ExportJobSettings>;
  /** Jobs finished by earlier runs of this company workflow (continue-as-new keeps the count). */
  jobsProcessed?: number;
}

export interface CompanyStatus {
  companyId: string;
  currentJobId?: string;
  jobsProcessed: number;
}
export const companyStatusQuery = defineQuery<CompanyStatus>('companyStatus');
/** The company workflow's signature, to start it by its name with typed arguments. */
export type CompanyExportWorkflow = (input: CompanyExportInput) => Promise<CompanyStatus>;

/** Tunables of the per-job workflow; defaults suit Pleo's limits (≤100 items per update, 1 h expiry). */
export interface ExportJobSettings {
  /** Export items listed per page activity (Pleo accepts ≤100 updates per request). */
  pageSize: number;
  /**
   * Pages per workflow run before continue-as-new keeps history small: about 5 events per item, up to
   * 10 on a loaded server (completions then share fewer workflow tasks), so 500 items stay far under
   * Temporal's 10,240.
   */
  pagesPerRun: number;
  /**
   * Items exported at once (the sliding window), at most: the accounting system's own limit on
   * concurrent calls narrows it further (Xero: 5). The default matches the worker's default activity
   * slots (worker.maxConcurrentActivities): a wider window only queues items on the server.
   */
  itemsInFlight: number;
  /** Attempts an item gets for a transient error of its own (its receipt host failing) before it fails alone. */
  itemAttempts: number;
  /**
   * How long an outage (accounting system or Pleo) may last before the job is failed. Must stay well
   * under Pleo's one-hour expiry so the job ends `failed` with a reason instead of silently expiring.
   */
  outageBudgetMs: number;
  /**
   * How long an item activity may go without a heartbeat before Temporal retries it on another worker:
   * also how long a killed worker delays its items.
   */
  heartbeatTimeoutMs: number;
  /**
   * Longest an item's outcome waits to be sent to Pleo while items keep finishing: outcomes go in
   * updates of 50, and the rest once nothing more can start, or after this long.
   */
  reportAfterMs: number;
}

export const DEFAULT_EXPORT_JOB_SETTINGS: ExportJobSettings = {
  pageSize: 100,
  pagesPerRun: 5,
  itemsInFlight: 20,
  itemAttempts: 4,
  outageBudgetMs: 15 * 60_000,
  heartbeatTimeoutMs: 60_000,
  reportAfterMs: 5_000,
};
