// The baseline: the same per-item processing as a plain sequential loop without Temporal, the way a
// simple integration is often written (claim, read every item, book it, report in batches, finish). No
// durability: a crash mid-way loses the job's progress. Used by the bench only, for the ratio.
import type { CompanyConnection } from '../src/connections';
import { exportItemOutcome } from '../src/export/export-item';
import type { ItemOutcome } from '../src/shared/workflow-api';
import { PLEO_UPDATE_BATCH } from '../src/pleo/client';
import { chunk } from '../src/shared/chunk';
import type { Logger } from 'pino';

export async function naiveExport(
  connection: CompanyConnection,
  jobId: string,
  context: { workDir: string; logger: Logger },
): Promise<void> {
  const { pleo, accountingSystem } = connection;
  const job = await pleo.getExportJob(jobId);
  const ready = await accountingSystem.checkReady({ vendorBasedBookkeeping: job.vendorBasedBookkeeping });
  if (!ready.ok) throw new Error(ready.message);
  await pleo.postJobEvent({ jobId, event: 'started' });
  const today = new Date().toISOString().slice(0, 10);
  let failed = 0;
  let pending: ItemOutcome[] = [];
  for await (const result of pleo.listExportItems(jobId, { pageSize: PLEO_UPDATE_BATCH })) {
    if (!result.ok) continue;
    const outcome = await exportItemOutcome(result.item, connection, { ...context, today });
    if (outcome.status === 'failed') failed++;
    pending.push(outcome);
    if (pending.length === PLEO_UPDATE_BATCH) {
      await pleo.updateJobItems(jobId, pending);
      pending = [];
    }
  }
  for (const batch of chunk(pending, PLEO_UPDATE_BATCH)) await pleo.updateJobItems(jobId, batch);
  await pleo.postJobEvent({ jobId, event: failed === 0 ? 'completed' : 'completed_with_errors' });
}
