// Long-running processes: `start` (the demo), `worker`, `webhook`, `codec-server`, `sandbox`. Each runs
// until SIGINT/SIGTERM and then stops gracefully.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BUNDLE_PATH } from '../../worker/build-bundle';
import type { CliContext, GlobalOptions } from '../context';
import type { AppConfig } from '../../config/schema';

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
    .option('--ui-only', 'only reopen the Web UI on the persisted database (same as `pleo-export ui`)')
    .action(async (o: { exit?: boolean; uiOnly?: boolean }) => {
      const { runStart } = await import('../start');
      ctx.exitCode = await runStart({ ...o, ...startOptions(program) });
    });

  program
    .command('ui')
    .description("Reopen the Temporal Web UI on the dev server's persisted database, exporting nothing")
    .option('--exit', 'print the links and stop')
    .action(async (o: { exit?: boolean }) => {
      const { runStart } = await import('../start');
      ctx.exitCode = await runStart({ ...o, uiOnly: true, ...startOptions(program) });
    });

  program
    .command('books')
    .description('Serve a ledger in fava (default: the demo ledger npm start writes)')
    .option('--company <pleoCompanyId>', "a configured company's ledger instead of the demo's")
    .option('--port <port>', 'port to serve on (default: books.port in the configuration, 5000)')
    .action(async (o: { company?: string; port?: string }) => {
      const config = ctx.config();
      const { startFava } = await import('../../app/books');
      const books = await startFava({
        file: await ledgerFile(config, o.company),
        port: o.port ? Number(o.port) : config.books.port,
        logger: ctx.logger,
      });
      ctx.emit({ url: books.url }, `Books in fava: ${books.url}  (Ctrl-C stops)`);
      await stopSignal();
      await books.stop();
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
      const { loadDevPackage } = await import('../../app/dev-package');
      const { main } = (await loadDevPackage('@pleo-export/pleo-sandbox/cli')) as {
        main(argv: string[]): Promise<void>;
      };
      await main([process.argv0, 'sandbox', ...options]);
    });
}

function startOptions(program: Command) {
  const global = program.opts<GlobalOptions>();
  return { configFile: global.config, logFormat: global.logFormat };
}

/** The ledger file of a configured company, or the demo's. */
async function ledgerFile(config: AppConfig, companyId?: string): Promise<string> {
  if (!companyId) {
    const { demoLedgerConfig } = await import('../../app/demo');
    const demo = demoLedgerConfig(config.dataDir);
    return join(demo.dir, demo.fileName);
  }
  const company = config.companies.find((c) => c.pleoCompanyId === companyId);
  if (!company) throw new Error(`No configured company ${companyId}`);
  if (company.accountingSystem.type !== 'ledger')
    throw new Error(`Company ${companyId} books into ${company.accountingSystem.type}, not a ledger`);
  return join(company.accountingSystem.dir, company.accountingSystem.fileName);
}
