// A real Temporal dev server for tests: the CLI that scripts/setup.mjs installed, started by the SDK's
// test environment (no download), with our search attributes registered.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  Runtime,
  DefaultLogger,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { temporalCliPath } from '../../src/temporal/cli-path';
import { SEARCH_ATTRIBUTES } from '../../src/shared/workflow-api';

type History = temporal.api.history.v1.IHistory;

let runtimeInstalled = false;

export async function startTemporal(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    Runtime.install({ logger: new DefaultLogger('WARN') });
  }
  const path = temporalCliPath();
  if (!path)
    throw new Error('Temporal CLI missing: `npm test` runs scripts/setup.mjs first; run `npm run setup`');
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
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

/** Every run of a workflow (first to latest, following continue-as-new), with its history from the server. */
export async function runHistories(
  client: Client,
  workflowId: string,
): Promise<{ runId: string; history: History }[]> {
  const described = await client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = described.raw.workflowExecutionInfo?.firstRunId || described.runId;
  const runs: { runId: string; history: History }[] = [];
  while (runId) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history });
    const last = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** Every payload in a history decoded as text (payload data is bytes; a JSON dump would hide it). */
export function historyPayloadText(history: History): string {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    // ArrayBuffer.isView rather than instanceof: Jest runs tests in another realm than gRPC's buffers.
    if (ArrayBuffer.isView(node))
      texts.push(Buffer.from(node.buffer, node.byteOffset, node.byteLength).toString('utf8'));
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(history);
  return texts.join('\n');
}
