// Spaces writes so a configured limit (per second and/or per minute) is never exceeded: callers wait
// for their slot instead of being refused, the way a well-behaved client treats a hosted API's limit.
// Slots are spread evenly (one every 1/rate) as well as counted per window: items exported side by side
// would otherwise take a whole window's slots at once, and a burst that leaves at the limit arrives at
// the target with jitter, some of it inside the next window.
export class WriteLimiter {
  #recent: number[] = [];
  #queue: Promise<void> = Promise.resolve();
  readonly #spacingMs: number;

  constructor(private readonly limit: { perSecond?: number; perMinute?: number }) {
    this.#spacingMs = Math.max(
      limit.perSecond ? 1_000 / limit.perSecond : 0,
      limit.perMinute ? 60_000 / limit.perMinute : 0,
    );
  }

  /** Resolves when one more write fits within the limits; the slot is counted at that moment. */
  acquire(now: () => number = Date.now): Promise<void> {
    const next = this.#queue.then(async () => {
      for (;;) {
        const t = now();
        this.#recent = this.#recent.filter((at) => t - at < 60_000);
        const last = this.#recent[this.#recent.length - 1];
        const wait = Math.max(
          this.#waitFor(t, 1_000, this.limit.perSecond),
          this.#waitFor(t, 60_000, this.limit.perMinute),
          last === undefined ? 0 : Math.ceil(last + this.#spacingMs - t),
        );
        if (wait <= 0) {
          this.#recent.push(t);
          return;
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #waitFor(t: number, windowMs: number, max?: number): number {
    if (!max) return 0;
    const inWindow = this.#recent.filter((at) => t - at < windowMs);
    if (inWindow.length < max) return 0;
    return inWindow[inWindow.length - max]! + windowMs - t + 1;
  }
}
