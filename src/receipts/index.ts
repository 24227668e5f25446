// Receipts: downloaded from Pleo's time-limited links as soon as the item is processed, streamed to a
// temporary file with a size cap (never held whole in memory or in workflow history), checked against
// the declared type, and prepared for the target (as they are, or merged into one PDF).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import axios from 'axios';
import type { Logger } from 'pino';
import { PDFDocument } from 'pdf-lib';
import type { AttachmentFile, Capabilities } from '../accounting-systems/port';
import type { ItemFailure } from '../shared/failure-reasons';

export interface ReceiptPolicy {
  onFailure: 'fail_item' | 'book_and_report';
  /** Pleo's limit is 30 MB per file; the target's own limit applies too. */
  maxBytes: number;
  timeoutMs: number;
  retries: number;
  /** Exact hosts (host[:port]) receipts may be fetched from; https only… */
  allowedHosts: string[];
  /** …except these (the local sandbox on loopback). */
  allowInsecureHosts?: string[];
}

export const DEFAULT_RECEIPT_POLICY: ReceiptPolicy = {
  onFailure: 'fail_item',
  maxBytes: 30 * 1024 * 1024,
  timeoutMs: 60_000,
  retries: 2,
  allowedHosts: [],
};

export type ReceiptsResult =
  | { ok: true; files: AttachmentFile[]; problems: ItemFailure[] }
  | { ok: false; failure: ItemFailure };

class ReceiptError extends Error {
  constructor(readonly failure: ItemFailure, readonly transient = false) {
    super(failure.message);
  }
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'text/plain': 'txt',
};

