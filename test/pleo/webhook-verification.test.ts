// Verification of Pleo webhook deliveries (Standard Webhooks scheme). The signatures here are computed
// with node:crypto straight from the documented algorithm, independently of the library the verifier
// uses. De-duplication of replays inside the window belongs to the receiver (src/webhooks/receiver.ts).
import { createHmac, randomBytes } from 'node:crypto';
import { verifyPleoWebhook, WebhookVerificationError } from '../../src/pleo/webhooks';

const keyBytes = randomBytes(24);
const secret = `whsec_${keyBytes.toString('base64')}`;
const now = new Date('2026-04-22T10:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);

const body = JSON.stringify({
  eventId: 'a257a31e-e8a6-4c36-a98d-451250e5b5c4',
  eventType: 'v1.export-job.created',
  data: {
    id: '8eb648ab-464b-42a0-ba17-eda703657e33',
    companyId: '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11',
    status: 'pending',
    expiresIn: 3600,
  },
});

function sign(id: string, timestamp: number, rawBody: string, key = keyBytes): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest('base64')}`;
}

function delivery(overrides: { id?: string; timestamp?: number; body?: string; signature?: string } = {}) {
  const id = overrides.id ?? 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = overrides.timestamp ?? nowSeconds;
  const rawBody = overrides.body ?? body;
  return {
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': overrides.signature ?? sign(id, timestamp, rawBody),
    },
    rawBody,
    secret,
    companyId: '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11',
    now,
  };
}

it('accepts a correctly signed export-job.created delivery and extracts company and job', () => {
  expect(verifyPleoWebhook(delivery())).toEqual({
    kind: 'export_job_created',
    deliveryId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    eventId: 'a257a31e-e8a6-4c36-a98d-451250e5b5c4',
    eventType: 'v1.export-job.created',
    companyId: '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11',
    jobId: '8eb648ab-464b-42a0-ba17-eda703657e33',
  });
});

it('rejects a tampered body, even by one character', () => {
  const signed = delivery();
  const tampered = { ...signed, rawBody: signed.rawBody.replace('0b5a1c52', '0b5a1c53') };
  expect(() => verifyPleoWebhook(tampered)).toThrow(WebhookVerificationError);
  expect(() => verifyPleoWebhook({ ...signed, rawBody: `${signed.rawBody} ` })).toThrow(
    /signature does not match/,
  );
});

it('rejects a signature made with another secret', () => {
  const id = 'msg_1';
  expect(() =>
    verifyPleoWebhook(delivery({ id, signature: sign(id, nowSeconds, body, randomBytes(24)) })),
  ).toThrow(/signature does not match/);
});

it('rejects stale and future timestamps outside the tolerance, accepts inside it', () => {
  expect(() => verifyPleoWebhook(delivery({ timestamp: nowSeconds - 301 }))).toThrow(
    /outside the accepted window/,
  );
  expect(() => verifyPleoWebhook(delivery({ timestamp: nowSeconds + 301 }))).toThrow(
    /outside the accepted window/,
  );
  expect(verifyPleoWebhook(delivery({ timestamp: nowSeconds - 299 })).kind).toBe('export_job_created');
  expect(() =>
    verifyPleoWebhook({ ...delivery({ timestamp: nowSeconds - 60 }), toleranceSeconds: 30 }),
  ).toThrow(/outside the accepted window/);
});

it('rejects a replay that re-labels a captured delivery with a fresh id or timestamp', () => {
  const captured = delivery({ id: 'msg_original', timestamp: nowSeconds - 1000 });
  // Replayed as it was: too old.
  expect(() => verifyPleoWebhook(captured)).toThrow(/outside the accepted window/);
  // Replayed with a fresh timestamp: the signature covers the timestamp.
  const freshTime = {
    ...captured,
    headers: { ...captured.headers, 'webhook-timestamp': String(nowSeconds) },
  };
  expect(() => verifyPleoWebhook(freshTime)).toThrow(/signature does not match/);
  // Replayed under a new id (to dodge de-duplication): the signature covers the id.
  const sameTime = delivery({ id: 'msg_original' });
  const newId = { ...sameTime, headers: { ...sameTime.headers, 'webhook-id': 'msg_other' } };
  expect(() => verifyPleoWebhook(newId)).toThrow(/signature does not match/);
});

it('accepts any of several space-separated signatures (secret rotation)', () => {
  const id = 'msg_rotated';
  const signature = `v1,${randomBytes(32).toString('base64')} ${sign(id, nowSeconds, body)}`;
  expect(verifyPleoWebhook(delivery({ id, signature })).kind).toBe('export_job_created');
  expect(() =>
    verifyPleoWebhook(delivery({ id, signature: `v2,${sign(id, nowSeconds, body).slice(3)}` })),
  ).toThrow(/signature does not match/);
});

it('requires all three headers', () => {
  for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
    const d = delivery();
    const headers: Record<string, string | undefined> = { ...d.headers, [header]: undefined };
    expect(() => verifyPleoWebhook({ ...d, headers })).toThrow(/missing webhook-id/);
  }
});

it('accepts every spelling of the export-job event Pleo documents; other events are "other"', () => {
  for (const eventType of ['v1.export-job.created', 'v1.export.job-created', 'export-job.created']) {
    const raw = body.replace('v1.export-job.created', eventType);
    expect(verifyPleoWebhook(delivery({ body: raw })).kind).toBe('export_job_created');
  }
  const vendor = JSON.stringify({ eventId: 'e', eventType: 'v1.vendor.created', data: { id: 'v' } });
  expect(verifyPleoWebhook(delivery({ body: vendor }))).toMatchObject({
    kind: 'other',
    eventType: 'v1.vendor.created',
  });
});

it('rejects a correctly signed body that is not a Pleo event', () => {
  expect(() => verifyPleoWebhook(delivery({ body: 'not json' }))).toThrow(/not a Pleo event/);
});

it('is bound to the company whose secret verified it: a body naming another company is refused', () => {
  const other = '7d1f0c3a-2b4e-4f5a-8c6d-9e0f1a2b3c4d';
  for (const forged of [
    body.replace('0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11', other),
    JSON.stringify({ companyId: other, ...JSON.parse(body) }),
  ]) {
    expect(() => verifyPleoWebhook(delivery({ body: forged }))).toThrow(
      `webhook signed with the secret of company 0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11 names company ${other}`,
    );
  }
  // Without any company in the body, the event is the verifying company's.
  const bare = JSON.stringify({ eventType: 'v1.export-job.created', data: { id: 'job-1' } });
  expect(verifyPleoWebhook(delivery({ body: bare }))).toMatchObject({
    companyId: '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11',
    jobId: 'job-1',
  });
});
