// The sandbox's model of Pleo: companies, export jobs, job items, export items and job events, with
// Pleo's state machine, its one-hour expiry and its refusals. HTTP lives in routes/; this is the logic.
import { randomUUID } from 'node:crypto';
import type { ExportItem, ExportJob, ExportJobItem } from '@pleo-export/pleo-api/types';

export interface SandboxClock {
  now(): Date;
  advance(ms: number): void;
}

export function systemClock(): SandboxClock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

/**
 * Behaviour where Pleo's documentation is silent or contradicts itself: each a named option with the
 * documented or most likely default (see packages/pleo-sandbox/README.md).
 */
export interface SandboxBehaviour {
  /** "Only one unfinished job per company" (409 EXPORT_ALREADY_IN_PROGRESS on create). */
  oneUnfinishedJobPerCompany: boolean;
  /** Seconds of inactivity before a job expires (documented: one hour after lastUpdatedAt). */
  expirySeconds: number;
  /** `started` on an in_progress job: undocumented; default 422 like other invalid transitions. */
  restartInProgressIs: 'error' | 'noop';
  /** `pending → failed` directly: allowed by the enum, not shown; default allowed. */
  allowFailPending: boolean;
  /** Default page size when `limit` is absent (undocumented). */
  defaultLimit: number;
  /** Largest `limit` honoured (undocumented). */
  maxLimit: number;
  /** Seconds receipt links stay valid (documented: 24 h). */
  fileUrlTtlSeconds: number;
  /** Answer GET /v3/export-items with 400 MISSING_CONTRA_ACCOUNTS (Pleo does when contra accounts are not mapped). */
  missingContraAccounts: boolean;
  /** Order of GET /v3/export-jobs (undocumented): newest first, so clients must sort by createdAt themselves. */
  jobListOrder: 'newest_first' | 'oldest_first';
  /** Seconds an OAuth access token lives (documented: 15 minutes on one page, "short-lived" on another). */
  accessTokenTtlSeconds: number;
  /** Delays between webhook delivery attempts (Pleo's retry policy is undocumented). */
  webhookRetryDelaysMs: number[];
}

export const DEFAULT_BEHAVIOUR: SandboxBehaviour = {
  oneUnfinishedJobPerCompany: true,
  expirySeconds: 3600,
  restartInProgressIs: 'error',
  allowFailPending: true,
  defaultLimit: 50,
  maxLimit: 500,
  fileUrlTtlSeconds: 24 * 3600,
  missingContraAccounts: false,
  jobListOrder: 'newest_first',
  accessTokenTtlSeconds: 900,
  webhookRetryDelaysMs: [200, 1000, 5000],
};

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CreateJobOptions {
  createdAt?: string;
  vendorBasedBookkeeping?: boolean;
  isInteractive?: boolean;
  createdBy?: string;
  /**
   * Seeds a job even though the company already has an unfinished one. Pleo itself answers 409; tests
   * and seeds use this to model "a second export made meanwhile".
   */
  allowConcurrent?: boolean;
}

export interface JobEvent {
  event: string;
  failureReason?: string;
  failureReasonType?: string;
  at: string;
}

interface JobRecord {
  job: ExportJob;
  items: Map<string, ExportJobItem>;
  exportItems: ExportItem[];
  events: JobEvent[];
  updateCounts: Map<string, number>;
}

