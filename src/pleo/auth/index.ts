// How requests to Pleo are authenticated. Credentials live only inside these objects: they are never
// part of errors, logs, toJSON or workflow inputs.
export interface PleoAuth {
  /** The value of the Authorization header for the next request. */
  authorizationHeader(): Promise<string>;
  /**
   * Called after a 401 for the header that was rejected, so a token-based auth can refresh once before
   * the request is retried. Resolves true when retrying makes sense.
   */
  onUnauthorized?(rejectedHeader: string): Promise<boolean>;
}

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
