// Webhook subscriptions (per the subscriptions OpenAPI) and signed v1.export-job.created deliveries,
// verified with the standardwebhooks library; failed deliveries are retried.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { call, items, start } from '../support/sandbox';

let sandbox: PleoSandbox;
let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string>; body: string }[] = [];
let failNext = 0;

beforeAll(async () => {
  sandbox = await start({ behaviour: { webhookRetryDelaysMs: [50, 50] } });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = failNext-- > 0 ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pleo/webhooks`;
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

test('a subscription receives a signed v1.export-job.created event when a job is created', async () => {
  const company = sandbox.createCompany();
  const auth = { apiKey: company.apiKey };
  const created = await call(sandbox, 'POST', '/v1/subscriptions', {
    auth,
    body: { endpointUrl: receiverUrl, eventTypes: ['v1.export-job.created'] },
  });
  expect(created.status).toBe(200);
  const subscription = (created.body as { data: { id: string; status: string } }).data;
  expect(subscription.status).toBe('ACTIVE');
  const secret = await call(sandbox, 'GET', `/v1/subscriptions/${subscription.id}/secret`, { auth });
  const secretKey = (secret.body as { data: { secretKey: string } }).data.secretKey;
  expect(secretKey).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
  const listed = await call(sandbox, 'GET', '/v1/subscriptions?event_types=v1.export-job.created', { auth });
  expect((listed.body as { data: { id: string }[] }).data.map((s) => s.id)).toEqual([subscription.id]);
  expect((await call(sandbox, 'GET', `/v1/subscriptions/${subscription.id}`, { auth })).status).toBe(200);
  // Subscriptions belong to the company of the credential.
  expect((await call(sandbox, 'GET', `/v1/subscriptions/${subscription.id}`)).status).toBe(404);

  const before = received.length;
  const job = sandbox.createJob(company.id, items(sandbox, company.id, 2));
  await sandbox.webhooksIdle();

  const delivery = received.slice(before).find((r) => r.body.includes(job.id))!;
  const payload = new Webhook(secretKey).verify(delivery.body, delivery.headers) as {
    eventType: string;
    eventId: string;
    data: Record<string, unknown>;
  };
  expect(payload.eventType).toBe('v1.export-job.created');
  expect(payload.data).toEqual(
    expect.objectContaining({
      id: job.id,
      companyId: company.id,
      status: 'pending',
      numberOfItems: 2,
      expiresIn: 3600,
    }),
  );
  expect(delivery.headers['webhook-signature']).toMatch(/^v1,/);
  expect(() =>
    new Webhook(secretKey).verify(delivery.body.replace('pending', 'PENDING'), delivery.headers),
  ).toThrow();
});

test('a failed delivery is retried with the same webhook-id until the receiver accepts it', async () => {
  const company = sandbox.createCompany();
  const { secret } = sandbox.addSubscription(company.id, receiverUrl, ['v1.export-job.created']);
  failNext = 2;
  const before = received.length;
  const job = sandbox.createJob(company.id, items(sandbox, company.id, 1));
  await sandbox.webhooksIdle();

  const attempts = received.slice(before).filter((r) => r.body.includes(job.id));
  expect(attempts).toHaveLength(3);
  expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
  for (const a of attempts) expect(() => new Webhook(secret).verify(a.body, a.headers)).not.toThrow();
  const recorded = sandbox.webhookDeliveries().find((d) => d.companyId === company.id)!;
  expect({ outcome: recorded.outcome, statuses: recorded.attempts.map((a) => a.status) }).toEqual({
    outcome: 'delivered',
    statuses: [500, 500, 204],
  });
});
