// Pleo's OAuth 2.0 as the sandbox models it: authorization code with PKCE (S256 only), short-lived
// access tokens, refresh-token rotation, and reuse detection: presenting a refresh token that was
// already rotated revokes the whole token family (every token descended from that authorisation).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { SandboxBehaviour, SandboxClock } from './state';

/** Who is calling: a company, by its API key or by an OAuth client's access token. */
export interface Principal {
  companyId: string;
  authMethod: 'API_KEY' | 'OAUTH';
  clientId?: string;
  scope: string;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  name: string;
}

/** RFC 6749 error: the token endpoint answers `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Answers an OAuthError as the token endpoint does (never cached); anything else is rethrown. */
export function oauthError(reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof OAuthError)) throw err;
  return reply
    .status(err.status)
    .header('cache-control', 'no-store')
    .send({ error: err.error, error_description: err.description });
}

interface Family {
  id: string;
  clientId: string;
  companyId: string;
  scope: string;
  revoked: boolean;
}

interface Code {
  family: Family;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
  used: boolean;
}

interface Token {
  family: Family;
  expiresAt: number;
  issuedAt: number;
  rotated?: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

const CODE_TTL_MS = 60_000;
const REFRESH_TTL_MS = 60 * 24 * 3600 * 1000;
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const opaque = () => randomBytes(32).toString('base64url');

export const DEMO_OAUTH_CLIENT: OAuthClient = {
  clientId: 'sandbox-demo-client',
  clientSecret: 'sandbox-demo-client-secret',
  redirectUris: ['http://127.0.0.1:3000/oauth/callback', 'http://localhost:3000/oauth/callback'],
  name: 'Sandbox demo integration',
};

export class OAuthServer {
  readonly #clients = new Map<string, OAuthClient>();
  readonly #codes = new Map<string, Code>();
  readonly #access = new Map<string, Token>();
  readonly #refresh = new Map<string, Token>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly behaviour: SandboxBehaviour,
  ) {
    this.registerClient(DEMO_OAUTH_CLIENT);
  }

  registerClient(client: Partial<OAuthClient> & { redirectUris: string[] }): OAuthClient {
    const full: OAuthClient = {
      clientId: client.clientId ?? `client-${randomUUID()}`,
      clientSecret: client.clientSecret ?? opaque(),
      name: client.name ?? 'Sandbox integration',
      redirectUris: client.redirectUris,
    };
    this.#clients.set(full.clientId, full);
    return full;
  }

