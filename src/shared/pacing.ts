// How a job paces its calls to the accounting system, from the limits the system declares. Shared by
// the job workflow and item activities; free of Node-only code.
import type { AccountingSystemLimits } from '../accounting-systems/port';

/** How late a call may start after its slot; a later one takes a new slot. */
export const SLOT_TOLERANCE_MS = 50;

/** How much longer one call may take than another to reach the system (network, the system's own queue). */
const ARRIVAL_SPREAD_MS = 50;

/**
 * Time between two slots of a job, 0 when unpaced. For a limit of r calls in any second, slots
 * (1000 + margin) / r apart keep the first and last of any r + 1 consecutive calls a second apart where
 * the system counts them, even when the first starts as late as the tolerance allows and arrives slower
 * than the last. A per-minute limit is declared as r / 60 per second, and the same spacing keeps it.
 */
export function slotSpacingMs(limits: AccountingSystemLimits | undefined): number {
  const perSecond = limits?.callsPerSecond;
  return perSecond && perSecond > 0 ? (1_000 + SLOT_TOLERANCE_MS + ARRIVAL_SPREAD_MS) / perSecond : 0;
}

/**
 * Items in flight at most: the configured window, and no more than the calls the system takes at once
 * (an item makes one call at a time, so items in flight bound calls in flight, whatever they count).
 */
export function windowOf(itemsInFlight: number, limits: AccountingSystemLimits | undefined): number {
  const concurrent = limits?.concurrentCalls;
  return Math.max(1, concurrent && concurrent > 0 ? Math.min(itemsInFlight, concurrent) : itemsInFlight);
}
