// OAuth 2.0 against the sandbox's authorisation server over real HTTP: authorisation code with PKCE
// S256 and state, refresh-token rotation persisted before use, one refresh at a time per connection
// (in one process and across two), and reuse detection stopping the connection in "re-connect" state.
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  FileTokenStore,
  OAuthAuth,
  PleoOAuthApp,
  type StoredConnection,
  type TokenStore,
} from '../../src/pleo/auth';
import { EXPORT_SCOPES } from '../../src/pleo/auth/oauth-app';
import { PleoClient } from '../../src/pleo/client';
import { PleoApiError, ReconnectRequiredError } from '../../src/pleo/errors';
import type { OAuthClient } from '@pleo-export/pleo-sandbox/oauth';
import { startPleoBench, type PleoBench } from '../support/pleo-bench';

const REDIRECT_URI = 'http://127.0.0.1:3999/pleo/oauth/callback';

let bench: PleoBench;
let oauthClient: OAuthClient;
let app: PleoOAuthApp;
let dir: string;
let key: Buffer;
let store: RecordingStore;

/** The file store, noting how many HTTP exchanges had happened at each save (to prove save-before-use). */
class RecordingStore implements TokenStore {
  readonly saves: { record: StoredConnection; exchangesBefore: number }[] = [];
  constructor(readonly inner: FileTokenStore) {}
  load(id: string) {
    return this.inner.load(id);
  }
  async save(id: string, record: StoredConnection) {
    await this.inner.save(id, record);
    this.saves.push({ record, exchangesBefore: bench.proxy.exchanges.length });
  }
  exclusive<T>(id: string, body: () => Promise<T>) {
    return this.inner.exclusive(id, body);
  }
}

const sandboxNow = () => bench.sandbox.clock.now().getTime();
const tokenCalls = (grant: string) =>
  bench.proxy.exchanges.filter(
    (x) => x.url === '/oauth/token' && (x.requestBody as Record<string, string>).grant_type === grant,
  );
const bearerOf = (x: { requestHeaders: Record<string, unknown> }) =>
  String(x.requestHeaders.authorization ?? '').replace(/^Bearer /, '');

function newAuth(options: { now?: () => number; tokenStore?: TokenStore } = {}) {
  return new OAuthAuth({
    app,
    store: options.tokenStore ?? store,
    connectionId: bench.company.id,
    now: options.now ?? sandboxNow,
  });
}

