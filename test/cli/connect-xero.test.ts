// `pleo-export connect xero` against the Xero stand-in: the browser sign-in (authorization code + PKCE
// through the local callback), the organisation chosen from /connections, the tokens stored encrypted,
// the tenant id written into the configuration, and the adapter ready from that configuration alone.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { runCli } from '../../src/cli/main';
import { loadConfig } from '../../src/config/load';
import { xeroConfigSchema } from '../../src/accounting-systems/config';
import { xeroConnectionId } from '../../src/accounting-systems/xero/auth';
import { XeroAccountingSystem } from '../../src/accounting-systems/xero/xero';
import { FileTokenStore } from '../../src/pleo/auth';
import { startXeroSandbox, type XeroSandbox } from '@pleo-export/xero-sandbox/server';

const COMPANY = '7f6c2a52-0d7e-4c59-9a4c-6d5f3b1e2a10';
let xero: XeroSandbox;
let dir: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const redirectUri = `http://127.0.0.1:${await freePort()}/xero/callback`;
  xero = await startXeroSandbox({ logger: pino({ level: 'silent' }), redirectUris: [redirectUri] });
  xero.addOrganisation('Other Org Ltd');
});
afterAll(() => xero.close());
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'connect-xero-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('signs in, picks the organisation by name, stores the tokens encrypted and records the tenant', async () => {
  const env = {
    XERO_SECRET: xero.oauthClient.clientSecret,
    XERO_TOKEN_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  };
  const configFile = join(dir, 'config.json');
  const section = {
    type: 'xero',
    apiUrl: xero.url,
    identityUrl: xero.url,
    loginUrl: xero.url,
    clientId: xero.oauthClient.clientId,
    clientSecret: { env: 'XERO_SECRET' },
    redirectUri: xero.oauthClient.redirectUris[0],
    tokenDir: join(dir, 'tokens'),
    tokenEncryptionKey: { env: 'XERO_TOKEN_KEY' },
    tracking: { DEPT: 'Department', PROJ: 'Project', team: null },
  };
  writeFileSync(
    configFile,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      temporal: { address: '127.0.0.1:7233' },
      pleo: { environment: 'sandbox', baseUrl: 'http://127.0.0.1:9' },
      companies: [
        {
          pleoCompanyId: COMPANY,
          accountingSystem: section,
          accounting: { walletAccounts: { EUR: '1910' } },
        },
      ],
    }),
  );
  let stderr = '';
  let stdout = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: {
      write: (s: string) => {
        stderr += s;
        // The "browser": Xero's consent is given at once and redirects to the local callback.
        const url = /(http\S+authorize\S+)/.exec(s)?.[1];
        if (url) void fetch(url, { redirect: 'manual' }).then((r) => fetch(r.headers.get('location')!));
      },
    },
    env,
  };
  // Two organisations are granted: without --tenant the command asks for one.
  expect(
    await runCli(['--config', configFile, '--json', 'connect', 'xero', '--company', COMPANY], io),
  ).not.toBe(0);
  expect(stderr + stdout).toContain('choose one with --tenant');
  stdout = '';
  const code = await runCli(
    ['--config', configFile, '--json', 'connect', 'xero', '--company', COMPANY, '--tenant', 'Pleo Demo Ltd'],
    io,
  );
  expect({ code, stderr: code ? stderr : '' }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(stdout)).toEqual(
    expect.objectContaining({ tenantId: xero.demo.tenantId, config: 'updated' }),
  );

  const written = readFileSync(configFile, 'utf8');
  expect(written).not.toContain(xero.oauthClient.clientSecret);
  expect(JSON.parse(written).companies[0].accountingSystem).toEqual({
    ...section,
    tenantId: xero.demo.tenantId,
  });
  const stored = await new FileTokenStore({ dir: join(dir, 'tokens'), key: env.XERO_TOKEN_KEY }).load(
    xeroConnectionId(xero.demo.tenantId),
  );
  expect(stored).toMatchObject({ status: 'connected', refreshToken: expect.any(String) });
  expect(
    readFileSync(join(dir, 'tokens', `${xeroConnectionId(xero.demo.tenantId)}.tokens.json`), 'utf8'),
  ).not.toContain(stored?.status === 'connected' ? stored.accessToken : 'x');

  const config = loadConfig({ file: configFile, env });
  const system = new XeroAccountingSystem(xeroConfigSchema.parse(config.companies[0]!.accountingSystem));
  expect(await system.checkReady({ vendorBasedBookkeeping: true })).toEqual({ ok: true });
});
