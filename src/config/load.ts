import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { appConfigSchema, type AppConfig } from './schema';

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
    const parts = name.slice(prefix.length).split('__').map((p) => p.toLowerCase().replace(/_/g, ''));
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

export function formatIssues(error: z.ZodError, where = ''): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Loads the configuration file (optional) plus environment overrides, validated; errors name each key. */
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
  const parsed = appConfigSchema.safeParse(applyEnvOverrides(fromFile, env));
  if (!parsed.success) {
    const issues = formatIssues(parsed.error);
    throw new ConfigError(
      `Invalid configuration${file ? ` in ${file}` : ''}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
      issues,
    );
  }
  return parsed.data;
}
