// A minimal workflow for the foundation test: proves a real server, a bundled workflow and an activity.
import { proxyActivities } from '@temporalio/workflow';
import type { createGreetActivities } from './hello-activities';

const { greet } = proxyActivities<ReturnType<typeof createGreetActivities>>({
  startToCloseTimeout: '30 seconds',
});

export async function helloWorkflow(name: string): Promise<string> {
  return await greet(name);
}
