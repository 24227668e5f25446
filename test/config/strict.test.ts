// Strict configuration: a typo is an error naming the key and the key meant, an environment override
// must name a key (matched case-insensitively), an unreadable secret file names its key and path.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { configIssues, loadConfigIn } from '../support/config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-strict-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const companyId = randomUUID();
function company(overrides: Record<string, unknown> = {}, accounting: Record<string, unknown> = {}) {
  return {
    pleoCompanyId: companyId,
    name: 'Acme',
    pleo: { apiKey: { env: 'ACME_KEY' } },
    accountingSystem: { type: 'ledger', dir: join(dir, 'acme'), chart: 'demo' },
    accounting: { walletAccounts: { EUR: '1930' }, ...accounting },
    ...overrides,
  };
}
const env = { ACME_KEY: 'pleo-api-key' };

const load = (config: unknown, extraEnv: NodeJS.ProcessEnv = {}) =>
  loadConfigIn(dir, config, { ...env, ...extraEnv });

const meant = (key: string) => expect.stringContaining(`unknown key: did you mean "${key}"?`);

test('a valid configuration still loads', () => {
  expect(load({ companies: [company()] }).companies).toHaveLength(1);
});

test('a misspelt key anywhere is an error naming its path and the key meant', () => {
  expect(configIssues(() => load({ worker: { maxConcurentActivities: 5 }, companies: [company()] }))).toEqual(
    [
      expect.stringMatching(
        /^worker\.maxConcurentActivities: unknown key: did you mean "maxConcurrentActivities"\?/,
      ),
    ],
  );
  expect(configIssues(() => load({ companiez: [company()] }))).toEqual([
    expect.stringMatching(/^companiez: unknown key: did you mean "companies"\?/),
  ]);
  const { accounting, ...rest } = company();
  expect(configIssues(() => load({ companies: [{ ...rest, accountng: accounting }] }))).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^company "Acme" \\(${companyId}\\): accountng: `)),
    ]),
  );
  expect(configIssues(() => load({ companies: [company({}, { walletAcounts: { GBP: '1931' } })] }))).toEqual([
    expect.stringMatching(
      new RegExp(
        `^company "Acme" \\(${companyId}\\): accounting\\.walletAcounts: unknown key: did you mean "walletAccounts"\\?`,
      ),
    ),
  ]);
  expect(configIssues(() => load({ companies: [company({}, { outOfPockettAccount: '2820' })] }))).toEqual([
    meant('outOfPocketAccount'),
  ]);
  // Inside an accounting-system section picked by its type.
  expect(
    configIssues(() =>
      load({ companies: [company({ accountingSystem: { type: 'ledger', dir, fileNme: 'x.beancount' } })] }),
    ),
  ).toEqual([expect.stringMatching(/accountingSystem\.fileNme: unknown key: did you mean "fileName"\?/)]);
});

test('a key far from every known one is still an error, listing the known keys', () => {
  expect(configIssues(() => load({ worker: { zzz: 1 } }))).toEqual([
    expect.stringMatching(/^worker\.zzz: unknown key \(known keys: maxConcurrentActivities, metricsPort, /),
  ]);
});

test('environment overrides match keys case-insensitively, `_` ignored', () => {
  const config = load(
    { companies: [company()] },
    { PLEO_EXPORT_WORKER__OUTAGEBUDGETMINUTES: '10', PLEO_EXPORT_WORKER__MAX_CONCURRENT_ACTIVITIES: '3' },
  );
  expect(config.worker.outageBudgetMinutes).toBe(10);
  expect(config.worker.maxConcurrentActivities).toBe(3);
  // …and so reach the schema's checks: -1 is refused, not ignored.
  expect(configIssues(() => load({}, { PLEO_EXPORT_WORKER__OUTAGEBUDGETMINUTES: '-1' }))).toEqual([
    expect.stringMatching(/^worker\.outageBudgetMinutes: /),
  ]);
  // A record's keys are taken as written.
  const gbp = load(
    { companies: [company()] },
    { PLEO_EXPORT_COMPANIES__0__ACCOUNTING__WALLETACCOUNTS__GBP: '"1931"' },
  );
  expect(gbp.companies[0]!.accounting.walletAccounts).toEqual({ EUR: '1930', GBP: '1931' });
});

test('the variables sharing the prefix that are not keys are left alone', () => {
  expect(
    load({ companies: [company()] }, { PLEO_EXPORT_VENV: '/opt/venv', PLEO_EXPORT_CONFIG: 'x' }).companies,
  ).toHaveLength(1);
});

test('an environment override that matches no key is an error naming the variable', () => {
  expect(configIssues(() => load({}, { PLEO_EXPORT_WORKER__OUTAGEBUDGETMINUTE: '10' }))).toEqual([
    expect.stringMatching(
      /^PLEO_EXPORT_WORKER__OUTAGEBUDGETMINUTE: matches no configuration key under worker: unknown key: did you mean "outageBudgetMinutes"\?/,
    ),
  ]);
  expect(configIssues(() => load({}, { PLEO_EXPORT_WROKER__PORT: '1' }))).toEqual([
    expect.stringMatching(
      /^PLEO_EXPORT_WROKER__PORT: matches no configuration key: unknown key: did you mean "worker"\?/,
    ),
  ]);
});

test('a secret file that exists but cannot be read names the key and the path', () => {
  const folder = join(dir, 'secrets-folder');
  mkdirSync(folder);
  expect(configIssues(() => load({ companies: [company({ pleo: { apiKey: { file: folder } } })] }))).toEqual([
    `company "Acme" (${companyId}): pleo.apiKey: secret file ${folder} cannot be read (EISDIR)`,
  ]);
  if (process.getuid?.() !== 0) {
    const locked = join(dir, 'locked');
    writeFileSync(locked, 'key');
    chmodSync(locked, 0o000);
    expect(
      configIssues(() => load({ companies: [company({ pleo: { apiKey: { file: locked } } })] })),
    ).toEqual([`company "Acme" (${companyId}): pleo.apiKey: secret file ${locked} cannot be read (EACCES)`]);
  }
});
