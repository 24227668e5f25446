// Xero's `Idempotency-Key` (POST/PUT, at most 128 characters): a request repeated with the same key
// gets the first request's answer instead of being processed again, including while the first is still
// being processed (the repeat waits for it). The key is bound to the request it first came with; the
// same key on a different request is refused.
import { createHash } from 'node:crypto';

export interface StoredReply {
  status: number;
  body: unknown;
}

export class IdempotencyKeys {
  readonly #replies = new Map<string, { fingerprint: string; reply: Promise<StoredReply> }>();
  /** Requests answered from a stored reply. */
  replays = 0;

  /** Runs `handle` once per (tenant, key); repeats get its reply, or `conflict` when the request differs. */
  async run(
    tenantId: string,
    key: string,
    request: { method: string; url: string; body: unknown },
    handle: () => Promise<StoredReply>,
  ): Promise<StoredReply | 'conflict'> {
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n`)
      .update(Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body ?? null))
      .digest('hex');
    const id = `${tenantId}\n${key}`;
    const seen = this.#replies.get(id);
    if (seen) {
      if (seen.fingerprint !== fingerprint) return 'conflict';
      this.replays++;
      return seen.reply;
    }
    const reply = handle();
    this.#replies.set(id, { fingerprint, reply });
    // A request that failed inside the stand-in (not a Xero answer) leaves no stored reply.
    reply.catch(() => this.#replies.delete(id));
    return reply;
  }
}
