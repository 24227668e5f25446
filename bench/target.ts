// The accounting system as benchmarks and drills see it: an AccountingSystem decorator (worker side)
// that logs every write with its time to a JSONL file the orchestrator reads, and can behave like a
// hosted target: a strict limit on writes (posts and attachments) per second or minute and at once,
// declared in its capabilities as a hosted system declares its limits, with a write over it refused
// like a 429 and counted as a violation; "timed out after the write succeeded" on a share of posts;
// and outages that start after a number of writes. The wrapped adapter stays untouched.
import { appendFileSync } from 'node:fs';
import {
  AccountingSystemError,
  type AccountingSystem,
  type AttachmentFile,
  type Capabilities,
  type PostedDocument,
  type ReadinessRequest,
} from '../src/accounting-systems/port';
import type { AccountingDocument, VendorRef } from '../src/accounting/core/documents';
import { loadDevPackage } from '../src/app/dev-package';

export interface TargetFaults {
  /**
   * Strict limit at the target on writes (posts and attachments, counted when they arrive): beyond it
   * they are refused and counted as violations. `concurrent`: writes being processed at once.
   */
  limit?: { perSecond?: number; perMinute?: number; concurrent?: number };
  /** Share of posts (0–1) that are written and then answered with a timeout. */
  uncertainTimeoutRate?: number;
  /** After this many writes the target is unreachable for `durationMs` (Infinity: for good). */
  outage?: { afterWrites: number; durationMs: number };
  /** Seed for the uncertain-timeout draws, so a drill repeats. */
  seed?: number;
  /** Time each call takes, like a hosted API: per write, and per look-up or attachment. */
  latency?: { writeMs: number; readMs: number };
}

export type TargetEvent =
  | { t: number; kind: 'write'; ref: string; created: boolean }
  | { t: number; kind: 'attach'; ref: string }
  | { t: number; kind: 'violation' | 'uncertain' | 'outage-start' | 'outage-refused'; ref?: string };

export function readTargetEvents(text: string): TargetEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TargetEvent);
}

/**
 * Repeatable draws from a seed: the sandbox's own generator, so bench and sandbox faults agree. The
 * sandbox is TypeScript source, so it loads only when a target draws: a measured worker then runs
 * compiled code alone, as production does, without the TypeScript compiler in its memory.
 */
export async function seeded(seed: number): Promise<() => number> {
  const faults = (await loadDevPackage(
    '@pleo-export/pleo-sandbox/faults',
  )) as typeof import('@pleo-export/pleo-sandbox/faults');
  return faults.seededRandom(seed);
}

export class BenchTarget implements AccountingSystem {
  readonly #writes: number[] = [];
  readonly #random?: Promise<() => number>;
  #written = 0;
  #writing = 0;
  #outageUntil = 0;
  readonly capabilities: Capabilities;

  constructor(
    private readonly inner: AccountingSystem,
    private readonly logFile: string,
    private readonly faults: TargetFaults = {},
  ) {
    if (faults.uncertainTimeoutRate) this.#random = seeded(faults.seed ?? 1);
    const { limit } = faults;
    const perSecond = Math.min(
      limit?.perSecond ?? Infinity,
      limit?.perMinute ? limit.perMinute / 60 : Infinity,
    );
    this.capabilities = limit
      ? {
          ...inner.capabilities,
          limits: {
            counts: 'writes',
            ...(Number.isFinite(perSecond) ? { callsPerSecond: perSecond } : {}),
            ...(limit.concurrent ? { concurrentCalls: limit.concurrent } : {}),
          },
        }
      : inner.capabilities;
  }

  get name() {
    return this.inner.name;
  }

