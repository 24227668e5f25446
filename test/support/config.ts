// Configuration in tests: a config written to a folder and loaded as the service loads it, and the
// issues (path: message) a rejected configuration lists.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load';

export function loadConfigIn(dir: string, config: unknown, env: NodeJS.ProcessEnv = {}) {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return loadConfig({ file, env });
}

export function configIssues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}
