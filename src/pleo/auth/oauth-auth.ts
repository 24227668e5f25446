// Bearer authentication for one OAuth connection (one Pleo company). Pleo rotates refresh tokens and
// treats a reused one as theft (every token of the authorisation is revoked), so:
//   - one refresh at a time per connection: in this process (single-flight promise) and across
//     processes (the store's exclusive lock); later callers wait and use the new token;
//   - the rotated tokens are persisted before the new access token is used;
//   - a refused refresh (invalid_grant) is written to the store as "reconnect required" and raised as
//     ReconnectRequiredError; it is never retried.
import type { PleoAuth } from './pleo-auth';
import type { PendingAuthorization, PleoOAuthApp, TokenSet } from './oauth-app';
import type { StoredConnection, TokenStore } from './token-store';
import { ReconnectRequiredError } from '../errors';

type Connected = Extract<StoredConnection, { status: 'connected' }>;

export interface OAuthAuthOptions {
  app: PleoOAuthApp;
  store: TokenStore;
  /** The connection's key in the store; the Pleo company id. */
  connectionId: string;
  /** Refresh this long before the access token expires, so requests do not race its expiry. */
  refreshSkewMs?: number;
  now?: () => number;
}

export class OAuthAuth implements PleoAuth {
  readonly #options: Required<OAuthAuthOptions>;
  #current?: Connected;
  #refreshing?: Promise<Connected>;

  constructor(options: OAuthAuthOptions) {
    this.#options = { refreshSkewMs: 60_000, now: Date.now, ...options };
  }

  get connectionId(): string {
    return this.#options.connectionId;
  }

  async authorizationHeader(): Promise<string> {
    let tokens = this.#current ?? (this.#current = await this.#loadConnected());
    if (this.#expiresSoon(tokens)) tokens = await this.#refresh(tokens.accessToken);
    return bearer(tokens.accessToken);
  }

  async onUnauthorized(rejectedHeader: string): Promise<boolean> {
    const current = this.#current ?? (await this.#loadConnected());
    await this.#refresh(bearer(current.accessToken) === rejectedHeader ? current.accessToken : undefined);
    return true;
  }

  /** Single-flight: concurrent callers share one refresh. */
  #refresh(staleAccessToken: string | undefined): Promise<Connected> {
    this.#refreshing ??= this.#refreshExclusively(staleAccessToken).finally(
      () => (this.#refreshing = undefined),
    );
    return this.#refreshing;
  }

  async #refreshExclusively(staleAccessToken: string | undefined): Promise<Connected> {
    const { store, connectionId, app } = this.#options;
    return store.exclusive(connectionId, async () => {
      const stored = await this.#loadConnected();
      // Another process (or an earlier refresh) already rotated: use its tokens rather than spend a
      // refresh token that is no longer the newest (which Pleo would treat as reuse).
      if (stored.accessToken !== staleAccessToken && !this.#expiresSoon(stored))
        return (this.#current = stored);
      let tokens: TokenSet;
      try {
        tokens = await app.refresh(stored.refreshToken, connectionId);
      } catch (err) {
        if (err instanceof ReconnectRequiredError) {
          await store.save(connectionId, {
            status: 'reconnect_required',
            reason: err.message,
            updatedAt: this.#isoNow(),
          });
          this.#current = undefined;
        }
        throw err;
      }
      const next = this.#toStored(tokens, stored.refreshToken);
      await store.save(connectionId, next); // persisted before anyone uses the new access token
      return (this.#current = next);
    });
  }

  async #loadConnected(): Promise<Connected> {
    const { store, connectionId } = this.#options;
    const stored = await store.load(connectionId);
    if (!stored)
      throw new ReconnectRequiredError(connectionId, 'no OAuth tokens are stored for it (never connected)');
    if (stored.status === 'reconnect_required') {
      this.#current = undefined;
      throw new ReconnectRequiredError(connectionId, `it was disconnected at ${stored.updatedAt}`);
    }
    return stored;
  }

  #expiresSoon(tokens: Connected): boolean {
    return tokens.expiresAt - this.#options.refreshSkewMs <= this.#options.now();
  }

  #toStored(tokens: TokenSet, previousRefreshToken?: string): Connected {
    const refreshToken = tokens.refreshToken ?? previousRefreshToken;
    if (!refreshToken)
      throw new ReconnectRequiredError(this.#options.connectionId, 'Pleo issued no refresh token');
    return {
      status: 'connected',
      accessToken: tokens.accessToken,
      refreshToken,
      expiresAt: this.#options.now() + tokens.expiresIn * 1000,
      scope: tokens.scope,
      updatedAt: this.#isoNow(),
    };
  }

  #isoNow(): string {
    return new Date(this.#options.now()).toISOString();
  }

  /** Stores the tokens of a completed OAuth connect (authorisation code + PKCE) for this connection. */
  async completeConnect(callbackUrl: string | URL, pending: PendingAuthorization): Promise<void> {
    const { store, connectionId, app } = this.#options;
    const tokens = await app.exchangeCode(callbackUrl, pending);
    const stored = this.#toStored(tokens);
    await store.exclusive(connectionId, () => store.save(connectionId, stored));
    this.#current = stored;
  }

  toJSON(): string {
    return `[OAuthAuth ${this.#options.connectionId}]`;
  }
}

function bearer(accessToken: string): string {
  return `Bearer ${accessToken}`;
}
