// `pleo-export --help` lists every command, and reading it (or any command's definition) loads none of
// the heavy parts: the worker, the Temporal client, the protobuf classes, the adapters or the sandbox
// load only when a command that needs them runs.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';

const ROOT = join(__dirname, '..', '..');

it('lists every command in --help', async () => {
  let stdout = '';
  const code = await runCli(['--help'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: {},
  });
  expect(code).toBe(0);
  const commands = [...stdout.slice(stdout.indexOf('Commands:')).matchAll(/^ {2}([a-z-]+)/gm)].map(
    (m) => m[1],
  );
  expect(commands).toEqual([
    'start',
    'ui',
    'books',
    'worker',
    'webhook',
    'codec-server',
    'sandbox',
    'schedule',
    'jobs',
    'replay',
    'connect',
    'webhooks',
    'check-config',
    'setup-temporal',
    'doctor',
    'help',
  ]);
});

it('builds the program without loading what only running a command needs', () => {
  // A fresh process: Jest's own module registry would hide what Node loads.
  const script = `
    require('ts-node').register({ transpileOnly: true });
    const out = [];
    const io = { stdout: { write: (s) => out.push(s) }, stderr: { write: () => true }, env: {} };
    const { program } = require('./src/cli/main').buildProgram(io);
    const walk = (c) => { c.helpInformation(); c.commands.forEach(walk); };
    walk(program);
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const loaded = JSON.parse(
    execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }),
  ) as string[];
  expect(loaded.some((f) => f.includes(join('src', 'cli', 'commands', 'replay')))).toBe(true);
  const heavy = [
    '/node_modules/@temporalio/worker/',
    '/node_modules/@temporalio/client/',
    '/node_modules/@temporalio/proto/',
    '/node_modules/fastify/',
    '/src/accounting-systems/registry',
    '/packages/pleo-sandbox/',
    '/src/app/start',
    '/src/app/demo',
  ];
  expect(heavy.filter((part) => loaded.some((f) => f.includes(part)))).toEqual([]);
}, 120_000);
