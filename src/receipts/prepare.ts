// Downloaded receipts → the files the target can store (one or several, in the types it accepts): every
// receipt as it is when the target takes several; one PDF (images as pages, PDFs appended) when it
// takes one, a ZIP only when that is impossible; a type the target refuses is converted to PDF, or
// reported as `receipt_conversion_failure`.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AttachmentFile, Capabilities } from '../accounting-systems/port';
import { isPdfPageSource } from './file-types';
import { ReceiptError, megabytes } from './errors';
import { writePdf } from './pdf';
import { writeZip } from './zip';

export interface Receipt extends AttachmentFile {
  /** Position in the export item's `files[]`. */
  index: number;
}

export interface PrepareContext {
  target: Capabilities['attachments'];
  accountingEntryId: string;
  dir: string;
  /** Records a receipt problem, or throws it when the policy fails the item. */
  report: (problem: ReceiptError) => void;
}

const PDF = 'application/pdf';
const ZIP = 'application/zip';

export async function prepareForTarget(
  receipts: Receipt[],
  context: PrepareContext,
): Promise<AttachmentFile[]> {
  const { target, report } = context;
  // An empty list means the target takes any type.
  const accepts = (type: string) => target.types.length === 0 || target.types.includes(type);

  if (target.mode === 'many' || receipts.length <= 1) {
    const files: AttachmentFile[] = [];
    for (const receipt of receipts) {
      if (accepts(receipt.contentType)) files.push(receipt);
      else if (accepts(PDF) && isPdfPageSource(receipt.contentType)) {
        const converted = await combine([receipt], 'pdf', context, {
          key: receipt.key,
          fileName: `receipt-${receipt.index + 1}.pdf`,
        });
        if (converted) files.push(converted);
      } else report(refused(receipt, target));
    }
    return files;
  }

  const pageable = accepts(PDF) ? receipts.filter((r) => isPdfPageSource(r.contentType)) : [];
  if (pageable.length === receipts.length) return present(await combine(receipts, 'pdf', context));
  if (accepts(ZIP)) return present(await combine(receipts, 'zip', context));
  for (const receipt of receipts.filter((r) => !pageable.includes(r))) report(refused(receipt, target));
  return pageable.length > 0 ? present(await combine(pageable, 'pdf', context)) : [];
}

function present(file: AttachmentFile | undefined): AttachmentFile[] {
  return file ? [file] : [];
}

function refused(receipt: Receipt, target: Capabilities['attachments']): ReceiptError {
  return new ReceiptError({
    reasonType: 'receipt_conversion_failure',
    message: `${receipt.fileName} is ${receipt.contentType}, which the accounting system does not accept (it takes ${target.types.join(', ')}${target.mode === 'one' ? ', one file per entry' : ''}) and which cannot be converted to a type it does.`,
  });
}

/**
 * One PDF or ZIP from `receipts`, within the target's size limit. pdf-lib builds a PDF in memory (the
 * inputs' bytes, their parsed objects and the output), so the inputs are bounded by that limit first:
 * a merge costs a small multiple of the target's limit, once per item. A ZIP is streamed from disk.
 * The key derives from the receipts' own keys, so a retry recognises the combined file.
 */
async function combine(
  receipts: Receipt[],
  kind: 'pdf' | 'zip',
  context: PrepareContext,
  name?: { key: string; fileName: string },
): Promise<AttachmentFile | undefined> {
  const { target, accountingEntryId, dir, report } = context;
  const inputBytes = receipts.reduce((sum, r) => sum + r.size, 0);
  const tooLarge = (bytes: number) =>
    new ReceiptError({
      reasonType: 'receipt_file_size_limit_exceeded',
      message: `${receipts.map((r) => r.fileName).join(', ')} as one ${kind.toUpperCase()} would be ${megabytes(bytes)}, over the accounting system's ${megabytes(target.maxBytes)} limit; reduce their size in Pleo and export again.`,
    });
  if (kind === 'pdf' && inputBytes > target.maxBytes) {
    report(tooLarge(inputBytes));
    return undefined;
  }
  const digest = createHash('sha256')
    .update(receipts.map((r) => r.key).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const { key, fileName } = name ?? {
    key: `${accountingEntryId}-${kind}-${digest}`,
    fileName: `receipts.${kind}`,
  };
  const path = join(dir, `${key}.${kind}`);
  let size: number;
  try {
    size = kind === 'pdf' ? await writePdf(receipts, path) : await writeZip(receipts, path);
  } catch (err) {
    if (!(err instanceof ReceiptError)) throw err;
    report(err);
    return undefined;
  }
  if (size > target.maxBytes) {
    report(tooLarge(size));
    return undefined;
  }
  return { key, fileName, contentType: kind === 'pdf' ? PDF : ZIP, path, size };
}
