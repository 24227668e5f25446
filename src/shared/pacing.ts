// Write pacing constants shared by the job workflow and item activities. Free of Node-only code.

/** How late a write may start after its slot; the workflow spaces slots this much wider than the limit. */
export const SLOT_TOLERANCE_MS = 50;
