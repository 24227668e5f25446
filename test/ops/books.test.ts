// `pleo-export books` (npm run books) serves the demo ledger in fava from the project's Python
// environment: fava itself reports no errors and shows the accounts under the chart's names.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import { demoLedgerConfig } from '../../src/app/demo';
import { journalEntry } from '../support/documents';
import { freePort } from '../support/ports';

const root = join(__dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-books-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('pleo-export books serves the demo ledger in fava', async () => {
  const ledger = new LedgerAccountingSystem(demoLedgerConfig(dir));
  await ledger.post({ ...journalEntry({ status: 'draft' }), counterparty: 'Clas Ohlson' });
  await ledger.close();

  const port = await freePort();
  const child = spawn(process.execPath, ['bin/pleo-export.js', 'books', '--port', String(port)], {
    cwd: root,
    env: { ...process.env, PLEO_EXPORT_DATADIR: dir, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fava not served within 90 s:\n${output}`)), 90_000);
      child.stdout.on('data', () => output.includes('Books in fava:') && (clearTimeout(timer), resolve()));
      void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    expect(output).toContain(`Books in fava: http://127.0.0.1:${port}/`);
    const api = `http://127.0.0.1:${port}/pleo-export/api`;
    expect(await (await fetch(`${api}/errors`)).json()).toMatchObject({ data: [] });
    const payee = (await (await fetch(`${api}/payee_accounts?payee=Clas%20Ohlson`)).json()) as {
      data: string[];
    };
    expect(payee.data).toEqual(
      expect.arrayContaining([
        'Expenses:6000-Travel',
        'Expenses:6100-Meals-and-entertainment',
        'Assets:1910-Pleo-wallet-EUR',
      ]),
    );
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
});
