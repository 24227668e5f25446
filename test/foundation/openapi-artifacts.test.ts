// The OpenAPI copies in test/fixtures/openapi are what the contract tests and type generation read;
// they must be complete without ../shared and, where the originals are at hand, current with them.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const artifacts = join(root, 'test/fixtures/openapi');
const originals = { pleo: join(root, '../shared/pleo-openapi'), xero: join(root, '../shared/xero-openapi') };
const haveOriginals = existsSync(originals.pleo) && existsSync(originals.xero);

function syncCheck(env: Record<string, string> = {}): { code: number; output: string } {
  try {
    const output = execFileSync(process.execPath, ['scripts/sync-openapi.mjs', '--check'], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return { code: 0, output };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, output: err.stdout };
  }
}

test.each([
  ['pleo', ['pleo-export-openapi.json', 'pleo-vendors-openapi.json', 'SOURCE.md']],
  ['xero', ['xero_accounting.json', 'xero-identity.json', 'LICENSE', 'SOURCE.md']],
])('the %s copies are in the repository and read as OpenAPI documents', (name, expected) => {
  const files = readdirSync(join(artifacts, name));
  expect(files).toEqual(expect.arrayContaining(expected));
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(artifacts, name, file), 'utf8')) as Record<string, unknown>;
    expect(String(doc.openapi)).toMatch(/^3\./);
    expect(Object.keys(doc.paths as object).length).toBeGreaterThan(0);
  }
});

(haveOriginals ? test : test.skip)('the copies are up to date with ../shared', () => {
  expect(syncCheck()).toEqual({ code: 0, output: expect.not.stringMatching(/differs|no source/) });
});

(haveOriginals ? test : test.skip)('a changed original is reported by name', () => {
  const changed = mkdtempSync(join(tmpdir(), 'pleo-openapi-'));
  cpSync(originals.pleo, changed, { recursive: true });
  const file = join(changed, 'pleo-tags-openapi.yml');
  chmodSync(file, 0o644);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^info:\n/m, 'info:\n  x-changed: true\n'));
  const result = syncCheck({ PLEO_OPENAPI_DIR: changed });
  rmSync(changed, { recursive: true, force: true });
  expect(result.code).toBe(1);
  expect(result.output).toContain('pleo: pleo-tags-openapi.json differs from its source');
});
