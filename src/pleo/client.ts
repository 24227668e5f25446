// The Pleo API client the integration uses: typed from Pleo's OpenAPI, validated with zod at the
// boundary, errors classified once (errors.ts). The Export API v3 is here; webhook subscriptions, the
// company's reference data and credential activation hang off it as `subscriptions`, `catalog` and
// `installation`. A single call is not retried (Temporal activities do, honouring the Retry-After it
// reports); a page walk retries a faulted page (transport.ts `paginate`).
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PleoAuth } from './auth';
import { PLEO_ERROR_CODES, refusedBeforeSending } from './errors';
import { PleoCatalog } from './catalog';
import { PleoInstallation } from './installation';
import { PleoSubscriptions } from './subscriptions';
import {
  dataSchema,
  describeIssues,
  exportItemSchema,
  exportJobItemSchema,
  exportJobSchema,
  itemUpdateResultSchema,
  pageSchema,
} from '@pleo-export/pleo-api/schemas';
import { paginate, PleoTransport, toPage, type Page } from './transport';
import type {
  ExportItem,
  ExportJob,
  ExportJobItem,
  ExportJobItemUpdateError,
  ExportJobStatus,
} from '@pleo-export/pleo-api/types';
import type { ItemFailureReasonType, JobFailureReasonType } from '../shared/failure-reasons';
import type { ItemOutcome } from '../shared/workflow-api';

export type { Page } from './transport';

export { PLEO_BASE_URLS } from './config';

/**
 * Job items are read in pages this large (the largest `limit` Pleo honours, per the sandbox; larger is
 * clamped): a walk over a big job is a few requests, not one per 50 items, so faults have fewer chances.
 */
export const JOB_ITEMS_PAGE_SIZE = 500;

/** Pleo accepts at most this many item updates in one request (413 above): callers batch by it. */
export const PLEO_UPDATE_BATCH = 100;

export type JobItemOutcome = ItemOutcome;

export type ExportItemResult =
  { ok: true; item: ExportItem } | { ok: false; accountingEntryId?: string; message: string };

export interface PleoClientOptions {
  baseUrl: string;
  auth: PleoAuth;
  timeoutMs?: number;
  logger?: Logger;
}

export class PleoClient {
  readonly #transport: PleoTransport;
  readonly subscriptions: PleoSubscriptions;
  readonly catalog: PleoCatalog;
  readonly installation: PleoInstallation;

  constructor(options: PleoClientOptions) {
    this.#transport = new PleoTransport(options);
    this.subscriptions = new PleoSubscriptions(this.#transport);
    this.catalog = new PleoCatalog(this.#transport);
    this.installation = new PleoInstallation(this.#transport);
  }

  // ---- export jobs ------------------------------------------------------------------------------

  async listExportJobsPage(q: {
    companyId: string;
    statuses: ExportJobStatus[];
    after?: string;
    limit?: number;
  }): Promise<Page<ExportJob>> {
    const body = await this.#transport.request('GET', '/v3/export-jobs', pageSchema(exportJobSchema), {
      params: { company_id: q.companyId, statuses: q.statuses, after: q.after, limit: q.limit },
    });
    return toPage(body.data as ExportJob[], body.pagination);
  }

  listExportJobs(q: {
    companyId: string;
    statuses: ExportJobStatus[];
    pageSize?: number;
  }): AsyncIterable<ExportJob> {
    return paginate((after) => this.listExportJobsPage({ ...q, after, limit: q.pageSize }));
  }

  async getExportJob(jobId: string): Promise<ExportJob> {
    const body = await this.#transport.request(
      'GET',
      `/v3/export-jobs/${encodeURIComponent(jobId)}`,
      dataSchema(exportJobSchema),
    );
    return body.data as ExportJob;
  }

