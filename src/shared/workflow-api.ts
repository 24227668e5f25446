// Names and types shared by workflows, activities, the worker and clients. Free of Node-only code.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ItemFailureReasonType, JobFailureReasonType } from './failure-reasons';

export const DEFAULT_TASK_QUEUE = 'pleo-export';

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

export interface JobProgress {
  jobId: string;
  phase: 'claiming' | 'validating' | 'exporting' | 'finishing' | 'done';
  totalItems: number;
  successful: number;
  failed: number;
  /** Items already final when this workflow started (a resumed job). */
  alreadyFinal: number;
  failureReasons: Partial<Record<ItemFailureReasonType, number>>;
  outcome?: JobOutcome;
}
export const progressQuery = defineQuery<JobProgress>('progress');

export type JobOutcome =
  | { event: 'completed' | 'completed_with_errors' }
  | { event: 'failed'; failureReasonType: JobFailureReasonType; failureReason: string }
  /** Pleo already finished the job (another run, expiry or the user): nothing was sent. */
  | { event: 'already_finished'; status: string };

export interface ExportJobInput {
  companyId: string;
  jobId: string;
  settings?: Partial<ExportJobSettings>;
  /** Carried across continue-as-new. */
  state?: ExportJobState;
}

export interface ExportJobState {
  claimed: boolean;
  cursor?: string;
  /** Export item pages finished so far (names the next page in the Web UI). */
  pagesDone?: number;
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

/** Tunables of the per-job workflow; defaults suit Pleo's limits (≤100 items per update, 1 h expiry). */
export interface ExportJobSettings {
  /** Export items fetched, processed and reported per page activity (Pleo accepts ≤100 updates per request). */
  pageSize: number;
  /** Pages per workflow run before continue-as-new keeps history small. */
  pagesPerRun: number;
  /**
   * How long an outage (accounting system or Pleo) may last before the job is failed. Must stay well
   * under Pleo's one-hour expiry so the job ends `failed` with a reason instead of silently expiring.
   */
  outageBudgetMs: number;
  /**
   * How long a page activity may go without a heartbeat (one per item) before Temporal retries it on
   * another worker: also how long a killed worker delays its page.
   */
  heartbeatTimeoutMs: number;
}

export const DEFAULT_EXPORT_JOB_SETTINGS: ExportJobSettings = {
  pageSize: 100,
  pagesPerRun: 20,
  outageBudgetMs: 15 * 60_000,
  heartbeatTimeoutMs: 60_000,
};
