// Receipts downloaded from a real HTTP server on loopback serving the sandbox's receipt bytes: outcomes
// are asserted on the files written, the requests the server saw and the bytes it sent.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import type { Capabilities } from '../../src/accounting-systems/port';
import {
  DEFAULT_RECEIPT_POLICY,
  cleanupReceipts,
  fetchReceipts,
  type ReceiptPolicy,
} from '../../src/receipts';
import { jpegBytes, pdfBytes, pngBytes } from '@pleo-export/pleo-sandbox/files';
import { startFileServer, type FileServer } from '../support/file-server';

const MB = 1024 * 1024;
const MANY: Capabilities['attachments'] = { mode: 'many', maxBytes: 100 * MB, types: [] };
const ONE_PDF: Capabilities['attachments'] = { mode: 'one', maxBytes: 100 * MB, types: ['application/pdf'] };

let server: FileServer;
let workDir: string;
let policy: ReceiptPolicy;
beforeAll(async () => {
  server = await startFileServer();
  policy = {
    ...DEFAULT_RECEIPT_POLICY,
    allowedHosts: [server.host],
    allowInsecureHosts: [server.host],
    retryDelayMs: 10,
  };
});
afterAll(() => server.close());
beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'receipts-'));
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

let itemCounter = 0;
function receipts(
  files: { path: string; type: string; size?: number }[],
  options: {
    target?: Capabilities['attachments'];
    policy?: Partial<ReceiptPolicy>;
    accountingEntryId?: string;
  } = {},
) {
  const accountingEntryId =
    options.accountingEntryId ?? `00000000-0000-4000-8000-${String(++itemCounter).padStart(12, '0')}`;
  return fetchReceipts(
    {
      accountingEntryId,
      files: files.map((f) => ({
        url: f.path.startsWith('http') ? f.path : server.url + f.path,
        type: f.type,
        size: f.size ?? 1000,
      })),
    },
    options.target ?? MANY,
    { ...policy, ...options.policy },
    workDir,
  );
}

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const leftInWorkDir = () => readdirSync(workDir);

async function imagePageCount(pdf: PDFDocument): Promise<number> {
  return pdf.getPages().filter((page) => {
    const xObjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    return xObjects?.values().some((ref) => {
      const object = pdf.context.lookup(ref);
      return object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image');
    });
  }).length;
}

