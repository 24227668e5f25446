// All activities, created with their dependencies (the samples' dependency-injection pattern).
// Workflows import this module by type only.
import type { ActivityDeps } from './deps';
import { createJobActivities } from './jobs';
import { createExportItemActivities } from './export-items';
import { createReadinessActivities } from './readiness';
import { createTriggerActivities } from './triggers';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createJobActivities(deps),
    ...createReadinessActivities(deps),
    ...createExportItemActivities(deps),
    ...createTriggerActivities(deps),
  };
}
