// Receipts as PDF pages with pdf-lib: images become pages (scaled down to fit A4), PDFs are appended.
// pdf-lib works on whole files in memory, so callers bound the inputs by the target's size limit.
import { readFile, writeFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import { ReceiptError } from './errors';

/** A4 in PDF points: large phone photos are scaled down to it, small images keep their size. */
const A4 = { width: 595, height: 842 };

/** Writes one PDF holding every source's pages in order; returns its size in bytes. */
export async function writePdf(
  sources: { path: string; contentType: string; fileName: string }[],
  outPath: string,
): Promise<number> {
  // No creation/modification dates: the same receipts always give the same bytes.
  const out = await PDFDocument.create({ updateMetadata: false });
  for (const source of sources) {
    const bytes = await readFile(source.path);
    try {
      if (source.contentType === 'application/pdf') {
        const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
        for (const page of await out.copyPages(pdf, pdf.getPageIndices())) out.addPage(page);
      } else {
        const image =
          source.contentType === 'image/png' ? await out.embedPng(bytes) : await out.embedJpg(bytes);
        const scale = Math.min(1, A4.width / image.width, A4.height / image.height);
        const width = image.width * scale;
        const height = image.height * scale;
        out.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
      }
    } catch (err) {
      throw new ReceiptError({
        reasonType: 'receipt_conversion_failure',
        message: `${source.fileName} (${source.contentType}) could not be turned into PDF pages (${(err as Error).message}); re-upload it in Pleo as a plain PDF or image.`,
      });
    }
  }
  const pdf = await out.save();
  await writeFile(outPath, pdf);
  return pdf.length;
}
