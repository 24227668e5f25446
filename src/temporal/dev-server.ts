import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { temporalCliPath } from './cli-path';
import { SEARCH_ATTRIBUTES } from '../shared/workflow-api';

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` with a persistent SQLite file, the Web UI (news fetch off: no
 * internet here) and our search attributes registered, and waits until it answers.
 */
export async function startDevServer(options: {
  dbFile: string;
  port: number;
  uiPort?: number;
  namespace?: string;
  logger: Logger;
}): Promise<DevServer> {
  const cli = temporalCliPath();
  if (!cli) throw new Error('No Temporal CLI found: run `npm run setup` (or set TEMPORAL_CLI_PATH)');
  mkdirSync(dirname(options.dbFile), { recursive: true });
  await ensureFree(
    options.port,
    'Temporal frontend',
    `PLEO_EXPORT_TEMPORAL__ADDRESS=127.0.0.1:${options.port + 1}`,
  );
  if (options.uiPort)
    await ensureFree(
      options.uiPort,
      'Temporal Web UI',
      `PLEO_EXPORT_TEMPORAL__UI_PORT=${options.uiPort + 1}`,
    );
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFile,
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'warn',
    // Write-ahead log, synced at checkpoints: every commit survives the server process being killed
    // (only an OS crash may lose the last ones). The default rollback journal synced every commit: a
    // quarter of the server's CPU per exported item.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=NORMAL',
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    // Eager activity dispatch: an activity a workflow task schedules goes back to the worker that
    // completed the task when it has a free slot, skipping a trip through the task queue per item.
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let lastError = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    lastError = chunk.toString().trim().split('\n').pop() ?? '';
    options.logger.debug({ component: 'temporal-server' }, chunk.toString().trim());
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${options.port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `temporal server start-dev exited with code ${child.exitCode}${lastError ? `: ${lastError}` : ''}`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `Temporal dev server did not answer on ${address} within 60 s: ${(err as Error).message}`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Fails with the port and the setting that moves it when something already listens there. */
async function ensureFree(port: number, what: string, override: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on 127.0.0.1 (${what}) is already in use, perhaps by another Temporal server: stop it, or move the dev server with ${override}`,
            )
          : err,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
