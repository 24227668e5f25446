// Webhook subscriptions and credential activation over real HTTP: the client subscribes, reads the
// signing secret, and a real signed delivery from the sandbox verifies with it; introspection resolves
// the company an API key belongs to and refuses one that cannot serve the connection.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiKeyAuth } from '../../src/pleo/auth';
import { PleoApiError } from '../../src/pleo/errors';
import { EXPORT_JOB_CREATED } from '../../src/pleo/subscriptions';
import { verifyPleoWebhook, WebhookVerificationError } from '../../src/pleo/webhooks';
import { collect, startPleoBench, type PleoBench } from '../support/pleo-bench';

interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

let bench: PleoBench;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  bench = await startPleoBench();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pleo/webhooks`;
});
afterAll(async () => {
  await bench.close();
  await new Promise((resolve) => receiver.close(resolve));
});
afterEach(() => expect(bench.takeViolations()).toEqual([]));

describe('webhook subscriptions', () => {
  it('subscribes once per endpoint, lists and reads back, and the secret verifies a real delivery', async () => {
    const pleo = bench.client();
    const subscription = await pleo.subscriptions.ensureExportJobSubscription(receiverUrl);
    expect(subscription).toMatchObject({
      endpointUrl: receiverUrl,
      eventTypes: [EXPORT_JOB_CREATED],
      status: 'ACTIVE',
    });
    expect((await pleo.subscriptions.ensureExportJobSubscription(receiverUrl)).id).toBe(subscription.id);
    expect(
      (await collect(pleo.subscriptions.list({ eventTypes: [EXPORT_JOB_CREATED] }))).map((s) => s.id),
    ).toEqual([subscription.id]);
    expect(await pleo.subscriptions.get(subscription.id)).toEqual(subscription);

    const secret = await pleo.subscriptions.getSecret(subscription.id);
    expect(secret).toMatch(/^whsec_/);

    const job = bench.sandbox.createJob(bench.company.id, bench.exportItems(2, 'webhook'));
    await bench.sandbox.webhooksIdle();
    const delivery = received.at(-1)!;
    const event = verifyPleoWebhook({
      headers: delivery.headers,
      rawBody: delivery.rawBody,
      secret,
      companyId: bench.company.id,
    });
    expect(event).toMatchObject({ kind: 'export_job_created', companyId: bench.company.id, jobId: job.id });

    // The same delivery with a tampered body, or checked with another subscription's secret, fails.
    expect(() =>
      verifyPleoWebhook({
        headers: delivery.headers,
        rawBody: delivery.rawBody.replace(job.id, bench.company.id),
        secret,
        companyId: bench.company.id,
      }),
    ).toThrow(WebhookVerificationError);
    const other = await pleo.subscriptions.create({
      endpointUrl: `${receiverUrl}/other`,
      eventTypes: ['v1.vendor.created'],
      status: 'ACTIVE',
    });
    const otherSecret = await pleo.subscriptions.getSecret(other.id);
    expect(() =>
      verifyPleoWebhook({
        headers: delivery.headers,
        rawBody: delivery.rawBody,
        secret: otherSecret,
        companyId: bench.company.id,
      }),
    ).toThrow(/signature does not match/);
  });

  it("another company's subscription is not found (subscriptions are per credential entity)", async () => {
    const mine = await bench.client().subscriptions.create({
      endpointUrl: `${receiverUrl}/mine`,
      eventTypes: [EXPORT_JOB_CREATED],
      status: 'ACTIVE',
    });
    const stranger = bench.sandbox.createCompany();
    const error = await bench
      .client({ auth: new ApiKeyAuth(stranger.apiKey) })
      .subscriptions.getSecret(mine.id)
      .catch((e: unknown) => e as PleoApiError);
    expect(error).toBeInstanceOf(PleoApiError);
    expect([(error as PleoApiError).status, (error as PleoApiError).kind]).toEqual([404, 'not_found']);
  });
});

describe('credential activation', () => {
  it("resolves an API key's company from /v1/introspect and checks the export scopes", async () => {
    const pleo = bench.client();
    const introspection = await pleo.installation.introspect();
    expect(introspection.subjectURN).toBe(`urn:pleo:company:${bench.company.id}`);
    expect(await pleo.installation.activateCredential()).toEqual({
      companyId: bench.company.id,
      subject: 'company',
      authMethod: 'API_KEY',
      scopes: expect.arrayContaining(['export-jobs:read', 'export-jobs:write', 'export-items:read']),
      scopesVerified: true,
    });
    const installation = await pleo.installation.get();
    expect(installation.resource).toBe(`urn:pleo:company:${bench.company.id}`);
  });

  it('refuses a key of another company and one lacking a required scope, with an actionable message', async () => {
    const pleo = bench.client();
    const stranger = bench.sandbox.createCompany();
    const wrongCompany = await pleo.installation
      .activateCredential({ expectedCompanyId: stranger.id })
      .catch((e: unknown) => e as PleoApiError);
    expect(wrongCompany).toBeInstanceOf(PleoApiError);
    expect([
      (wrongCompany as PleoApiError).retryable,
      (wrongCompany as PleoApiError).jobFailureReasonType,
    ]).toEqual([false, 'invalid_configuration']);
    expect((wrongCompany as PleoApiError).message).toContain(`not to the configured company ${stranger.id}`);

    const missingScope = await pleo.installation
      .activateCredential({ requiredScopes: ['export-jobs:read', 'vendors:write'] })
      .catch((e: unknown) => e as PleoApiError);
    expect((missingScope as PleoApiError).message).toMatch(/lacks the scopes vendors:write/);
  });

  it('a key Pleo does not know fails activation as authentication_failure', async () => {
    const error = await bench
      .client({ auth: new ApiKeyAuth('not-a-key') })
      .installation.activateCredential()
      .catch((e: unknown) => e as PleoApiError);
    expect([(error as PleoApiError).status, (error as PleoApiError).jobFailureReasonType]).toEqual([
      401,
      'authentication_failure',
    ]);
  });
});
