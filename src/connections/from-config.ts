// The connection registry of a configured deployment: one connection per configured company, built on
// first use from its configuration and its stored credentials.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig, CompanyConfig } from '../config/schema';
import { companyLabel } from '../config/load';
import { PleoClient } from '../pleo/client';
import { pleoEndpoints } from '../pleo/config';
import { ApiKeyAuth, OAuthAuth, type PleoAuth, type PleoOAuthApp, type TokenStore } from '../pleo/auth';
import { createPleoOAuthApp, createTokenStore } from '../pleo/connect';
import { createAccountingSystem } from '../accounting-systems/registry';
import { DEFAULT_RECEIPT_POLICY, type ReceiptPolicy } from '../receipts';
import { fingerprintedKey, KeyRing } from '../codec/aes';
import { CredentialStore } from './credential-store';
import { createConnectionRegistry, type CompanyConnection, type ConnectionRegistry } from './index';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function credentialStoreFor(config: AppConfig): CredentialStore | undefined {
  if (!config.credentials) return undefined;
  return new CredentialStore(credentialsDir(config), new KeyRing([fingerprintedKey(config.credentials.key)]));
}

export const credentialsDir = (config: AppConfig): string =>
  config.credentials?.dir ?? join(config.dataDir, 'credentials');

export function oauthAppFor(config: AppConfig): PleoOAuthApp | undefined {
  return config.pleo.oauth ? createPleoOAuthApp(config.pleo) : undefined;
}

export function tokenStoreFor(config: AppConfig): TokenStore | undefined {
  return config.pleo.oauth ? createTokenStore(config.pleo) : undefined;
}

/** The company's Pleo authentication: the configured API key, the stored one, or its OAuth tokens. */
export async function pleoAuthFor(config: AppConfig, company: CompanyConfig): Promise<PleoAuth> {
  const label = companyLabel(company.name, company.pleoCompanyId);
  if (company.pleo.auth === 'oauth') {
    const app = oauthAppFor(config);
    const store = tokenStoreFor(config);
    if (!app || !store)
      throw new Error(`${label}: pleo.auth is "oauth" but pleo.oauth (the OAuth client) is not configured`);
    return new OAuthAuth({ app, store, connectionId: company.pleoCompanyId });
  }
  const apiKey =
    company.pleo.apiKey ??
    config.pleo.apiKeys[company.pleoCompanyId] ??
    (await credentialStoreFor(config)?.load(company.pleoCompanyId))?.apiKey;
  if (!apiKey) {
    throw new Error(
      `${label}: no Pleo API key: set pleo.apiKey to { "env": "NAME" } or run \`pleo-export connect --company ${company.pleoCompanyId} --api-key-env NAME\``,
    );
  }
  return new ApiKeyAuth(apiKey);
}

/** The configured Pleo host and any extra receipt hosts; plain http only for loopback (the sandbox). */
export function receiptPolicyFor(config: AppConfig, company: CompanyConfig): ReceiptPolicy {
  const hosts = [new URL(pleoEndpoints(config.pleo).baseUrl).host, ...company.pleo.receiptHosts];
  return {
    ...DEFAULT_RECEIPT_POLICY,
    onFailure: company.accounting.attachmentPolicy,
    allowedHosts: hosts,
    allowInsecureHosts: hosts.filter((h) => LOOPBACK.has(h.replace(/:\d+$/, ''))),
  };
}

export function connectionsFromConfig(config: AppConfig, logger: Logger): ConnectionRegistry {
  const factory = (company: CompanyConfig) => async (): Promise<CompanyConnection> => {
    const log = logger.child({ companyId: company.pleoCompanyId });
    return {
      companyId: company.pleoCompanyId,
      pleo: new PleoClient({
        baseUrl: pleoEndpoints(config.pleo).baseUrl,
        auth: await pleoAuthFor(config, company),
        logger: log,
      }),
      accountingSystem: await createAccountingSystem(company.accountingSystem, { logger: log }),
      accounting: company.accounting,
      receipts: receiptPolicyFor(config, company),
    };
  };
  return createConnectionRegistry(new Map(config.companies.map((c) => [c.pleoCompanyId, factory(c)])));
}

/** The webhook signing secret of each company: configured, else stored by `webhooks subscribe`. */
export async function webhookSecrets(config: AppConfig): Promise<Map<string, string>> {
  const store = credentialStoreFor(config);
  const secrets = new Map<string, string>();
  for (const company of config.companies) {
    const secret = company.pleo.webhookSecret ?? (await store?.load(company.pleoCompanyId))?.webhookSecret;
    if (secret) secrets.set(company.pleoCompanyId, secret);
  }
  return secrets;
}