describe('downloads', () => {
  test.each([
    ['PDF', '/files/pdf/r.pdf', 'application/pdf', () => pdfBytes()],
    ['JPEG', '/files/jpeg/r.jpg', 'image/jpeg', async () => jpegBytes()],
    ['PNG', '/files/png/r.png', 'image/png', async () => pngBytes()],
  ])('a %s receipt is stored byte for byte under a deterministic key', async (_name, path, type, bytes) => {
    const id = '11111111-1111-4111-8111-111111111111';
    const first = await receipts([{ path, type }], { accountingEntryId: id });
    const again = await receipts([{ path, type }], { accountingEntryId: id });
    if (!first.ok || !again.ok) throw new Error('expected both downloads to succeed');
    expect(first.files).toHaveLength(1);
    const [file] = first.files;
    const expected = await bytes();
    expect(readFileSync(file!.path).equals(expected)).toBe(true);
    expect(file).toMatchObject({
      contentType: type,
      size: expected.length,
      key: `${id}-0-${sha256(expected).slice(0, 16)}`,
    });
    expect(again.files[0]!.key).toBe(file!.key);
    await cleanupReceipts([...first.files, ...again.files]);
    expect(leftInWorkDir()).toEqual([]);
  });

  test('several receipts of one item are all kept, in upload order, when the target takes many', async () => {
    const result = await receipts([
      { path: '/files/pdf/a.pdf', type: 'application/pdf' },
      { path: '/files/jpeg/b.jpg', type: 'jpg' }, // Pleo's type is only "similar to a MIME type"
      { path: '/files/png/c.png', type: 'image/png' },
    ]);
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.files.map((f) => [f.fileName, f.contentType])).toEqual([
      ['receipt-1.pdf', 'application/pdf'],
      ['receipt-2.jpg', 'image/jpeg'],
      ['receipt-3.png', 'image/png'],
    ]);
    expect(new Set(result.files.map((f) => f.key)).size).toBe(3);
    await cleanupReceipts(result.files);
    expect(leftInWorkDir()).toEqual([]);
  });

  test('a receipt whose body runs past the size cap is cut off near the cap, not read to the end', async () => {
    const path = '/files/large/1073741824-big.pdf'; // 1 GB, declared (wrongly) as 1000 bytes
    const result = await receipts([{ path, type: 'application/pdf', size: 1000 }], {
      policy: { maxBytes: 1 * MB },
    });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_file_size_limit_exceeded' } });
    const served = await server.whenServed(path);
    expect(served.complete).toBe(false);
    // What the server pushed before the cut: the 1 MB cap plus what the loopback socket buffers took in
    // (the kernel may grow a receive buffer to tcp_rmem's maximum, 32 MB here), never the whole gigabyte.
    expect(served.bytesSent).toBeLessThan(1 * MB + 48 * MB);
    expect(leftInWorkDir()).toEqual([]);
  });

  test('a receipt declared over the limit is refused without being downloaded', async () => {
    const path = '/files/large/41943040-declared.pdf';
    const result = await receipts([{ path, type: 'application/pdf', size: 40 * MB }]);
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_file_size_limit_exceeded' } });
    if (!result.ok) expect(result.failure.message).toMatch(/40 MB, exceeds the 30 MB limit/);
    expect(server.requests).not.toContain(path);
  });

  test("the target's own size limit applies when it is lower than Pleo's", async () => {
    const result = await receipts(
      [{ path: '/files/large/2097152-two-mb.pdf', type: 'application/pdf', size: 2 * MB }],
      {
        target: { ...MANY, maxBytes: 1 * MB },
      },
    );
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_file_size_limit_exceeded' } });
  });

  test('a receipt in another format than declared fails with receipt_conversion_failure', async () => {
    const result = await receipts([{ path: '/files/wrong-type/scan.pdf', type: 'application/pdf' }]);
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_conversion_failure' } });
    if (!result.ok)
      expect(result.failure.message).toMatch(/declared as application\/pdf but its content is a PNG image/);
    expect(leftInWorkDir()).toEqual([]);
  });

  test.each([
    ['application/pdf', /its content is not a PDF/],
    ['text/plain', /the server sent it as text\/html/],
  ])('an HTML page served instead of a %s receipt is a download failure', async (type, why) => {
    const result = await receipts([{ path: '/html', type }]);
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok) expect(result.failure.message).toMatch(why);
    expect(leftInWorkDir()).toEqual([]);
  });

  test('an expired link (403) fails at once, without retries', async () => {
    const path = '/files/expired/old.pdf';
    const result = await receipts([{ path, type: 'application/pdf' }]);
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok) expect(result.failure.message).toMatch(/expired or was revoked \(HTTP 403\)/);
    expect(server.requests.filter((p) => p === path)).toHaveLength(1);
  });

  test('a transient 503 is retried and the receipt then arrives', async () => {
    const path = '/flaky/1/pdf/flaky.pdf';
    const result = await receipts([{ path, type: 'application/pdf' }]);
    if (!result.ok) throw new Error(result.failure.message);
    expect(readFileSync(result.files[0]!.path).equals(await pdfBytes())).toBe(true);
    expect(server.requests.filter((p) => p === path)).toHaveLength(2);
    await cleanupReceipts(result.files);
  });

  test('a host that keeps failing is tried 1 + retries times, then the item fails', async () => {
    const before = server.requests.filter((p) => p === '/down').length;
    const result = await receipts([{ path: '/down', type: 'application/pdf' }], { policy: { retries: 2 } });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    expect(server.requests.filter((p) => p === '/down').length - before).toBe(3);
  });

  test('a download that stalls past the deadline fails as a timeout', async () => {
    const result = await receipts([{ path: '/stall', type: 'application/pdf' }], {
      policy: { timeoutMs: 500, retries: 0 },
    });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok) expect(result.failure.message).toMatch(/timed out/);
    expect(leftInWorkDir()).toEqual([]);
  });
});

test('a long download reports progress while it moves, so its activity can heartbeat', async () => {
  let progress = 0;
  const result = await fetchReceipts(
    {
      accountingEntryId: '44444444-4444-4444-8444-444444444444',
      files: [{ url: `${server.url}/slow/500`, type: 'application/pdf', size: 1000 }],
    },
    MANY,
    policy,
    workDir,
    { onProgress: () => progress++ },
  );
  if (!result.ok) throw new Error(result.failure.message);
  expect(readFileSync(result.files[0]!.path).equals(await pdfBytes())).toBe(true);
  expect(progress).toBeGreaterThan(0); // the body took at least 3.5 s to arrive; progress comes every 2 s
  await cleanupReceipts(result.files);
});

