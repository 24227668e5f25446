// A worker's live heap stays small (60–110 MB through a 50,000-item job), but V8's default heuristic
// lets the old generation grow to several times the live size before a full collection when the
// program allocates fast, and the process keeps the peak: a worker that needs 100 MB held 500 MB.
// Collecting once the heap is 1.5 times what survived the last collection bounds that at a GC cost
// the bench does not show. V8 flags are process-wide, so the workflow threads get the bound too.
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
