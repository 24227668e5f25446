// Receipts (the step that attaches an item's files to its booked entry): downloaded from Pleo's
// time-limited links as soon as the item is processed, streamed to a temporary folder of their own with
// a size cap (never held whole in memory or in workflow history), checked against the declared type, and
// prepared for the target (as they are, converted, or combined into one file). Every problem is logged and either fails the item or
// is returned to be reported with the booked entry: no receipt is dropped silently.
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { AttachmentFile, Capabilities } from '../accounting-systems/port';
import type { ItemFailure } from '../shared/failure-reasons';
import { downloadReceipt } from './download';
import { ReceiptError, megabytes } from './errors';
import { extensionFor, normaliseType } from './file-types';
import type { ReceiptPolicy } from './policy';
import { prepareForTarget, type Receipt } from './prepare';

export { DEFAULT_RECEIPT_POLICY, type ReceiptPolicy } from './policy';

export type ReceiptsResult =
  | { ok: true; files: AttachmentFile[]; problems: ItemFailure[] }
  /** `transient`: the file host kept answering 429/5xx/timeouts through the retries (an outage, not the file). */
  | { ok: false; failure: ItemFailure; transient?: boolean };

/** A receipt folder older than this was left by a crashed worker (downloads are bounded by timeouts). */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
const swept = new Set<string>();

/**
 * Downloads and prepares an item's receipts. On `ok`, the caller attaches `files` and then calls
 * `cleanupReceipts(files)`; on failure nothing is left on disk.
 */
export async function fetchReceipts(
  input: { accountingEntryId: string; files: ({ url: string; type: string; size: number } | null)[] },
  target: Capabilities['attachments'],
  policy: ReceiptPolicy,
  workDir: string,
  deps: {
    logger?: Logger;
    /** Called every few seconds while receipts download: a long download keeps its activity's heartbeat going. */
    onProgress?: () => void;
  } = {},
): Promise<ReceiptsResult> {
  const { accountingEntryId } = input;
  const files = input.files.flatMap((f, index) => (f ? [{ ...f, type: normaliseType(f.type), index }] : []));
  if (files.length === 0) return { ok: true, files: [], problems: [] };

  const problems: ItemFailure[] = [];
  const report = (problem: ReceiptError, fileIndex?: number) => {
    deps.logger?.warn(
      {
        accountingEntryId,
        fileIndex,
        reasonType: problem.failure.reasonType,
        reason: problem.failure.message,
      },
      'receipt problem',
    );
    if (policy.onFailure === 'fail_item') throw problem;
    problems.push(problem.failure);
  };

  let dir: string | undefined;
  try {
    if (target.mode === 'none') {
      report(
        new ReceiptError({
          reasonType: 'receipt_upload_failure',
          message: `The accounting system cannot store receipts, so ${files.length} receipt(s) were not attached; attach them by hand or use a target that accepts files.`,
        }),
      );
      return { ok: true, files: [], problems };
    }
    await sweepStaleOnce(workDir);
    // A folder per call: a retry running next to a timed-out attempt never shares its files.
    dir = await mkdtemp(join(workDir, `${accountingEntryId.replace(/[^A-Za-z0-9-]/g, '_')}-`));
    const limit = Math.min(policy.maxBytes, target.maxBytes);
    const downloaded: Receipt[] = [];
    for (const file of files) {
      const label = `Receipt ${file.index + 1} of ${input.files.length} (${file.type})`;
      try {
        if (file.size > limit) {
          throw new ReceiptError({
            reasonType: 'receipt_file_size_limit_exceeded',
            message: `${label}, ${megabytes(file.size)}, exceeds the ${megabytes(limit)} limit; reduce its size in Pleo and export again.`,
          });
        }
        const fileName = `receipt-${file.index + 1}.${extensionFor(file.type)}`;
        const path = join(dir, fileName);
        const { sha256, size } = await downloadReceipt(file, {
          path,
          limit,
          policy,
          label,
          logger: deps.logger?.child({ accountingEntryId, fileIndex: file.index }),
          onProgress: deps.onProgress,
        });
        const key = `${accountingEntryId}-${file.index}-${sha256.slice(0, 16)}`;
        downloaded.push({ index: file.index, key, fileName, contentType: file.type, path, size });
      } catch (err) {
        if (!(err instanceof ReceiptError)) throw err;
        report(err, file.index);
      }
    }
    const prepared = await prepareForTarget(downloaded, { target, accountingEntryId, dir, report });
    if (prepared.length === 0) await rm(dir, { recursive: true, force: true });
    return { ok: true, files: prepared, problems };
  } catch (err) {
    if (dir) await rm(dir, { recursive: true, force: true });
    if (err instanceof ReceiptError) return { ok: false, failure: err.failure, transient: err.transient };
    throw err;
  }
}

/** Removes the temporary folder `fetchReceipts` made for these files (with any intermediate files). */
export async function cleanupReceipts(files: AttachmentFile[]): Promise<void> {
  await Promise.all(
    [...new Set(files.map((f) => dirname(f.path)))].map((d) => rm(d, { recursive: true, force: true })),
  );
}

/** Once per process: removes receipt folders a crashed worker left behind. */
async function sweepStaleOnce(workDir: string): Promise<void> {
  await mkdir(workDir, { recursive: true });
  if (swept.has(workDir)) return;
  swept.add(workDir);
  const cutoff = Date.now() - STALE_AFTER_MS;
  for (const entry of await readdir(workDir)) {
    const path = join(workDir, entry);
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Infinity }));
    if (mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
  }
}
