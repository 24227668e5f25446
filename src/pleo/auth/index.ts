// How requests to Pleo are authenticated: an API key or an OAuth 2 connection (pleo-auth.ts says what
// every kind of authentication provides).
import type { PleoAuth } from './pleo-auth';

export type { PleoAuth };

/** Pleo API keys: HTTP Basic with the key as the user name and an empty password. */
export class ApiKeyAuth implements PleoAuth {
  readonly #header: string;
  constructor(apiKey: string) {
    if (!apiKey) throw new Error('Pleo API key is empty');
    this.#header = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  }
  async authorizationHeader(): Promise<string> {
    return this.#header;
  }
  toJSON(): string {
    return '[ApiKeyAuth]';
  }
}

export { OAuthAuth } from './oauth-auth';
export { PleoOAuthApp, type PendingAuthorization } from './oauth-app';
export { FileTokenStore, type TokenStore, type StoredConnection } from './token-store';
