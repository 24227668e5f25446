// Multi-company configuration: secrets only by reference, 1-to-1 connections, errors that name the
// company and the key, and check-config asking the accounting system about every referenced code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { configIssues, loadConfigIn } from '../support/config';
import { checkConfig, formatFinding } from '../../src/cli/commands/check-config';
import { CredentialStore } from '../../src/connections/credential-store';
import { KeyRing, parseAesKey } from '../../src/codec/aes';
import { createLogger } from '../../src/logging/logger';

const logger = createLogger({ level: 'silent' });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function company(name: string, overrides: Record<string, unknown> = {}) {
  return {
    pleoCompanyId: randomUUID(),
    name,
    pleo: { apiKey: { env: `KEY_${name.replace(/\W/g, '_').toUpperCase()}` } },
    accountingSystem: {
      type: 'ledger',
      dir: join(dir, name),
      chart: { accounts: [{ code: '1930' }, { code: '2640' }, { code: '6110' }], taxCodes: ['DK25'] },
    },
    accounting: { walletAccounts: { EUR: '1930' }, taxAccounts: { DK25: '2640' } },
    ...overrides,
  };
}

const load = (config: unknown, env: NodeJS.ProcessEnv = {}) => loadConfigIn(dir, config, env);

describe('secrets', () => {
  test('are read from environment variables and files', () => {
    writeFileSync(join(dir, 'codec.key'), `${randomBytes(32).toString('base64')}\n`);
    const acme = company('Acme DK');
    const config = load(
      { codec: { keys: [{ id: 'k1', key: { file: 'codec.key' } }] }, companies: [acme] },
      { KEY_ACME_DK: 'pleo-api-key-1' },
    );
    expect(config.companies[0]!.pleo.apiKey).toBe('pleo-api-key-1');
    expect(Buffer.from(config.codec!.keys[0]!.key, 'base64')).toHaveLength(32);
  });

  test('in plain text are refused, naming the company and the key', () => {
    const acme = company('Acme DK', { pleo: { apiKey: 'pk_live_123' } });
    expect(configIssues(() => load({ companies: [acme] }))).toEqual([
      expect.stringMatching(
        new RegExp(`^company "Acme DK" \\(${acme.pleoCompanyId}\\): pleo.apiKey: plain-text secret`),
      ),
    ]);
    expect(load({ allowPlaintextSecrets: true, companies: [acme] }).companies[0]!.pleo.apiKey).toBe(
      'pk_live_123',
    );
  });

  test('missing environment variables and files are named', () => {
    const acme = company('Acme DK');
    const issues = configIssues(() =>
      load({ codec: { keys: [{ id: 'k1', key: { file: 'nope.key' } }] }, companies: [acme] }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^codec\.keys\.0\.key: secret file .*nope\.key does not exist$/),
        `company "Acme DK" (${acme.pleoCompanyId}): pleo.apiKey: environment variable KEY_ACME_DK is not set`,
      ]),
    );
    expect(issues).toHaveLength(2);
  });

  test('a codec key that is not 256 bits is refused', () => {
    const issues = configIssues(() =>
      load({ codec: { keys: [{ id: 'k1', key: { env: 'K' } }] } }, { K: 'c2hvcnQ=' }),
    );
    expect(issues).toEqual([expect.stringMatching(/^codec\.keys\.0\.key: must be a 32-byte key/)]);
  });
});

describe('companies', () => {
  const env = { KEY_ACME_DK: 'a', KEY_ACME_SE: 'b' };

  test('the same Pleo company twice is refused (connections are 1-to-1)', () => {
    const dk = company('Acme DK');
    const se = company('Acme SE', { pleoCompanyId: dk.pleoCompanyId });
    expect(configIssues(() => load({ companies: [dk, se] }, env))).toEqual([
      `company "Acme SE" (${dk.pleoCompanyId}): pleoCompanyId: is already connected by companies[0]: each Pleo company connects to exactly one accounting-system company and back`,
    ]);
  });

  test('two Pleo companies writing to the same accounting-system company are refused', () => {
    const dk = company('Acme DK');
    const se = company('Acme SE', { accountingSystem: dk.accountingSystem });
    expect(configIssues(() => load({ companies: [dk, se] }, env))).toEqual([
      expect.stringMatching(
        new RegExp(`^company "Acme SE" \\(${se.pleoCompanyId}\\): accountingSystem: is already connected`),
      ),
    ]);
  });

  test('schema errors name the company and the exact key', () => {
    const se = company('Acme SE', { accounting: { walletAccounts: { EURO: '1930' } } });
    expect(configIssues(() => load({ companies: [company('Acme DK'), se] }, env))).toEqual([
      expect.stringMatching(
        new RegExp(`^company "Acme SE" \\(${se.pleoCompanyId}\\): accounting\\.walletAccounts\\.EURO`),
      ),
    ]);
  });

  test('environment overrides reach a company entry', () => {
    const config = load(
      { companies: [company('Acme DK')] },
      { ...env, PLEO_EXPORT_COMPANIES__0__ACCOUNTING__POSTING_MODE: 'posted' },
    );
    expect(config.companies[0]!.accounting.postingMode).toBe('posted');
  });
});

describe('check-config', () => {
  test('names each company, key and code its accounting system does not have', async () => {
    const dk = company('Acme DK');
    const se = company('Acme SE', {
      accounting: { walletAccounts: { EUR: '1999' }, feeAccount: '6110', taxAccounts: { SE25: '2640' } },
    });
    const config = load({ companies: [dk, se] }, { KEY_ACME_DK: 'a', KEY_ACME_SE: 'b' });
    const findings = (await checkConfig(config, logger)).map(formatFinding);
    expect(findings).toEqual([
      `company "Acme SE" (${se.pleoCompanyId}): accounting.walletAccounts.EUR = 1999 does not exist in the accounting system`,
      `company "Acme SE" (${se.pleoCompanyId}): accounting.taxAccounts.SE25 = SE25 does not exist in the accounting system`,
    ]);
  });

  test('reports a company without Pleo credentials', async () => {
    const dk = company('Acme DK', { pleo: {} });
    const findings = (await checkConfig(load({ companies: [dk] }), logger)).map(formatFinding);
    expect(findings).toEqual([
      expect.stringMatching(
        new RegExp(`^company "Acme DK" \\(${dk.pleoCompanyId}\\): pleo: no Pleo API key`),
      ),
    ]);
  });
});

describe('credential store', () => {
  const key = () => parseAesKey('credentials', randomBytes(32).toString('base64'));

  test('keeps credentials encrypted at rest and refuses the wrong key', async () => {
    const right = key();
    const store = new CredentialStore(join(dir, 'credentials'), new KeyRing([right]));
    const companyId = randomUUID();
    await store.update(companyId, { apiKey: 'pk_secret_value' });
    await store.update(companyId, { webhookSecret: 'whsec_abc' });
    expect(await store.load(companyId)).toEqual(
      expect.objectContaining({ apiKey: 'pk_secret_value', webhookSecret: 'whsec_abc' }),
    );
    const onDisk = readFileSync(join(dir, 'credentials', `${companyId}.credentials.json`), 'utf8');
    expect(onDisk).not.toContain('pk_secret_value');
    const wrong = new CredentialStore(
      join(dir, 'credentials'),
      new KeyRing([{ ...key(), id: 'credentials' }]),
    );
    await expect(wrong.load(companyId)).rejects.toThrow('cannot be decrypted');
  });
});
