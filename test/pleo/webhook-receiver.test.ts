// The webhook receiver triggers only the company whose secret verified the delivery: a delivery signed
// with company A's secret that names company B is refused and starts nothing, and neither does one for a
// company the service does not know. (End to end against Temporal: test/pleo/hardened-edges.test.ts.)
import { Writable } from 'node:stream';
import pino from 'pino';
import { createWebhookReceiver, WEBHOOK_PATH } from '../../src/webhooks/receiver';
import { deliverSigned } from '../support/webhooks';

const A = '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11';
const B = '7d1f0c3a-2b4e-4f5a-8c6d-9e0f1a2b3c4d';
const secrets: Record<string, string> = {
  [A]: `whsec_${Buffer.from('company-a-signing-secret-0001').toString('base64')}`,
  [B]: `whsec_${Buffer.from('company-b-signing-secret-0002').toString('base64')}`,
};

async function setUp() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const triggered: string[] = [];
  const app = createWebhookReceiver({
    secretFor: (companyId) => secrets[companyId],
    trigger: async (companyId) => void triggered.push(companyId),
    logger: pino({ level: 'info' }, sink),
  });
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}${WEBHOOK_PATH}`;
  return { app, url, lines, triggered };
}

let sequence = 0;
const deliver = async (url: string, body: object, secret: string) => {
  const response = await deliverSigned(url, body, secret);
  return { statusCode: response.status, json: () => response.json() as Promise<unknown> };
};

const event = (top: string | undefined, inData: string | undefined) => ({
  ...(top ? { companyId: top } : {}),
  eventId: `evt-${++sequence}`,
  eventType: 'v1.export-job.created',
  data: { id: 'job-1', ...(inData ? { companyId: inData } : {}), secretNote: 'do-not-log-me' },
});

test("signed with A's secret but naming B in data: 403, nothing triggered, logged without the body", async () => {
  const { app, url, lines, triggered } = await setUp();
  const response = await deliver(url, event(A, B), secrets[A]!);
  expect(response.statusCode).toBe(403);
  expect(await response.json()).toEqual({ type: 'COMPANY_MISMATCH' });
  expect(triggered).toEqual([]);
  const refused = lines.find((l) => String(l.msg).startsWith('webhook refused'));
  expect(refused).toMatchObject({ signedFor: A, named: B });
  expect(JSON.stringify(lines)).not.toContain('do-not-log-me');
  await app.close();
});

test("a correctly bound delivery triggers exactly the verified company; another company's secret does not verify", async () => {
  const { app, url, triggered } = await setUp();
  expect((await deliver(url, event(A, A), secrets[A]!)).statusCode).toBe(204);
  expect((await deliver(url, event(undefined, B), secrets[B]!)).statusCode).toBe(204);
  // Naming A at the top (so A's secret is chosen) but signed with B's: the signature fails.
  expect((await deliver(url, event(A, A), secrets[B]!)).statusCode).toBe(401);
  expect(triggered).toEqual([A, B]);
  await app.close();
});

test('a company the service does not know gets 404 and no workflow', async () => {
  const { app, url, triggered } = await setUp();
  const stranger = 'c0ffee00-0000-4000-8000-000000000000';
  const response = await deliver(url, event(stranger, stranger), secrets[A]!);
  expect(response.statusCode).toBe(404);
  expect(triggered).toEqual([]);
  await app.close();
});
