// Builds the workflow bundle ahead of time (`npm run build:workflows`): production workers load it
// instead of running webpack at start, and every worker of a deployment runs byte-identical workflow code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../util/project-root';

export const DEFAULT_BUNDLE_PATH = join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

export async function buildWorkflowBundle(path = DEFAULT_BUNDLE_PATH): Promise<string> {
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return path;
}

if (require.main === module) {
  buildWorkflowBundle(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    (path) => process.stdout.write(`workflow bundle written to ${path}\n`),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
