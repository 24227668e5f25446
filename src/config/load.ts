import { readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { appConfigSchema, type AppConfig } from './schema';
import { resolveSecretRefs } from './secrets';

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

/**
 * Environment overrides: `PLEO_EXPORT_<KEY>__<KEY>=value` sets a nested key, matched to existing keys
 * case-insensitively (`PLEO_EXPORT_TEMPORAL__ADDRESS=host:7233`). Values are parsed as JSON when they can be.
 */
export function applyEnvOverrides(base: Json, env: NodeJS.ProcessEnv, prefix = 'PLEO_EXPORT_'): Json {
  const out: Json = structuredClone(base);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(prefix) || raw === undefined || name === `${prefix}CONFIG`) continue;
    const parts = name
      .slice(prefix.length)
      .split('__')
      .map((p) => p.toLowerCase().replace(/_/g, ''));
    let node: Json = out;
    parts.forEach((part, i) => {
      const key = Object.keys(node).find((k) => k.toLowerCase() === part) ?? toCamel(name, i, prefix);
      if (i === parts.length - 1) node[key] = parseValue(raw);
      else node = (node[key] ??= {}) as Json;
    });
  }
  return out;
}

function toCamel(envName: string, index: number, prefix: string): string {
  const segment = envName.slice(prefix.length).split('__')[index] ?? '';
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
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
  const merged = applyEnvOverrides(fromFile, env);
  const secrets = resolveSecretRefs(merged, {
    env,
    baseDir: file ? dirname(file) : process.cwd(),
    allowPlaintext: merged.allowPlaintextSecrets === true,
  });
  const parsed = appConfigSchema.safeParse(secrets.value);
  const secretPaths = new Set(secrets.issues.map((i) => i.path.join('.')));
  const issues = [
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
