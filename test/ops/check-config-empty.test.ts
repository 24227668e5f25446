// `check-config` with nothing to check says so and exits non-zero, instead of "configuration OK".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-check-empty-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env,
  });
  return { code, stdout };
}

test('without any configuration', async () => {
  expect(await cli(['check-config'])).toEqual({
    code: 1,
    stdout: '(configuration): no configuration found: give --config <file> or set PLEO_EXPORT_CONFIG\n',
  });
});

test('with a configuration that names no company', async () => {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ worker: { maxConcurrentActivities: 5 } }));
  expect(await cli(['--config', file, 'check-config'])).toEqual({
    code: 1,
    stdout: 'companies: no company is configured, so nothing would be exported\n',
  });
});

test('a typo in the file is reported with the key meant', async () => {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ worker: { maxConcurentActivities: 5 } }));
  const { code, stdout } = await cli(['--config', file, 'check-config']);
  expect(code).toBe(1);
  expect(stdout).toMatch(
    /^worker\.maxConcurentActivities: unknown key: did you mean "maxConcurrentActivities"\?/,
  );
});
