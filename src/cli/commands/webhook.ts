// `webhook`: the receiver of Pleo's export-job-created events, until SIGINT/SIGTERM.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { stopSignal } from '../stop-signal';

export function registerWebhook(program: Command, ctx: CliContext): void {
  program
    .command('webhook')
    .description("Run the webhook receiver for Pleo's export-job-created events")
    .action(async () => {
      const config = ctx.config();
      const { webhookSecrets } = await import('../../connections/from-config');
      const { startWebhookReceiver } = await import('../../app/service');
      const secrets = await webhookSecrets(config);
      const receiver = await startWebhookReceiver({
        config,
        client: await ctx.client(),
        webhookSecretFor: (companyId) => secrets.get(companyId),
        logger: ctx.logger,
      });
      ctx.emit(
        { webhookUrl: receiver.webhookUrl, companies: [...secrets.keys()] },
        `webhook receiver on ${receiver.webhookUrl}`,
      );
      ctx.logger.info({ signal: await stopSignal() }, 'webhook receiver stopping');
      await receiver.close();
    });
}
