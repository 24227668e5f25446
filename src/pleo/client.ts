// The Pleo API client the integration uses: typed from Pleo's OpenAPI, validated with zod at the
// boundary, errors classified once (errors.ts). It does not retry by itself: Temporal activities do,
// honouring the Retry-After this client reports.
import axios, { AxiosError, type AxiosInstance, type Method } from 'axios';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { PleoAuth } from './auth';
import { PleoApiError, classifyResponse, networkError } from './errors';
import {
  dataSchema,
  describeIssues,
  exportItemSchema,
  exportJobItemSchema,
  exportJobSchema,
  itemUpdateResultSchema,
  pageSchema,
} from './schemas';
import type { ExportItem, ExportJob, ExportJobItem, ExportJobItemUpdateError, ExportJobStatus } from './types';
import type { ItemFailureReasonType, JobFailureReasonType } from '../shared/failure-reasons';
import type { ItemOutcome } from '../shared/workflow-api';

export const PLEO_BASE_URLS = {
  production: 'https://external.pleo.io',
  staging: 'https://external.staging.pleo.io',
} as const;

/** Pleo accepts at most this many item updates in one request (413 above). */
export const MAX_ITEM_UPDATES = 100;

export interface Page<T> {
  data: T[];
  endCursor?: string;
  hasNextPage: boolean;
}

export type JobItemOutcome = ItemOutcome;

export type ExportItemResult =
  | { ok: true; item: ExportItem }
  | { ok: false; accountingEntryId?: string; message: string };

export interface PleoClientOptions {
  baseUrl: string;
  auth: PleoAuth;
  timeoutMs?: number;
  logger?: Logger;
}

export class PleoClient {
  readonly #http: AxiosInstance;
  readonly #auth: PleoAuth;
  readonly #logger?: Logger;

