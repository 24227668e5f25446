import type { Client } from '@temporalio/client';
import {
  COMPANY_EXPORT_WORKFLOW,
  SA_COMPANY_ID,
  companyWorkflowId,
  jobAvailableSignal,
  type CompanyExportWorkflow,
  type ExportJobSettings,
  type JobAvailable,
} from '../shared/workflow-api';

/**
 * Starts the company's export workflow, or signals the running one: the single entry point for the
 * webhook receiver, the polling schedule and `check now`. The workflow ID comes from the company id,
 * so simultaneous triggers converge on one workflow and a job is never processed twice.
 */
export async function triggerCompanyExport(
  client: Client,
  taskQueue: string,
  companyId: string,
  signal: JobAvailable,
  settings?: Partial<ExportJobSettings>,
): Promise<string> {
  const handle = await client.workflow.signalWithStart<CompanyExportWorkflow, [JobAvailable]>(
    COMPANY_EXPORT_WORKFLOW,
    {
      workflowId: companyWorkflowId(companyId),
      taskQueue,
      args: [{ companyId, settings }],
      signal: jobAvailableSignal,
      signalArgs: [signal],
      typedSearchAttributes: [{ key: SA_COMPANY_ID, value: companyId }],
      staticSummary: `Pleo exports of company ${companyId}`,
    },
  );
  return handle.workflowId;
}