  #log(event: TargetEvent): void {
    appendFileSync(this.logFile, `${JSON.stringify(event)}\n`);
  }

  /** The configured latency of a call (none by default). */
  async #delay(kind: 'writeMs' | 'readMs'): Promise<void> {
    const ms = this.faults.latency?.[kind];
    if (ms) await new Promise((r) => setTimeout(r, ms));
  }

  #reachable(ref?: string): void {
    if (Date.now() < this.#outageUntil) {
      this.#log({ t: Date.now(), kind: 'outage-refused', ref });
      throw new AccountingSystemError('The accounting system is unreachable (drill outage)', {
        retryable: true,
        reason: 'unreachable',
      });
    }
  }

  /**
   * A write as the target sees it: counted against the limit when it arrives (refused over it, as a
   * hosted API answers 429), then processed for the write's latency, at most `concurrent` at once.
   */
  async #write<T>(ref: string, write: () => Promise<T>): Promise<T> {
    const { limit } = this.faults;
    if (limit) {
      const now = Date.now();
      while (this.#writes.length > 0 && now - this.#writes[0]! >= 60_000) this.#writes.shift();
      const lastSecond = this.#writes.filter((t) => now - t < 1_000).length;
      const over =
        (limit.perSecond !== undefined && lastSecond >= limit.perSecond) ||
        (limit.perMinute !== undefined && this.#writes.length >= limit.perMinute) ||
        (limit.concurrent !== undefined && this.#writing >= limit.concurrent);
      if (over) {
        this.#log({ t: now, kind: 'violation', ref });
        throw new AccountingSystemError('Rate limit exceeded at the accounting system', {
          retryable: true,
          reason: 'rate_limited',
          retryAfterMs: 1_000,
        });
      }
      this.#writes.push(now);
    }
    this.#writing++;
    try {
      return await write();
    } finally {
      this.#writing--;
    }
  }

  async checkReady(request: ReadinessRequest) {
    this.#reachable();
    return this.inner.checkReady(request);
  }

  async validate(document: AccountingDocument) {
    await this.#delay('readMs');
    this.#reachable(document.reference);
    return this.inner.validate(document);
  }

  async resolveVendor(vendor: VendorRef) {
    await this.#delay('readMs');
    this.#reachable();
    return this.inner.resolveVendor(vendor);
  }

  async findByReference(reference: string) {
    await this.#delay('readMs');
    this.#reachable(reference);
    return this.inner.findByReference(reference);
  }

  post(document: AccountingDocument): Promise<PostedDocument> {
    return this.#write(document.reference, () => this.#post(document));
  }

  async #post(document: AccountingDocument): Promise<PostedDocument> {
    await this.#delay('writeMs');
    this.#reachable(document.reference);
    // A target whose limit counts every call (Xero) is not asked anything extra: the bench reads
    // duplicates from what it holds, and its own limits are the strict ones.
    const existed =
      this.inner.capabilities.limits?.counts === 'calls'
        ? undefined
        : await this.inner.findByReference(document.reference);
    const posted = await this.inner.post(document);
    this.#log({ t: Date.now(), kind: 'write', ref: document.reference, created: !existed });
    if (!existed) this.#written++;
    const { outage, uncertainTimeoutRate } = this.faults;
    if (outage && this.#written === outage.afterWrites && this.#outageUntil === 0) {
      this.#outageUntil = Date.now() + outage.durationMs;
      this.#log({ t: Date.now(), kind: 'outage-start' });
    }
    const random = this.#random && (await this.#random);
    if (!existed && uncertainTimeoutRate && random && random() < uncertainTimeoutRate) {
      this.#log({ t: Date.now(), kind: 'uncertain', ref: document.reference });
      throw new AccountingSystemError('The accounting system did not answer in time (after writing)', {
        retryable: true,
        reason: 'timeout',
      });
    }
    return posted;
  }

  attach(externalId: string, files: AttachmentFile[]) {
    return this.#write(externalId, async () => {
      await this.#delay('readMs');
      this.#reachable();
      await this.inner.attach(externalId, files);
      this.#log({ t: Date.now(), kind: 'attach', ref: externalId });
    });
  }

  close() {
    return this.inner.close();
  }
}
