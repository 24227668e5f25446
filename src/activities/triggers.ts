import type { ActivityDeps } from './deps';
import { triggerCompanyExport } from '../client/trigger';
import type { TriggerSource } from '../shared/workflow-api';

export function createTriggerActivities(deps: ActivityDeps) {
  return {
    /** The schedule's nudge: signal-with-start the company workflow (one per company, by its ID). */
    async signalCompanyWorkflow(input: { companyId: string; source: TriggerSource }): Promise<void> {
      if (!deps.temporal) throw new Error('signalCompanyWorkflow needs a Temporal client in the worker');
      await triggerCompanyExport(deps.temporal.client, deps.temporal.taskQueue, input.companyId, {
        source: input.source,
      });
    },
  };
}
