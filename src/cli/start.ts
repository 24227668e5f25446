// `npm start`: the full demo on embedded defaults — Temporal dev server with Web UI, the Pleo sandbox
// seeded with export jobs, the worker and webhook receiver, and the embedded ledger. It exports every
// job, prints a summary, and keeps running (Web UI to explore) until Ctrl-C; `--exit` stops after the
// summary.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load';
import { stderrLogger } from '../logging/logger';
import { installTemporalRuntime } from '../logging/temporal-runtime';
import { startDevServer } from '../temporal/dev-server';
import { startService } from '../app/service';
import { demoRegistry, startDemoSandbox, demoLedgerConfig } from '../app/demo';
import { summarizeCompanyJobs, formatSummary } from '../app/summary';
import { followExports } from '../app/progress';

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: { exit: { type: 'boolean' }, 'log-format': { type: 'string' } },
  });
  const exitWhenDone = flags.exit === true || process.env.CI === 'true';
  const config = loadConfig();
  // Logs on stderr: stdout carries the summary alone (`npm start -- --exit > summary.txt`).
  const logger = stderrLogger({ level: config.log.level }, flags['log-format'] ?? process.env.LOG_FORMAT);
  installTemporalRuntime(logger, config.worker.metricsPort);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ err }, 'while stopping'));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    if (config.temporal.startDevServer) {
      const port = Number(config.temporal.address.split(':').pop());
      const server = await startDevServer({
        dbFile: resolve(join(config.dataDir, 'temporal', 'dev.sqlite')),
        port,
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        logger,
      });
      stops.push(() => server.stop());
      logger.info({ address: server.address, ui: server.uiUrl }, 'Temporal dev server running');
    }

    if (config.companies.length > 0) {
      throw new Error(
        'Configured companies are run with `pleo-export worker` and `pleo-export webhook` (see README)',
      );
    }
    const sandbox = await startDemoSandbox(logger);
    stops.push(() => sandbox.close());
    const connections = demoRegistry(sandbox, config.dataDir, logger);
    const secrets = new Map<string, string>();
    const service = await startService({
      config: { ...config, webhook: { ...config.webhook, port: 0 } },
      connections,
      webhookSecretFor: (companyId) => secrets.get(companyId),
      logger,
    });
    stops.push(() => service.stop());
    const companyId = sandbox.credentials.companyId;
    secrets.set(
      companyId,
      sandbox.addSubscription(companyId, service.webhookUrl, ['v1.export-job.created']).secret,
    );

    // Jobs seeded before the webhook subscription existed are found by `check now`.
    await service.checkNow(companyId);
    const { pleo } = await connections.get(companyId);
    process.stdout.write('\nExporting (live counts per export job):\n');
    const described = await followExports({
      pleo,
      client: service.client,
      companyId,
      write: (line) => process.stdout.write(`  ${line}\n`),
    });
    const summary = await summarizeCompanyJobs(pleo, companyId, described);
    const ledger = demoLedgerConfig(config.dataDir);
    process.stdout.write(
      formatSummary(summary, {
        webUi: config.temporal.startDevServer ? `http://127.0.0.1:${config.temporal.uiPort}` : undefined,
        ledger: join(ledger.dir, ledger.fileName),
        sandbox: sandbox.url,
      }),
    );
    if (exitWhenDone) {
      await stopAll();
      return;
    }
    process.stdout.write(
      '\nRunning: explore the Web UI, or create jobs in the sandbox (see src/sandbox/README.md). Ctrl-C stops.\n',
    );
  } catch (err) {
    logger.error({ err }, 'start failed');
    await stopAll();
    process.exitCode = 1;
  }
}

void main();
