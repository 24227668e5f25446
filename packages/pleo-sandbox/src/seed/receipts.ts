// Receipt entries (`files[]`) pointing at the sandbox's file routes: `${base}/files/<kind>/<name>`.
// Declared sizes are what the sandbox serves (packages/pleo-sandbox/src/files.ts), so a size check can be exact.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { jpegBytes, pngBytes } from '../files';

export type ReceiptFile = NonNullable<NonNullable<ExportItem['files']>[number]>;
export type ValidReceiptKind = 'pdf' | 'jpeg' | 'png';
export type ReceiptFaultKind = 'expired' | 'not_allowed_host' | 'large' | 'wrong_type';

/** Byte size of the sandbox's PDF receipt (pdfBytes() is async; a test keeps this in step with it). */
export const PDF_RECEIPT_SIZE = 869;
/** Over Pleo's 30 MB (30 × 1024 × 1024 bytes) cap per file. */
export const LARGE_RECEIPT_SIZE = 31_500_000;
/** A host that is not one of Pleo's file hosts: a receipt there must never be fetched. */
export const NOT_ALLOWED_RECEIPT_HOST = 'files.not-pleo.example';

let imageSizes: { jpeg: number; png: number } | undefined;
const sizes = () => (imageSizes ??= { jpeg: jpegBytes().length, png: pngBytes().length });

const EXTENSION: Record<ValidReceiptKind, string> = { pdf: 'pdf', jpeg: 'jpg', png: 'png' };
const TYPE: Record<ValidReceiptKind, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

export function validReceipt(base: string, kind: ValidReceiptKind, name: string): ReceiptFile {
  const size = kind === 'pdf' ? PDF_RECEIPT_SIZE : sizes()[kind];
  return { url: `${base}/files/${kind}/${name}.${EXTENSION[kind]}`, type: TYPE[kind], size };
}

/** A receipt that must fail its item, each in one specific way. */
export function faultyReceipt(base: string, fault: ReceiptFaultKind, name: string): ReceiptFile {
  switch (fault) {
    case 'expired':
      return { url: `${base}/files/expired/${name}.pdf`, type: 'application/pdf', size: PDF_RECEIPT_SIZE };
    case 'not_allowed_host':
      return {
        url: `https://${NOT_ALLOWED_RECEIPT_HOST}/${name}.pdf`,
        type: 'application/pdf',
        size: PDF_RECEIPT_SIZE,
      };
    case 'large':
      return {
        url: `${base}/files/large/${LARGE_RECEIPT_SIZE}-${name}.pdf`,
        type: 'application/pdf',
        size: LARGE_RECEIPT_SIZE,
      };
    case 'wrong_type':
      // Served as PNG bytes, declared a PDF.
      return { url: `${base}/files/wrong-type/${name}.pdf`, type: 'application/pdf', size: sizes().png };
  }
}

/** Which designed receipt fault a file carries, read from its link alone. */
export function receiptFaultOf(file: ReceiptFile): ReceiptFaultKind | undefined {
  if (file.url.startsWith(`https://${NOT_ALLOWED_RECEIPT_HOST}/`)) return 'not_allowed_host';
  const kind = /\/files\/([a-z-]+)\/[^/]+$/.exec(file.url)?.[1];
  if (kind === 'expired') return 'expired';
  if (kind === 'large') return 'large';
  if (kind === 'wrong-type') return 'wrong_type';
  return undefined;
}
