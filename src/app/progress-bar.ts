// One job's progress as a text bar with its counts, for the CLI's `jobs` commands and the demo's live view.
import type { JobProgress } from '../shared/workflow-api';

/** A one-line text progress bar: `[#######-----------] 35% 350/1000 ok 340 failed 10`. */
export function progressBar(progress: JobProgress, width = 30): string {
  const done = progress.successful + progress.failed;
  const ratio =
    progress.totalItems > 0 ? Math.min(1, done / progress.totalItems) : progress.phase === 'done' ? 1 : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${progress.totalItems} ok ${progress.successful} failed ${progress.failed} (${progress.phase})`;
}
