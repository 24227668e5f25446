#!/usr/bin/env node
// `pleo-export`: the compiled CLI when built (`npm run build`), else the TypeScript sources via ts-node.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(built))
  require('ts-node').register({ transpileOnly: true, project: join(__dirname, '..', 'tsconfig.json') });
const { runCli } = require(existsSync(built) ? built : '../src/cli/main');
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
