// check-config and doctor against a real Tryton server: the accounts, tax codes and vendors a company's
// mapping names are looked up in Tryton itself, and only the missing ones are reported.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runCli } from '../../src/cli/main';
import { DEMO_ACCOUNTS, DEMO_TAX_CODES, DEMO_VENDORS } from '@pleo-export/demo-company/chart';
import { startTryton, type TrytonServer } from '../support/tryton';

let tryton: TrytonServer;
let dir: string;
beforeAll(async () => {
  tryton = await startTryton();
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-check-tryton-'));
}, 240_000);
afterAll(async () => {
  await tryton?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(configFile: string, env: NodeJS.ProcessEnv, command: string) {
  let stdout = '';
  const code = await runCli(['--config', configFile, '--json', command], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, json: JSON.parse(stdout) };
}

test('reports exactly the accounts, tax codes and vendors Tryton does not have, naming company and key', async () => {
  const companyId = randomUUID();
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      temporal: { address: '127.0.0.1:1' },
      companies: [
        {
          pleoCompanyId: companyId,
          name: 'Tryton Co',
          pleo: { apiKey: { env: 'PLEO_KEY' } },
          accountingSystem: { ...tryton.config, password: { env: 'TRYTON_PASSWORD' } },
          accounting: {
            walletAccounts: { EUR: DEMO_ACCOUNTS.walletEur.code, GBP: '1999' },
            feeAccount: DEMO_ACCOUNTS.fees.code,
            taxAccounts: {
              [DEMO_TAX_CODES.VAT25.code]: DEMO_TAX_CODES.VAT25.account,
              XX99: DEMO_TAX_CODES.VAT25.account,
            },
            vendorPayableAccounts: {
              [DEMO_VENDORS[0].code]: DEMO_VENDORS[0].payableAccount,
              V9999: DEMO_VENDORS[0].payableAccount,
            },
          },
        },
      ],
    }),
  );
  const env = { PLEO_KEY: 'unused-here', TRYTON_PASSWORD: tryton.config.password };
  const label = `company "Tryton Co" (${companyId})`;
  const checked = await cli(configFile, env, 'check-config');
  expect(checked.json.findings).toEqual([
    {
      company: label,
      key: 'accounting.walletAccounts.GBP',
      value: '1999',
      message: 'does not exist in the accounting system',
    },
    {
      company: label,
      key: 'accounting.taxAccounts.XX99',
      value: 'XX99',
      message: 'does not exist in the accounting system',
    },
    {
      company: label,
      key: 'accounting.vendorPayableAccounts.V9999',
      value: 'V9999',
      message: 'is not a vendor in the accounting system',
    },
  ]);
  expect(checked.code).toBe(1);

  const doctor = await cli(configFile, env, 'doctor');
  expect(doctor.json.checks.find((c: { part: string }) => c.part.startsWith('tryton'))).toEqual(
    expect.objectContaining({ ok: true, message: 'reachable and ready' }),
  );
  const wrongPassword = await cli(configFile, { ...env, TRYTON_PASSWORD: 'wrong' }, 'doctor');
  expect(wrongPassword.json.checks.find((c: { part: string }) => c.part.startsWith('tryton')).ok).toBe(false);
});
