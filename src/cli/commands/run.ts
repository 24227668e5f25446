// Long-running processes: `start` (the demo), `worker`, `webhook`, `codec-server`, `sandbox`. Each runs
// until SIGINT/SIGTERM and then stops gracefully.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BUNDLE_PATH } from '../../worker/build-bundle';
import type { CliContext } from '../context';

const stopSignal = (): Promise<string> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description(
      'The demo on embedded defaults: Temporal dev server + Web UI, Pleo sandbox, worker, ledger (same as npm start)',
    )
    .option('--exit', 'stop after the summary')
    .action(async () => {
      // start.ts reads --exit from argv and runs until Ctrl-C.
      await import('../start');
    });

  program
    .command('worker')
    .description('Run an export worker for every configured company (scale out by running more)')
    .option('--bundle <path>', 'pre-built workflow bundle (npm run build:workflows)', DEFAULT_BUNDLE_PATH)
    .action(async (o: { bundle: string }) => {
      const config = ctx.config();
      const { runWorkerProcess } = await import('../../worker/run');
      const { connectionsFromConfig } = await import('../../connections/from-config');
      const { createDataConverter } = await import('../../codec');
      await runWorkerProcess({
        temporal: config.temporal,
        worker: config.worker,
        connections: connectionsFromConfig(config, ctx.logger),
        logger: ctx.logger,
        workDir: join(config.dataDir, 'receipts-in-transit'),
        bundlePath: existsSync(o.bundle) ? o.bundle : undefined,
        dataConverter: createDataConverter(config.codec),
      });
    });

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

  program
    .command('codec-server')
    .description(
      'Serve /encode and /decode for the Temporal Web UI (temporal server start-dev --ui-codec-endpoint <url>)',
    )
    .action(async () => {
      const { codec } = ctx.config();
      if (!codec?.server)
        throw new Error(
          'codec.keys and codec.server (token, port) must be configured to run the codec server',
        );
      const { createCodecServer } = await import('../../codec/server');
      const { EncryptionCodec, keyRingFrom } = await import('../../codec');
      const server = createCodecServer({
        codec: new EncryptionCodec(keyRingFrom(codec)),
        token: codec.server.token,
        corsOrigins: codec.server.corsOrigins,
        logger: ctx.logger,
      });
      const url = await server.listen({ host: codec.server.host, port: codec.server.port });
      ctx.emit(
        { url, corsOrigins: codec.server.corsOrigins },
        `codec server on ${url} (Web UI: --ui-codec-endpoint ${url})`,
      );
      await stopSignal();
      await server.close();
    });

  program
    .command('sandbox')
    .description("Run the local stand-in for Pleo's API, seeded with demo export jobs (npm run sandbox)")
    .helpOption(false)
    .allowUnknownOption()
    .argument('[options...]', 'the options of `npm run sandbox -- --help` (--seed, --port, --host, --fault)')
    .action(async (options: string[]) => {
      const { main } = await import('../../sandbox/cli');
      await main([process.argv0, 'sandbox', ...options]);
    });
}
