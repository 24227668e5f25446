// Xero's API limits as documented: per organisation per app 5 concurrent calls, 60 calls in any minute
// and a daily budget (5,000 by default), and 10,000 calls a minute per app across organisations. A call
// over a limit is answered 429 with `Retry-After` (seconds) and `X-Rate-Limit-Problem` naming the limit,
// and is not counted; every answer carries the remaining budgets.

export interface XeroLimits {
  concurrent: number;
  perMinute: number;
  perDay: number;
  appPerMinute: number;
}

export const XERO_LIMITS: XeroLimits = { concurrent: 5, perMinute: 60, perDay: 5000, appPerMinute: 10_000 };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export type Admission =
  | { ok: true; headers: Record<string, string>; release: () => void }
  | {
      ok: false;
      problem: 'concurrent' | 'minute' | 'day' | 'appminute';
      retryAfterSeconds: number;
      headers: Record<string, string>;
    };

/** Timestamps of admitted calls in a sliding window, oldest first. */
class Window {
  readonly #calls: number[] = [];
  constructor(readonly span: number) {}
  count(now: number): number {
    while (this.#calls.length && this.#calls[0]! <= now - this.span) this.#calls.shift();
    return this.#calls.length;
  }
  /** Milliseconds until a slot frees, when `limit` calls are in the window. */
  wait(now: number, limit: number): number {
    const oldest = this.#calls[this.#calls.length - limit];
    return oldest === undefined ? 0 : oldest + this.span - now;
  }
  add(now: number): void {
    this.#calls.push(now);
  }
}

export class RateLimiter {
  readonly #tenants = new Map<string, { inFlight: number; minute: Window; day: Window }>();
  readonly #app = new Window(MINUTE);
  /** 429s answered so far, per problem. */
  readonly refused: Record<string, number> = {};

  constructor(
    private readonly limits: XeroLimits,
    private readonly now: () => number,
  ) {}

  admit(tenantId: string): Admission {
    const now = this.now();
    let t = this.#tenants.get(tenantId);
    if (!t)
      this.#tenants.set(tenantId, (t = { inFlight: 0, minute: new Window(MINUTE), day: new Window(DAY) }));
    const tenant = t;
    const headers = (extra: number) => ({
      'x-daylimit-remaining': String(Math.max(0, this.limits.perDay - tenant.day.count(now) - extra)),
      'x-minlimit-remaining': String(Math.max(0, this.limits.perMinute - tenant.minute.count(now) - extra)),
      'x-appminlimit-remaining': String(Math.max(0, this.limits.appPerMinute - this.#app.count(now) - extra)),
    });
    const refuse = (problem: 'concurrent' | 'minute' | 'day' | 'appminute', waitMs: number): Admission => {
      this.refused[problem] = (this.refused[problem] ?? 0) + 1;
      return {
        ok: false,
        problem,
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        headers: headers(0),
      };
    };
    if (tenant.day.count(now) >= this.limits.perDay)
      return refuse('day', tenant.day.wait(now, this.limits.perDay));
    if (this.#app.count(now) >= this.limits.appPerMinute)
      return refuse('appminute', this.#app.wait(now, this.limits.appPerMinute));
    if (tenant.minute.count(now) >= this.limits.perMinute)
      return refuse('minute', tenant.minute.wait(now, this.limits.perMinute));
    if (tenant.inFlight >= this.limits.concurrent) return refuse('concurrent', 1000);
    const answer = headers(1);
    tenant.day.add(now);
    tenant.minute.add(now);
    this.#app.add(now);
    tenant.inFlight++;
    let released = false;
    return {
      ok: true,
      headers: answer,
      release: () => {
        if (!released) tenant.inFlight--;
        released = true;
      },
    };
  }
}
