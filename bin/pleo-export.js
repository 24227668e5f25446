#!/usr/bin/env node
// `pleo-export`: the compiled CLI in dist/ (built by `npm ci`, rebuilt first when a source changed).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { ensureDist } = require('./ensure-dist');

const main = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
try {
  if (!ensureDist() && !existsSync(main))
    throw new Error('dist/ is missing and typescript is not installed: npm ci');
} catch (err) {
  process.stderr.write(`pleo-export: ${err.message}\n`);
  process.exit(1);
}
require(main)
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
