// OAuth tokens for a sandbox company, by the authorization-code flow with PKCE over HTTP (the sandbox's
// consent is automatic), so the secrets drill can run a job on a Bearer token and search for it.
import { createHash, randomBytes } from 'node:crypto';
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';

export async function oauthTokens(
  sandbox: PleoSandbox,
  companyId: string,
): Promise<{ accessToken: string; refreshToken: string; clientSecret: string }> {
  const client = sandbox.oauthClient;
  const redirectUri = client.redirectUris[0]!;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/oauth/authorize', sandbox.url);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'export-jobs:read export-jobs:write',
    state: 'bench',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    company_id: companyId,
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`OAuth authorize answered ${redirect.status} without a code`);
  const token = await fetch(new URL('/oauth/token', sandbox.url), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  const body = (await token.json()) as { access_token?: string; refresh_token?: string };
  if (!token.ok || !body.access_token || !body.refresh_token)
    throw new Error(`OAuth token exchange answered ${token.status}`);
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    clientSecret: client.clientSecret,
  };
}