/** The browser's part: follow the authorisation URL; the sandbox's demo user consents at once. */
async function consent(url: string): Promise<string> {
  const authorize = new URL(url);
  authorize.searchParams.set('company_id', bench.company.id); // sandbox extension: which company consents
  const response = await fetch(authorize, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

async function connect(): Promise<OAuthAuth> {
  const { url, pending } = await app.authorizationRequest();
  const auth = newAuth();
  await auth.completeConnect(await consent(url), pending);
  return auth;
}

async function stored(): Promise<Extract<StoredConnection, { status: 'connected' }>> {
  const record = await store.load(bench.company.id);
  if (record?.status !== 'connected') throw new Error(`expected a connected record, got ${record?.status}`);
  return record;
}

beforeAll(async () => {
  bench = await startPleoBench();
  oauthClient = bench.sandbox.registerOAuthClient({ redirectUris: [REDIRECT_URI] });
  app = new PleoOAuthApp({
    authBaseUrl: bench.proxy.url,
    clientId: oauthClient.clientId,
    clientSecret: oauthClient.clientSecret,
    redirectUri: REDIRECT_URI,
    scopes: EXPORT_SCOPES,
  });
});
afterAll(() => bench.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pleo-oauth-'));
  key = randomBytes(32);
  store = new RecordingStore(new FileTokenStore({ dir, key }));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  expect(bench.takeViolations()).toEqual([]);
});

it('builds the authorisation URL with PKCE S256 and state, exchanges the code with the verifier, and connects', async () => {
  const { url, pending } = await app.authorizationRequest();
  const q = new URL(url).searchParams;
  expect(new URL(url).pathname).toBe('/oauth/authorize');
  expect(Object.fromEntries(q)).toEqual({
    client_id: oauthClient.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'export-jobs:read export-jobs:write export-items:read',
    state: pending.state,
    code_challenge: createHash('sha256').update(pending.codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  expect(pending.codeVerifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
  expect((await app.authorizationRequest()).pending.state).not.toBe(pending.state);

  const auth = newAuth();
  await auth.completeConnect(await consent(url), pending);

  const [exchange] = tokenCalls('authorization_code');
  expect(exchange!.requestBody).toMatchObject({
    grant_type: 'authorization_code',
    code_verifier: pending.codeVerifier,
    redirect_uri: REDIRECT_URI,
  });
  const basic = Buffer.from(`${oauthClient.clientId}:${oauthClient.clientSecret}`).toString('base64');
  expect(exchange!.requestHeaders.authorization).toBe(`Basic ${basic}`);

  const tokens = await stored();
  const pleo = new PleoClient({ baseUrl: bench.proxy.url, auth });
  const activated = await pleo.installation.activateCredential({ expectedCompanyId: bench.company.id });
  expect(activated).toMatchObject({
    companyId: bench.company.id,
    subject: 'company',
    authMethod: 'OAUTH',
    scopesVerified: true,
  });
  expect(bearerOf(bench.proxy.exchanges.at(-1)!)).toBe(tokens.accessToken);
});

it('refuses a callback with a foreign state or an error, and stores nothing', async () => {
  const { url, pending } = await app.authorizationRequest();
  const callback = await consent(url);
  const forged = new URL(callback);
  forged.searchParams.set('state', 'attacker-state');
  await expect(newAuth().completeConnect(forged, pending)).rejects.toThrow(/callback rejected/);

  const denied = new URL(REDIRECT_URI);
  denied.searchParams.set('error', 'access_denied');
  denied.searchParams.set('state', pending.state);
  await expect(newAuth().completeConnect(denied, pending)).rejects.toThrow(
    /refused the authorisation \(access_denied\)/,
  );
  expect(await store.load(bench.company.id)).toBeUndefined();
});

it('rotates on refresh and persists the new refresh token before the new access token is used', async () => {
  const auth = await connect();
  const before = await stored();
  const pleo = new PleoClient({ baseUrl: bench.proxy.url, auth });

  bench.sandbox.clock.advance(15 * 60 * 1000); // the access token's lifetime (expires_in 900)
  await pleo.listExportJobsPage({ companyId: bench.company.id, statuses: ['pending'] });

  const after = await stored();
  expect(after.refreshToken).not.toBe(before.refreshToken);
  expect(after.accessToken).not.toBe(before.accessToken);
  const [refresh] = tokenCalls('refresh_token').slice(-1);
  expect((refresh!.requestBody as Record<string, string>).refresh_token).toBe(before.refreshToken);

  const save = store.saves.find(
    (s) => s.record.status === 'connected' && s.record.accessToken === after.accessToken,
  )!;
  const firstUse = bench.proxy.exchanges.findIndex((x) => bearerOf(x) === after.accessToken);
  expect(firstUse).toBeGreaterThanOrEqual(save.exchangesBefore);
  expect(bench.proxy.exchanges[firstUse]!.status).toBe(200);
});

it('runs one refresh at a time per connection: concurrent requests and a second process share it', async () => {
  await connect();
  const workerA = new PleoClient({ baseUrl: bench.proxy.url, auth: newAuth() });
  // A second process: its own OAuthAuth and store object over the same token files.
  const workerB = new PleoClient({
    baseUrl: bench.proxy.url,
    auth: newAuth({ tokenStore: new FileTokenStore({ dir, key }) }),
  });
  const refreshesBefore = tokenCalls('refresh_token').length;

  bench.sandbox.clock.advance(15 * 60 * 1000);
  const list = (c: PleoClient) =>
    c.listExportJobsPage({ companyId: bench.company.id, statuses: ['pending'] });
  const results = await Promise.all([
    ...Array.from({ length: 5 }, () => list(workerA)),
    ...Array.from({ length: 5 }, () => list(workerB)),
  ]);

  expect(results).toHaveLength(10);
  expect(tokenCalls('refresh_token').length - refreshesBefore).toBe(1);
  const { accessToken } = await stored();
  const used = new Set(bench.proxy.exchanges.slice(-10).map(bearerOf));
  expect([...used]).toEqual([accessToken]);
});

it('after a 401 (token revoked or expired early) refreshes once and retries the request', async () => {
  const frozen = sandboxNow();
  const auth = newAuth({ now: () => frozen });
  const { url, pending } = await app.authorizationRequest();
  await auth.completeConnect(await consent(url), pending);
  const pleo = new PleoClient({ baseUrl: bench.proxy.url, auth });

  bench.sandbox.clock.advance(16 * 60 * 1000); // Pleo's clock has passed expiry, ours has not
  const start = bench.proxy.exchanges.length;
  await pleo.listExportJobsPage({ companyId: bench.company.id, statuses: ['pending'] });
  expect(
    bench.proxy.exchanges.slice(start).map((x) => `${x.method} ${x.url.split('?')[0]} ${x.status}`),
  ).toEqual(['GET /v3/export-jobs 401', 'POST /oauth/token 200', 'GET /v3/export-jobs 200']);
});

it('a reused refresh token puts the connection in "re-connect required" and stops all calls', async () => {
  const auth = await connect();
  const pleo = new PleoClient({ baseUrl: bench.proxy.url, auth });
  const stale = await stored();
  bench.sandbox.clock.advance(15 * 60 * 1000);
  await pleo.listExportJobsPage({ companyId: bench.company.id, statuses: ['pending'] });
  const rotated = await stored();

  // A process restored from an old backup still holds the rotated-away refresh token and uses it.
  await store.inner.save(bench.company.id, stale);
  const restored = new PleoClient({ baseUrl: bench.proxy.url, auth: newAuth() });
  const error = await restored
    .getExportJob(bench.sandbox.createJob(bench.company.id, bench.exportItems(1, 'reuse')).id)
    .then(
      () => undefined,
      (e: unknown) => e as PleoApiError,
    );
  expect(error).toBeInstanceOf(ReconnectRequiredError);
  expect([error!.kind, error!.retryable, error!.jobFailureReasonType]).toEqual([
    'reconnect_required',
    false,
    'authentication_failure',
  ]);
  expect(error!.message).toMatch(/must be re-connected.*authorise this integration again/s);
  expect(await store.load(bench.company.id)).toMatchObject({
    status: 'reconnect_required',
    reason: expect.stringMatching(/invalid_grant/),
  });

  // Pleo revoked the whole authorisation: the first process's token is dead too, and it does not retry.
  bench.sandbox.clock.advance(15 * 60 * 1000);
  const start = bench.proxy.exchanges.length;
  await expect(
    pleo.listExportJobsPage({ companyId: bench.company.id, statuses: ['pending'] }),
  ).rejects.toBeInstanceOf(ReconnectRequiredError);
  await expect(
    restored.listExportJobsPage({ companyId: bench.company.id, statuses: ['pending'] }),
  ).rejects.toBeInstanceOf(ReconnectRequiredError);
  expect(bench.proxy.exchanges.length).toBe(start);

  const secrets = [stale.accessToken, stale.refreshToken, rotated.accessToken, rotated.refreshToken];
  const shown = `${error!.message} ${JSON.stringify(error)} ${String(error!.stack)} ${JSON.stringify({ auth, app })}`;
  for (const secret of secrets) expect(shown).not.toContain(secret);
});

it('logs of the client and its refreshes never contain a token', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
  const frozen = sandboxNow();
  const auth = newAuth({ now: () => frozen });
  const { url, pending } = await app.authorizationRequest();
  await auth.completeConnect(await consent(url), pending);
  const pleo = new PleoClient({ baseUrl: bench.proxy.url, auth, logger: pino({ level: 'trace' }, sink) });
  bench.sandbox.clock.advance(16 * 60 * 1000);
  await pleo.listExportJobsPage({ companyId: bench.company.id, statuses: ['pending'] });
  await pleo.getExportJob('00000000-0000-4000-8000-000000000000').catch(() => undefined);

  const tokens = store.saves.flatMap((s) =>
    s.record.status === 'connected' ? [s.record.accessToken, s.record.refreshToken] : [],
  );
  expect(lines.length).toBeGreaterThan(0);
  for (const token of [...tokens, oauthClient.clientSecret]) expect(lines.join('\n')).not.toContain(token);
});
