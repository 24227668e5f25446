// HTTP to Pleo's external API: authentication, one refresh-and-retry on 401, zod validation of every
// body at the boundary, and every failure classified by errors.ts. A single request is not retried:
// Temporal activities do that, honouring the Retry-After this reports; only a page walk retries a page.
import axios, { type AxiosError, type AxiosInstance, type Method } from 'axios';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { PleoAuth } from './auth';
import { classifyResponse, malformedResponse, networkError, PleoApiError } from './errors';
import { issueList, type pageInfoSchema } from '@pleo-export/pleo-api/schemas';

export interface PleoTransportOptions {
  baseUrl: string;
  auth: PleoAuth;
  /** Per-request timeout; a request that takes longer fails as a retryable `timeout`. */
  timeoutMs?: number;
  logger?: Logger;
}

export interface RequestOptions {
  params?: Record<string, unknown>;
  data?: unknown;
}

export class PleoTransport {
  readonly #http: AxiosInstance;
  readonly #auth: PleoAuth;
  readonly #logger?: Logger;

  constructor(options: PleoTransportOptions) {
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#http = axios.create({
      baseURL: options.baseUrl.replace(/\/$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      // Arrays as repeated keys (statuses=pending&statuses=in_progress), as Pleo's list endpoints expect.
      paramsSerializer: { indexes: null },
      validateStatus: () => true,
      // Pleo answers with redirects nowhere; following one could forward the Authorization header.
      maxRedirects: 0,
      headers: { Accept: 'application/json' },
    });
  }

  /** Sends one request; with a schema the 2xx body is validated, without one it is ignored. */
  async request<S extends z.ZodTypeAny>(
    method: Method,
    path: string,
    schema: S,
    options?: RequestOptions,
  ): Promise<z.infer<S>>;
  async request(method: Method, path: string, schema: undefined, options?: RequestOptions): Promise<void>;
  async request<S extends z.ZodTypeAny>(
    method: Method,
    path: string,
    schema: S | undefined,
    options: RequestOptions = {},
  ): Promise<z.infer<S> | void> {
    const endpoint = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.#auth.authorizationHeader();
      let response;
      try {
        response = await this.#http.request({
          method,
          url: path,
          params: options.params,
          data: options.data,
          headers: {
            Authorization: authorization,
            ...(options.data === undefined ? {} : { 'Content-Type': 'application/json;charset=UTF-8' }),
          },
        });
      } catch (err) {
        // Axios errors carry the request config, headers included: never rethrow them as they are.
        const e = err as AxiosError;
        const origin = originOf(e.config?.baseURL);
        throw networkError(
          endpoint,
          { code: e.code, origin },
          e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT',
        );
      }
      if (response.status === 401 && attempt === 0 && (await this.#auth.onUnauthorized?.(authorization)))
        continue;
      if (response.status >= 300) {
        const error = classifyResponse({
          endpoint,
          status: response.status,
          body: response.data,
          retryAfter: response.headers['retry-after'] as string | undefined,
        });
        this.#logger?.debug({ endpoint, status: response.status, code: error.code }, 'Pleo request failed');
        throw error;
      }
      if (!schema) return;
      const parsed = schema.safeParse(response.data);
      if (!parsed.success) throw malformedResponse(endpoint, response.status, issueList(parsed.error));
      return parsed.data;
    }
  }
}

export interface Page<T> {
  data: T[];
  endCursor?: string;
  hasNextPage: boolean;
}

export function toPage<T>(data: T[], pagination: z.infer<typeof pageInfoSchema>): Page<T> {
  return { data, hasNextPage: pagination.hasNextPage, endCursor: pagination.endCursor };
}

/** A page walk retries one faulted page at most this often, waiting Retry-After or a backoff between tries. */
const PAGE_RETRIES = 5;
/** …and gives up on a page after this long, well inside an activity's start-to-close. */
const PAGE_RETRY_BUDGET_MS = 30_000;
const MAX_PAGE_RETRY_WAIT_MS = 10_000;

/**
 * Cursor pagination as an async iterator: `after` = the previous page's `endCursor`, to the last page.
 * A page that fails retryably (classified in errors.ts: 429 with its Retry-After, 5xx, network) is
 * fetched again a few times, so one faulted page does not throw away a long walk.
 */
export async function* paginate<T>(fetchPage: (after?: string) => Promise<Page<T>>): AsyncIterable<T> {
  let after: string | undefined;
  for (;;) {
    let page: Page<T>;
    const started = Date.now();
    for (let retry = 0; ; retry++) {
      try {
        page = await fetchPage(after);
        break;
      } catch (err) {
        if (!(err instanceof PleoApiError) || !err.retryable || retry >= PAGE_RETRIES) throw err;
        const wait = Math.min(err.retryAfterMs ?? 250 * 2 ** retry, MAX_PAGE_RETRY_WAIT_MS);
        if (Date.now() - started + wait > PAGE_RETRY_BUDGET_MS) throw err;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    yield* page.data;
    if (!page.hasNextPage || !page.endCursor) return;
    after = page.endCursor;
  }
}

function originOf(baseUrl: string | undefined): string | undefined {
  try {
    return baseUrl ? new URL(baseUrl).origin : undefined;
  } catch {
    return undefined;
  }
}
