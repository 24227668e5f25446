// Follows docs/operations.md "Connect a second company" as written: the configuration and the two JSON
// files from the document, then every command of its shell block, in order, through the real CLI,
// against the Pleo sandbox over HTTP and a real Temporal server. Placeholders in angle brackets are
// the only things filled in.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from '@temporalio/client';
import { createDataConverter } from '../../src/codec';
import { runCli } from '../../src/cli/main';
import { loadConfig } from '../../src/config/load';
import { webhookSecrets } from '../../src/connections/from-config';
import { pollScheduleId } from '../../src/shared/workflow-api';
import { startSandbox, type PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { startTemporal } from '../support/temporal';
import { createLogger } from '../../src/logging/logger';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');

function section(heading: string): string {
  const start = doc.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`docs/operations.md has no section "${heading}"`);
  const next = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, next < 0 ? undefined : next);
}

function blocks(text: string): { lang: string; title: string; body: string }[] {
  return [...text.matchAll(/```(\w*) ?([^\n]*)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1]!,
    title: m[2]!.trim(),
    body: m[3]!,
  }));
}

/** Shell words: quoted parts joined to their neighbours, `$VAR` expanded outside single quotes. */
function words(line: string, env: NodeJS.ProcessEnv): string[] {
  const expand = (text: string) => text.replace(/\$(\w+)/g, (_, name: string) => env[name] ?? '');
  return [...line.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((word) =>
    [...word[0].matchAll(/'([^']*)'|"([^"]*)"|([^"']+)/g)].map((p) => p[1] ?? expand(p[2] ?? p[3]!)).join(''),
  );
}

let sandbox: PleoSandbox;
let temporal: TestWorkflowEnvironment;
let dir: string;
beforeAll(async () => {
  [temporal, sandbox] = await Promise.all([
    startTemporal(),
    startSandbox({ port: 0, seed: 'none', logger: createLogger({ level: 'silent' }) }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-ops-doc-'));
});
afterAll(async () => {
  await sandbox?.close();
  await temporal?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

test('a newcomer connects a second company with the CLI alone, following docs/operations.md', async () => {
  const first = sandbox.createCompany({ name: 'Acme DK' });
  const second = sandbox.createCompany({ name: 'Acme SE' });
  const env: NodeJS.ProcessEnv = {
    // The deployment's own settings, as environment overrides and secrets.
    PLEO_EXPORT_PLEO__ENVIRONMENT: 'sandbox',
    PLEO_EXPORT_PLEO__BASE_URL: sandbox.url,
    PLEO_EXPORT_TEMPORAL__ADDRESS: temporal.address,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    CODEC_KEY_2026_11: randomBytes(32).toString('base64'),
    FIRST_KEY: first.apiKey,
    LOG_LEVEL: 'silent',
  };
  const placeholders: Record<string, () => string> = {
    '<first company id>': () => first.id,
    '<the API key Pleo showed>': () => second.apiKey,
  };
  const fill = (text: string) =>
    Object.entries(placeholders)
      .reduce((t, [placeholder, value]) => t.split(placeholder).join(value()), text)
      .split('".data')
      .join(`"${join(dir, '.data')}`);

  const files = [
    ...blocks(section('The configuration file')),
    ...blocks(section('Connect a second company')),
  ].filter((b) => b.lang === 'json');
  expect(files.map((f) => f.title)).toEqual([
    'config.json',
    'acme-se-accounting-system.json',
    'acme-se-accounting.json',
  ]);
  for (const file of files) writeFileSync(join(dir, file.title), fill(file.body));
  const configFile = join(dir, 'config.json');
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      [
        '--config',
        configFile,
        '--json',
        ...args.map((a) => (files.some((f) => f.title === a) ? join(dir, a) : a)),
      ],
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        env,
      },
    );
    expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
    return JSON.parse(stdout);
  };
  // The first company is already connected in the document's starting point: its key is in the store.
  await cli(['connect', '--api-key-env', 'FIRST_KEY']);

  const [shell] = blocks(section('Connect a second company')).filter((b) => b.lang === 'sh');
  const outputs: Record<string, unknown> = {};
  for (const line of shell!.body.replace(/\\\n\s*/g, ' ').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const [command, ...args] = words(fill(line), env);
    if (command === 'export') {
      const [name, ...value] = args.join(' ').split('=');
      env[name!] = value.join('=');
    } else {
      expect(command).toBe('pleo-export');
      outputs[args[0]!] = await cli(args);
    }
    if (args[0] === 'connect')
      placeholders['<the company id connect printed>'] = () =>
        (outputs.connect as { companyId: string }).companyId;
  }

  // Every step did what the document says.
  expect(outputs.connect).toEqual(
    expect.objectContaining({ companyId: second.id, auth: 'apiKey', config: 'added' }),
  );
  expect(outputs['check-config']).toEqual({ ok: true, findings: [] });
  const config = loadConfig({ file: configFile, env });
  expect(config.companies.map((c) => [c.pleoCompanyId, c.name])).toEqual([
    [first.id, 'Acme DK'],
    [second.id, 'Acme SE'],
  ]);
  expect(readFileSync(configFile, 'utf8')).not.toContain(second.apiKey);
  expect((await webhookSecrets(config)).get(second.id)).toMatch(/^whsec_/);
  // The schedule's workflow arguments are encrypted (codec on): only a client with the keys reads them.
  await expect(temporal.client.schedule.getHandle(pollScheduleId(second.id)).describe()).rejects.toThrow(
    'binary/encrypted',
  );
  const withKeys = new Client({
    connection: temporal.connection,
    dataConverter: createDataConverter(config.codec),
  });
  const schedule = await withKeys.schedule.getHandle(pollScheduleId(second.id)).describe();
  expect(schedule.action).toEqual(
    expect.objectContaining({ type: 'startWorkflow', args: [{ companyId: second.id }] }),
  );
  const doctor = outputs.doctor as { ok: boolean; checks: { part: string; ok: boolean }[] };
  expect(doctor.checks.map((c) => c.part.split(' ')[0])).toEqual([
    'Temporal',
    'Pleo',
    'ledger',
    'Pleo',
    'ledger',
  ]);
  expect(doctor.ok).toBe(true);
});
