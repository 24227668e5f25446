// Secrets never sit in the configuration file in plain text: a secret is written as a reference,
// `{ "env": "NAME" }` (an environment variable) or `{ "file": "/run/secrets/name" }` (a file, e.g. a
// Docker or Kubernetes secret), and resolved when the configuration is loaded. Any field of any section
// may be a reference, so accounting-system adapters get this for free.
import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

type Json = unknown;

export interface SecretIssue {
  path: (string | number)[];
  message: string;
}

/** Keys whose string value is a credential: refused in plain text unless `allowPlaintextSecrets`. */
const SECRET_KEY = /(key|token|password|secret)$/i;
/** Maps whose values are credentials (`pleo.apiKeys: { <companyId>: … }`). */
const SECRET_MAP = /(keys|tokens|passwords|secrets)$/i;

export function isSecretRef(value: Json): value is { env: string } | { file: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    (keys[0] === 'env' || keys[0] === 'file') &&
    typeof Object.values(value)[0] === 'string'
  );
}

/**
 * Returns a copy of `raw` with every secret reference replaced by its value; every reference that cannot
 * be resolved and every plain-text secret is reported with its path.
 */
export function resolveSecretRefs(
  raw: Json,
  options: { env: NodeJS.ProcessEnv; baseDir: string; allowPlaintext: boolean },
): { value: Json; issues: SecretIssue[] } {
  const issues: SecretIssue[] = [];
  const walk = (node: Json, path: (string | number)[]): Json => {
    if (isSecretRef(node)) {
      if ('env' in node) {
        const value = options.env[node.env];
        if (value === undefined || value === '')
          issues.push({ path, message: `environment variable ${node.env} is not set` });
        return value ?? '';
      }
      const file = isAbsolute(node.file) ? node.file : resolve(options.baseDir, node.file);
      if (!existsSync(file)) {
        issues.push({ path, message: `secret file ${file} does not exist` });
        return '';
      }
      try {
        return readFileSync(file, 'utf8').trim();
      } catch (err) {
        // EISDIR, EACCES …: the path shows which key; the message which file and why.
        const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        issues.push({ path, message: `secret file ${file} cannot be read (${reason})` });
        return '';
      }
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (typeof node === 'object' && node !== null) {
      const parentKey = String(path[path.length - 1] ?? '');
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => {
          const secretField = SECRET_KEY.test(key) || SECRET_MAP.test(parentKey);
          if (!options.allowPlaintext && typeof value === 'string' && secretField) {
            issues.push({
              path: [...path, key],
              message:
                'plain-text secret in the configuration: write { "env": "NAME" } or { "file": "path" } instead (or set allowPlaintextSecrets: true for local development)',
            });
          }
          return [key, walk(value, [...path, key])];
        }),
      );
    }
    return node;
  };
  return { value: walk(raw, []), issues };
}
