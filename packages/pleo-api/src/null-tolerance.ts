// Pleo's services send `null` for many values their OpenAPI only calls optional (and fields behind a
// `$ref` cannot even be marked nullable there). The readers treat such a `null` as absent, guided by the
// optional fields generated from the OpenAPI (generated/optional-fields.ts); required fields stay strict.
import { z } from 'zod';

/** A schema's optional fields, nested the way its objects and arrays are. */
export interface NullTolerance {
  optional?: readonly string[];
  fields?: Readonly<Record<string, NullTolerance>>;
  items?: NullTolerance;
}

/** A copy of `value` without the `null`s at optional fields; anything else is left for the schema to judge. */
export function dropOptionalNulls(value: unknown, tolerance: NullTolerance): unknown {
  if (Array.isArray(value)) {
    const items = tolerance.items;
    return items ? value.map((v) => dropOptionalNulls(v, items)) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null && tolerance.optional?.includes(key)) continue;
    const nested = tolerance.fields?.[key];
    out[key] = nested ? dropOptionalNulls(field, nested) : field;
  }
  return out;
}

/** `schema`, reading `null` at the optional fields as absent. */
export function tolerant<T extends z.ZodType>(schema: T, tolerance: NullTolerance) {
  return z.preprocess((value) => dropOptionalNulls(value, tolerance), schema);
}

/** Every optional field path of the tolerance, with `[]` for array elements: for tests and seed data. */
export function optionalPaths(tolerance: NullTolerance, prefix: readonly (string | [])[] = []) {
  const paths: (string | [])[][] = (tolerance.optional ?? []).map((key) => [...prefix, key]);
  for (const [key, nested] of Object.entries(tolerance.fields ?? {}))
    paths.push(...optionalPaths(nested, [...prefix, key]));
  if (tolerance.items) paths.push(...optionalPaths(tolerance.items, [...prefix, []]));
  return paths;
}
