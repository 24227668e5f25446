// `npm start`: the full demo on embedded defaults — Temporal dev server with Web UI, the Pleo sandbox
// seeded with export jobs, the worker and webhook receiver, and the embedded ledger. It exports every
// job with live counts, prints a summary and the links to look at the result, and keeps running (Web
// UI and the books in fava) until Ctrl-C; `--exit` stops after the summary. `--ui-only` (also
// `pleo-export ui`) only reopens the Web UI on the persisted database, exporting nothing.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { loadConfig } from '../config/load';
import type { AppConfig } from '../config/schema';
import { stderrLogger } from '../logging/logger';
import { installTemporalRuntime } from '../logging/temporal-runtime';
import { startDevServer } from '../temporal/dev-server';
import { startService } from './service';
import { demoRegistry, loadPleoSandbox, startDemoSandbox, demoLedgerConfig } from './demo';
import { summarizeCompanyJobs, formatSummary } from './summary';
import { followExports } from './progress';
import { startFava } from './books';
import { allExportsQuery, failedExportsQuery, workflowListUrl } from './links';
import { DEMO_COMPANY } from '@pleo-export/demo-company/company';

export interface StartOptions {
  /** Stop after the summary (also when CI=true). */
  exit?: boolean;
  /** Only serve the Web UI on the persisted database. */
  uiOnly?: boolean;
  /** `pretty` or `json` (default: pretty on a terminal). */
  logFormat?: string;
  configFile?: string;
}

const out = (text: string) => process.stdout.write(text);

/** Runs until Ctrl-C (or, with `exit`, until the summary); resolves to the exit code. */
export async function runStart(options: StartOptions = {}): Promise<number> {
  const exitWhenDone = options.exit === true || process.env.CI === 'true';
  const config = loadConfig({ file: options.configFile });
  // Logs on stderr: stdout carries the progress and summary alone (`npm start -- --exit > summary.txt`).
  const logger = stderrLogger(
    { level: logLevel(config, options) },
    options.logFormat ?? process.env.LOG_FORMAT,
  );
  installTemporalRuntime(logger, config.worker.metricsPort);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ err }, 'while stopping'));
  };
  const stopped = new Promise<number>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void stopAll().then(() => done(0)));
  });

  try {
    // Where the sandbox is not installed (the production image), say so before starting anything.
    if (!options.uiOnly) await loadPleoSandbox();
    const webUi = config.temporal.startDevServer ? await startTemporal(config, logger, stops) : undefined;
    if (options.uiOnly) {
      if (!webUi)
        throw new Error(
          'temporal.startDevServer is false: the Web UI is the one of your Temporal cluster, nothing to reopen here',
        );
      const companies = config.companies.length
        ? config.companies.map((c) => ({ id: c.pleoCompanyId, name: c.name }))
        : [{ id: DEMO_COMPANY.id, name: DEMO_COMPANY.name }];
      out(`\nTemporal Web UI on ${resolve(devServerDb(config))}: ${webUi}\n`);
      for (const company of companies) out(exportLinks(webUi, config.temporal.namespace, company));
      if (exitWhenDone) return await stopAll().then(() => 0);
      out('\nNothing is exported in this mode. Ctrl-C stops.\n');
      return await stopped;
    }
    if (config.companies.length > 0) {
      throw new Error(
        'Configured companies are run with `pleo-export worker` and `pleo-export webhook` (see README)',
      );
    }
    await runDemo(config, logger, stops, { webUi, keepRunning: !exitWhenDone });
    if (exitWhenDone) return await stopAll().then(() => 0);
    out(
      '\nRunning: explore the Web UI and the books, or create jobs in the sandbox (see packages/pleo-sandbox/README.md). Ctrl-C stops.\n',
    );
    return await stopped;
  } catch (err) {
    logger.error({ err }, 'start failed');
    await stopAll();
    return 1;
  }
}

/**
 * At a terminal the demo speaks through its progress and summary on stdout; logs show warnings and
 * errors only, unless a level was asked for (LOG_LEVEL, PLEO_EXPORT_LOG__LEVEL or a config file).
 */
function logLevel(config: AppConfig, options: StartOptions): string {
  const asked =
    process.env.LOG_LEVEL ??
    process.env.PLEO_EXPORT_LOG__LEVEL ??
    options.configFile ??
    process.env.PLEO_EXPORT_CONFIG;
  return asked === undefined && process.stderr.isTTY ? 'warn' : (process.env.LOG_LEVEL ?? config.log.level);
}

const devServerDb = (config: AppConfig) => join(config.dataDir, 'temporal', 'dev.sqlite');

async function startTemporal(config: AppConfig, logger: Logger, stops: (() => Promise<void>)[]) {
  const server = await startDevServer({
    dbFile: resolve(devServerDb(config)),
    port: Number(config.temporal.address.split(':').pop()),
    uiPort: config.temporal.uiPort,
    namespace: config.temporal.namespace,
    logger,
  });
  stops.push(() => server.stop());
  logger.info({ address: server.address, ui: server.uiUrl }, 'Temporal dev server running');
  return server.uiUrl;
}

function exportLinks(webUi: string, namespace: string, company: { id: string; name?: string }): string {
  return [
    `  ${company.name ?? company.id}`,
    `    exports that failed or left items failed: ${workflowListUrl(webUi, namespace, failedExportsQuery(company.id))}`,
    `    all its exports:                          ${workflowListUrl(webUi, namespace, allExportsQuery(company.id))}`,
    '',
  ].join('\n');
}

async function runDemo(
  config: AppConfig,
  logger: Logger,
  stops: (() => Promise<void>)[],
  { webUi, keepRunning }: { webUi?: string; keepRunning: boolean },
): Promise<void> {
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
  out('\nExporting (live counts per export job):\n');
  const seen = await followExports({
    pleo,
    client: service.client,
    companyId,
    write: (line) => out(`  ${line}\n`),
  });
  out(formatSummary(await summarizeCompanyJobs(pleo, companyId, seen)));

  const ledger = demoLedgerConfig(config.dataDir);
  const ledgerFile = join(ledger.dir, ledger.fileName);
  out('\nWhere to look\n');
  if (webUi) {
    out(`Temporal Web UI: ${webUi}  (reopen it later: npm run ui)\n`);
    out(exportLinks(webUi, config.temporal.namespace, { id: companyId, name: DEMO_COMPANY.name }));
  }
  out(`Ledger:          ${ledgerFile}\n`);
  if (!keepRunning) {
    out('Books in fava:   npm run books\n');
  } else {
    try {
      const books = await startFava({ file: ledgerFile, port: config.books.port, logger });
      stops.push(() => books.stop());
      out(`Books in fava:   ${books.url}\n`);
    } catch (err) {
      logger.warn({ err }, 'fava could not start');
      out(`Books in fava:   not started (${(err as Error).message}); try npm run books\n`);
    }
  }
  out(`Pleo sandbox:    ${sandbox.url}\n`);
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      exit: { type: 'boolean' },
      'ui-only': { type: 'boolean' },
      'log-format': { type: 'string' },
    },
  });
  void runStart({ exit: values.exit, uiOnly: values['ui-only'], logFormat: values['log-format'] }).then(
    (code) => process.exit(code),
  );
}
