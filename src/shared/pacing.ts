// How a job paces its calls to the accounting system, from the limits the system declares. Shared by
// the job workflow and item activities; free of Node-only code.
import type { AccountingSystemLimits } from '../accounting-systems/port';

/**
 * How late a call may start after its slot; a later one takes a new slot (timers on a busy worker fire
 * a few milliseconds late, rarely more).
 */
export const SLOT_TOLERANCE_MS = 25;

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
 * Updates a paced job has in flight at most: Temporal refuses more than 10 per workflow by default,
 * and each paced item asks for one slot at a time (it may wait there for a write token).
 */
const PACED_ITEMS_MAX = 8;

/**
 * Items in flight at most: the configured window. When the system counts every call, no more than the
 * calls it takes at once (an item makes one call at a time, so items in flight bound calls in flight).
 * When it counts writes, the job's slots bound the writes in flight instead (`writeTokens`), so items
 * can prepare side by side while a few of them write.
 */
export function windowOf(itemsInFlight: number, limits: AccountingSystemLimits | undefined): number {
  const concurrent = limits?.counts === 'calls' ? limits.concurrentCalls : undefined;
  return Math.max(
    1,
    Math.min(
      itemsInFlight,
      concurrent && concurrent > 0 ? concurrent : Infinity,
      isPaced(limits) ? PACED_ITEMS_MAX : Infinity,
    ),
  );
}

/** Writes the job's slots let be in flight at once, when the system counts writes and limits them. */
export function writeTokens(limits: AccountingSystemLimits | undefined): number | undefined {
  const concurrent = limits?.counts === 'writes' ? limits.concurrentCalls : undefined;
  return concurrent && concurrent > 0 ? concurrent : undefined;
}

/** Item activities take slots from the job workflow when the system declares a rate or a write limit. */
export function isPaced(limits: AccountingSystemLimits | undefined): boolean {
  return slotSpacingMs(limits) > 0 || writeTokens(limits) !== undefined;
}
