#!/usr/bin/env node
// Generates TypeScript types from Pleo's published OpenAPI files (as copied into the repository by
// scripts/sync-openapi.mjs) into
// src/pleo/generated. The output is committed so builds need neither the generator nor the spec files.
import { execFileSync } from 'node:child_process';
import { readdirSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const specDir = join(root, 'test', 'fixtures', 'openapi', 'pleo');
const outDir = join(root, 'src', 'pleo', 'generated');
if (!existsSync(specDir))
  throw new Error(`Pleo OpenAPI folder not found: ${specDir} (run scripts/sync-openapi.mjs)`);
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(specDir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const name = file.replace(/^pleo-/, '').replace(/-openapi\.json$/, '');
  execFileSync(
    join(root, 'node_modules', '.bin', 'openapi-typescript'),
    [join(specDir, file), '-o', join(outDir, `${name}.ts`)],
    {
      stdio: 'inherit',
    },
  );
}
