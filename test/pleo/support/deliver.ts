// Posts a webhook delivery signed as Pleo signs it (Standard Webhooks), with any secret and body.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export async function deliverSigned(url: string, body: object, secret: string): Promise<Response> {
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  const rawBody = JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, now, rawBody),
    },
    body: rawBody,
  });
}
