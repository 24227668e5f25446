// Strict configuration: a key the schema does not know is an error naming its path, with the closest
// known key as a suggestion ("maxConcurentActivities" → "maxConcurrentActivities"). The schemas of every
// section (accounting systems, mappings, Pleo) are walked as they are, so each stays a plain zod object.
import type { z } from 'zod';

type Schema = z.core.$ZodType;
type Path = (string | number)[];

export interface KeyIssue {
  path: Path;
  message: string;
}

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
  values?: unknown[];
}

const defOf = (schema: Schema) => schema._zod.def as unknown as Def;

/** The schema under wrappers that do not change which keys are allowed (optional, default, pipe …). */
function unwrap(schema: Schema): Schema {
  for (;;) {
    const def = defOf(schema);
    const next = def.innerType ?? def.in ?? def.getter?.();
    if (!next) return schema;
    schema = next;
  }
}

/** The schema of `key` inside `schema` (an object's field, a record's or array's value), if any. */
export function childSchema(schema: Schema, key: string, value?: unknown): Schema | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return def.shape?.[key] ?? (isOpen(def) ? def.catchall : undefined);
  if (def.type === 'record') return def.valueType;
  if (def.type === 'array') return /^\d+$/.test(key) ? def.element : undefined;
  if (def.type === 'union') {
    const option = unionOption(def, value);
    return option ? childSchema(option, key) : undefined;
  }
  return undefined;
}

/** The keys an object schema declares, when the schema is a closed object. */
export function declaredKeys(schema: Schema, value?: unknown): string[] | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return isOpen(def) ? undefined : Object.keys(def.shape ?? {});
  if (def.type === 'union') {
    const option = unionOption(def, value);
    return option ? declaredKeys(option) : undefined;
  }
  return undefined;
}

// `.loose()` / `.catchall()` objects take any key; the default (stripping) object is treated as closed.
const isOpen = (def: Def) => def.catchall !== undefined && defOf(def.catchall).type !== 'never';

/** For a discriminated union, the option the value's discriminator picks; else the only object option. */
function unionOption(def: Def, value: unknown): Schema | undefined {
  const objects = (def.options ?? []).filter((o) => defOf(unwrap(o)).type === 'object');
  if (def.discriminator) {
    const tag = (value as Record<string, unknown> | undefined)?.[def.discriminator];
    return objects.find((o) => defOf(unwrap(o)).shape?.[def.discriminator!] && literalOf(o, def) === tag);
  }
  return objects.length === 1 ? objects[0] : undefined;
}

function literalOf(option: Schema, def: Def): unknown {
  const field = defOf(unwrap(option)).shape?.[def.discriminator!];
  return field ? defOf(unwrap(field)).values?.[0] : undefined;
}

/** Every key in `value` that `schema` does not declare, with a suggestion when one is close. */
export function unknownKeys(schema: Schema, value: unknown, path: Path = []): KeyIssue[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      const child = childSchema(schema, String(i));
      return child ? unknownKeys(child, item, [...path, i]) : [];
    });
  }
  if (value === null || typeof value !== 'object') return [];
  const known = declaredKeys(schema, value);
  const issues: KeyIssue[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (known && !known.includes(key)) {
      issues.push({ path: [...path, key], message: unknownKeyMessage(key, known) });
      continue;
    }
    const child = childSchema(schema, key, value);
    if (child) issues.push(...unknownKeys(child, field, [...path, key]));
  }
  return issues;
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closest(key, known);
  return `unknown key${suggestion ? `: did you mean "${suggestion}"?` : ''} (known keys: ${known.join(', ')})`;
}

/** The known key closest to `key` (case and `_` ignored), if it is close enough to be a typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const norm = (k: string) => k.toLowerCase().replace(/_/g, '');
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = levenshtein(norm(key), norm(candidate));
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
