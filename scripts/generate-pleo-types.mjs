#!/usr/bin/env node
// Generates TypeScript types from Pleo's published OpenAPI files (../shared/pleo-openapi) into
// src/pleo/generated. The output is committed so builds need neither the generator nor the spec files.
import { execFileSync } from 'node:child_process';
import { readdirSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const specDir = process.env.PLEO_OPENAPI_DIR ?? join(root, '..', 'shared', 'pleo-openapi');
const outDir = join(root, 'src', 'pleo', 'generated');
if (!existsSync(specDir)) throw new Error(`Pleo OpenAPI folder not found: ${specDir} (set PLEO_OPENAPI_DIR)`);
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(specDir)
  .filter((f) => f.endsWith('.yml'))
  .sort()) {
  const name = file.replace(/^pleo-/, '').replace(/-openapi\.yml$/, '');
  execFileSync(
    join(root, 'node_modules', '.bin', 'openapi-typescript'),
    [join(specDir, file), '-o', join(outDir, `${name}.ts`)],
    {
      stdio: 'inherit',
    },
  );
}
