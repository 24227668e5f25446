// The OpenAPI copies in test/fixtures/openapi are what the contract tests and type generation read:
// complete in the repository, and kept current by scripts/sync-openapi.mjs, whose check is tested here
// on sources made from the copies themselves (`npm run sync:openapi -- --check` against the originals).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const artifacts = join(root, 'test/fixtures/openapi');

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

/** A source folder as the sync script reads it, made from the repository's own copies (JSON is YAML). */
function sourceFromCopies(name: 'pleo' | 'xero'): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-openapi-`));
  for (const file of readdirSync(join(artifacts, name)).filter((f) => f !== 'README.md'))
    cpSync(join(artifacts, name, file), join(dir, file.replace(/\.json$/, '.yml')));
  return dir;
}

test('the sync check passes on the sources the copies were made from, and names a changed one', () => {
  const sources = { PLEO_OPENAPI_DIR: sourceFromCopies('pleo'), XERO_OPENAPI_DIR: sourceFromCopies('xero') };
  try {
    expect(syncCheck(sources)).toEqual({
      code: 0,
      output: expect.not.stringMatching(/differs|no source|skipped/),
    });
    const file = join(sources.PLEO_OPENAPI_DIR, 'pleo-tags-openapi.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"info":{', '"info":{"x-changed":true,'));
    const result = syncCheck(sources);
    expect(result.code).toBe(1);
    expect(result.output).toContain('pleo: pleo-tags-openapi.json differs from its source');
  } finally {
    for (const dir of Object.values(sources)) rmSync(dir, { recursive: true, force: true });
  }
});
