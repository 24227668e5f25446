// docker-compose.yml cannot run here (no Docker engine): this checks it is consistent with the code.
// Services, pinned images, health checks, ports, and that every environment variable our services get
// is either a config override the schema knows (PLEO_EXPORT_<KEY>__<KEY>), one Temporal's envconfig
// reads, or a secret the example configuration references; and the example configuration loads with it.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { appConfigSchema } from '../../src/config/schema';
import { loadConfig } from '../../src/config/load';
import { isSecretRef } from '../../src/config/secrets';
import { buildProgram } from '../../src/cli/main';

const root = join(__dirname, '..', '..');
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const appServices = Object.entries(services).filter(([, s]) => s.build === '.');
const exampleConfig = JSON.parse(readFileSync(join(root, 'deploy', 'config.example.json'), 'utf8'));

/** Values for `${VAR…}` interpolation: keys must be real 256-bit keys, the rest any non-empty string. */
const dummy = (name: string) =>
  name.endsWith('KEY') || /KEY_/.test(name)
    ? randomBytes(32).toString('base64')
    : `dummy-${name.toLowerCase()}-value`;
const interpolate = (value: string | number) =>
  String(value).replace(/\$\{(\w+)(?::?[?-][^}]*)?\}/g, (_, name: string) => dummy(name));
const envOf = (service: Service) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)]));

/** Follows `PLEO_EXPORT_A__B_C` through the schema as load.ts does (case-insensitive, `_` ignored). */
function schemaHasPath(parts: string[]): boolean {
  let node = appConfigSchema as z.ZodType;
  for (const part of parts) {
    for (;;) {
      const def = (node as unknown as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
      const inner = def.innerType ?? def.in;
      if (!inner) break;
      node = inner;
    }
    const shape = (node as unknown as { shape?: Record<string, z.ZodType> }).shape;
    const key =
      shape && Object.keys(shape).find((k) => k.toLowerCase() === part.toLowerCase().replace(/_/g, ''));
    if (!key) return false;
    node = shape[key]!;
  }
  return true;
}

function envconfigVariables(): string[] {
  const lib = join(root, 'node_modules', '@temporalio', 'envconfig', 'lib');
  const text = readdirSync(lib)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(lib, f), 'utf8'))
    .join('\n');
  return [...new Set(text.match(/TEMPORAL_[A-Z_]+/g))];
}

function secretEnvNames(node: unknown): string[] {
  if (isSecretRef(node)) return 'env' in node ? [node.env] : [];
  if (node && typeof node === 'object') return Object.values(node).flatMap(secretEnvNames);
  return [];
}

const published = (service: Service) => (service.ports ?? []).map((p) => Number(String(p).split(':')[0]));

test('has the production topology', () => {
  expect(Object.keys(services).sort()).toEqual(
    [
      'codec-server',
      'postgresql',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'tryton',
      'webhook',
      'worker',
    ].sort(),
  );
  expect(services.temporal!.environment).toEqual(
    expect.objectContaining({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' }),
  );
});

test('pins every image and health-checks every long-running service', () => {
  for (const [name, service] of Object.entries(services)) {
    if (service.image && service.build === undefined)
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/)]);
    if (name !== 'temporal-setup')
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
  }
});

test('waits only on services that can report what it waits for', () => {
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      const target = services[dependency];
      expect([name, dependency, target !== undefined]).toEqual([name, dependency, true]);
      if (condition === 'service_healthy')
        expect([dependency, target!.healthcheck !== undefined]).toEqual([dependency, true]);
    }
  }
});

test('runs only commands the CLI has', () => {
  const commands = buildProgram({
    stdout: process.stdout,
    stderr: process.stderr,
    env: {},
  }).program.commands.map((c) => c.name());
  for (const [name, service] of appServices)
    expect([name, commands.includes(service.command![0]!)]).toEqual([name, true]);
  expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(
    /ENTRYPOINT \["node", "bin\/pleo-export.js"\]/,
  );
});

test("gives our services only variables the config schema, Temporal's envconfig or the example config's secrets use", () => {
  const temporalVariables = envconfigVariables();
  const secrets = secretEnvNames(exampleConfig);
  for (const [name, service] of appServices) {
    for (const variable of Object.keys(service.environment ?? {})) {
      const ok =
        variable === 'PLEO_EXPORT_CONFIG' ||
        (variable.startsWith('PLEO_EXPORT_') &&
          schemaHasPath(variable.slice('PLEO_EXPORT_'.length).split('__'))) ||
        temporalVariables.some((t) => variable === t || (t.endsWith('_') && variable.startsWith(t))) ||
        secrets.includes(variable);
      expect([name, variable, ok]).toEqual([name, variable, true]);
    }
    // Every secret the configuration references is provided.
    for (const secret of secrets)
      expect([name, secret, secret in (service.environment ?? {})]).toEqual([name, secret, true]);
  }
  // The convention check can fail: a misspelt key is caught.
  expect(schemaHasPath(['WORKER', 'METRICS_PORTS'])).toBe(false);
});

test('the example configuration loads in every service with its environment', () => {
  for (const [name, service] of appServices) {
    const env = envOf(service);
    const config = loadConfig({ file: join(root, 'deploy', 'config.example.json'), env });
    expect([name, config.dataDir]).toEqual([name, '/data']);
    if (name === 'webhook')
      expect([config.webhook.host, published(service)]).toEqual(['0.0.0.0', [config.webhook.port]]);
    if (name === 'codec-server') {
      expect(published(service)).toEqual([config.codec!.server!.port]);
      expect(config.codec!.server!.host).toBe('0.0.0.0');
    }
    if (name === 'worker')
      expect(service.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${config.worker.metricsPort}/metrics`);
  }
});

test('the Web UI reaches the codec server from the browser, and the codec server allows its origin', () => {
  const ui = services['temporal-ui']!;
  const uiOrigin = `http://localhost:${published(ui)[0]}`;
  const codecPort = published(services['codec-server']!)[0];
  expect(String(ui.environment!.TEMPORAL_CODEC_ENDPOINT)).toMatch(
    new RegExp(`^http://localhost:${codecPort}/t/\\$\\{CODEC_SERVER_TOKEN`),
  );
  expect(exampleConfig.codec.server.corsOrigins).toContain(uiOrigin);
  expect(ui.environment!.TEMPORAL_CORS_ORIGINS).toBe(uiOrigin);
  expect(ui.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
});
