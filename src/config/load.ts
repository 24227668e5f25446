import { readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { appConfigSchema, type AppConfig } from './schema';
import { resolveSecretRefs } from './secrets';
import { childSchema, declaredKeys, unknownKeyMessage, unknownKeys, type KeyIssue } from './strict';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;

/** Variables that share the prefix but are not configuration keys: the file's path, the Python tools' folder. */
const NOT_OVERRIDES = new Set(['CONFIG', 'VENV']);

/** Whether an environment variable is a configuration override (`PLEO_EXPORT_<KEY>__<KEY>`). */
export function isConfigOverride(name: string, prefix = 'PLEO_EXPORT_'): boolean {
  return name.startsWith(prefix) && !NOT_OVERRIDES.has(name.slice(prefix.length));
}

/**
 * Environment overrides: `PLEO_EXPORT_<KEY>__<KEY>=value` sets a nested key, matched to the schema's keys
 * case-insensitively with `_` ignored (`PLEO_EXPORT_WORKER__OUTAGE_BUDGET_MINUTES=10`). Values are parsed
 * as JSON when they can be. A variable naming no key is an issue, not silently a new key.
 */
export function applyEnvOverrides(
  base: Json,
  env: NodeJS.ProcessEnv,
  prefix = 'PLEO_EXPORT_',
): { value: Json; issues: KeyIssue[] } {
  const out: Json = structuredClone(base);
  const issues: KeyIssue[] = [];
  const norm = (k: string) => k.toLowerCase().replace(/_/g, '');
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isConfigOverride(name, prefix) || raw === undefined) continue;
    const parts = name.slice(prefix.length).split('__');
    const keys: string[] = [];
    let schema: z.core.$ZodType | undefined = appConfigSchema;
    let node: Json | undefined = out;
    for (const part of parts) {
      const known: string[] | undefined = schema && declaredKeys(schema, node);
      const key: string | undefined = known
        ? known.find((k) => norm(k) === norm(part))
        : (Object.keys(node ?? {}).find((k) => norm(k) === norm(part)) ?? part);
      if (!key) {
        const where = keys.length ? ` under ${keys.join('.')}` : '';
        issues.push({
          path: [name],
          message: `matches no configuration key${where}: ${unknownKeyMessage(part, known!)}`,
        });
        break;
      }
      schema = schema && childSchema(schema, key, node);
      keys.push(key);
      if (keys.length === parts.length) setPath(out, keys, parseValue(raw));
      node = (node?.[key] ?? undefined) as Json | undefined;
    }
  }
  return { value: out, issues };
}

function setPath(root: Json, keys: string[], value: unknown): void {
  let node = root;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]!] = value;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * `companies.1.accounting.walletAccounts.EUR` → `company "Acme DK" (7c9…): accounting.walletAccounts.EUR`:
 * an operator with twenty companies needs the company named, not its index.
 */
export function describePath(path: (string | number)[], raw: Json): string {
  if (path[0] === 'companies' && path.length > 1) {
    const company = (raw.companies as Json[] | undefined)?.[Number(path[1])];
    const label = companyLabel(company?.name, company?.pleoCompanyId, Number(path[1]));
    return `${label}: ${path.slice(2).join('.') || '(the whole entry)'}`;
  }
  return path.join('.') || '(root)';
}

export function companyLabel(name: unknown, id: unknown, index?: number): string {
  const named = typeof name === 'string' && name ? `"${name}" ` : '';
  const ident = typeof id === 'string' && id ? `(${id})` : index !== undefined ? `companies[${index}]` : '';
  return `company ${named}${ident}`.trim();
}

/** Loads the configuration file (optional) plus environment overrides, resolves secret references, validates; errors name each key. */
export function loadConfig(
  options: { file?: string; env?: NodeJS.ProcessEnv; defaults?: Json } = {},
): AppConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.PLEO_EXPORT_CONFIG;
  let fromFile: Json = options.defaults ?? {};
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`Config file ${file} does not exist`, []);
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Json;
    } catch (err) {
      throw new ConfigError(`Config file ${file} is not valid JSON: ${(err as Error).message}`, []);
    }
  }
  const overridden = applyEnvOverrides(fromFile, env);
  const merged = overridden.value;
  const secrets = resolveSecretRefs(merged, {
    env,
    baseDir: file ? dirname(file) : process.cwd(),
    allowPlaintext: merged.allowPlaintextSecrets === true,
  });
  const parsed = appConfigSchema.safeParse(secrets.value);
  const secretPaths = new Set(secrets.issues.map((i) => i.path.join('.')));
  const issues = [
    ...overridden.issues,
    ...unknownKeys(appConfigSchema, merged),
    ...secrets.issues,
    // An unresolved reference also fails its schema check: report it once.
    ...(parsed.success ? [] : parsed.error.issues.filter((i) => !secretPaths.has(i.path.join('.')))),
  ].map((issue) => ({
    path: describePath(issue.path as (string | number)[], merged),
    message: issue.message,
  }));
  if (issues.length > 0 || !parsed.success) {
    throw new ConfigError(
      `Invalid configuration${file ? ` in ${file}` : ''}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
      issues,
    );
  }
  return parsed.data;
}
