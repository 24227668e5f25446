// The demo Tryton: a golden SQLite database built once (scripts/tryton/setup_db.py, about 8 s) under
// .data/tryton/, and `trytond` started on a free loopback port from a private copy of it (one copy per
// caller, so tests never see each other's entries). Used by the tests and by anyone trying the adapter:
//
//   npx ts-node --transpile-only scripts/tryton/demo-server.ts          builds the golden database
//   npx ts-node --transpile-only scripts/tryton/demo-server.ts serve    also serves a copy until Ctrl-C
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { TrytonConfig } from '../../src/accounting-systems/config';
import { DEMO_TRYTON_JOURNALS, trytonDemoChart } from '../../src/accounting-systems/tryton/demo-chart';
import { TrytonRpc } from '../../src/accounting-systems/tryton/json-rpc';
import { withFileLock } from '../../src/util/file-lock';
import { pythonTool } from '../../src/util/python-tools';

const ROOT = resolve(__dirname, '..', '..');
export const TRYTON_DATA_DIR = process.env.TRYTON_DATA_DIR ?? join(ROOT, '.data', 'tryton');
const GOLDEN_DIR = join(TRYTON_DATA_DIR, 'golden');
const DATABASE = 'pleo_demo';
export const DEMO_TRYTON_COMPANY = 'Pleo Demo AB';
// Tryton 8.0 from the project's own Python environment (`npm run setup`), never a system-wide trytond.
const PYTHON = pythonTool('python3');

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolvePromise(stdout);
    });
  });
}

/** Builds the golden database when missing or stale (a stamp of the chart and the script); quick otherwise. */
export async function ensureDemoDatabase(): Promise<{
  file: string;
  passwordFile: string;
  created: boolean;
}> {
  await mkdir(TRYTON_DATA_DIR, { recursive: true });
  // Several test processes may start at once: one builds, the others wait and then find it present.
  return withFileLock(join(TRYTON_DATA_DIR, 'golden.lock'), buildDemoDatabase, 300_000);
}

async function buildDemoDatabase(): Promise<{
  file: string;
  passwordFile: string;
  created: boolean;
}> {
  await mkdir(GOLDEN_DIR, { recursive: true });
  const passwordFile = join(TRYTON_DATA_DIR, 'admin.password');
  if (!existsSync(passwordFile))
    await writeFile(passwordFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  const chartFile = join(TRYTON_DATA_DIR, 'chart.json');
  await writeFile(chartFile, JSON.stringify(trytonDemoChart(), null, 2));
  const out = await run(PYTHON, [
    join(__dirname, 'setup_db.py'),
    '--dir',
    GOLDEN_DIR,
    '--database',
    DATABASE,
    '--chart',
    chartFile,
    '--password-file',
    passwordFile,
  ]);
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { created: boolean; database: string };
  return { file: result.database, passwordFile, created: result.created };
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface TrytonServer {
  config: TrytonConfig;
  /** The SQLite file this server uses (the test's private copy). */
  databaseFile: string;
  /** Stops trytond (SIGTERM, or e.g. SIGKILL to simulate a crash); with `keepData` the copy stays for start(). */
  stop(options?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<void>;
  /** Starts trytond again on the same copy and port (after stop({ keepData: true }) or a crash). */
  start(): Promise<void>;
}

/** Starts trytond on a free loopback port over a fresh copy of the golden database; resolves once logins work. */
export async function startTrytonServer(options: { timeoutMs?: number } = {}): Promise<TrytonServer> {
  const golden = await ensureDemoDatabase();
  const dir = await mkdtemp(join(TRYTON_DATA_DIR, 'run-'));
  const databaseFile = join(dir, `${DATABASE}.sqlite`);
  await copyFile(golden.file, databaseFile);
  const port = await freePort();
  const conf = join(dir, 'trytond.conf');
  await writeFile(conf, `[database]\nuri = sqlite://\npath = ${dir}\n\n[web]\nlisten = 127.0.0.1:${port}\n`);
  const config: TrytonConfig = {
    type: 'tryton',
    url: `http://127.0.0.1:${port}`,
    database: DATABASE,
    username: 'admin',
    password: (await readFile(golden.passwordFile, 'utf8')).trim(),
    company: DEMO_TRYTON_COMPANY,
    journals: { ...DEMO_TRYTON_JOURNALS },
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  let child: ChildProcess | undefined;
  const start = async () => {
    // `-d` loads the database's modules at start: Tryton 8.0 otherwise answers the first login on an
    // unloaded pool ("KeyError: 'res.user'").
    const proc = spawn(pythonTool('trytond'), ['-c', conf, '-d', DATABASE], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const rpc = new TrytonRpc({ ...config, timeoutMs: 5_000 });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`trytond exited with ${proc.exitCode}: ${stderr}`);
      try {
        await rpc.call('model.res.user.get_preferences', [true]);
        return;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`trytond did not answer on ${config.url} within 60 s: ${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  const stop = async ({ keepData = false, signal = 'SIGTERM' as NodeJS.Signals } = {}) => {
    const proc = child;
    child = undefined;
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (!keepData) await rm(dir, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, databaseFile, stop, start };
}

if (require.main === module) {
  const started = Date.now();
  const serve = process.argv[2] === 'serve';
  (serve ? startTrytonServer() : ensureDemoDatabase())
    .then((result) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if ('config' in result) {
        const { password: _password, ...shown } = result.config;
        process.stdout.write(
          `Tryton demo serving in ${seconds} s (password in ${join(TRYTON_DATA_DIR, 'admin.password')}):\n${JSON.stringify(shown, null, 2)}\n`,
        );
        process.on('SIGINT', () => void result.stop().then(() => process.exit(0)));
      } else {
        process.stdout.write(
          `Tryton demo database ${result.created ? 'created' : 'already present'} in ${seconds} s: ${result.file}\n`,
        );
      }
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    });
}