const FINISHED = new Set(['completed', 'completed_with_errors', 'failed']);
const ITEM_FINAL = new Set(['successful', 'failed', 'abandoned']);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class SandboxState {
  readonly companies = new Map<
    string,
    { id: string; name: string; walletCurrency: string; apiKey: string }
  >();
  readonly #jobs = new Map<string, JobRecord>();

  constructor(
    readonly clock: SandboxClock,
    readonly behaviour: SandboxBehaviour,
  ) {}

  createCompany(c: { id?: string; name?: string; walletCurrency?: string; apiKey?: string } = {}) {
    const id = c.id ?? randomUUID();
    const company = {
      id,
      name: c.name ?? `Sandbox company ${this.companies.size + 1}`,
      walletCurrency: c.walletCurrency ?? 'EUR',
      apiKey: c.apiKey ?? `sandbox-key-${randomUUID()}`,
    };
    this.companies.set(id, company);
    return company;
  }

  companyByApiKey(apiKey: string) {
    return [...this.companies.values()].find((c) => c.apiKey === apiKey);
  }

  createJob(companyId: string, exportItems: ExportItem[], opts: CreateJobOptions = {}): ExportJob {
    if (!this.companies.has(companyId))
      throw new SandboxError(404, 'COMPANY_NOT_FOUND', `Company ${companyId} not found`);
    this.expireAll();
    const enforce = this.behaviour.oneUnfinishedJobPerCompany && !opts.allowConcurrent;
    if (enforce && this.jobsOf(companyId).some((j) => !FINISHED.has(j.status))) {
      throw new SandboxError(
        409,
        'EXPORT_ALREADY_IN_PROGRESS',
        'Export Job already in progress for this company.',
      );
    }
    const now = iso(this.clock.now());
    const job: ExportJob = {
      id: randomUUID(),
      companyId,
      status: 'pending',
      createdAt: opts.createdAt ?? now,
      createdBy: opts.createdBy ?? null,
      isInteractive: opts.isInteractive ?? true,
      numberOfItems: exportItems.length,
      vendorBasedBookkeeping: opts.vendorBasedBookkeeping ?? exportItems.some((i) => i.bookkeeping),
      expiresIn: this.behaviour.expirySeconds,
      lastUpdatedAt: now,
      startedAt: null,
      completedAt: null,
      expiredAt: null,
      failureReason: null,
    };
    const items = new Map<string, ExportJobItem>(
      exportItems.map((item) => [
        item.accountingEntryId,
        { accountingEntryId: item.accountingEntryId, exportJobId: job.id, status: 'pending' },
      ]),
    );
    this.#jobs.set(job.id, { job, items, exportItems, events: [], updateCounts: new Map() });
    return this.#view(job);
  }

  jobsOf(companyId: string): ExportJob[] {
    this.expireAll();
    return [...this.#jobs.values()]
      .filter((r) => r.job.companyId === companyId)
      .map((r) => this.#view(r.job));
  }

  getJob(jobId: string, companyId?: string): ExportJob {
    return this.#view(this.#record(jobId, companyId).job);
  }

  jobItems(jobId: string, companyId?: string): ExportJobItem[] {
    return [...this.#record(jobId, companyId).items.values()].map((i) => ({ ...i }));
  }

  exportItems(jobId: string, companyId?: string): ExportItem[] {
    const record = this.#record(jobId, companyId);
    if (FINISHED.has(record.job.status)) {
      throw new SandboxError(
        422,
        'EXPORT_JOB_STATUS_UNPROCESSABLE',
        'Export Job is finished and can no longer be processed.',
      );
    }
    if (this.behaviour.missingContraAccounts) {
      throw new SandboxError(
        400,
        'MISSING_CONTRA_ACCOUNTS',
        'Contra accounts are not fully configured. Please map contra accounts in the Accounting settings.',
      );
    }
    return record.exportItems;
  }

  jobEvents(jobId: string): JobEvent[] {
    return [...this.#record(jobId).events];
  }

  itemUpdateCounts(jobId: string): Map<string, number> {
    return new Map(this.#record(jobId).updateCounts);
  }

  postEvent(
    companyId: string | undefined,
    body: { jobId: string; event: string; failureReason?: string; failureReasonType?: string },
  ): void {
    const record = this.#record(body.jobId, companyId);
    const { job } = record;
    const invalid = () =>
      new SandboxError(
        422,
        'INVALID_EXPORT_JOB_STATUS_CHANGE',
        `Export Job status change failed: ${job.status} does not accept ${body.event}`,
      );
    const now = iso(this.clock.now());
    if (FINISHED.has(job.status)) throw invalid();
    switch (body.event) {
      case 'started':
        if (job.status === 'in_progress') {
          if (this.behaviour.restartInProgressIs === 'error') throw invalid();
          return;
        }
        job.status = 'in_progress';
        job.startedAt = now;
        break;
      case 'completed':
      case 'completed_with_errors':
        if (job.status !== 'in_progress') throw invalid();
        job.status = body.event;
        job.completedAt = now;
        // The integration guide asks for a reason on completed_with_errors too (the spec: failed only).
        if (body.event === 'completed_with_errors') {
          job.failureReason = body.failureReason ?? null;
          job.failureReasonType = body.failureReasonType;
        }
        this.#abandonOpenItems(record);
        break;
      case 'failed':
        if (job.status === 'pending' && !this.behaviour.allowFailPending) throw invalid();
        job.status = 'failed';
        job.completedAt = now;
        job.failureReason = body.failureReason ?? null;
        job.failureReasonType = body.failureReasonType;
        this.#abandonOpenItems(record);
        break;
      default:
        throw new SandboxError(400, 'INVALID_EVENT', `Unknown export job event ${body.event}`);
    }
    job.lastUpdatedAt = now;
    record.events.push({
      event: body.event,
      failureReason: body.failureReason,
      failureReasonType: body.failureReasonType,
      at: now,
    });
  }

  updateItems(
    companyId: string | undefined,
    jobId: string,
    updates: {
      accountingEntryId: string;
      status: string;
      externalId?: string;
      externalUrl?: string;
      exportedAt?: string;
      failureReason?: string;
      failureReasonType?: string;
    }[],
  ) {
    const record = this.#record(jobId, companyId);
    if (updates.length > 100)
      throw new SandboxError(
        413,
        'EXPORT_JOB_ITEMS_UPDATE_LIMIT',
        'Number of items to update is more than 100.',
      );
    if (FINISHED.has(record.job.status))
      throw new SandboxError(422, 'EXPORT_JOB_STATUS_UNPROCESSABLE', 'Export job is finished.');
    const data: ExportJobItem[] = [];
    const errors: { accountingEntryId: string; message: string; type: string }[] = [];
    for (const update of updates) {
      const item = record.items.get(update.accountingEntryId);
      if (!item) {
        errors.push({
          accountingEntryId: update.accountingEntryId,
          type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST',
          message: 'Accounting entry is not part of this export job',
        });
        continue;
      }
      Object.assign(item, {
        status: update.status,
        externalId: update.externalId ?? null,
        externalUrl: update.externalUrl ?? null,
        exportedAt: update.exportedAt ?? null,
        failureReason: update.failureReason ?? null,
        failureReasonType: update.failureReasonType,
      });
      record.updateCounts.set(
        item.accountingEntryId,
        (record.updateCounts.get(item.accountingEntryId) ?? 0) + 1,
      );
      data.push({ ...item });
    }
    record.job.lastUpdatedAt = iso(this.clock.now());
    return { data, errors };
  }

  /** Pleo expires jobs one hour after their last update: failed / job_expired, open items abandoned. */
  expireAll(): void {
    const now = this.clock.now().getTime();
    for (const record of this.#jobs.values()) {
      const { job } = record;
      if (FINISHED.has(job.status)) continue;
      const last = Date.parse(job.lastUpdatedAt ?? job.createdAt);
      if (now - last >= this.behaviour.expirySeconds * 1000) {
        job.status = 'failed';
        job.failureReasonType = 'job_expired';
        job.failureReason = 'Export job expired: it was not updated within the expiry time limit.';
        job.expiredAt = iso(new Date(last + this.behaviour.expirySeconds * 1000));
        this.#abandonOpenItems(record);
        record.events.push({ event: 'failed', failureReasonType: 'job_expired', at: job.expiredAt });
      }
    }
  }

  #abandonOpenItems(record: JobRecord): void {
    for (const item of record.items.values()) if (!ITEM_FINAL.has(item.status)) item.status = 'abandoned';
  }

  #record(jobId: string, companyId?: string): JobRecord {
    this.expireAll();
    const record = this.#jobs.get(jobId);
    if (!record || (companyId && record.job.companyId !== companyId)) {
      throw new SandboxError(404, 'EXPORT_NOT_FOUND', 'Export job not found.');
    }
    return record;
  }

  #view(job: ExportJob): ExportJob {
    const last = Date.parse(job.lastUpdatedAt ?? job.createdAt);
    const remaining = FINISHED.has(job.status)
      ? 0
      : Math.max(
          0,
          Math.ceil((last + this.behaviour.expirySeconds * 1000 - this.clock.now().getTime()) / 1000),
        );
    return { ...job, expiresIn: remaining };
  }
}
