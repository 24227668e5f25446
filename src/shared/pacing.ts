// How a job paces its calls to the accounting system, from the limits the system declares. Shared by
// the job workflow and item activities; free of Node-only code.

/** What an accounting system allows per company (tenant), as its adapter declares it. */
export interface AccountingSystemLimits {
  /**
   * Calls that may be in flight at once (Xero: 5). When every call counts it bounds the job's window of
   * items in flight; when writes count it bounds the writes in flight (items still prepare side by side).
   */
  concurrentCalls?: number;
  /** Calls per second the system accepts (Xero: 60 a minute = 1). */
  callsPerSecond?: number;
  /**
   * What the rate counts. 'writes': the service paces each post and attach. 'calls': every request
   * counts, so the adapter passes each of its requests through `gated()` (src/accounting-systems/call-gate.ts).
   */
  counts: 'writes' | 'calls';
  /**
   * Items worth keeping in flight for this system, when its adapter gains from more than the job's
   * default (Xero: items waiting for their turn share one create request, so a wider window saves calls).
   */
  itemsInFlight?: number;
}

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
 * Updates a job that holds write tokens has in flight at most: Temporal refuses more than 10 per
 * workflow by default, and an item may wait in its slot request for a token.
 */
const TOKEN_ITEMS_MAX = 8;

/**
 * Items in flight at most: the configured window, or the system's own preference. When the system
 * counts every call and declares no rate, no more than the calls it takes at once (an item makes one
 * call at a time). With a rate, the job's slots start one call every 1/rate: calls in flight stay under
 * the concurrent limit while each call lasts less than that many slots (about 5 s for Xero), so items
 * may wait side by side for their turn (a longer call meets the system's "slow down", which is honoured).
 * When it counts writes, the job's slots bound the writes in flight instead (`writeTokens`).
 */
export function windowOf(itemsInFlight: number, limits: AccountingSystemLimits | undefined): number {
  const concurrent =
    limits?.counts === 'calls' && !(slotSpacingMs(limits) > 0) ? limits.concurrentCalls : undefined;
  return Math.max(
    1,
    Math.min(
      limits?.itemsInFlight ?? itemsInFlight,
      concurrent && concurrent > 0 ? concurrent : Infinity,
      writeTokens(limits) !== undefined ? TOKEN_ITEMS_MAX : Infinity,
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
