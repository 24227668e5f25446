// Workflow histories from the server: the largest run (events, bytes) of a job, and every history's
// text for the secrets search.
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { companyWorkflowId, jobWorkflowId } from '../../src/shared/workflow-api';
import { historyPayloadText, runHistories } from '../../test/support/temporal';

export interface HistoryFigures {
  runs: number;
  largestEvents: number;
  largestBytes: number;
  /** Workflow tasks that failed (a bug or non-determinism: the workflow would be stuck retrying them). */
  workflowTaskFailures: number;
}

/** Runs of the job workflow (continue-as-new chain) plus the company workflow's, and the largest. */
export async function jobHistories(
  client: Client,
  companyId: string,
  jobId: string,
): Promise<HistoryFigures> {
  const runs = [
    ...(await runHistories(client, jobWorkflowId(companyId, jobId))),
    ...(await runHistories(client, companyWorkflowId(companyId))),
  ];
  const figures: HistoryFigures = {
    runs: runs.length,
    largestEvents: 0,
    largestBytes: 0,
    workflowTaskFailures: 0,
  };
  for (const { history } of runs) {
    figures.workflowTaskFailures += (history.events ?? []).filter(
      (e) => e.workflowTaskFailedEventAttributes,
    ).length;
    figures.largestEvents = Math.max(figures.largestEvents, history.events?.length ?? 0);
    figures.largestBytes = Math.max(
      figures.largestBytes,
      temporal.api.history.v1.History.encode(history).finish().length,
    );
  }
  return figures;
}

/** Every workflow run in the namespace as searchable text: event attributes, failures and decoded payloads. */
export async function* allHistoryTexts(client: Client): AsyncGenerator<{ workflowId: string; text: string }> {
  for await (const execution of client.workflow.list()) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    yield {
      workflowId: execution.workflowId,
      text: `${JSON.stringify(history)}\n${historyPayloadText(history)}`,
    };
  }
}
