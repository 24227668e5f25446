// Receipt files the sandbox serves behind time-limited links, like Pleo's: real PDF, JPEG and PNG bytes
// (generated deterministically), large files streamed on demand, and a wrong-declared-type variant.
// Routes in routes/files.ts.
import { Readable } from 'node:stream';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export type ReceiptKind = 'pdf' | 'jpeg' | 'png' | 'large' | 'wrong-type';

export const CONTENT_TYPES: Record<Exclude<ReceiptKind, 'large' | 'wrong-type'>, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

function image(width: number, height: number, seed: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (seed * 37 + i) % 256;
    data[i * 4 + 1] = (seed * 91 + (i >> 3)) % 256;
    data[i * 4 + 2] = 200;
    data[i * 4 + 3] = 255;
  }
  return data;
}

// Encoded once per seed: setting up jpeg-js's encoder on every request was most of the sandbox's busy
// time in the bench, which then measured the stand-in instead of the export. The bytes depend on the
// seed alone, so a cached copy is what a fresh encode would give; callers only read it.
const jpegCache = new Map<number, Buffer>();
const pngCache = new Map<number, Buffer>();

function once(cache: Map<number, Buffer>, seed: number, encode: () => Buffer): Buffer {
  let bytes = cache.get(seed);
  if (!bytes) cache.set(seed, (bytes = encode()));
  return bytes;
}

export function jpegBytes(seed = 1): Buffer {
  return once(jpegCache, seed, () =>
    Buffer.from(jpeg.encode({ data: image(32, 24, seed), width: 32, height: 24 }, 80).data),
  );
}

export function pngBytes(seed = 2): Buffer {
  return once(pngCache, seed, () => {
    const png = new PNG({ width: 24, height: 32 });
    image(24, 32, seed).copy(png.data);
    return PNG.sync.write(png);
  });
}

let pdfCache: Promise<Buffer> | undefined;
export function pdfBytes(): Promise<Buffer> {
  pdfCache ??= (async () => {
    const doc = await PDFDocument.create();
    doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
    doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
    const page = doc.addPage([300, 200]);
    page.drawText('Receipt (Pleo sandbox)', {
      x: 20,
      y: 150,
      size: 14,
      font: await doc.embedFont(StandardFonts.Helvetica),
    });
    return Buffer.from(await doc.save());
  })();
  return pdfCache;
}

/** The path of a receipt link: `/files/<kind>/<name>`; for `large` the name starts with the byte size. */
export function receiptPath(kind: ReceiptKind | 'expired', name: string): string {
  return `/files/${kind}/${name}`;
}

const EXTENSION_TYPES: Record<string, string> = {
  pdf: CONTENT_TYPES.pdf,
  jpg: CONTENT_TYPES.jpeg,
  jpeg: CONTENT_TYPES.jpeg,
  png: CONTENT_TYPES.png,
};

export type ReceiptAnswer =
  { status: 200; type: string; body: Buffer | Readable; size: number } | { status: 403 | 404 };

/**
 * What a receipt link serves, from its kind and name alone (like a signed URL, no state): real bytes;
 * `wrong-type` is PNG bytes under the type its name declares; `large` streams the size in its name;
 * `expired` is a link whose signature has lapsed (403, as S3-style stores answer).
 */
export async function openReceipt(kind: string, name: string): Promise<ReceiptAnswer> {
  const declared = EXTENSION_TYPES[name.split('.').pop()?.toLowerCase() ?? ''];
  switch (kind) {
    case 'expired':
      return { status: 403 };
    case 'pdf': {
      const body = await pdfBytes();
      return { status: 200, type: CONTENT_TYPES.pdf, body, size: body.length };
    }
    case 'jpeg': {
      const body = jpegBytes();
      return { status: 200, type: CONTENT_TYPES.jpeg, body, size: body.length };
    }
    case 'png':
    case 'wrong-type': {
      const body = pngBytes();
      return {
        status: 200,
        type: kind === 'png' ? CONTENT_TYPES.png : (declared ?? CONTENT_TYPES.pdf),
        body,
        size: body.length,
      };
    }
    case 'large': {
      const size = Number(/^(\d+)-/.exec(name)?.[1]);
      if (!Number.isSafeInteger(size) || size <= 0) return { status: 404 };
      return { status: 200, type: CONTENT_TYPES.pdf, body: largePdfStream(size), size };
    }
    default:
      return { status: 404 };
  }
}

/**
 * When each receipt link was issued (the sandbox clock when its job was created), so links can expire
 * `fileUrlTtlSeconds` later. Links no job mentions were never issued: 404.
 */
export class ReceiptLinks {
  readonly #issuedAt = new Map<string, number>();

  issue(path: string, atMs: number): void {
    if (!this.#issuedAt.has(path)) this.#issuedAt.set(path, atMs);
  }

  issuedAt(path: string): number | undefined {
    return this.#issuedAt.get(path);
  }
}

/** A PDF-looking stream of `size` bytes, produced chunk by chunk (never held whole). */
function largePdfStream(size: number): Readable {
  const header = Buffer.from('%PDF-1.4\n% sandbox large receipt\n');
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const part = sent === 0 ? header : chunk;
      const n = Math.min(part.length, size - sent);
      sent += n;
      this.push(part.subarray(0, n));
    },
  });
}
