// Receipt file types: Pleo's `files[].type` is "usually represented similar to a MIME type", so it is
// normalised first; a file's first bytes then tell whether the content is what was declared.

/** The formats Pleo accepts for receipts, with the signature ("magic") their content starts with. */
const KNOWN_TYPES: Record<string, { extension: string; magic?: Magic }> = {
  'application/pdf': { extension: 'pdf', magic: 'pdf' },
  'image/jpeg': { extension: 'jpg', magic: 'jpeg' },
  'image/png': { extension: 'png', magic: 'png' },
  'text/plain': { extension: 'txt' },
  'application/msword': { extension: 'doc', magic: 'ole' },
  'application/vnd.ms-excel': { extension: 'xls', magic: 'ole' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extension: 'docx',
    magic: 'zip',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extension: 'xlsx', magic: 'zip' },
  'application/zip': { extension: 'zip', magic: 'zip' },
};

type Magic = 'pdf' | 'jpeg' | 'png' | 'zip' | 'ole';

const ALIASES: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  png: 'image/png',
  txt: 'text/plain',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/x-zip-compressed': 'application/zip',
};

/** `image/JPG; q=1`, `.jpg` and `jpeg` all become `image/jpeg`; unknown types are kept, lower-cased. */
export function normaliseType(declared: string): string {
  const bare = declared.split(';')[0]!.trim().toLowerCase().replace(/^\./, '');
  return ALIASES[bare] ?? bare;
}

export function extensionFor(type: string): string {
  return KNOWN_TYPES[type]?.extension ?? 'bin';
}

/** Types pdf-lib can turn into PDF pages. */
export function isPdfPageSource(type: string): boolean {
  return type === 'application/pdf' || type === 'image/jpeg' || type === 'image/png';
}

/** Bytes needed by `sniff`. */
export const SNIFF_BYTES = 8;

/** The signature a file's first bytes show; undefined when it is none we know. */
export function sniff(head: Buffer): Magic | undefined {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ole';
  return undefined;
}

const GENERIC_CONTENT_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export interface TypeMismatch {
  why: string;
  /** The content is a receipt format we know, only not the declared one (rather than, say, an error page). */
  otherReceiptFormat: boolean;
}

/**
 * How the downloaded content differs from the declared type, or undefined when it matches. The bytes
 * decide when they carry a signature; for formats without one (plain text) the server's Content-Type
 * must not name another type (an HTML error page served with 200 is not a receipt).
 */
export function typeMismatch(
  declared: string,
  head: Buffer,
  contentType: string | null,
): TypeMismatch | undefined {
  const expected = KNOWN_TYPES[declared]?.magic;
  const actual = sniff(head);
  if (actual && actual !== expected)
    return { why: `its content is ${describe(actual)}`, otherReceiptFormat: true };
  if (!actual && expected)
    return { why: `its content is not ${describe(expected)}`, otherReceiptFormat: false };
  const served = normaliseType(contentType ?? '');
  if (!actual && !GENERIC_CONTENT_TYPES.has(served) && served !== declared) {
    return { why: `the server sent it as ${served}`, otherReceiptFormat: false };
  }
  return undefined;
}

function describe(magic: Magic): string {
  return {
    pdf: 'a PDF',
    jpeg: 'a JPEG image',
    png: 'a PNG image',
    zip: 'a ZIP-based file',
    ole: 'a legacy Office file',
  }[magic];
}
