// The books in fava (beancount's web UI), from the project's Python environment: `pleo-export books`,
// and `npm start` while it keeps running. Read-only: the exporter is the only writer of the ledger.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { pythonTool } from '../util/python-tools';

export interface BooksServer {
  url: string;
  stop(): Promise<void>;
}

export async function startFava(options: {
  file: string;
  port: number;
  logger: Logger;
  /** How long fava may take to answer (it parses the whole ledger first). */
  timeoutMs?: number;
}): Promise<BooksServer> {
  const fava = pythonTool('fava');
  if (!existsSync(fava))
    throw new Error(`${fava} not found: run \`npm run setup\` (it installs fava into .tools/venv)`);
  if (!existsSync(options.file)) throw new Error(`No ledger at ${options.file}: run \`npm start\` first`);
  const child = spawn(
    fava,
    ['--read-only', '--host', '127.0.0.1', '--port', String(options.port), options.file],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    options.logger.debug({ component: 'fava' }, chunk.toString().trim());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${options.port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`fava exited with code ${child.exitCode}: ${output.join('').trim().slice(-500)}`);
    const answered = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `fava did not answer on ${url} within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
