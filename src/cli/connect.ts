// Onboarding one Pleo company: obtain its credential (OAuth authorization code + PKCE through a local
// callback, or an API key), activate it (introspection: it authenticates, belongs to the expected
// company and carries the export scopes), store it encrypted, and record the connection in the
// configuration file. Run again for an existing company to rotate its credential.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/schema';
import { upsertCompanyInConfigFile } from '../config/edit';
import { PleoClient } from '../pleo/client';
import { pleoEndpoints } from '../pleo/config';
import { ApiKeyAuth, type PleoAuth } from '../pleo/auth';
import type { TokenSet } from '../pleo/auth/oauth-app';
import { credentialStoreFor, oauthAppFor, tokenStoreFor } from '../connections/from-config';

export type CredentialSource = { apiKeyEnv: string } | { apiKeyFile: string } | { oauth: true };

export interface ConnectRequest {
  configFile: string;
  credential: CredentialSource;
  /** Expected Pleo company (required for organisation credentials; checked for company credentials). */
  companyId?: string;
  name?: string;
  /** Sections of a new connection (JSON, secrets as { env } / { file } references). */
  accountingSystem?: unknown;
  accounting?: unknown;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Shows the authorisation URL to the person connecting (OAuth): print it, open a browser, or (tests) follow it. */
  authorize(url: string): Promise<void> | void;
  callbackTimeoutMs?: number;
}

export interface ConnectResult {
  companyId: string;
  auth: 'apiKey' | 'oauth';
  config: 'added' | 'updated';
  scopes: string[];
}

const bearer = (accessToken: string): PleoAuth => ({
  authorizationHeader: async () => `Bearer ${accessToken}`,
});

/** Waits for the browser's redirect to `redirectUri` and returns the full callback URL. */
export async function awaitCallback(
  redirectUri: string,
  timeoutMs: number,
  onListening: () => Promise<void> | void,
): Promise<URL> {
  const target = new URL(redirectUri);
  return new Promise<URL>((resolve, reject) => {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', `${target.protocol}//${target.host}`);
      if (url.pathname !== target.pathname) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Pleo is connected. You can close this window.\n');
      finish(() => resolve(url));
    });
    const timer = setTimeout(
      () =>
        finish(() => reject(new Error(`no OAuth callback within ${timeoutMs / 1000} s: run connect again`))),
      timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
      settle();
    };
    server.once('error', (err) =>
      finish(() =>
        reject(new Error(`cannot listen on ${target.host} for the OAuth callback: ${err.message}`)),
      ),
    );
    server.listen(Number(target.port || 80), target.hostname.replace(/^\[|\]$/g, ''), () => {
      void (async () => onListening())().catch((err: Error) => finish(() => reject(err)));
    });
  });
}

async function activate(
  config: AppConfig,
  auth: PleoAuth,
  expectedCompanyId: string | undefined,
  logger: Logger,
) {
  const pleo = new PleoClient({ baseUrl: pleoEndpoints(config.pleo).baseUrl, auth, logger });
  return pleo.installation.activateCredential({ expectedCompanyId });
}

async function connectOAuth(config: AppConfig, request: ConnectRequest) {
  const app = oauthAppFor(config);
  const store = tokenStoreFor(config);
  if (!app || !store)
    throw new Error(
      'OAuth needs pleo.oauth (clientId, clientSecret, redirectUri, tokenEncryptionKey) in the configuration',
    );
  const { url, pending } = await app.authorizationRequest();
  const callback = await awaitCallback(
    config.pleo.oauth!.redirectUri,
    request.callbackTimeoutMs ?? 300_000,
    () => request.authorize(url),
  );
  // State, error and PKCE are checked inside exchangeCode.
  const tokens: TokenSet = await app.exchangeCode(callback, pending);
  const credential = await activate(config, bearer(tokens.accessToken), request.companyId, request.logger);
  if (!tokens.refreshToken)
    throw new Error(
      'Pleo issued no refresh token: the connection could not be kept alive; check the OAuth client settings',
    );
  const record = {
    status: 'connected' as const,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
    scope: tokens.scope,
    updatedAt: new Date().toISOString(),
  };
  await store.exclusive(credential.companyId, () => store.save(credential.companyId, record));
  return credential;
}

function readApiKey(source: CredentialSource, env: NodeJS.ProcessEnv): string {
  if ('apiKeyEnv' in source) {
    const key = env[source.apiKeyEnv];
    if (!key) throw new Error(`environment variable ${source.apiKeyEnv} is not set`);
    return key.trim();
  }
  if ('apiKeyFile' in source) return readFileSync(source.apiKeyFile, 'utf8').trim();
  throw new Error('no API key source');
}

export async function connectCompany(config: AppConfig, request: ConnectRequest): Promise<ConnectResult> {
  const oauth = 'oauth' in request.credential;
  let credential;
  if (oauth) credential = await connectOAuth(config, request);
  else {
    const store = credentialStoreFor(config);
    if (!store)
      throw new Error(
        'storing an API key needs credentials.key (a 32-byte key as { "env": … } or { "file": … }) in the configuration',
      );
    const apiKey = readApiKey(request.credential, request.env);
    credential = await activate(config, new ApiKeyAuth(apiKey), request.companyId, request.logger);
    await store.update(credential.companyId, { apiKey });
  }
  const companyId = credential.companyId;
  const existing = config.companies.find((c) => c.pleoCompanyId === companyId);
  if (!existing && (!request.accountingSystem || !request.accounting)) {
    throw new Error(
      `company ${companyId} is new: give --accounting-system <file> and --accounting <file> for its connection`,
    );
  }
  const entry = {
    pleoCompanyId: companyId,
    ...(request.name ? { name: request.name } : {}),
    pleo: {
      ...(existing ? existingPleo(request.configFile, companyId) : {}),
      auth: oauth ? 'oauth' : 'apiKey',
    },
    ...(request.accountingSystem ? { accountingSystem: request.accountingSystem } : {}),
    ...(request.accounting ? { accounting: request.accounting } : {}),
  };
  const written = upsertCompanyInConfigFile(request.configFile, entry, request.env);
  request.logger.info({ companyId, auth: entry.pleo.auth, config: written }, 'Pleo company connected');
  return { companyId, auth: oauth ? 'oauth' : 'apiKey', config: written, scopes: credential.scopes };
}

/** The raw `pleo` section of a company already in the file (kept as written, references unresolved). */
function existingPleo(file: string, companyId: string): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    companies?: { pleoCompanyId: string; pleo?: Record<string, unknown> }[];
  };
  const { apiKey: _replaced, ...rest } =
    raw.companies?.find((c) => c.pleoCompanyId === companyId)?.pleo ?? {};
  return rest;
}
