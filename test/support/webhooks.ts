// Posts a webhook delivery signed as Pleo signs it (Standard Webhooks), with any secret and body: a
// fresh message id now, or a given id and time (a redelivery of the same message, a stale timestamp).
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export async function deliverSigned(
  url: string,
  body: object | string,
  secret: string,
  options: { webhookId?: string; at?: Date } = {},
): Promise<Response> {
  const id = options.webhookId ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, rawBody),
    },
    body: rawBody,
  });
}
