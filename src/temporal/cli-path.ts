import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PROJECT_ROOT } from '../util/project-root';

/**
 * The Temporal CLI that `scripts/setup.mjs` made available: TEMPORAL_CLI_PATH, else `temporal` on PATH,
 * else the project-local .tools/bin/temporal. Undefined means the SDK must download one (needs internet).
 */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_CLI_PATH) return env.TEMPORAL_CLI_PATH;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  const local = join(PROJECT_ROOT, '.tools', 'bin', 'temporal');
  return existsSync(local) ? local : undefined;
}
