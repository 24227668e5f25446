// OAuth 2.0 as Pleo documents it: authorization code with PKCE (S256), short-lived access tokens,
// refresh-token rotation, and reuse detection revoking the whole token family.
import { createHash, randomBytes } from 'node:crypto';
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { call, manualClock, start } from '../support/sandbox';

let sandbox: PleoSandbox;
const clock = manualClock();
const redirectUri = 'http://127.0.0.1:3000/oauth/callback';
beforeAll(async () => {
  sandbox = await start({ clock });
});
afterAll(() => sandbox?.close());

type Tokens = {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
};

function clientAuth(): string {
  const { clientId, clientSecret } = sandbox.oauthClient;
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

async function authorize(challenge: string, method = 'S256'): Promise<URL> {
  const q = new URLSearchParams({
    client_id: sandbox.oauthClient.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'export-jobs:read export-jobs:write export-items:read',
    state: 'csrf-123',
    code_challenge: challenge,
    code_challenge_method: method,
  });
  const r = await fetch(`${sandbox.url}/oauth/authorize?${q}`, { redirect: 'manual' });
  expect(r.status).toBe(302);
  return new URL(r.headers.get('location')!);
}

async function token(
  form: Record<string, string>,
): Promise<{ status: number; body: Tokens & { error?: string } }> {
  const r = await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: clientAuth() },
    body: new URLSearchParams(form),
  });
  return { status: r.status, body: (await r.json()) as Tokens & { error?: string } };
}

/** The authorization-code grant: the code exchanged with its PKCE verifier. */
const exchange = (code: string, verifier: string) =>
  token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function connect(): Promise<Tokens> {
  const { verifier, challenge } = pkce();
  const code = (await authorize(challenge)).searchParams.get('code')!;
  const r = await exchange(code, verifier);
  expect(r.status).toBe(200);
  return r.body;
}

const jobs = (accessToken: string) =>
  call(sandbox, 'GET', '/v3/export-jobs', { auth: { bearer: accessToken } });

test('authorization code with PKCE gives a short-lived token for the demo company', async () => {
  const { verifier, challenge } = pkce();
  const redirect = await authorize(challenge);
  expect(redirect.origin + redirect.pathname).toBe(redirectUri);
  expect(redirect.searchParams.get('state')).toBe('csrf-123');
  const code = redirect.searchParams.get('code')!;

  const wrong = await exchange(code, pkce().verifier);
  expect({ status: wrong.status, error: wrong.body.error }).toEqual({ status: 400, error: 'invalid_grant' });

  const ok = await exchange(code, verifier);
  expect(ok.status).toBe(200);
  expect({ type: ok.body.token_type, expiresIn: ok.body.expires_in }).toEqual({
    type: 'Bearer',
    expiresIn: 900,
  });
  expect((await jobs(ok.body.access_token)).status).toBe(200);

  const introspect = await call(sandbox, 'GET', '/v1/introspect', {
    auth: { bearer: ok.body.access_token },
    validate: false,
  });
  expect(introspect.body).toEqual({
    data: expect.objectContaining({
      authMethod: 'OAUTH',
      subjectURN: `urn:pleo:company:${sandbox.credentials.companyId}`,
    }),
  });

  clock.advance(901_000);
  expect((await jobs(ok.body.access_token)).status).toBe(401);
});

test('PKCE is required with S256; a replayed code is refused and revokes what it issued', async () => {
  const plain = await authorize('a'.repeat(43), 'plain');
  expect(plain.searchParams.get('error')).toBe('invalid_request');
  expect(plain.searchParams.get('code')).toBeNull();

  const { verifier, challenge } = pkce();
  const code = (await authorize(challenge)).searchParams.get('code')!;
  const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
  const first = await token(form);
  expect(first.status).toBe(200);
  expect((await token(form)).status).toBe(400);
  expect((await jobs(first.body.access_token)).status).toBe(401);
});

test('refresh rotates both tokens; reusing a rotated refresh token revokes the whole family', async () => {
  const initial = await connect();
  const rotated = await token({ grant_type: 'refresh_token', refresh_token: initial.refresh_token });
  expect(rotated.status).toBe(200);
  expect(rotated.body.refresh_token).not.toBe(initial.refresh_token);
  expect(rotated.body.access_token).not.toBe(initial.access_token);
  expect((await jobs(rotated.body.access_token)).status).toBe(200);

  const replay = await token({ grant_type: 'refresh_token', refresh_token: initial.refresh_token });
  expect({ status: replay.status, error: replay.body.error }).toEqual({
    status: 400,
    error: 'invalid_grant',
  });
  // Reuse detection: the legitimate holder's newest tokens die too, so the user must re-connect.
  expect((await jobs(rotated.body.access_token)).status).toBe(401);
  const after = await token({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token });
  expect({ status: after.status, error: after.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
});

test('a wrong client secret is refused with invalid_client; an API key introspects as API_KEY', async () => {
  const r = await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: sandbox.oauthClient.clientId,
      client_secret: 'wrong',
    }),
  });
  expect(r.status).toBe(401);
  expect(((await r.json()) as { error: string }).error).toBe('invalid_client');
  const introspect = await call(sandbox, 'GET', '/v1/introspect', { validate: false });
  expect((introspect.body as { data: { authMethod: string } }).data.authMethod).toBe('API_KEY');
  const installation = await call(sandbox, 'GET', '/v1/installations/me', { validate: false });
  expect(installation.body).toEqual(
    expect.objectContaining({
      resource: `urn:pleo:company:${sandbox.credentials.companyId}`,
      status: 'ACTIVATED',
    }),
  );
});
