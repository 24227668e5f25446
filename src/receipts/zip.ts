// The last resort for a target that takes one file when the receipts cannot all become one PDF.
// yazl streams each file from disk into the archive, so memory stays flat whatever the sizes.
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/** A fixed timestamp inside the archive: the same receipts always give the same bytes. */
const ENTRY_TIME = new Date('2000-01-01T00:00:00Z');

export async function writeZip(
  sources: { path: string; fileName: string }[],
  outPath: string,
): Promise<number> {
  const zip = new ZipFile();
  for (const source of sources) zip.addFile(source.path, source.fileName, { mtime: ENTRY_TIME });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outPath));
  return (await stat(outPath)).size;
}
