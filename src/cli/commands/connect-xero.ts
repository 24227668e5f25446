// `connect xero`: connects a configured company's Xero organisation. The browser signs in to Xero
// (authorization code + PKCE through a local callback), the organisation is chosen from the token's
// /connections (by --tenant id or name, or the only one), the tokens are stored encrypted for that
// organisation, and its tenant id is written into the company's accountingSystem section.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/schema';
import { upsertCompanyInConfigFile } from '../../config/edit';
import { xeroConfigSchema } from '../../accounting-systems/config';
import type { CliContext } from '../context';
import { awaitCallback } from '../oauth-callback';

export function registerConnectXero(connect: Command, ctx: CliContext): void {
  connect
    .command('xero')
    .description(
      'Sign in to Xero for a configured company and choose its organisation (stores the tokens encrypted)',
    )
    .option('--company <id>', 'the Pleo company whose accountingSystem is Xero')
    .option('--tenant <id-or-name>', 'the Xero organisation, when the sign-in grants several')
    .action(async (_o: unknown, command: Command) => {
      // `--company` is also an option of `connect` itself, which parses it first.
      const o = command.optsWithGlobals<{ company?: string; tenant?: string }>();
      if (!o.company) throw new Error('give --company <Pleo company id>');
      const configFile = ctx.configFile;
      if (!configFile)
        throw new Error(
          'connect xero records the organisation in the configuration file: give --config <file>',
        );
      const result = await connectXero(ctx.config(), {
        configFile,
        companyId: o.company,
        tenant: o.tenant,
        env: ctx.io.env,
        logger: ctx.logger,
        authorize: (url) => {
          ctx.io.stderr.write(
            `Open this URL, sign in to Xero and allow access to the organisation:\n\n  ${url}\n\n`,
          );
        },
      });
      ctx.emit(
        result,
        `connected Xero organisation ${result.tenantName} (${result.tenantId}) for company ${result.companyId}`,
      );
    });
}

export interface ConnectXeroRequest {
  configFile: string;
  companyId: string;
  /** Tenant id or organisation name; needed when the sign-in grants more than one organisation. */
  tenant?: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  authorize(url: string): Promise<void> | void;
  callbackTimeoutMs?: number;
}

export interface ConnectXeroResult {
  companyId: string;
  tenantId: string;
  tenantName: string;
  config: 'added' | 'updated';
}

interface Connection {
  tenantId: string;
  tenantName: string;
  tenantType: string;
}

export async function connectXero(
  config: AppConfig,
  request: ConnectXeroRequest,
): Promise<ConnectXeroResult> {
  const company = config.companies.find((c) => c.pleoCompanyId === request.companyId);
  if (!company)
    throw new Error(`company ${request.companyId} is not configured: connect it first (pleo-export connect)`);
  const parsed = xeroConfigSchema.safeParse(company.accountingSystem);
  if (!parsed.success)
    throw new Error(
      `company ${request.companyId} does not book into Xero: its accountingSystem.type must be "xero"`,
    );
  const xero = parsed.data;
  // Loaded when the command runs: the OAuth client and token store are not needed for `--help`.
  const { xeroConnectionId, xeroOAuthApp, xeroTokenStore } =
    await import('../../accounting-systems/xero/auth');
  const app = xeroOAuthApp(xero);
  const { url, pending } = await app.authorizationRequest();
  const callback = await awaitCallback(xero.redirectUri, request.callbackTimeoutMs ?? 300_000, () =>
    request.authorize(url),
  );
  const tokens = await app.exchangeCode(callback, pending);
  if (!tokens.refreshToken)
    throw new Error(
      'Xero issued no refresh token: the offline_access scope is needed to keep the connection alive',
    );
  const response = await fetch(`${xero.apiUrl.replace(/\/+$/, '')}/connections`, {
    headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(xero.timeoutMs),
  });
  if (!response.ok) throw new Error(`Xero /connections answered ${response.status}`);
  const organisations = ((await response.json()) as Connection[]).filter(
    (c) => c.tenantType === 'ORGANISATION',
  );
  const chosen = request.tenant
    ? organisations.filter((c) => c.tenantId === request.tenant || c.tenantName === request.tenant)
    : organisations;
  if (chosen.length !== 1)
    throw new Error(
      `${chosen.length ? 'several' : 'no'} Xero organisations match${request.tenant ? ` "${request.tenant}"` : ''}: ` +
        `${organisations.map((o) => `${o.tenantName} (${o.tenantId})`).join(', ') || 'none granted'}; choose one with --tenant`,
    );
  const tenant = chosen[0]!;
  const store = xeroTokenStore(xero);
  const connectionId = xeroConnectionId(tenant.tenantId);
  await store.exclusive(connectionId, () =>
    store.save(connectionId, {
      status: 'connected',
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken!,
      expiresAt: Date.now() + tokens.expiresIn * 1000,
      scope: tokens.scope,
      updatedAt: new Date().toISOString(),
    }),
  );
  // The section as written in the file (secret references unresolved), with the chosen organisation.
  const raw = JSON.parse(readFileSync(request.configFile, 'utf8')) as {
    companies?: { pleoCompanyId: string; accountingSystem?: Record<string, unknown> }[];
  };
  const section = raw.companies?.find((c) => c.pleoCompanyId === request.companyId)?.accountingSystem ?? {};
  const written = upsertCompanyInConfigFile(
    request.configFile,
    { pleoCompanyId: request.companyId, accountingSystem: { ...section, tenantId: tenant.tenantId } },
    request.env,
  );
  request.logger.info(
    { companyId: request.companyId, tenantId: tenant.tenantId },
    'Xero organisation connected',
  );
  return {
    companyId: request.companyId,
    tenantId: tenant.tenantId,
    tenantName: tenant.tenantName,
    config: written,
  };
}
