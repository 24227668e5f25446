#!/usr/bin/env node
// Copies the OpenAPI descriptions the tests and type generation read (Pleo's and Xero's) into the
// repository, so a plain clone builds and tests without anything beside it. Each YAML file becomes
// one JSON file with the same content (parsed, not edited: keys, order and $refs as published),
// because JSON loads in milliseconds where the YAML takes most of a second per file; the source's
// SOURCE.md and LICENSE travel with it.
//
//   node scripts/sync-openapi.mjs            write test/fixtures/openapi/{pleo,xero}/
//   node scripts/sync-openapi.mjs --check    exit 1 naming what is out of date (sources absent: exit 0)
//
// Sources: PLEO_OPENAPI_DIR / XERO_OPENAPI_DIR, by default ../shared/{pleo,xero}-openapi.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OPENAPI_ARTIFACTS = join(root, 'test', 'fixtures', 'openapi');
const SOURCES = [
  { name: 'pleo', dir: process.env.PLEO_OPENAPI_DIR ?? join(root, '..', 'shared', 'pleo-openapi') },
  { name: 'xero', dir: process.env.XERO_OPENAPI_DIR ?? join(root, '..', 'shared', 'xero-openapi') },
];
const KEPT_AS_IS = ['SOURCE.md', 'LICENSE'];

/** The files one source folder turns into: artifact name → content. */
function artifacts(dir) {
  const out = new Map();
  for (const file of readdirSync(dir).sort()) {
    if (/\.ya?ml$/.test(file)) {
      const doc = parse(readFileSync(join(dir, file), 'utf8'));
      out.set(file.replace(/\.ya?ml$/, '.json'), `${JSON.stringify(doc)}\n`);
    } else if (KEPT_AS_IS.includes(file)) {
      out.set(file, readFileSync(join(dir, file), 'utf8'));
    }
  }
  return out;
}

function differences(target, expected) {
  const present = existsSync(target) ? readdirSync(target) : [];
  const stale = [...expected].filter(
    ([file, text]) => !present.includes(file) || readFileSync(join(target, file), 'utf8') !== text,
  );
  const extra = present.filter((f) => f !== 'README.md' && !expected.has(f));
  return [...stale.map(([f]) => `${f} differs from its source`), ...extra.map((f) => `${f} has no source`)];
}

const check = process.argv.includes('--check');
let problems = 0;
for (const { name, dir } of SOURCES) {
  if (!existsSync(dir)) {
    console.log(`${name}: ${dir} not present, skipped`);
    continue;
  }
  const target = join(OPENAPI_ARTIFACTS, name);
  const expected = artifacts(dir);
  const found = differences(target, expected);
  if (check) {
    for (const line of found) console.log(`${name}: ${line} (run node scripts/sync-openapi.mjs)`);
    problems += found.length;
    continue;
  }
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(target))
    if (file !== 'README.md' && !expected.has(file)) rmSync(join(target, file));
  for (const [file, text] of expected) writeFileSync(join(target, file), text);
  console.log(`${name}: ${expected.size} files in ${target}${found.length ? '' : ' (already up to date)'}`);
}
if (problems) process.exit(1);
