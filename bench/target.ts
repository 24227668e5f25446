// The accounting system as benchmarks and drills see it: an AccountingSystem decorator (worker side)
// that logs every write with its time to a JSONL file the orchestrator reads, and can behave like a
// hosted target: a strict write limit (a write over the limit is refused, like a 429, and counted as a
// violation), "timed out after the write succeeded" on a share of posts, and outages that start after a
// number of writes. The wrapped adapter stays untouched.
import { appendFileSync } from 'node:fs';
import {
  AccountingSystemError,
  type AccountingSystem,
  type AttachmentFile,
  type PostedDocument,
  type ReadinessRequest,
} from '../src/accounting-systems/port';
import type { AccountingDocument, VendorRef } from '../src/accounting/core/documents';
import { seededRandom } from '@pleo-export/pleo-sandbox/faults';

export interface TargetFaults {
  /** Strict limit at the target: writes beyond it are refused and counted as violations. */
  limit?: { perSecond?: number; perMinute?: number };
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
  | { t: number; kind: 'violation' | 'uncertain' | 'outage-start' | 'outage-refused'; ref?: string };

export function readTargetEvents(text: string): TargetEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TargetEvent);
}

/** Repeatable draws from a seed: the sandbox's own generator, so bench and sandbox faults agree. */
export const seeded = seededRandom;

export class BenchTarget implements AccountingSystem {
  readonly #writes: number[] = [];
  readonly #random: () => number;
  #written = 0;
  #outageUntil = 0;

  constructor(
    private readonly inner: AccountingSystem,
    private readonly logFile: string,
    private readonly faults: TargetFaults = {},
  ) {
    this.#random = seeded(faults.seed ?? 1);
  }

  get name() {
    return this.inner.name;
  }
  get capabilities() {
    return this.inner.capabilities;
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

  /** Refuses a write over the limit (counting it), as a hosted API answers 429. */
  #admit(ref: string): void {
    const { limit } = this.faults;
    if (!limit) return;
    const now = Date.now();
    while (this.#writes.length > 0 && now - this.#writes[0]! >= 60_000) this.#writes.shift();
    const lastSecond = this.#writes.filter((t) => now - t < 1_000).length;
    const over =
      (limit.perSecond !== undefined && lastSecond >= limit.perSecond) ||
      (limit.perMinute !== undefined && this.#writes.length >= limit.perMinute);
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

  async post(document: AccountingDocument): Promise<PostedDocument> {
    await this.#delay('writeMs');
    this.#reachable(document.reference);
    const existed = await this.inner.findByReference(document.reference);
    if (!existed) this.#admit(document.reference);
    const posted = await this.inner.post(document);
    this.#log({ t: Date.now(), kind: 'write', ref: document.reference, created: !existed });
    if (!existed) this.#written++;
    const { outage, uncertainTimeoutRate } = this.faults;
    if (outage && this.#written === outage.afterWrites && this.#outageUntil === 0) {
      this.#outageUntil = Date.now() + outage.durationMs;
      this.#log({ t: Date.now(), kind: 'outage-start' });
    }
    if (!existed && uncertainTimeoutRate && this.#random() < uncertainTimeoutRate) {
      this.#log({ t: Date.now(), kind: 'uncertain', ref: document.reference });
      throw new AccountingSystemError('The accounting system did not answer in time (after writing)', {
        retryable: true,
        reason: 'timeout',
      });
    }
    return posted;
  }

  async attach(externalId: string, files: AttachmentFile[]) {
    await this.#delay('readMs');
    this.#reachable();
    return this.inner.attach(externalId, files);
  }

  close() {
    return this.inner.close();
  }
}