  async postJobEvent(e: {
    jobId: string;
    event: 'started' | 'completed' | 'completed_with_errors' | 'failed';
    failureReason?: string;
    failureReasonType?: JobFailureReasonType;
  }): Promise<void> {
    await this.#transport.request('POST', '/v3/export-job-events', undefined, { data: e });
  }

  // ---- job items (control layer) ----------------------------------------------------------------

  async listJobItemsPage(
    jobId: string,
    q: { after?: string; limit?: number; status?: string } = {},
  ): Promise<Page<ExportJobItem>> {
    const body = await this.#transport.request(
      'GET',
      `/v3/export-jobs/${encodeURIComponent(jobId)}/items`,
      pageSchema(exportJobItemSchema),
      {
        params: { after: q.after, limit: q.limit, status: q.status },
      },
    );
    return toPage(body.data as ExportJobItem[], body.pagination);
  }

  listJobItems(jobId: string, q: { pageSize?: number; status?: string } = {}): AsyncIterable<ExportJobItem> {
    const limit = q.pageSize ?? JOB_ITEMS_PAGE_SIZE;
    return paginate((after) => this.listJobItemsPage(jobId, { after, limit, status: q.status }));
  }

  /** Reports item outcomes (≤100). Per-item errors Pleo returns are surfaced, never swallowed. */
  async updateJobItems(
    jobId: string,
    updates: JobItemOutcome[],
  ): Promise<{ accepted: string[]; errors: ExportJobItemUpdateError[] }> {
    if (updates.length > PLEO_UPDATE_BATCH) {
      throw refusedBeforeSending(
        `PUT /v3/export-jobs/${jobId}/items`,
        'too_large',
        PLEO_ERROR_CODES.itemsUpdateLimit,
        `Pleo accepts at most ${PLEO_UPDATE_BATCH} item updates per request, got ${updates.length}`,
      );
    }
    const body = await this.#transport.request(
      'PUT',
      `/v3/export-jobs/${encodeURIComponent(jobId)}/items`,
      itemUpdateResultSchema,
      {
        data: updates.map(toItemUpdate),
      },
    );
    return { accepted: body.data.map((i) => i.accountingEntryId), errors: body.errors };
  }

  // ---- export items (data layer) ----------------------------------------------------------------

  /** One page of export items; each item is validated on its own so one malformed item fails alone. */
  async listExportItemsPage(
    jobId: string,
    q: { after?: string; limit?: number } = {},
  ): Promise<Page<ExportItemResult>> {
    const body = await this.#transport.request('GET', '/v3/export-items', pageSchema(anyObject), {
      params: { job_id: jobId, after: q.after, limit: q.limit },
    });
    return toPage(body.data.map(parseExportItem), body.pagination);
  }

  listExportItems(jobId: string, q: { pageSize?: number } = {}): AsyncIterable<ExportItemResult> {
    return paginate((after) => this.listExportItemsPage(jobId, { after, limit: q.pageSize }));
  }
}

// Items are validated one by one (parseExportItem), so one malformed item fails alone, not its page.
const anyObject = z.unknown();

function parseExportItem(raw: unknown): ExportItemResult {
  const parsed = exportItemSchema.safeParse(raw);
  if (parsed.success) return { ok: true, item: parsed.data as ExportItem };
  const id = (raw as { accountingEntryId?: unknown } | null)?.accountingEntryId;
  return {
    ok: false,
    accountingEntryId: typeof id === 'string' ? id : undefined,
    message: describeIssues(parsed.error),
  };
}

function toItemUpdate(outcome: JobItemOutcome) {
  return outcome.status === 'successful'
    ? {
        accountingEntryId: outcome.accountingEntryId,
        status: 'successful' as const,
        externalId: outcome.externalId,
        externalUrl: outcome.externalUrl,
        exportedAt: outcome.exportedAt,
      }
    : {
        accountingEntryId: outcome.accountingEntryId,
        status: 'failed' as const,
        failureReasonType: outcome.failureReasonType satisfies ItemFailureReasonType,
        failureReason: outcome.failureReason,
      };
}
