// A thin client for the few Xero Accounting API calls the adapter makes, on Node's fetch. Written
// here rather than taken from xero-node because correctness lives in exactly the parts an SDK hides:
// every create carries an Idempotency-Key, a 429 is waited out for exactly `Retry-After` (or handed to
// the caller when the daily budget is spent), receipts stream from disk, and answers are classified
// into the port's retryable / permanent errors.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { gated } from '../call-gate';
import { AccountingSystemError } from '../port';

type Json = Record<string, unknown>;

export interface XeroAuth {
  authorizationHeader(): Promise<string>;
  /** A 401 arrived with this header: refresh, and say whether retrying makes sense. */
  onUnauthorized?(rejectedHeader: string): Promise<boolean>;
}

export interface XeroClientOptions {
  apiUrl: string;
  tenantId: string;
  auth: XeroAuth;
  timeoutMs: number;
  /** Longest `Retry-After` waited out inside one call; longer waits go back to the caller. */
  maxRetryWaitMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Xero refused the request as invalid (400 ValidationException): its messages. */
export class XeroValidationError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}

export class XeroAuthError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403,
  ) {
    super(message);
  }
}

export interface Budget {
  day?: number;
  minute?: number;
  appMinute?: number;
}

/** A value, or how to make it at the moment the request may go out (its turn at the rate limit). */
export type AtSend<T> = T | (() => T);

export interface XeroRequest {
  query?: AtSend<Record<string, string>>;
  body?: AtSend<unknown>;
  /** A file to stream as the body (attachments). */
  file?: { path: string; size: number; contentType: string };
  /** Made from the request (at send, when the body is). */
  idempotencyKey?: AtSend<string>;
  /** 404 answers undefined instead of throwing. */
  allowMissing?: boolean;
  /** A path on the API host outside the Accounting API (`/connections`). */
  outsideApi?: boolean;
}

const MAX_429_RETRIES = 5;
/** Sends of a request that is safe to repeat (a read, or a write under an Idempotency-Key) when no answer came or Xero failed. */
const SENDS = 3;

export class XeroClient {
  /** The remaining budgets Xero reported on its latest answer. */
  budget: Budget = {};
  /** Calls sent, including ones answered 429 (what counts against the budget is Xero's to say). */
  calls = 0;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: XeroClientOptions) {
    this.#sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  async request<T = Json>(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    request: XeroRequest = {},
  ): Promise<T> {
    const base = this.options.apiUrl.replace(/\/+$/, '');
    const atSend = <T>(v: AtSend<T>): T => (typeof v === 'function' ? (v as () => T)() : v);
    let refreshed = false;
    let sends = 0;
    // A read, or a write Xero answers once per key: sending it again cannot book anything twice.
    const repeatable = method === 'GET' || request.idempotencyKey !== undefined;
    const again = async (err: AccountingSystemError) => {
      if (!repeatable || ++sends >= SENDS) throw err;
      await this.#sleep(1000 * 2 ** (sends - 1));
    };
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.options.auth.authorizationHeader();
      // Every request counts against the organisation's limit, 429s included: each one waits for
      // its turn (the job's pacing, shared by every worker), and what it sends is decided then.
      let response: Response;
      try {
        response = await gated(() => {
          const url = new URL(`${base}${request.outsideApi ? '' : '/api.xro/2.0'}${path}`);
          for (const [k, v] of Object.entries(atSend(request.query) ?? {})) url.searchParams.set(k, v);
          const body = atSend(request.body);
          const key = atSend(request.idempotencyKey);
          this.calls++;
          return fetch(url, {
            method,
            headers: {
              authorization,
              'xero-tenant-id': this.options.tenantId,
              accept: 'application/json',
              ...(key ? { 'idempotency-key': key } : {}),
              ...(request.file
                ? { 'content-type': request.file.contentType, 'content-length': String(request.file.size) }
                : body !== undefined
                  ? { 'content-type': 'application/json' }
                  : {}),
            },
            body: request.file
              ? (Readable.toWeb(createReadStream(request.file.path)) as ReadableStream)
              : body !== undefined
                ? JSON.stringify(body)
                : undefined,
            ...(request.file ? { duplex: 'half' } : {}),
            signal: AbortSignal.timeout(this.options.timeoutMs),
          } as RequestInit).catch((err: unknown) => {
            const timedOut = (err as Error).name === 'TimeoutError';
            throw new AccountingSystemError(
              `Xero ${method} ${path}: ${timedOut ? 'no answer in time' : (err as Error).message}`,
              { retryable: true, reason: timedOut ? 'timeout' : 'unreachable' },
            );
          });
        });
      } catch (err) {
        if (!(err instanceof AccountingSystemError)) throw err;
        await again(err);
        continue;
      }
      this.#noteBudget(response.headers);
      const text = await response.text().catch(() => '');
      const body = parse(text);
      if (response.ok) return body as T;
      if (response.status === 404 && request.allowMissing) return undefined as T;
      if (response.status === 429) {
        const waitMs = Number(response.headers.get('retry-after') ?? '1') * 1000;
        const problem = response.headers.get('x-rate-limit-problem') ?? 'unknown';
        // A spent daily budget is hours away: the job decides, not a sleeping call.
        if (problem !== 'day' && waitMs <= this.options.maxRetryWaitMs && attempt < MAX_429_RETRIES) {
          await this.#sleep(waitMs);
          continue;
        }
        throw new AccountingSystemError(
          `Xero's ${problem} rate limit is reached; it accepts calls again in ${Math.ceil(waitMs / 1000)} s`,
          {
            retryable: true,
            reason: 'rate_limited',
            retryAfterMs: waitMs,
          },
        );
      }
      if (response.status === 401 && !refreshed && this.options.auth.onUnauthorized) {
        refreshed = true;
        if (await this.options.auth.onUnauthorized(authorization)) continue;
      }
      if (response.status === 401 || response.status === 403)
        throw new XeroAuthError(
          response.status === 401
            ? 'Xero did not accept the access token; connect Xero again (pleo-export connect xero)'
            : `The Xero connection has no access to organisation ${this.options.tenantId}; connect Xero again and choose it`,
          response.status,
        );
      if (response.status === 400 || response.status === 413)
        throw new XeroValidationError(validationMessages(body));
      if (response.status >= 500) {
        await again(
          new AccountingSystemError(`Xero ${method} ${path} answered ${response.status}`, {
            retryable: true,
            reason: 'unreachable',
          }),
        );
        continue;
      }
      throw new XeroValidationError([
        `Xero ${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`,
      ]);
    }
  }

  #noteBudget(headers: Headers): void {
    const read = (name: string) => {
      const v = headers.get(name);
      return v === null ? undefined : Number(v);
    };
    this.budget = {
      day: read('x-daylimit-remaining') ?? this.budget.day,
      minute: read('x-minlimit-remaining') ?? this.budget.minute,
      appMinute: read('x-appminlimit-remaining') ?? this.budget.appMinute,
    };
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Xero's messages from a ValidationException (`Elements[].ValidationErrors[].Message`) or an element. */
export function validationMessages(body: unknown): string[] {
  const b = (body ?? {}) as Json;
  const elements = Array.isArray(b.Elements) ? (b.Elements as Json[]) : [b];
  const messages = elements.flatMap((e) =>
    Array.isArray(e.ValidationErrors) ? (e.ValidationErrors as Json[]).map((v) => String(v.Message)) : [],
  );
  return messages.length
    ? messages
    : [typeof b.Message === 'string' ? b.Message : 'Xero refused the request'];
}
