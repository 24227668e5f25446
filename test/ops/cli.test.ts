// The operator CLI against real parts: the Pleo sandbox over HTTP (API keys, OAuth, subscriptions), a
// real Temporal server, real ledgers. Onboarding a company with the CLI alone, check-config and doctor.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { freePort } from '../support/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { msToTs } from '@temporalio/common/lib/time';
import { runCli } from '../../src/cli/main';
import { connectCompany } from '../../src/cli/commands/connect';
import { loadConfig } from '../../src/config/load';
import { connectionsFromConfig, webhookSecrets, tokenStoreFor } from '../../src/connections/from-config';
import { doctor } from '../../src/cli/commands/doctor';
import { startWebhookReceiver } from '../../src/app/service';
import { connectClient } from '../../src/temporal/connection';
import { createDataConverter } from '../../src/codec';
import { companyWorkflowId, pollScheduleId } from '../../src/shared/workflow-api';
import { startSandbox, type PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { startTemporal } from '../support/temporal';
import { createLogger } from '../../src/logging/logger';

const logger = createLogger({ level: 'silent' });
const CHART = { accounts: [{ code: '1930' }, { code: '2640' }, { code: '6110' }], taxCodes: ['DK25'] };

let dir: string;
let sandbox: PleoSandbox;
let temporal: TestWorkflowEnvironment;
let env: NodeJS.ProcessEnv;
let configFile: string;

// Parsed `--json` output: the tests read the fields each command documents.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonOut = any;

async function cli(...argv: string[]): Promise<{ code: number; json: JsonOut; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--config', configFile, '--json', ...argv], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  });
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

beforeAll(async () => {
  [temporal, sandbox] = await Promise.all([startTemporal(), startSandbox({ port: 0, seed: 'none', logger })]);
});
afterAll(async () => {
  await sandbox?.close();
  await temporal?.teardown();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-cli-'));
  env = { CREDENTIALS_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' };
  configFile = writeJson('config.json', {
    dataDir: join(dir, 'data'),
    temporal: { address: temporal.address },
    pleo: { environment: 'sandbox', baseUrl: sandbox.url },
    credentials: { key: { env: 'CREDENTIALS_KEY' } },
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('connect with an API key, then webhooks subscribe', () => {
  test('a second company is connected with the CLI alone and checks clean', async () => {
    const first = sandbox.createCompany({ name: 'Acme DK' });
    const second = sandbox.createCompany({ name: 'Acme SE' });
    for (const [company, name] of [
      [first, 'Acme DK'],
      [second, 'Acme SE'],
    ] as const) {
      env[`PLEO_KEY_${company.id.slice(0, 8)}`] = company.apiKey;
      const connected = await cli(
        'connect',
        '--api-key-env',
        `PLEO_KEY_${company.id.slice(0, 8)}`,
        '--name',
        name,
        '--accounting-system',
        writeJson(`${name}-as.json`, { type: 'ledger', dir: join(dir, 'ledgers', company.id), chart: CHART }),
        '--accounting',
        writeJson(`${name}-accounting.json`, {
          walletAccounts: { EUR: '1930' },
          taxAccounts: { DK25: '2640' },
        }),
      );
      expect(connected).toEqual(expect.objectContaining({ code: 0 }));
      expect(connected.json).toEqual(
        expect.objectContaining({ companyId: company.id, auth: 'apiKey', config: 'added' }),
      );
    }
    // The file holds the connections but no key; the keys are in the encrypted store.
    const written = readFileSync(configFile, 'utf8');
    expect(written).not.toContain(second.apiKey);
    expect(JSON.parse(written).companies.map((c: { pleoCompanyId: string }) => c.pleoCompanyId)).toEqual([
      first.id,
      second.id,
    ]);
    expect(await cli('check-config')).toEqual(
      expect.objectContaining({ code: 0, json: { ok: true, findings: [] } }),
    );

    // The same Pleo company a second time is a re-connect (credential rotation), not a second connection.
    const rotatedKey = `sandbox-key-rotated-${randomBytes(4).toString('hex')}`;
    sandbox.state.companies.get(second.id)!.apiKey = rotatedKey;
    env.ROTATED = rotatedKey;
    const again = await cli('connect', '--api-key-env', 'ROTATED');
    expect(again.json).toEqual(expect.objectContaining({ companyId: second.id, config: 'updated' }));
    const config = loadConfig({ file: configFile, env });
    const pleo = (await connectionsFromConfig(config, logger).get(second.id)).pleo;
    expect((await pleo.installation.activateCredential()).companyId).toBe(second.id);

    const subscribed = await cli(
      'webhooks',
      'subscribe',
      '--all',
      '--url',
      'https://export.example.com/webhooks/pleo',
    );
    expect(subscribed.code).toBe(0);
    const secrets = await webhookSecrets(config);
    expect([...secrets.keys()]).toEqual([first.id, second.id]);
    for (const secret of secrets.values()) expect(secret).toMatch(/^whsec_/);
    // Subscribing again reuses the subscription.
    const twice = await cli(
      'webhooks',
      'subscribe',
      '--company',
      first.id,
      '--url',
      'https://export.example.com/webhooks/pleo',
    );
    expect(twice.json[0].subscriptionId).toBe(subscribed.json[0].subscriptionId);
  });

  test('a key that Pleo refuses is not stored and the configuration is left as it was', async () => {
    env.BAD_KEY = 'not-a-sandbox-key';
    const before = readFileSync(configFile, 'utf8');
    const refused = await cli(
      'connect',
      '--api-key-env',
      'BAD_KEY',
      '--accounting-system',
      writeJson('as.json', { type: 'ledger', dir }),
      '--accounting',
      writeJson('a.json', {}),
    );
    expect(refused.code).toBe(1);
    expect(refused.json.ok).toBe(false);
    expect(readFileSync(configFile, 'utf8')).toBe(before);
  });
});

describe('connect with OAuth', () => {
  test('stores the tokens encrypted, rotates them on refresh, and asks to re-connect after a rejected refresh', async () => {
    const company = sandbox.createCompany({ name: 'Acme NO' });
    const redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
    const client = sandbox.registerOAuthClient({ redirectUris: [redirectUri] });
    env.OAUTH_SECRET = client.clientSecret;
    env.TOKEN_KEY = randomBytes(32).toString('hex');
    const tokenDir = join(dir, 'tokens');
    writeJson('config.json', {
      ...JSON.parse(readFileSync(configFile, 'utf8')),
      pleo: {
        environment: 'sandbox',
        baseUrl: sandbox.url,
        oauth: {
          clientId: client.clientId,
          clientSecret: { env: 'OAUTH_SECRET' },
          redirectUri,
          tokenDir,
          tokenEncryptionKey: { env: 'TOKEN_KEY' },
        },
      },
    });
    const config = loadConfig({ file: configFile, env });
    // The "browser": the sandbox approves at once and redirects to the local callback.
    const browser = async (url: string) => {
      const approve = new URL(url);
      approve.searchParams.set('company_id', company.id);
      const redirect = await fetch(approve, { redirect: 'manual' });
      await fetch(redirect.headers.get('location')!);
    };
    const result = await connectCompany(config, {
      configFile,
      credential: { oauth: true },
      name: 'Acme NO',
      accountingSystem: { type: 'ledger', dir: join(dir, 'ledgers', 'no'), chart: CHART },
      accounting: { walletAccounts: { EUR: '1930' } },
      env,
      logger,
      authorize: browser,
    });
    expect(result).toEqual(
      expect.objectContaining({ companyId: company.id, auth: 'oauth', config: 'added' }),
    );
    const store = tokenStoreFor(config)!;
    const first = await store.load(company.id);
    expect(first?.status).toBe('connected');
    expect(readFileSync(join(tokenDir, `${company.id}.tokens.json`), 'utf8')).not.toContain(
      (first as { refreshToken: string }).refreshToken,
    );

    // A refresh rotates both tokens in the store.
    const reloaded = loadConfig({ file: configFile, env });
    const pleo = (await connectionsFromConfig(reloaded, logger).get(company.id)).pleo;
    sandbox.clock.advance(3600_000);
    await pleo.installation.introspect();
    const second = await store.load(company.id);
    expect(second).toEqual(expect.objectContaining({ status: 'connected' }));
    expect((second as { refreshToken: string }).refreshToken).not.toBe(
      (first as { refreshToken: string }).refreshToken,
    );

    // Someone replays the rotated-away refresh token: Pleo revokes the whole authorisation, so our next
    // refresh is refused and doctor asks for a re-connect.
    await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: (first as { refreshToken: string }).refreshToken,
      }),
    });
    sandbox.clock.advance(3600_000);
    const checks = await doctor(loadConfig({ file: configFile, env }), logger);
    const pleoCheck = checks.find((c) => c.part.startsWith('Pleo'))!;
    expect(pleoCheck.ok).toBe(false);
    expect(pleoCheck.message).toContain(`pleo-export connect --oauth --company ${company.id}`);
    expect((await store.load(company.id))?.status).toBe('reconnect_required');
  });
});

describe('schedule and webhook receiver', () => {
  function connected(name: string) {
    const company = sandbox.createCompany({ name });
    env[`KEY_${name}`] = company.apiKey;
    writeJson('config.json', {
      ...JSON.parse(readFileSync(configFile, 'utf8')),
      webhook: { host: '127.0.0.1', port: 0 },
      companies: [
        {
          pleoCompanyId: company.id,
          name,
          pleo: { apiKey: { env: `KEY_${name}` } },
          accountingSystem: { type: 'ledger', dir: join(dir, name) },
          accounting: {},
        },
      ],
    });
    return company;
  }

  test('schedule create, pause, unpause, trigger and delete act on the company schedule', async () => {
    const company = connected('SCHED');
    const handle = temporal.client.schedule.getHandle(pollScheduleId(company.id));
    expect((await cli('schedule', 'create', '--all', '--every', '10 minutes')).json).toEqual({
      schedules: [pollScheduleId(company.id)],
    });
    expect((await handle.describe()).spec.intervals).toEqual([expect.objectContaining({ every: 600_000 })]);
    await cli('schedule', 'update', '--company', company.id, '--every', '3 minutes');
    expect((await handle.describe()).spec.intervals).toEqual([expect.objectContaining({ every: 180_000 })]);
    await cli('schedule', 'pause', '--company', company.id);
    expect((await handle.describe()).state.paused).toBe(true);
    await cli('schedule', 'unpause', '--company', company.id);
    expect((await handle.describe()).state.paused).toBe(false);
    await cli('schedule', 'trigger', '--company', company.id);
    let described = await handle.describe();
    while (described.info.numActionsTaken === 0) described = await handle.describe();
    expect(described.info.numActionsTaken).toBeGreaterThan(0);
    expect((await cli('schedule', 'delete', '--company', company.id)).code).toBe(0);
    await expect(handle.describe()).rejects.toThrow();
    expect((await cli('schedule', 'pause')).json.error).toContain('--company <id>');
  });

  test("the webhook receiver verifies Pleo's signed delivery with the stored secret and starts the company's export", async () => {
    const company = connected('HOOK');
    const config = loadConfig({ file: configFile, env });
    const secrets = await webhookSecrets(config);
    expect(secrets.size).toBe(0);
    // Subscribe through the CLI against a receiver started like `pleo-export webhook` does.
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
    const client = await connectClient(config.temporal, createDataConverter(config.codec));
    try {
      receiver = await startWebhookReceiver({
        config,
        client,
        webhookSecretFor: (id) => secrets.get(id),
        logger,
      });
      await cli('webhooks', 'subscribe', '--all', '--url', receiver.webhookUrl);
      for (const [id, secret] of await webhookSecrets(config)) secrets.set(id, secret);
      sandbox.createJob(company.id, []);
      await sandbox.webhooksIdle();
      const delivered = sandbox.webhookDeliveries().filter((d) => JSON.stringify(d).includes(company.id));
      expect(delivered.length).toBeGreaterThan(0);
      const started = await client.workflow.getHandle(companyWorkflowId(company.id)).describe();
      expect(started.type).toBe('companyExportWorkflow');
      await client.workflow.getHandle(companyWorkflowId(company.id)).terminate('test over');
    } finally {
      await receiver?.close();
      await client.connection.close();
    }
  });
});

describe('check-config', () => {
  test('names the company and key of an account the accounting system does not have', async () => {
    const company = sandbox.createCompany({ name: 'Acme FI' });
    env.FI_KEY = company.apiKey;
    writeJson('config.json', {
      ...JSON.parse(readFileSync(configFile, 'utf8')),
      companies: [
        {
          pleoCompanyId: company.id,
          name: 'Acme FI',
          pleo: { apiKey: { env: 'FI_KEY' } },
          accountingSystem: { type: 'ledger', dir: join(dir, 'fi'), chart: CHART },
          accounting: { walletAccounts: { EUR: '1999' }, feeAccount: '6110' },
        },
      ],
    });
    const checked = await cli('check-config');
    expect(checked.code).toBe(1);
    expect(checked.json.findings).toEqual([
      {
        company: `company "Acme FI" (${company.id})`,
        key: 'accounting.walletAccounts.EUR',
        value: '1999',
        message: 'does not exist in the accounting system',
      },
    ]);
  });
});

describe('doctor', () => {
  test('reports every part that is reachable as ok', async () => {
    const company = sandbox.createCompany({ name: 'Acme IS' });
    env.IS_KEY = company.apiKey;
    writeJson('config.json', {
      ...JSON.parse(readFileSync(configFile, 'utf8')),
      companies: [
        {
          pleoCompanyId: company.id,
          pleo: { apiKey: { env: 'IS_KEY' } },
          accountingSystem: { type: 'ledger', dir: join(dir, 'is') },
          accounting: {},
        },
      ],
    });
    const result = await cli('doctor');
    expect(
      result.json.checks.map((c: { ok: boolean; part: string }) => [c.part.split(' ')[0], c.ok]),
    ).toEqual([
      ['Temporal', true],
      ['Pleo', true],
      ['ledger', true],
    ]);
    expect(result.code).toBe(0);
  });

  test('reports missing search attributes until setup-temporal registers them', async () => {
    const namespace = `ops-${randomBytes(4).toString('hex')}`;
    await temporal.connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    writeJson('config.json', {
      ...JSON.parse(readFileSync(configFile, 'utf8')),
      temporal: { address: temporal.address, namespace },
    });
    // A new namespace may take a moment to be served: wait on the condition, not a timer.
    let before = await cli('doctor');
    while (before.json.checks[0].message.includes('refused')) before = await cli('doctor');
    expect(before.json.checks[0]).toEqual(
      expect.objectContaining({ ok: false, message: expect.stringContaining('pleo-export setup-temporal') }),
    );
    expect((await cli('setup-temporal')).json.added).toEqual([
      'PleoCompanyId',
      'PleoExportJobId',
      'PleoExportOutcome',
    ]);
    expect((await cli('setup-temporal')).json.added).toEqual([]);
    expect((await cli('doctor')).json.checks[0]).toEqual(expect.objectContaining({ ok: true }));
  });

  test('reports each unreachable part with what to do', async () => {
    const company = sandbox.createCompany({ name: 'Acme LT' });
    env.LT_KEY = company.apiKey;
    const notADir = join(dir, 'ledger-is-a-file');
    writeFileSync(notADir, '');
    chmodSync(notADir, 0o400);
    writeJson('config.json', {
      ...JSON.parse(readFileSync(configFile, 'utf8')),
      temporal: { address: `127.0.0.1:${await freePort()}` },
      pleo: { environment: 'sandbox', baseUrl: `http://127.0.0.1:${await freePort()}` },
      companies: [
        {
          pleoCompanyId: company.id,
          pleo: { apiKey: { env: 'LT_KEY' } },
          accountingSystem: { type: 'ledger', dir: join(notADir, 'sub') },
          accounting: {},
        },
      ],
    });
    const result = await cli('doctor');
    expect(result.code).toBe(1);
    const byPart = Object.fromEntries(
      result.json.checks.map((c: { part: string; ok: boolean; message: string }) => [
        c.part.split(' ')[0],
        c,
      ]),
    );
    expect(byPart.Temporal).toEqual(
      expect.objectContaining({ ok: false, message: expect.stringContaining('unreachable') }),
    );
    expect(byPart.Temporal.message).toContain('TEMPORAL_ADDRESS');
    expect(byPart.Pleo).toEqual(
      expect.objectContaining({ ok: false, message: expect.stringContaining('unreachable') }),
    );
    expect(byPart.Pleo.message).toContain('pleo.baseUrl');
    expect(byPart.ledger).toEqual(expect.objectContaining({ ok: false }));
    expect(byPart.ledger.message).toContain(join(notADir, 'sub'));
  });
});
