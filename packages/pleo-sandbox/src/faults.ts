// Fault injection per endpoint: 429 with Retry-After, 5xx, added latency, hangs (timeouts) and
// "applied but response lost" (the change is made, then the connection is dropped). A rule fires for
// the next N calls (`times`) and/or with a probability drawn from a seeded generator, so drills repeat.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const faultRuleSchema = z.object({
  /** `METHOD /path` as in the OpenAPI (`GET /v3/export-jobs/{jobId}`), or `*` for every endpoint. */
  endpoint: z.string().min(1),
  kind: z.enum(['rate_limit', 'server_error', 'latency', 'hang', 'lost_response']),
  /** server_error: the status (default 503). */
  status: z.number().int().min(500).max(599).optional(),
  /** rate_limit: the Retry-After seconds (default 1). */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** latency: milliseconds added before the call is handled. */
  latencyMs: z.number().int().min(0).optional(),
  /** Chance per matching call (default 1). */
  probability: z.number().min(0).max(1).optional(),
  /** Fire for this many matching calls, then retire (default: unlimited). */
  times: z.number().int().min(1).optional(),
});

export type FaultRuleInput = z.infer<typeof faultRuleSchema>;
export type FaultRule = FaultRuleInput & { id: string; fired: number };

/** `GET /v3/export-jobs/{jobId}` and fastify's `GET /v3/export-jobs/:jobId` name the same endpoint. */
export function endpointKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
}

/** mulberry32: a tiny seeded generator, enough to make probabilistic faults repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  #rules: FaultRule[] = [];
  #random: () => number;

  constructor(seed = 1) {
    this.#random = seededRandom(seed);
  }

  reseed(seed: number): void {
    this.#random = seededRandom(seed);
  }

  add(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleSchema.parse(input);
    const rule: FaultRule = { ...parsed, endpoint: normalise(parsed.endpoint), id: randomUUID(), fired: 0 };
    this.#rules.push(rule);
    return rule;
  }

  /** Replaces every rule. */
  set(inputs: FaultRuleInput[]): FaultRule[] {
    this.#rules = [];
    return inputs.map((input) => this.add(input));
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length < before;
  }

  list(): FaultRule[] {
    return this.#rules.map((r) => ({ ...r }));
  }

  /** The faults that fire for this call; rules with `times` count down and retire when spent. */
  draw(endpoint: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.#rules) {
      if (rule.endpoint !== '*' && rule.endpoint !== endpoint) continue;
      if (rule.probability !== undefined && this.#random() >= rule.probability) continue;
      rule.fired++;
      fired.push({ ...rule });
    }
    this.#rules = this.#rules.filter((r) => r.times === undefined || r.fired < r.times);
    return fired;
  }
}

function normalise(endpoint: string): string {
  if (endpoint === '*') return endpoint;
  const [method, path] = endpoint.trim().split(/\s+/, 2);
  if (!method || !path) throw new Error(`Fault endpoint must be "METHOD /path" or "*", got ${endpoint}`);
  return endpointKey(method, path);
}
