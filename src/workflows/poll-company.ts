// Started by the per-company Temporal Schedule (the fallback to webhooks): nudges the company workflow.
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { TriggerSource } from '../shared/workflow-api';

const { signalCompanyWorkflow } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export async function pollCompanyWorkflow(input: {
  companyId: string;
  source?: TriggerSource;
}): Promise<void> {
  await signalCompanyWorkflow({ companyId: input.companyId, source: input.source ?? 'schedule' });
}
