// `connect` and `webhooks subscribe`: onboarding a Pleo company with the CLI alone.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CredentialSource } from '../connect';
import { companyLabel } from '../../config/load';
import { pleoEndpoints } from '../../pleo/config';
import type { CliContext } from '../context';

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
        const { connectCompany } = await import('../connect');
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

  program
    .command('webhooks')
    .description("Pleo's export-job-created webhook subscriptions")
    .command('subscribe')
    .description('Subscribe the webhook receiver at --url and store the signing secret (idempotent)')
    .requiredOption('--url <url>', 'the public URL of `pleo-export webhook` (…/webhooks/pleo)')
    .option('--company <id>', 'Pleo company id')
    .option('--all', 'every configured company')
    .action(async (o: { url: string; company?: string; all?: boolean }) => {
      const config = ctx.config();
      const { credentialStoreFor, pleoAuthFor } = await import('../../connections/from-config');
      const { PleoClient } = await import('../../pleo/client');
      const store = credentialStoreFor(config);
      if (!store) throw new Error('storing the signing secret needs credentials.key in the configuration');
      const companies = config.companies.filter((c) => o.all || c.pleoCompanyId === o.company);
      if (companies.length === 0)
        throw new Error(
          o.all
            ? 'no companies configured'
            : `company ${o.company ?? '(none given)'} is not configured: use --company <id> or --all`,
        );
      const results = [];
      for (const company of companies) {
        const pleo = new PleoClient({
          baseUrl: pleoEndpoints(config.pleo).baseUrl,
          auth: await pleoAuthFor(config, company),
          logger: ctx.logger,
        });
        const subscription = await pleo.subscriptions.ensureExportJobSubscription(o.url);
        await store.update(company.pleoCompanyId, {
          webhookSecret: await pleo.subscriptions.getSecret(subscription.id),
          webhookSubscriptionId: subscription.id,
        });
        results.push({ companyId: company.pleoCompanyId, subscriptionId: subscription.id, url: o.url });
      }
      ctx.emit(
        results,
        results.map(
          (r, i) =>
            `${companyLabel(companies[i]!.name, r.companyId)}: subscription ${r.subscriptionId} → ${r.url} (secret stored; restart \`pleo-export webhook\`)`,
        ),
      );
    });
}
