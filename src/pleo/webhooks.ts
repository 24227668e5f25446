// Verifies Pleo webhooks (Standard Webhooks scheme: webhook-id, webhook-timestamp, webhook-signature
// `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, `whsec_` secrets) with the `standardwebhooks` library
// rather than hand-written crypto: it compares in constant time and checks the timestamp window.
import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';

/** Every spelling of "export job created" Pleo's documentation has used; `v1.export-job.created` is canonical. */
export const EXPORT_JOB_CREATED_EVENT_TYPES = [
  'v1.export-job.created',
  'v1.export.job-created',
  'export-job.created',
  'v2.export-job.created',
];

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** Correctly signed, but naming a company other than the one whose secret signed it. */
export class WebhookCompanyMismatchError extends WebhookVerificationError {
  constructor(
    readonly signedFor: string,
    readonly named: string,
  ) {
    super(`webhook signed with the secret of company ${signedFor} names company ${named}`);
    this.name = 'WebhookCompanyMismatchError';
  }
}

const eventSchema = z.object({
  eventId: z.string().optional(),
  companyId: z.string().optional(),
  eventType: z.string(),
  data: z.object({ id: z.string().optional(), companyId: z.string().optional() }).loose().optional(),
});

export type PleoWebhookEvent =
  | {
      kind: 'export_job_created';
      deliveryId: string;
      eventId?: string;
      eventType: string;
      companyId: string;
      jobId: string;
    }
  | { kind: 'other'; deliveryId: string; eventId?: string; eventType: string };

/**
 * Verifies a delivery with the signing secret of `companyId`. The event is that company's: a body naming
 * another company (top-level or in `data`) is refused, so one company's secret cannot trigger another.
 */
export function verifyPleoWebhook(input: {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  secret: string;
  companyId: string;
  toleranceSeconds?: number;
  now?: Date;
}): PleoWebhookEvent {
  const header = (name: string) => {
    const value = input.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const deliveryId = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signature = header('webhook-signature');
  if (!deliveryId || !timestamp || !signature)
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature');

  // The library checks a fixed 5-minute window against the real clock; we check ours first (injectable, configurable).
  const now = (input.now ?? new Date()).getTime() / 1000;
  const sentAt = Number(timestamp);
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > (input.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('webhook timestamp outside the accepted window (stale or replayed)');
  }
  try {
    // Verify against the exact raw bytes, with the timestamp check already done above.
    const wh = new Webhook(input.secret);
    const expected = wh.sign(deliveryId, new Date(sentAt * 1000), input.rawBody).split(',')[1];
    const matches = signature
      .split(' ')
      .some((part) => part.startsWith('v1,') && constantTimeEqual(part.slice(3), expected ?? ''));
    if (!matches) throw new Error('no matching signature');
  } catch {
    throw new WebhookVerificationError('webhook signature does not match');
  }
  let body: z.infer<typeof eventSchema>;
  try {
    body = eventSchema.parse(JSON.parse(input.rawBody));
  } catch {
    throw new WebhookVerificationError('webhook body is not a Pleo event');
  }
  for (const named of [body.companyId, body.data?.companyId]) {
    if (named !== undefined && named !== input.companyId)
      throw new WebhookCompanyMismatchError(input.companyId, named);
  }
  if (EXPORT_JOB_CREATED_EVENT_TYPES.includes(body.eventType) && body.data?.id) {
    return {
      kind: 'export_job_created',
      deliveryId,
      eventId: body.eventId,
      eventType: body.eventType,
      companyId: input.companyId,
      jobId: body.data.id,
    };
  }
  return { kind: 'other', deliveryId, eventId: body.eventId, eventType: body.eventType };
}

function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
