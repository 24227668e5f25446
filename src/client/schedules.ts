import type { Duration } from '@temporalio/common';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { POLL_COMPANY_WORKFLOW, SA_COMPANY_ID, pollScheduleId } from '../shared/workflow-api';

export interface PollScheduleOptions {
  companyId: string;
  taskQueue: string;
  /** How often to look for export jobs when no webhook arrives (Pleo suggests every few minutes). */
  every?: Duration;
  /** Ticks missed while the server was down are caught up only within this window. */
  catchupWindow?: Duration;
}

/** Creates the company's polling schedule, or updates it to these settings: safe to run again. */
export async function upsertPollSchedule(client: Client, options: PollScheduleOptions): Promise<string> {
  const scheduleId = pollScheduleId(options.companyId);
  const every = options.every ?? '5 minutes';
  const catchupWindow = options.catchupWindow ?? '10 minutes';
  const action = {
    type: 'startWorkflow' as const,
    workflowType: POLL_COMPANY_WORKFLOW,
    args: [{ companyId: options.companyId }] as [{ companyId: string }],
    taskQueue: options.taskQueue,
    workflowId: `${scheduleId}-tick`,
    typedSearchAttributes: [{ key: SA_COMPANY_ID, value: options.companyId }],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every }] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow },
      typedSearchAttributes: [{ key: SA_COMPANY_ID, value: options.companyId }],
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec: { intervals: [{ every }] },
      action,
      policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP, catchupWindow },
    }));
  }
  return scheduleId;
}
