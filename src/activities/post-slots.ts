// Calls to a rate-limited accounting system paced across every worker process: before each call an item
// activity takes a slot from its job workflow (an Update), waits for it, and calls only if it is still
// on time; a late one takes a new slot. One job per company runs at a time, so the job workflow sees
// every paced call of its company.
import type { Client } from '@temporalio/client';
import { postSlotUpdate } from '../shared/workflow-api';
import { SLOT_TOLERANCE_MS } from '../shared/pacing';

/** The time asked ahead of this process's clock: the Update's round trip, as last measured, with a margin. */
let roundTripMs = 100;
const leadMs = () => Math.min(10_000, Math.max(20, 2 * roundTripMs + 10));

export async function inPostSlot<T>(client: Client, workflowId: string, call: () => Promise<T>): Promise<T> {
  const handle = client.workflow.getHandle(workflowId);
  for (let lead = leadMs(); ; lead = Math.min(lead * 2, 10_000)) {
    const asked = Date.now();
    const slot = await handle.executeUpdate(postSlotUpdate, { args: [{ earliest: asked + lead }] });
    // Smoothed, so one slow answer widens the lead for a while and a quick one does not shrink it at once.
    roundTripMs = 0.8 * roundTripMs + 0.2 * (Date.now() - asked);
    const wait = slot - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (Date.now() - slot <= SLOT_TOLERANCE_MS) return call();
  }
}
