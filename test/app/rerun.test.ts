// `npm start` twice on the same data: the second run's export jobs carry the same items, which the
// ledger already holds, and the summary says so (found by reference, nothing booked twice) instead of
// counting them as new bookings. Runs the demo as a newcomer does, and reads what it prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports';

const root = join(__dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-rerun-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function demo(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['bin/pleo-export.js', 'start', '--exit'], {
    cwd: root,
    env: { ...process.env, ...env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`npm start exited ${code}:\n${stdout}\n${stderr.slice(-3000)}`);
  return stdout;
}

test('a second run finds every item already booked and books nothing twice', async () => {
  const env = {
    PLEO_EXPORT_DATADIR: join(dir, 'data'),
    PLEO_EXPORT_TEMPORAL__ADDRESS: `127.0.0.1:${await freePort()}`,
    PLEO_EXPORT_TEMPORAL__UI_PORT: String(await freePort()),
  };
  const first = await demo(env);
  expect(first).toMatch(/Job 1 of 3 \([^)]*\)\n {2}completed: 12 booked\n/);
  expect(first).toMatch(/completed with errors: 20 booked, 5 failed/);
  const ledger = join(dir, 'data', 'ledgers', 'ledger.beancount');
  const entries = (text: string) => text.match(/^\d{4}-\d\d-\d\d [!*] /gm)?.length ?? 0;
  const booked = entries(readFileSync(ledger, 'utf8'));

  const second = await demo(env);
  expect(second).toMatch(
    /Job 1 of 3 \([^)]*\)\n {2}completed: 12 booked \(all already in the books, found by reference: nothing booked twice\)\n/,
  );
  expect(second).toMatch(/20 booked \(all already in the books[^)]*\), 5 failed/);
  expect(entries(readFileSync(ledger, 'utf8'))).toBe(booked);
}, 300_000);