test('receipt folders a crashed worker left behind are swept; those of running downloads are kept', async () => {
  const stale = join(workDir, 'left-by-a-crash');
  mkdirSync(stale);
  writeFileSync(join(stale, 'receipt-1.pdf'), '%PDF-');
  const sevenHoursAgo = new Date(Date.now() - 7 * 60 * 60 * 1000);
  utimesSync(stale, sevenHoursAgo, sevenHoursAgo);
  mkdirSync(join(workDir, 'in-progress'));
  const result = await receipts([{ path: '/files/pdf/sweep.pdf', type: 'application/pdf' }]);
  if (!result.ok) throw new Error(result.failure.message);
  await cleanupReceipts(result.files);
  expect(leftInWorkDir()).toEqual(['in-progress']);
});

describe('hosts (no server-side request forgery)', () => {
  test.each([
    [
      'another host name for the same machine',
      (s: FileServer) => `http://localhost:${s.host.split(':')[1]}/files/pdf/ssrf-1.pdf`,
    ],
    ['a cloud metadata address', () => 'https://169.254.169.254/latest/meta-data/ssrf-2'],
    [
      'a look-alike host',
      (s: FileServer) => `https://127.0.0.1.evil.example:${s.host.split(':')[1]}/files/pdf/ssrf-3.pdf`,
    ],
  ])('a link to %s is refused and never contacted', async (_name, link) => {
    const before = server.requests.length;
    const result = await receipts([{ path: link(server), type: 'application/pdf' }]);
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok) expect(result.failure.message).toMatch(/not an allowed Pleo file location/);
    expect(server.requests.length).toBe(before);
  });

  test('plain http is refused on an allowed host unless that host is explicitly allowed insecure', async () => {
    const before = server.requests.length;
    const result = await receipts([{ path: '/files/pdf/http.pdf', type: 'application/pdf' }], {
      policy: { allowInsecureHosts: [] },
    });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    expect(server.requests.length).toBe(before);
  });

  test('a redirect to another host is not followed', async () => {
    const elsewhere = await startFileServer();
    try {
      const to = `${elsewhere.url}/files/pdf/redirected.pdf`;
      const result = await receipts([
        { path: `/redirect?to=${encodeURIComponent(to)}`, type: 'application/pdf' },
      ]);
      expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
      if (!result.ok) expect(result.failure.message).toMatch(/redirected from/);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  test('a redirect within the allowed host is followed', async () => {
    const result = await receipts([
      { path: `/redirect?to=${encodeURIComponent('/files/pdf/moved.pdf')}`, type: 'application/pdf' },
    ]);
    if (!result.ok) throw new Error(result.failure.message);
    expect(readFileSync(result.files[0]!.path).equals(await pdfBytes())).toBe(true);
    await cleanupReceipts(result.files);
  });
});

describe('targets that take one file, or refuse a type', () => {
  test('receipts are merged into one PDF: images become pages, PDFs are appended', async () => {
    const files = [
      { path: '/files/pdf/1.pdf', type: 'application/pdf' },
      { path: '/files/jpeg/2.jpg', type: 'image/jpeg' },
      { path: '/files/png/3.png', type: 'image/png' },
      { path: '/files/pdf/4.pdf', type: 'application/pdf' },
    ];
    const id = '22222222-2222-4222-8222-222222222222';
    const result = await receipts(files, { target: ONE_PDF, accountingEntryId: id });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.files).toHaveLength(1);
    const [merged] = result.files;
    expect(merged).toMatchObject({ contentType: 'application/pdf', fileName: 'receipts.pdf' });
    const pdf = await PDFDocument.load(readFileSync(merged!.path));
    const source = await PDFDocument.load(await pdfBytes());
    expect(pdf.getPageCount()).toBe(2 * source.getPageCount() + 2);
    expect(await imagePageCount(pdf)).toBe(2);

    // A retry merges to the same key and the same bytes: the target recognises the file.
    const again = await receipts(files, { target: ONE_PDF, accountingEntryId: id });
    if (!again.ok) throw new Error(again.failure.message);
    expect(again.files[0]!.key).toBe(merged!.key);
    expect(sha256(readFileSync(again.files[0]!.path))).toBe(sha256(readFileSync(merged!.path)));
    await cleanupReceipts([...result.files, ...again.files]);
    expect(leftInWorkDir()).toEqual([]);
  });

  test('an image is converted to a one-page PDF for a target that only takes PDFs', async () => {
    const result = await receipts([{ path: '/files/png/only.png', type: 'image/png' }], {
      target: { ...MANY, types: ['application/pdf'] },
    });
    if (!result.ok) throw new Error(result.failure.message);
    const pdf = await PDFDocument.load(readFileSync(result.files[0]!.path));
    expect(result.files[0]).toMatchObject({ contentType: 'application/pdf', fileName: 'receipt-1.pdf' });
    expect(pdf.getPageCount()).toBe(1);
    expect(await imagePageCount(pdf)).toBe(1);
    await cleanupReceipts(result.files);
  });

  test('a type the target refuses and that cannot be converted fails with receipt_conversion_failure', async () => {
    const result = await receipts([{ path: '/text', type: 'text/plain' }], {
      target: { ...MANY, types: ['application/pdf'] },
    });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_conversion_failure' } });
    expect(leftInWorkDir()).toEqual([]);
  });

  test('a ZIP is the last resort when the receipts cannot all become PDF pages', async () => {
    const result = await receipts(
      [
        { path: '/files/pdf/z1.pdf', type: 'application/pdf' },
        { path: '/text', type: 'text/plain' },
      ],
      { target: { ...ONE_PDF, types: ['application/pdf', 'application/zip'] } },
    );
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ contentType: 'application/zip', fileName: 'receipts.zip' });
    // Python's zipfile as an independent reader: names and bytes of every entry.
    const listing = execFileSync('python3', [
      '-c',
      'import sys, zipfile, hashlib; z = zipfile.ZipFile(sys.argv[1]); print("\\n".join(f"{n} {hashlib.sha256(z.read(n)).hexdigest()}" for n in z.namelist()))',
      result.files[0]!.path,
    ]).toString();
    expect(listing.trim().split('\n')).toEqual([
      `receipt-1.pdf ${sha256(await pdfBytes())}`,
      `receipt-2.txt ${sha256(Buffer.from('Taxi 12.50 EUR\n'))}`,
    ]);
    await cleanupReceipts(result.files);
  });

  test('receipts merged past the target limit fail with receipt_file_size_limit_exceeded', async () => {
    const one = (await pdfBytes()).length;
    const result = await receipts(
      [
        { path: '/files/pdf/big1.pdf', type: 'application/pdf' },
        { path: '/files/pdf/big2.pdf', type: 'application/pdf' },
      ],
      { target: { ...ONE_PDF, maxBytes: Math.floor(one * 1.5) } },
    );
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_file_size_limit_exceeded' } });
    expect(leftInWorkDir()).toEqual([]);
  });

  test('a target that stores no files fails the item with receipt_upload_failure, downloading nothing', async () => {
    const before = server.requests.length;
    const result = await receipts([{ path: '/files/pdf/none.pdf', type: 'application/pdf' }], {
      target: { mode: 'none', maxBytes: 0, types: [] },
    });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_upload_failure' } });
    expect(server.requests.length).toBe(before);
  });
});

