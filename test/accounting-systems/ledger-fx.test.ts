// The ledger settles supplier-currency payables: a USD 1,500.00 bill booked at EUR 1,380.00 and its
// later payment of USD 1,500.00 costing EUR 1,385.00 leave the vendor's payables at zero and EUR 5.00
// on the FX account, as bean-query reads the ledger (and bean-check accepts it).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { pythonTool } from '../../src/util/python-tools';
import { DEMO_ACCOUNTS as A } from '@pleo-export/demo-company/chart';
import { journalEntryOf, posting as p } from '../support/documents';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledger-fx-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const usd = (value: number) => ({ foreignAmount: { currency: 'USD', value } });
async function query(file: string, sql: string): Promise<string> {
  const { stdout } = await promisify(execFile)(pythonTool('bean-query'), ['-f', 'csv', file, sql]);
  return stdout.trim();
}

test('a supplier-currency payment settles its bill: payables zero, the difference on the FX account', async () => {
  const ledger = new LedgerAccountingSystem({
    type: 'ledger',
    dir,
    fileName: 'ledger.beancount',
    chart: 'demo',
  });
  const bill = journalEntryOf(
    [
      p('expense', A.software.code, 138000, usd(150000)),
      p('payable', A.accountsPayableAcme.code, -138000, usd(-150000)),
    ],
    { date: '2026-06-10' },
  );
  const payment = (date: string, wallet: number, reconciled: string[]) =>
    journalEntryOf(
      [
        p('expense', A.accountsPayableAcme.code, wallet, usd(150000)),
        p('funding', A.walletEur.code, -wallet),
      ],
      {
        date,
        references: {
          accountingEntryId: randomUUID(),
          reconciliationId: 'R-1',
          reconciledEntries: reconciled,
        },
        fxDifferenceAccount: { code: A.fxDifference.code },
      },
    );
  await ledger.post(bill);
  await ledger.post(payment('2026-06-25', 138500, [bill.references.accountingEntryId]));
  // A payment Pleo did not reconcile with a bill is booked as it is.
  await ledger.post(payment('2026-06-26', 1000, []));
  await ledger.close();

  const file = join(dir, 'ledger.beancount');
  expect(await runBeanCheck(file)).toEqual([]);
  const balances = await query(
    file,
    `SELECT account, sum(number) AS total WHERE account ~ ':(2441|7960)-' GROUP BY account ORDER BY account`,
  );
  const rows = balances
    .split('\n')
    .slice(1)
    .map((row) => row.split(',').map((cell) => cell.trim()));
  // A realised loss of EUR 5.00; on payables only the payment Pleo did not reconcile remains.
  expect(rows).toEqual([
    ['Expenses:7960-Realised-FX-gains-and-losses', '5.00'],
    ['Liabilities:2441-Accounts-payable-ACME-Ltd', '10.00'],
  ]);
});
