// Writes paced across every worker process: before each write an item activity takes a slot from its
// job workflow (an Update), waits for it, and writes only if it is still on time; a late one takes a new
// slot. One job per company runs at a time, so the job workflow sees every write of its company.
import type { Client } from '@temporalio/client';
import { postSlotUpdate } from '../shared/workflow-api';
import { SLOT_TOLERANCE_MS } from '../shared/pacing';

/** The time asked ahead of the activity's clock, covering the Update's round trip; doubled when missed. */
const FIRST_LEAD_MS = 250;

export async function inPostSlot<T>(client: Client, workflowId: string, write: () => Promise<T>): Promise<T> {
  for (let lead = FIRST_LEAD_MS; ; lead = Math.min(lead * 2, 10_000)) {
    const slot = await client.workflow
      .getHandle(workflowId)
      .executeUpdate(postSlotUpdate, { args: [{ earliest: Date.now() + lead }] });
    const wait = slot - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (Date.now() - slot <= SLOT_TOLERANCE_MS) return write();
  }
}
