// Xero OAuth 2.0 for one organisation: authorization code + PKCE, 30-minute access tokens and refresh
// tokens that rotate on every use, kept encrypted at rest. The protocol and the rotation discipline
// (one refresh at a time across processes, new tokens persisted before use, a refused refresh marks
// the connection for reconnecting) are the ones the Pleo connection already uses, pointed at Xero.
import { FileTokenStore, OAuthAuth, PleoOAuthApp } from '../../pleo/auth';
import type { XeroConfig } from '../config';

/** Read and write transactions, settings (accounts, tax rates, tracking), contacts, attachments; offline_access for refresh tokens. */
export const XERO_SCOPES = [
  'openid',
  'offline_access',
  'accounting.transactions',
  'accounting.settings.read',
  'accounting.contacts.read',
  'accounting.attachments',
] as const;

export const xeroConnectionId = (tenantId: string): string => `xero-${tenantId}`;

export function xeroOAuthApp(config: XeroConfig): PleoOAuthApp {
  return new PleoOAuthApp({
    authBaseUrl: config.identityUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    scopes: XERO_SCOPES,
    endpoints: {
      authorization: `${config.loginUrl.replace(/\/+$/, '')}/identity/connect/authorize`,
      token: `${config.identityUrl.replace(/\/+$/, '')}/connect/token`,
    },
    timeoutMs: config.timeoutMs,
  });
}

export function xeroTokenStore(config: XeroConfig): FileTokenStore {
  return new FileTokenStore({ dir: config.tokenDir, key: config.tokenEncryptionKey });
}

export function xeroAuth(config: XeroConfig): OAuthAuth {
  return new OAuthAuth({
    app: xeroOAuthApp(config),
    store: xeroTokenStore(config),
    connectionId: xeroConnectionId(config.tenantId ?? ''),
  });
}
