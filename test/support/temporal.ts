// A real Temporal dev server for tests: the CLI that scripts/setup.mjs installed, started by the SDK's
// test environment (no download), with our search attributes registered.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporalCliPath } from '../../src/temporal/cli-path';
import { SEARCH_ATTRIBUTES } from '../../src/shared/workflow-api';

let runtimeInstalled = false;

export async function startTemporal(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    Runtime.install({ logger: new DefaultLogger('WARN') });
  }
  const path = temporalCliPath();
  if (!path) throw new Error('Temporal CLI missing: `npm test` runs scripts/setup.mjs first; run `npm run setup`');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
      extraArgs,
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: new DefaultLogger('WARN') });
  return bundle;
}
