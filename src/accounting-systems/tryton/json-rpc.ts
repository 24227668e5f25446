// Tryton's JSON-RPC over HTTP: login for a session, then `model.<name>.<method>` calls. Tryton tags
// Decimals, dates and bytes as objects ({"__class__": "Decimal", …}); this module converts them at the
// boundary so callers see plain strings. Every call has its own timeout, and every failure is classified
// once: retryable (the server is down, slow or answered 5xx) or permanent (Tryton refused the request).
import axios, { type AxiosInstance } from 'axios';

export class TrytonRpcError extends Error {
  constructor(
    message: string,
    /** Tryton's error kind: 'UserError', 'AccessError', 'LoginException', 'ConcurrencyException', … or 'Unauthorized'. */
    readonly kind: string,
    /** Retryable: the request may not have been processed (or may have been: the reply was lost). */
    readonly retryable: false | 'unreachable' | 'timeout' | 'rate_limited',
    /** A UserWarning's name: what a user records in `res.user.warning` to go ahead anyway. */
    readonly warning?: string,
  ) {
    super(message);
    this.name = 'TrytonRpcError';
  }
}

/** A Decimal for Tryton, from minor units (1234, exponent 2 → "12.34"). */
export function decimal(value: string): { __class__: 'Decimal'; decimal: string } {
  return { __class__: 'Decimal', decimal: value };
}

export function date(iso: string): { __class__: 'date'; year: number; month: number; day: number } {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { __class__: 'date', year, month, day };
}

export function bytes(data: Buffer): { __class__: 'bytes'; base64: string } {
  return { __class__: 'bytes', base64: data.toString('base64') };
}

/** Tagged values → plain JSON: Decimal → string, date → 'YYYY-MM-DD', datetime → ISO string, bytes → Buffer. */
function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (value === null || typeof value !== 'object') return value;
  const tagged = value as Record<string, unknown>;
  const pad = (n: unknown, width = 2) => String(n).padStart(width, '0');
  switch (tagged.__class__) {
    case 'Decimal':
      return String(tagged.decimal);
    case 'date':
      return `${pad(tagged.year, 4)}-${pad(tagged.month)}-${pad(tagged.day)}`;
    case 'datetime':
      return `${pad(tagged.year, 4)}-${pad(tagged.month)}-${pad(tagged.day)}T${pad(tagged.hour)}:${pad(tagged.minute)}:${pad(tagged.second)}Z`;
    case 'bytes':
      return Buffer.from(String(tagged.base64), 'base64');
    default:
      return Object.fromEntries(Object.entries(tagged).map(([k, v]) => [k, untag(v)]));
  }
}

export interface TrytonRpcOptions {
  url: string;
  database: string;
  username: string;
  password: string;
  timeoutMs: number;
}

export class TrytonRpc {
  readonly #http: AxiosInstance;
  #session?: Promise<string>;
  #userId?: number;
  #id = 0;

  constructor(private readonly options: TrytonRpcOptions) {
    this.#http = axios.create({
      // Tryton 8 serves JSON-RPC under /<database>/rpc/ (6.0 answered on /<database>/).
      baseURL: `${options.url.replace(/\/+$/, '')}/${encodeURIComponent(options.database)}/rpc/`,
      headers: { 'Content-Type': 'application/json' },
      // Tryton answers 401/403 for authentication problems: handled below, not thrown by axios.
      validateStatus: () => true,
    });
  }

  /** Calls a model method as the configured user; logs in first, and again once if the session expired. */
  async call<T = unknown>(
    method: string,
    params: unknown[],
    context: Record<string, unknown> = {},
  ): Promise<T> {
    try {
      return (await this.#send(method, [...params, context], await this.#login())) as T;
    } catch (err) {
      if (!(err instanceof TrytonRpcError) || err.kind !== 'Unauthorized') throw err;
      this.#session = undefined;
      return (await this.#send(method, [...params, context], await this.#login())) as T;
    }
  }

  /** The id of the logged-in user (logging in first when needed). */
  async userId(): Promise<number> {
    await this.#login();
    return this.#userId!;
  }

  /** Logs in (once; concurrent callers share the attempt). Throws TrytonRpcError kind 'Unauthorized' on bad credentials. */
  #login(): Promise<string> {
    this.#session ??= this.#send('common.db.login', [
      this.options.username,
      { password: this.options.password },
      'en',
    ]).then((result) => {
      const [userId, session] = result as [number, string];
      this.#userId = userId;
      return Buffer.from(`${this.options.username}:${userId}:${session}`).toString('base64');
    });
    const session = this.#session;
    session.catch(() => {
      if (this.#session === session) this.#session = undefined;
    });
    return session;
  }

  async #send(method: string, params: unknown[], session?: string): Promise<unknown> {
    let response;
    try {
      response = await this.#http.post(
        '',
        { id: ++this.#id, method, params },
        {
          timeout: this.options.timeoutMs,
          headers: session ? { Authorization: `Session ${session}` } : {},
        },
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      throw new TrytonRpcError(
        `Tryton at ${this.options.url} ${timedOut ? `did not answer ${method} within ${this.options.timeoutMs} ms` : `is unreachable (${code ?? (err as Error).message})`}`,
        timedOut ? 'Timeout' : 'Unreachable',
        timedOut ? 'timeout' : 'unreachable',
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new TrytonRpcError(
        `Tryton refused the credentials of user "${this.options.username}" (HTTP ${response.status})`,
        'Unauthorized',
        false,
      );
    }
    if (response.status === 429)
      throw new TrytonRpcError(`Tryton is rate limiting (HTTP 429)`, 'RateLimited', 'rate_limited');
    if (response.status >= 500)
      throw new TrytonRpcError(
        `Tryton answered HTTP ${response.status} to ${method}`,
        'ServerError',
        'unreachable',
      );
    const body = response.data as { result?: unknown; error?: unknown } | string;
    if (typeof body !== 'object' || body === null) {
      throw new TrytonRpcError(
        `Tryton answered HTTP ${response.status} to ${method} without JSON-RPC`,
        'Protocol',
        false,
      );
    }
    if (body.error !== undefined && body.error !== null) throw rpcError(method, body.error);
    return untag(body.result);
  }
}

/** Tryton's error is `[kind, [message, description, …]]` for user-facing errors, `[message, traceback]` otherwise. */
function rpcError(method: string, error: unknown): TrytonRpcError {
  const [first, detail] = Array.isArray(error) ? (error as unknown[]) : [String(error), undefined];
  if (typeof first === 'string' && Array.isArray(detail)) {
    const message = detail.filter((d) => typeof d === 'string' && d).join(' — ');
    // A ConcurrencyException means someone else changed the record meanwhile: retrying is right.
    return new TrytonRpcError(
      `${method}: ${message}`,
      first,
      first === 'ConcurrencyException' ? 'unreachable' : false,
      first === 'UserWarning' && typeof detail[0] === 'string' ? detail[0] : undefined,
    );
  }
  const message = String(first).split('\n')[0] ?? String(first);
  // SQLite answers "database is locked" while another transaction writes: a moment later it works.
  if (/database is locked/i.test(message))
    return new TrytonRpcError(`${method}: ${message}`, 'Locked', 'unreachable');
  return new TrytonRpcError(
    `${method}: ${message}`,
    /doesn't exist/.test(message) ? 'DatabaseNotFound' : 'Exception',
    false,
  );
}
