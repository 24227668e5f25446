// Receipt links are checked against the address each connection resolves to, not only the host name:
// an allowed name that resolves to loopback (or an address written in the link) is never connected
// to, also when a redirect leads there; only hosts explicitly allowed as local may be. An empty file
// is no receipt.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RECEIPT_POLICY, fetchReceipts, type ReceiptPolicy } from '../../src/receipts';
import { isInternalAddress } from '../../src/receipts/addresses';
import { startFileServer, type FileServer } from '../support/file-server';

/** A TCP listener on loopback that only counts the connections made to it. */
async function connectionCounter(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let files: FileServer;
let workDir: string;
beforeAll(async () => {
  files = await startFileServer();
});
afterAll(() => files.close());
beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'receipt-addresses-'));
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

function fetchOne(url: string, policy: Partial<ReceiptPolicy>, type = 'application/pdf') {
  return fetchReceipts(
    { accountingEntryId: '00000000-0000-4000-8000-000000000001', files: [{ url, type, size: 1000 }] },
    { mode: 'many', maxBytes: 100 * 1024 * 1024, types: [] },
    { ...DEFAULT_RECEIPT_POLICY, retryDelayMs: 10, ...policy },
    workDir,
  );
}

test('an allowed host name that resolves to loopback is never connected to', async () => {
  const target = await connectionCounter();
  try {
    const host = `localhost:${target.port}`;
    const result = await fetchOne(`https://${host}/receipt.pdf`, { allowedHosts: [host] });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok)
      expect(result.failure.message).toMatch(
        new RegExp(`its host localhost resolves to (127\\.0\\.0\\.1|::1), an internal address`),
      );
    expect(target.connections()).toBe(0);
  } finally {
    await target.close();
  }
});

test('an internal address written in the link is refused before connecting', async () => {
  const target = await connectionCounter();
  try {
    const host = `127.0.0.1:${target.port}`;
    const result = await fetchOne(`https://${host}/receipt.pdf`, { allowedHosts: [host] });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok) expect(result.failure.message).toContain(`resolves to 127.0.0.1, an internal address`);
    expect(target.connections()).toBe(0);
  } finally {
    await target.close();
  }
});

test('a redirect from an allowed local host to an allowed name resolving to loopback is not followed', async () => {
  const target = await connectionCounter();
  try {
    const host = `localhost:${target.port}`;
    const to = `https://${host}/receipt.pdf`;
    const result = await fetchOne(`${files.url}/redirect?to=${encodeURIComponent(to)}`, {
      allowedHosts: [files.host, host],
      allowInsecureHosts: [files.host],
    });
    expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
    if (!result.ok) expect(result.failure.message).toMatch(/resolves to .*an internal address/);
    expect(files.requests).toContain('/redirect');
    expect(target.connections()).toBe(0);
  } finally {
    await target.close();
  }
});

test('a host explicitly allowed as local (the demo sandbox) is still fetched', async () => {
  const result = await fetchOne(`${files.url}/files/pdf/local.pdf`, {
    allowedHosts: [files.host],
    allowInsecureHosts: [files.host],
  });
  expect(result.ok).toBe(true);
});

test('receipts from one host share a kept-open connection; a cut-off transfer does not leave its socket for reuse', async () => {
  const local = { allowedHosts: [files.host], allowInsecureHosts: [files.host] };
  const before = files.connections();
  for (const name of ['a', 'b', 'c'])
    expect((await fetchOne(`${files.url}/files/pdf/${name}.pdf`, local)).ok).toBe(true);
  // At most one new connection: an earlier test's may still be open for reuse.
  const opened = files.connections() - before;
  expect(opened).toBeLessThanOrEqual(1);

  // The stalled body is cut by the deadline: its connection is closed, and the next download opens one.
  const stalled = await fetchOne(`${files.url}/stall`, { ...local, timeoutMs: 200, retries: 0 });
  expect(stalled.ok).toBe(false);
  expect((await fetchOne(`${files.url}/files/pdf/d.pdf`, local)).ok).toBe(true);
  expect(files.connections() - before).toBe(opened + 1);
});

test('an empty receipt fails with receipt_download_failure instead of being attached', async () => {
  const result = await fetchOne(
    `${files.url}/empty`,
    { allowedHosts: [files.host], allowInsecureHosts: [files.host] },
    'text/plain',
  );
  expect(result).toMatchObject({
    ok: false,
    failure: {
      reasonType: 'receipt_download_failure',
      message: expect.stringContaining('the file Pleo served is empty'),
    },
  });
});

test('a refused connection names the address', async () => {
  const target = await connectionCounter();
  const host = `127.0.0.1:${target.port}`;
  await target.close();
  const result = await fetchOne(`http://${host}/gone.pdf`, {
    allowedHosts: [host],
    allowInsecureHosts: [host],
    retries: 0,
  });
  expect(result).toMatchObject({ ok: false, failure: { reasonType: 'receipt_download_failure' } });
  if (!result.ok) expect(result.failure.message).toContain(`ECONNREFUSED ${host}`);
});

test.each([
  ['127.0.0.1', true],
  ['10.20.30.40', true],
  ['172.31.255.1', true],
  ['192.168.1.1', true],
  ['169.254.169.254', true],
  ['100.64.0.1', true],
  ['0.0.0.0', true],
  ['::1', true],
  ['fe80::1', true],
  ['fd00::1', true],
  ['::ffff:127.0.0.1', true],
  ['::ffff:10.0.0.1', true],
  ['8.8.8.8', false],
  ['172.32.0.1', false],
  ['2a00:1450:4001:80b::200e', false],
])('%s is internal: %s', (address, internal) => {
  expect(isInternalAddress(address)).toBe(internal);
});
