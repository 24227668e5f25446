// Calls to a rate-limited accounting system paced across every worker process: before each call an item
// activity takes a slot from its job workflow (an Update), waits for it, and calls only if it is still
// on time; a late one takes a new slot. One job per company runs at a time, so the job workflow sees
// every paced call of its company.
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { postSlotUpdate } from '../shared/workflow-api';
import { SLOT_TOLERANCE_MS } from '../shared/pacing';

/**
 * The time asked ahead of this process's clock, to cover the Update's round trip: doubled when an
 * answer came too late to use, shrunk a little after each one on time, so it settles just above the
 * round trip this process sees (a wait for a write token does not count: the workflow adds it).
 */
let leadMs = 100;
const LEAD_MIN_MS = 20;
const LEAD_MAX_MS = 10_000;

/** `item`: the accounting entry whose call this is (it holds one of the system's concurrent writes). */
export async function inPostSlot<T>(
  client: Client,
  target: { workflowId: string; item: string },
  call: () => Promise<T>,
): Promise<T> {
  const handle = client.workflow.getHandle(target.workflowId);
  for (;;) {
    const slot = await handle
      .executeUpdate(postSlotUpdate, { args: [{ earliest: Date.now() + leadMs, item: target.item }] })
      .catch((err: unknown) => {
        if (!busy(err)) throw err;
        return undefined;
      });
    if (slot === undefined) {
      // The server holds too many Updates for the job, or the wait outlasted the call: ask again.
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
      continue;
    }
    const wait = slot - Date.now();
    if (wait < 0) leadMs = Math.min(LEAD_MAX_MS, leadMs * 2);
    else leadMs = Math.max(LEAD_MIN_MS, leadMs * 0.95);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (Date.now() - slot <= SLOT_TOLERANCE_MS) return call();
  }
}

/** gRPC's RESOURCE_EXHAUSTED: the server's limit on Updates in flight per workflow. */
const RESOURCE_EXHAUSTED = 8;

function busy(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  return (
    err instanceof ServiceError && (err.cause as { code?: number } | undefined)?.code === RESOURCE_EXHAUSTED
  );
}
