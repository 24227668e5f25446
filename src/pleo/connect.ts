// Builds the Pleo client of one company from the configuration: its API key when one is configured,
// else its OAuth connection (tokens in the encrypted token store).
import type { Logger } from 'pino';
import { ApiKeyAuth, FileTokenStore, OAuthAuth, PleoOAuthApp, type PleoAuth, type TokenStore } from './auth';
import { PleoClient } from './client';
import { pleoEndpoints, type PleoConfig } from './config';

export function createPleoOAuthApp(config: PleoConfig): PleoOAuthApp {
  if (!config.oauth)
    throw new Error(
      'pleo.oauth is not configured: set clientId, clientSecret, redirectUri and tokenEncryptionKey',
    );
  const { clientId, clientSecret, redirectUri, scopes } = config.oauth;
  return new PleoOAuthApp({
    authBaseUrl: pleoEndpoints(config).authBaseUrl,
    clientId,
    clientSecret,
    redirectUri,
    scopes,
    timeoutMs: config.timeoutMs,
  });
}

export function createTokenStore(config: PleoConfig): TokenStore {
  if (!config.oauth) throw new Error('pleo.oauth is not configured');
  return new FileTokenStore({ dir: config.oauth.tokenDir, key: config.oauth.tokenEncryptionKey });
}

export function createPleoAuth(config: PleoConfig, companyId: string, store?: TokenStore): PleoAuth {
  const apiKey = config.apiKeys[companyId];
  if (apiKey) return new ApiKeyAuth(apiKey);
  if (config.oauth) {
    return new OAuthAuth({
      app: createPleoOAuthApp(config),
      store: store ?? createTokenStore(config),
      connectionId: companyId,
    });
  }
  throw new Error(
    `No Pleo credential for company ${companyId}: add pleo.apiKeys["${companyId}"] or configure pleo.oauth and connect it`,
  );
}

export function createPleoClient(
  config: PleoConfig,
  companyId: string,
  options: { logger?: Logger; store?: TokenStore } = {},
): PleoClient {
  return new PleoClient({
    baseUrl: pleoEndpoints(config).baseUrl,
    auth: createPleoAuth(config, companyId, options.store),
    timeoutMs: config.timeoutMs,
    logger: options.logger,
  });
}