  constructor(options: PleoClientOptions) {
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#http = axios.create({
      baseURL: options.baseUrl.replace(/\/$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      // Arrays as repeated keys (statuses=pending&statuses=in_progress), as Pleo's list endpoints expect.
      paramsSerializer: { indexes: null },
      validateStatus: () => true,
      headers: { Accept: 'application/json' },
    });
  }

  // ---- export jobs ------------------------------------------------------------------------------

  async listExportJobsPage(q: {
    companyId: string;
    statuses: ExportJobStatus[];
    after?: string;
    limit?: number;
  }): Promise<Page<ExportJob>> {
    const body = await this.#request('GET', '/v3/export-jobs', pageSchema(exportJobSchema), {
      params: { company_id: q.companyId, statuses: q.statuses, after: q.after, limit: q.limit },
    });
    return toPage(body.data as ExportJob[], body.pagination);
  }

  listExportJobs(q: { companyId: string; statuses: ExportJobStatus[]; pageSize?: number }): AsyncIterable<ExportJob> {
    return paginate((after) => this.listExportJobsPage({ ...q, after, limit: q.pageSize }));
  }

  async getExportJob(jobId: string): Promise<ExportJob> {
    const body = await this.#request('GET', `/v3/export-jobs/${encodeURIComponent(jobId)}`, dataSchema(exportJobSchema));
    return body.data as ExportJob;
  }

  async postJobEvent(e: {
    jobId: string;
    event: 'started' | 'completed' | 'completed_with_errors' | 'failed';
    failureReason?: string;
    failureReasonType?: JobFailureReasonType;
  }): Promise<void> {
    await this.#request('POST', '/v3/export-job-events', undefined, { data: e });
  }

  // ---- job items (control layer) ----------------------------------------------------------------

  async listJobItemsPage(jobId: string, q: { after?: string; limit?: number; status?: string } = {}): Promise<Page<ExportJobItem>> {
    const body = await this.#request('GET', `/v3/export-jobs/${encodeURIComponent(jobId)}/items`, pageSchema(exportJobItemSchema), {
      params: { after: q.after, limit: q.limit, status: q.status },
    });
    return toPage(body.data as ExportJobItem[], body.pagination);
  }

  listJobItems(jobId: string, q: { pageSize?: number; status?: string } = {}): AsyncIterable<ExportJobItem> {
    return paginate((after) => this.listJobItemsPage(jobId, { after, limit: q.pageSize, status: q.status }));
  }

  /** Reports item outcomes (≤100). Per-item errors Pleo returns are surfaced, never swallowed. */
  async updateJobItems(
    jobId: string,
    updates: JobItemOutcome[],
  ): Promise<{ accepted: string[]; errors: ExportJobItemUpdateError[] }> {
    if (updates.length > MAX_ITEM_UPDATES) {
      throw new RangeError(`Pleo accepts at most ${MAX_ITEM_UPDATES} item updates per request, got ${updates.length}`);
    }
    const body = await this.#request('PUT', `/v3/export-jobs/${encodeURIComponent(jobId)}/items`, itemUpdateResultSchema, {
      data: updates.map(toItemUpdate),
    });
    return { accepted: body.data.map((i) => i.accountingEntryId), errors: body.errors };
  }

  // ---- export items (data layer) ----------------------------------------------------------------

  /** One page of export items; each item is validated on its own so one malformed item fails alone. */
  async listExportItemsPage(jobId: string, q: { after?: string; limit?: number } = {}): Promise<Page<ExportItemResult>> {
    const body = await this.#request('GET', '/v3/export-items', pageSchema(anyObject), {
      params: { job_id: jobId, after: q.after, limit: q.limit },
    });
    return toPage(body.data.map(parseExportItem), body.pagination);
  }

  listExportItems(jobId: string, q: { pageSize?: number } = {}): AsyncIterable<ExportItemResult> {
    return paginate((after) => this.listExportItemsPage(jobId, { after, limit: q.pageSize }));
  }

  // ---- transport --------------------------------------------------------------------------------

  async #request<S extends z.ZodTypeAny>(
    method: Method,
    path: string,
    schema: S | undefined,
    options: { params?: Record<string, unknown>; data?: unknown } = {},
  ): Promise<z.infer<S>> {
    const endpoint = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await this.#http.request({
          method,
          url: path,
          params: options.params,
          data: options.data,
          headers: { Authorization: await this.#auth.authorizationHeader() },
        });
      } catch (err) {
        // Axios errors carry the request config, headers included: never rethrow them as they are.
        const e = err as AxiosError;
        throw networkError(endpoint, { code: e.code, message: e.message }, e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT');
      }
      if (response.status === 401 && attempt === 0 && (await this.#auth.onUnauthorized?.())) continue;
      if (response.status >= 400) {
        const error = classifyResponse({
          endpoint,
          status: response.status,
          body: response.data,
          retryAfter: response.headers['retry-after'] as string | undefined,
        });
        this.#logger?.debug({ endpoint, status: response.status, code: error.code }, 'Pleo request failed');
        throw error;
      }
      if (!schema) return undefined as z.infer<S>;
      const parsed = schema.safeParse(response.data);
      if (!parsed.success) {
        throw new PleoApiError({
          message: `Pleo ${endpoint} answered with an unexpected body: ${describeIssues(parsed.error)}`,
          endpoint,
          status: response.status,
          retryable: false,
          jobFailureReasonType: 'validation_failure',
        });
      }
      return parsed.data;
    }
  }
}

const anyObject = exportItemSchema.partial().loose();

function parseExportItem(raw: unknown): ExportItemResult {
  const parsed = exportItemSchema.safeParse(raw);
  if (parsed.success) return { ok: true, item: parsed.data as ExportItem };
  const id = (raw as { accountingEntryId?: unknown } | null)?.accountingEntryId;
  return { ok: false, accountingEntryId: typeof id === 'string' ? id : undefined, message: describeIssues(parsed.error) };
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

function toPage<T>(data: T[], pagination: { hasNextPage: boolean; endCursor?: string }): Page<T> {
  return { data, hasNextPage: pagination.hasNextPage, endCursor: pagination.endCursor };
}

async function* paginate<T>(fetchPage: (after?: string) => Promise<Page<T>>): AsyncIterable<T> {
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage(after);
    yield* page.data;
    if (!page.hasNextPage || !page.endCursor) return;
    after = page.endCursor;
  }
}