  /**
   * The consent step, auto-approved for the sandbox's demo user: returns where to redirect the browser.
   * Errors about the client or redirect URI are not redirected (RFC 6749 §4.1.2.1).
   */
  authorize(q: Record<string, string | undefined>, companyId: string): string {
    const client = q.client_id ? this.#clients.get(q.client_id) : undefined;
    if (!client) throw new OAuthError(400, 'invalid_client', 'Unknown client_id');
    if (!q.redirect_uri || !client.redirectUris.includes(q.redirect_uri)) {
      throw new OAuthError(400, 'invalid_request', 'redirect_uri does not match a registered redirect URI');
    }
    const redirect = new URL(q.redirect_uri);
    if (q.state !== undefined) redirect.searchParams.set('state', q.state);
    const fail = (error: string, description: string) => {
      redirect.searchParams.set('error', error);
      redirect.searchParams.set('error_description', description);
      return redirect.toString();
    };
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    if (q.code_challenge_method !== 'S256' || !q.code_challenge) {
      return fail('invalid_request', 'PKCE with code_challenge_method=S256 is required');
    }
    const code = opaque();
    this.#codes.set(code, {
      family: {
        id: randomUUID(),
        clientId: client.clientId,
        companyId,
        scope: q.scope ?? '',
        revoked: false,
      },
      redirectUri: q.redirect_uri,
      challenge: q.code_challenge,
      expiresAt: this.clock.now().getTime() + CODE_TTL_MS,
      used: false,
    });
    redirect.searchParams.set('code', code);
    return redirect.toString();
  }

  /** POST /oauth/token: client authentication by Basic header or form parameters. */
  token(form: Record<string, string | undefined>, authorization: string | undefined): TokenResponse {
    const client = this.#authenticateClient(form, authorization);
    switch (form.grant_type) {
      case 'authorization_code':
        return this.#exchangeCode(client, form);
      case 'refresh_token':
        return this.#refreshGrant(client, form);
      default:
        throw new OAuthError(
          400,
          'unsupported_grant_type',
          'grant_type must be authorization_code or refresh_token',
        );
    }
  }

  /** The company and scope an access token acts for, if it is live. */
  principal(accessToken: string): Principal | undefined {
    const token = this.#live(this.#access.get(accessToken));
    if (!token) return undefined;
    return {
      companyId: token.family.companyId,
      authMethod: 'OAUTH',
      clientId: token.family.clientId,
      scope: token.family.scope,
    };
  }

  /** RFC 7662 introspection, with Pleo's subject URN claim. */
  introspect(value: string): Record<string, unknown> {
    const token = this.#live(this.#access.get(value)) ?? this.#live(this.#refresh.get(value));
    if (!token || token.rotated) return { active: false };
    return {
      active: true,
      client_id: token.family.clientId,
      scope: token.family.scope,
      sub: `urn:pleo:company:${token.family.companyId}`,
      iat: Math.floor(token.issuedAt / 1000),
      exp: Math.floor(token.expiresAt / 1000),
      jti: token.family.id,
      'urn:pleo:params:oauth:subject_urn': `urn:pleo:company:${token.family.companyId}`,
    };
  }

  /** Revokes every token the client holds for the company (DELETE /v1/installations/me). */
  revokeAll(clientId: string, companyId: string): void {
    for (const token of [...this.#access.values(), ...this.#refresh.values()]) {
      if (token.family.clientId === clientId && token.family.companyId === companyId)
        token.family.revoked = true;
    }
  }

  #authenticateClient(
    form: Record<string, string | undefined>,
    authorization: string | undefined,
  ): OAuthClient {
    let id = form.client_id;
    let secret = form.client_secret;
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const client = id ? this.#clients.get(id) : undefined;
    if (!client || client.clientSecret !== secret)
      throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
    return client;
  }

  #exchangeCode(client: OAuthClient, form: Record<string, string | undefined>): TokenResponse {
    const code = form.code ? this.#codes.get(form.code) : undefined;
    if (!code || code.family.clientId !== client.clientId || code.expiresAt <= this.clock.now().getTime()) {
      throw new OAuthError(400, 'invalid_grant', 'Authorization code is invalid or expired');
    }
    if (code.used) {
      // A replayed code: revoke what the first exchange issued (RFC 6749 §4.1.2).
      code.family.revoked = true;
      throw new OAuthError(400, 'invalid_grant', 'Authorization code was already used');
    }
    if (form.redirect_uri !== code.redirectUri)
      throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
    const verifier = form.code_verifier ?? '';
    if (
      !VERIFIER.test(verifier) ||
      createHash('sha256').update(verifier).digest('base64url') !== code.challenge
    ) {
      throw new OAuthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    code.used = true;
    return this.#issue(code.family);
  }

  #refreshGrant(client: OAuthClient, form: Record<string, string | undefined>): TokenResponse {
    const token = form.refresh_token ? this.#refresh.get(form.refresh_token) : undefined;
    if (!token || token.family.clientId !== client.clientId)
      throw new OAuthError(400, 'invalid_grant', 'Unknown refresh token');
    if (token.rotated) {
      token.family.revoked = true;
      throw new OAuthError(
        400,
        'invalid_grant',
        'Refresh token was already used; every token of this authorisation is revoked',
      );
    }
    if (!this.#live(token)) throw new OAuthError(400, 'invalid_grant', 'Refresh token expired or revoked');
    token.rotated = true;
    return this.#issue(token.family);
  }

  #issue(family: Family): TokenResponse {
    const now = this.clock.now().getTime();
    const access = opaque();
    const refresh = opaque();
    this.#access.set(access, {
      family,
      issuedAt: now,
      expiresAt: now + this.behaviour.accessTokenTtlSeconds * 1000,
    });
    this.#refresh.set(refresh, { family, issuedAt: now, expiresAt: now + REFRESH_TTL_MS });
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: this.behaviour.accessTokenTtlSeconds,
      refresh_token: refresh,
      scope: family.scope,
    };
  }

  #live(token: Token | undefined): Token | undefined {
    if (!token || token.family.revoked || token.expiresAt <= this.clock.now().getTime()) return undefined;
    return token;
  }
}
