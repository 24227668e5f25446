// `connect`: onboarding one Pleo company. Obtain its credential (OAuth authorization code + PKCE through
// a local callback, or an API key), activate it (introspection: it authenticates, belongs to the
// expected company and carries the export scopes), store it encrypted, and record the connection in the
// configuration file. Run again for an existing company to rotate its credential. The Pleo client and
// the stores load when the command runs, not for `--help`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/schema';
import { upsertCompanyInConfigFile } from '../../config/edit';
import { pleoEndpoints } from '../../pleo/config';
import type { PleoAuth } from '../../pleo/auth';
import type { TokenSet } from '../../pleo/auth/oauth-app';
import type { CliContext } from '../context';
import { awaitCallback } from '../oauth-callback';

const readJson = (file: string | undefined): unknown =>
  file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;

export function registerConnect(program: Command, ctx: CliContext): void {
  program
    .command('connect')
    .description(
      'Connect a Pleo company (OAuth or API key) to an accounting-system company; run again to rotate its credential',
    )
    .option(
      '--oauth',
      'authorise in the browser (authorization code + PKCE, local callback on pleo.oauth.redirectUri)',
    )
    .option('--api-key-env <NAME>', 'read the Pleo API key from this environment variable')
    .option('--api-key-file <path>', 'read the Pleo API key from this file')
    .option('--company <id>', 'the Pleo company (required for organisation credentials)')
    .option('--name <name>', "the company's name in logs and messages")
    .option('--accounting-system <file>', 'JSON: the accounting-system section of a new connection')
    .option('--accounting <file>', 'JSON: the account mapping and policies of a new connection')
    .action(
      async (o: {
        oauth?: boolean;
        apiKeyEnv?: string;
        apiKeyFile?: string;
        company?: string;
        name?: string;
        accountingSystem?: string;
        accounting?: string;
      }) => {
        const sources = [o.oauth, o.apiKeyEnv, o.apiKeyFile].filter(Boolean).length;
        if (sources !== 1)
          throw new Error('choose one of --oauth, --api-key-env <NAME>, --api-key-file <path>');
        const configFile = ctx.configFile;
        if (!configFile)
          throw new Error(
            'connect records the connection in the configuration file: give --config <file> or PLEO_EXPORT_CONFIG',
          );
        const credential: CredentialSource = o.oauth
          ? { oauth: true }
          : o.apiKeyEnv
            ? { apiKeyEnv: o.apiKeyEnv }
            : { apiKeyFile: o.apiKeyFile! };
        const result = await connectCompany(ctx.config(), {
          configFile,
          credential,
          companyId: o.company,
          name: o.name,
          accountingSystem: readJson(o.accountingSystem),
          accounting: readJson(o.accounting),
          env: ctx.io.env,
          logger: ctx.logger,
          authorize: (url) => {
            ctx.io.stderr.write(
              `Open this URL and approve the integration for your Pleo company:\n\n  ${url}\n\n`,
            );
          },
        });
        ctx.emit(
          result,
          `connected Pleo company ${result.companyId} (${result.auth}); configuration ${result.config}: next, \`pleo-export check-config\``,
        );
      },
    );
}

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

async function activate(
  config: AppConfig,
  auth: PleoAuth,
  expectedCompanyId: string | undefined,
  logger: Logger,
) {
  const { PleoClient } = await import('../../pleo/client');
  const pleo = new PleoClient({ baseUrl: pleoEndpoints(config.pleo).baseUrl, auth, logger });
  return pleo.installation.activateCredential({ expectedCompanyId });
}

async function connectOAuth(config: AppConfig, request: ConnectRequest) {
  const { oauthAppFor, tokenStoreFor } = await import('../../connections/from-config');
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
    const { credentialStoreFor } = await import('../../connections/from-config');
    const { ApiKeyAuth } = await import('../../pleo/auth');
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
