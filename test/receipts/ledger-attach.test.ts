// Attaching receipts to the embedded ledger is idempotent per attachment key: the same receipts attached
// again — by the same adapter, or by a new one as after a worker restart — store each file once.
// Asserted on disk (the ledger's documents folder, the ledger file) and by beancount's own bean-check.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { DEFAULT_RECEIPT_POLICY, cleanupReceipts, fetchReceipts } from '../../src/receipts';
import { startFileServer, type FileServer } from '../support/file-server';
import { postTaxiRide } from '../support/booked-entry';

let server: FileServer;
let dir: string;
beforeAll(async () => {
  server = await startFileServer();
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'receipts-ledger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the same receipts attached twice, and again after a restart, are stored once each', async () => {
  const config = { type: 'ledger' as const, dir: join(dir, 'ledger'), fileName: 'ledger.beancount' };
  const accountingEntryId = '33333333-3333-4333-8333-333333333333';
  const files = ['/files/pdf/a.pdf', '/files/jpeg/b.jpg', '/files/png/c.png'].map((path, i) => ({
    url: server.url + path,
    type: ['application/pdf', 'image/jpeg', 'image/png'][i]!,
    size: 1000,
  }));
  const policy = {
    ...DEFAULT_RECEIPT_POLICY,
    allowedHosts: [server.host],
    allowInsecureHosts: [server.host],
  };

  const attachFreshDownload = async (ledger: LedgerAccountingSystem, externalId: string) => {
    const result = await fetchReceipts(
      { accountingEntryId, files },
      ledger.capabilities.attachments,
      policy,
      join(dir, 'work'),
    );
    if (!result.ok) throw new Error(result.failure.message);
    try {
      await ledger.attach(externalId, result.files);
    } finally {
      await cleanupReceipts(result.files);
    }
  };

  const ledger = new LedgerAccountingSystem(config);
  const posted = await postTaxiRide(ledger, accountingEntryId);
  await attachFreshDownload(ledger, posted.externalId);
  await attachFreshDownload(ledger, posted.externalId);
  await ledger.close();
  const restarted = new LedgerAccountingSystem(config);
  await attachFreshDownload(restarted, posted.externalId);
  await restarted.close();

  const stored = readdirSync(join(config.dir, 'documents', posted.externalId));
  expect(stored).toHaveLength(3);
  expect(stored.map((name) => /-(receipt-\d\.\w+)$/.exec(name)?.[1]).sort()).toEqual([
    'receipt-1.pdf',
    'receipt-2.jpg',
    'receipt-3.png',
  ]);
  const ledgerText = readFileSync(join(config.dir, config.fileName), 'utf8');
  expect(ledgerText.match(/^\d{4}-\d\d-\d\d document /gm)).toHaveLength(3);
  expect(await runBeanCheck(join(config.dir, config.fileName))).toEqual([]);
  expect(readdirSync(join(dir, 'work'))).toEqual([]);
});