describe('policy', () => {
  const mixed = [
    { path: '/files/pdf/good.pdf', type: 'application/pdf' },
    { path: '/files/expired/gone.pdf', type: 'application/pdf' },
    { path: '/files/png/good.png', type: 'image/png' },
  ];

  test('fail_item (the default): one bad receipt fails the item and nothing is left on disk', async () => {
    const result = await receipts(mixed);
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok) expect(result.failure.message).toMatch(/^Receipt 2 of 3/);
    expect(leftInWorkDir()).toEqual([]);
  });

  test('book_and_report: the good receipts are kept and the bad one is reported, not dropped', async () => {
    const result = await receipts(mixed, { policy: { onFailure: 'book_and_report' } });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.files.map((f) => f.fileName)).toEqual(['receipt-1.pdf', 'receipt-3.png']);
    expect(result.problems).toEqual([
      { reasonType: 'receipt_download_failure', message: expect.stringMatching(/^Receipt 2 of 3/) },
    ]);
    await cleanupReceipts(result.files);
    expect(leftInWorkDir()).toEqual([]);
  });

  test('book_and_report with nothing usable leaves no files and reports every problem', async () => {
    const result = await receipts(
      [
        { path: '/files/expired/a.pdf', type: 'application/pdf' },
        { path: '/files/wrong-type/b.pdf', type: 'application/pdf' },
      ],
      { policy: { onFailure: 'book_and_report' } },
    );
    expect(result).toMatchObject({ ok: true, files: [] });
    if (result.ok)
      expect(result.problems.map((p) => p.reasonType)).toEqual([
        'receipt_download_failure',
        'receipt_conversion_failure',
      ]);
    expect(leftInWorkDir()).toEqual([]);
  });
});
