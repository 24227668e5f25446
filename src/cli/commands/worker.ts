// `worker`: an export worker for every configured company until SIGINT/SIGTERM (scale out by running more).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_BUNDLE_PATH } from '../../worker/build-bundle';
import type { CliContext } from '../context';

export function registerWorker(program: Command, ctx: CliContext): void {
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
}