/** The type a file's first bytes show; undefined when it is not one we can tell. */
export function sniffType(head: Buffer): string | undefined {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export async function fetchReceipts(
  input: { accountingEntryId: string; files: ({ url: string; type: string; size: number } | null)[] },
  target: Capabilities['attachments'],
  policy: ReceiptPolicy,
  workDir: string,
  deps: { logger?: Logger } = {},
): Promise<ReceiptsResult> {
  const files = input.files.flatMap((f, index) => (f ? [{ ...f, index }] : []));
  if (files.length === 0) return { ok: true, files: [], problems: [] };
  const dir = join(workDir, input.accountingEntryId);
  await mkdir(dir, { recursive: true });
  const downloaded: AttachmentFile[] = [];
  const problems: ItemFailure[] = [];
  const limit = Math.min(policy.maxBytes, target.maxBytes);
  try {
    for (const file of files) {
      const label = `Receipt ${file.index + 1} of ${files.length} (${file.type})`;
      try {
        downloaded.push(await download(file, label, dir, input.accountingEntryId, limit, policy));
      } catch (err) {
        if (!(err instanceof ReceiptError)) throw err;
        deps.logger?.warn({ accountingEntryId: input.accountingEntryId, fileIndex: file.index, reason: err.failure.reasonType }, 'receipt problem');
        if (policy.onFailure === 'fail_item') throw err;
        problems.push(err.failure);
      }
    }
    if (target.mode === 'none' && downloaded.length > 0) {
      throw new ReceiptError({
        reasonType: 'receipt_upload_failure',
        message: 'The accounting system cannot store receipts; choose an attachment setting that books without them, or a target that accepts files.',
      });
    }
    const prepared = target.mode === 'one' && downloaded.length > 1 ? [await mergeToPdf(downloaded, dir, input.accountingEntryId)] : downloaded;
    return { ok: true, files: prepared, problems };
  } catch (err) {
    await cleanupReceipts(downloaded);
    if (err instanceof ReceiptError) return { ok: false, failure: err.failure };
    throw err;
  }
}

async function download(
  file: { url: string; type: string; size: number; index: number },
  label: string,
  dir: string,
  accountingEntryId: string,
  limit: number,
  policy: ReceiptPolicy,
): Promise<AttachmentFile> {
  let url: URL;
  try {
    url = new URL(file.url);
  } catch {
    throw new ReceiptError({ reasonType: 'receipt_download_failure', message: `${label} has an invalid download link; re-upload it in Pleo.` });
  }
  const insecureOk = policy.allowInsecureHosts?.includes(url.host) && url.protocol === 'http:';
  if (!policy.allowedHosts.includes(url.host) || !(url.protocol === 'https:' || insecureOk)) {
    // Only Pleo's own file hosts: a crafted link must not make the worker fetch internal addresses.
    throw new ReceiptError({ reasonType: 'receipt_download_failure', message: `${label} is hosted on ${url.host}, which is not an allowed Pleo file host; it was not downloaded.` });
  }
  if (file.size > limit) {
    throw new ReceiptError({
      reasonType: 'receipt_file_size_limit_exceeded',
      message: `${label}, ${mb(file.size)}, exceeds the ${mb(limit)} limit; reduce its size in Pleo and export again.`,
    });
  }
  const path = join(dir, `${file.index}.${EXTENSIONS[file.type] ?? 'bin'}`);
  for (let attempt = 0; ; attempt++) {
    try {
      const hash = await streamToFile(url, path, limit, policy.timeoutMs, label);
      const head = Buffer.alloc(8);
      const handle = await open(path, 'r');
      await handle.read(head, 0, 8, 0).finally(() => handle.close());
      const actual = sniffType(head);
      if (actual && actual !== file.type) {
        throw new ReceiptError({ reasonType: 'receipt_conversion_failure', message: `${label} is declared as ${file.type} but its content is ${actual}; re-upload the receipt in Pleo.` });
      }
      if (!actual && file.type in EXTENSIONS && file.type !== 'text/plain') {
        throw new ReceiptError({ reasonType: 'receipt_conversion_failure', message: `${label} is declared as ${file.type} but its content is not; re-upload the receipt in Pleo.` });
      }
      const size = (await stat(path)).size;
      return {
        key: `${accountingEntryId}-${file.index}-${hash.slice(0, 16)}`,
        fileName: `receipt-${file.index + 1}.${EXTENSIONS[file.type] ?? 'bin'}`,
        contentType: file.type,
        path,
        size,
      };
    } catch (err) {
      const transient = err instanceof ReceiptError ? err.transient : true;
      if (!transient || attempt >= policy.retries) {
        throw err instanceof ReceiptError
          ? err
          : new ReceiptError({ reasonType: 'receipt_download_failure', message: `${label} could not be downloaded (${(err as Error).message}); export again.` });
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

/** Streams the body to disk, hashing as it goes and aborting as soon as the size cap is passed. */
async function streamToFile(url: URL, path: string, limit: number, timeoutMs: number, label: string): Promise<string> {
  const response = await axios.get(url.href, { responseType: 'stream', timeout: timeoutMs, maxRedirects: 0, validateStatus: () => true });
  if (response.status !== 200) {
    (response.data as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    const expired = response.status === 403 || response.status === 404 || response.status === 410;
    throw new ReceiptError(
      {
        reasonType: 'receipt_download_failure',
        message: expired
          ? `${label} could not be downloaded: its link has expired or was revoked (HTTP ${response.status}); export the item again to get a fresh link.`
          : `${label} could not be downloaded (HTTP ${response.status}).`,
      },
      response.status >= 500 || response.status === 429,
    );
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) {
        callback(new ReceiptError({ reasonType: 'receipt_file_size_limit_exceeded', message: `${label} is larger than the ${mb(limit)} limit; reduce its size in Pleo and export again.` }));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  await pipeline(response.data as NodeJS.ReadableStream, guard, createWriteStream(path));
  return hash.digest('hex');
}

/** One PDF from several receipts, for targets that take a single file: images become pages, PDFs are appended. */
export async function mergeToPdf(files: AttachmentFile[], dir: string, accountingEntryId: string): Promise<AttachmentFile> {
  const merged = await PDFDocument.create();
  for (const file of files) {
    const bytes = await readFile(file.path);
    try {
      if (file.contentType === 'application/pdf') {
        const source = await PDFDocument.load(bytes);
        for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
      } else if (file.contentType === 'image/jpeg' || file.contentType === 'image/png') {
        const image = file.contentType === 'image/png' ? await merged.embedPng(bytes) : await merged.embedJpg(bytes);
        const page = merged.addPage([image.width, image.height]);
        page.drawImage(image, { x: 0, y: 0, width: image.width, height: image.height });
      } else {
        throw new Error(`${file.contentType} cannot be put into a PDF`);
      }
    } catch (err) {
      throw new ReceiptError({ reasonType: 'receipt_conversion_failure', message: `${file.fileName} could not be merged into one PDF (${(err as Error).message}); the accounting system takes a single file per entry.` });
    }
  }
  const path = join(dir, 'receipts-merged.pdf');
  const bytes = await merged.save();
  await writeFile(path, bytes);
  const hash = createHash('sha256').update(bytes).digest('hex');
  return { key: `${accountingEntryId}-merged-${hash.slice(0, 16)}`, fileName: 'receipts.pdf', contentType: 'application/pdf', path, size: bytes.length };
}

export async function cleanupReceipts(files: AttachmentFile[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f.path, { force: true })));
}
