// `webhooks subscribe`: subscribes the webhook receiver to Pleo's export-job-created events for each
// company and stores the signing secret, so `pleo-export webhook` verifies the deliveries.
import type { Command } from 'commander';
import { companyLabel } from '../../config/load';
import { pleoEndpoints } from '../../pleo/config';
import type { CliContext } from '../context';

export function registerWebhooks(program: Command, ctx: CliContext): void {
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
