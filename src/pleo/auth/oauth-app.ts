// The integration as an OAuth 2.0 client of Pleo's authorisation server: the authorisation URL
// (PKCE S256 + state), the code exchange and the refresh-token grant. Protocol details (PKCE, state
// and response checks, client authentication) are oauth4webapi's, a maintained, spec-conformant
// library, rather than hand-written token code. Errors are classified by errors.ts; oauth4webapi's own
// errors (which hold the raw response) never escape.
import * as oauth from 'oauth4webapi';
import { authorizationRejected, classifyTokenError, malformedResponse, networkError } from '../errors';

export const PLEO_AUTH_BASE_URLS = {
  production: 'https://auth.pleo.io',
  staging: 'https://auth.staging.pleo.io',
} as const;

/** The Level 1 export scopes (Pleo's docs: export-jobs:read, export-jobs:write, export-items:read). */
export const EXPORT_SCOPES = ['export-jobs:read', 'export-jobs:write', 'export-items:read'] as const;

export interface PleoOAuthAppOptions {
  /** `https://auth.pleo.io`, `https://auth.staging.pleo.io`, or the sandbox's base URL. */
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Must equal a redirect URI registered with Pleo, character for character. */
  redirectUri: string;
  scopes: readonly string[];
  timeoutMs?: number;
  /** Another authorisation server's endpoints (Xero's), when they are not Pleo's paths on `authBaseUrl`. */
  endpoints?: { authorization: string; token: string };
}

/** What the caller keeps server-side (e.g. in the user's session) between redirect and callback. */
export interface PendingAuthorization {
  state: string;
  codeVerifier: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Seconds the access token is valid from now. */
  expiresIn: number;
  scope?: string;
}

/**
 * HTTP Basic client authentication exactly as Pleo documents it: `Basic BASE64(client_id:client_secret)`.
 * oauth4webapi's ClientSecretBasic form-encodes both first (RFC 6749 §2.3.1), turning even `-`, `_` and `.`
 * into `%2D`…; a server that does not decode (Pleo's docs show no decoding) would then refuse ids such as
 * UUIDs. Plain values are also what an RFC-conformant server decodes unchanged, as long as they hold no
 * `%`, `+` or `:`, which typical generated ids and secrets do not.
 */
function pleoClientBasic(clientId: string, clientSecret: string): oauth.ClientAuth {
  const header = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  return (_as, _client, _body, headers) => headers.set('authorization', header);
}

export class PleoOAuthApp {
  readonly #as: oauth.AuthorizationServer;
  readonly #client: oauth.Client;
  readonly #clientAuth: oauth.ClientAuth;
  readonly #options: PleoOAuthAppOptions;
  readonly #insecure: boolean;

  constructor(options: PleoOAuthAppOptions) {
    const base = options.authBaseUrl.replace(/\/$/, '');
    const url = new URL(base);
    // Plain HTTP only for the local sandbox on loopback; Pleo itself is https only.
    this.#insecure = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    this.#as = {
      issuer: base,
      authorization_endpoint: options.endpoints?.authorization ?? `${base}/oauth/authorize`,
      token_endpoint: options.endpoints?.token ?? `${base}/oauth/token`,
    };
    this.#client = { client_id: options.clientId };
    this.#clientAuth = pleoClientBasic(options.clientId, options.clientSecret);
    this.#options = options;
  }

  /** The URL to send the user's browser to, and the state + verifier to keep until the callback. */
  async authorizationRequest(): Promise<{ url: string; pending: PendingAuthorization }> {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(this.#as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: this.#options.clientId,
      redirect_uri: this.#options.redirectUri,
      response_type: 'code',
      scope: this.#options.scopes.join(' '),
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), pending: { state, codeVerifier } };
  }

  /** Checks the callback (state, error) and exchanges the code, server to server, with the PKCE verifier. */
  async exchangeCode(callbackUrl: string | URL, pending: PendingAuthorization): Promise<TokenSet> {
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(this.#as, this.#client, new URL(callbackUrl), pending.state);
    } catch (err) {
      const reason =
        err instanceof oauth.AuthorizationResponseError
          ? `Pleo refused the authorisation (${err.error})`
          : 'the callback does not carry the expected state and code';
      throw authorizationRejected(reason);
    }
    return this.#grant('authorization_code', () =>
      oauth.authorizationCodeGrantRequest(
        this.#as,
        this.#client,
        this.#clientAuth,
        params,
        this.#options.redirectUri,
        pending.codeVerifier,
        this.#requestOptions(),
      ),
    );
  }

  /** One refresh-token grant. Pleo rotates: the answer carries a new refresh token replacing this one. */
  async refresh(refreshToken: string, connectionId: string): Promise<TokenSet> {
    return this.#grant(
      'refresh_token',
      () =>
        oauth.refreshTokenGrantRequest(
          this.#as,
          this.#client,
          this.#clientAuth,
          refreshToken,
          this.#requestOptions(),
        ),
      connectionId,
    );
  }

  async #grant(
    grant: 'authorization_code' | 'refresh_token',
    send: () => Promise<Response>,
    connectionId = '(new)',
  ): Promise<TokenSet> {
    const endpoint = 'POST /oauth/token';
    let response: Response;
    try {
      response = await send();
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      throw networkError(endpoint, { code: (err as { cause?: { code?: string } }).cause?.code }, timedOut);
    }
    const retryAfter = response.headers.get('retry-after') ?? undefined;
    let tokens: oauth.TokenEndpointResponse;
    try {
      tokens =
        grant === 'authorization_code'
          ? await oauth.processAuthorizationCodeResponse(this.#as, this.#client, response)
          : await oauth.processRefreshTokenResponse(this.#as, this.#client, response);
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError) {
        throw classifyTokenError({ connectionId, grant, status: err.status, error: err.error, retryAfter });
      }
      if (!response.ok)
        throw classifyTokenError({ connectionId, grant, status: response.status, retryAfter });
      throw malformedResponse(endpoint, response.status, [
        { path: '', message: 'not an OAuth token response' },
      ]);
    }
    if (tokens.token_type !== 'bearer') {
      throw malformedResponse(endpoint, response.status, [
        { path: 'token_type', message: `"${tokens.token_type}" where only bearer is supported` },
      ]);
    }
    return {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      // Pleo documents 15-minute access tokens but says to trust expires_in; assume the short lifetime when absent.
      expiresIn: tokens.expires_in ?? 900,
      scope: tokens.scope,
    };
  }

  #requestOptions(): oauth.TokenEndpointRequestOptions {
    return {
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
      ...(this.#insecure ? { [oauth.allowInsecureRequests]: true } : {}),
    };
  }

  toJSON(): string {
    return '[PleoOAuthApp]';
  }
}
