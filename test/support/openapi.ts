// Pleo's OpenAPI files (test/fixtures/openapi/pleo: Pleo's published YAML as JSON, content unmodified,
// written by scripts/sync-openapi.mjs) as a contract for tests: validates
// requests and responses (status, media type, body) with ajv, and fails naming the operation, the
// status and the JSON path of every mismatch. Shared by the sandbox contract tests and the Pleo client
// tests.
//
// Two readings of the files, both because the files say one thing in two ways:
// - `pattern: YYYY-MM-DD…` / `yyyy-MM-dd'T'…` are date *formats* written as regexes (no real date can
//   match them literally); they are dropped and `format` checks the value. A date-only pattern on a
//   `format: date-time` field accepts a date or a date-time (Pleo documents both).
// - Error statuses a path does not document (401, 403, 429, 5xx, …), or documents without a body, are
//   checked against ExceptionInfo, the error shape Pleo documents for every API; an undocumented
//   success status is a mismatch.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const PLEO_OPENAPI_DIR = join(__dirname, '../fixtures/openapi/pleo');

type Json = Record<string, unknown>;

interface Operation {
  file: string;
  method: string;
  template: string;
  regex: RegExp;
  literalLength: number;
  pointer: string;
  op: Json;
}

export interface HttpExchange {
  method: string;
  /** Path with optional query string, e.g. `/v3/export-jobs?statuses=pending`. */
  url: string;
  status: number;
  contentType?: string | null;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
}

const EXCEPTION_INFO = 'pleo-export-openapi.json#/components/schemas/ExceptionInfo';
const DATE_PLACEHOLDER = /^(YYYY-MM-DD|yyyy-MM-dd)/;
const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const mediaType = (ct: string) => ct.split(';')[0]!.trim().toLowerCase();

/** Drops date placeholders posing as regexes (see header comment). */
function normaliseDatePatterns(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(normaliseDatePatterns);
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  if (typeof o.pattern === 'string' && DATE_PLACEHOLDER.test(o.pattern)) {
    if (!o.pattern.includes('T') && o.format === 'date-time') o.format = 'date-or-date-time';
    delete o.pattern;
  }
  Object.values(o).forEach(normaliseDatePatterns);
}

export class OpenApiContract {
  readonly #ajv: Ajv;
  readonly #operations: Operation[] = [];
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #docs = new Map<string, Json>();

  constructor(dir = PLEO_OPENAPI_DIR) {
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.#ajv);
    for (const f of ['int32', 'int64', 'float', 'double'])
      this.#ajv.addFormat(f, { type: 'number', validate: () => true });
    this.#ajv.addFormat('url', { type: 'string', validate: (s: string) => URL.canParse(s) });
    const dateTime = this.#ajv.formats['date-time'] as { validate: (s: string) => boolean };
    this.#ajv.addFormat(
      'date-or-date-time',
      (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) || dateTime.validate(s),
    );
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
      normaliseDatePatterns(doc);
      this.#docs.set(file, doc);
      this.#ajv.addSchema(doc, file);
      for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
        for (const [method, op] of Object.entries(item)) {
          if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
          const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
          this.#operations.push({
            file,
            method: method.toUpperCase(),
            template,
            regex: new RegExp(`^${source}$`),
            literalLength: template.replace(/\{[^}]+\}/g, '').length,
            pointer: `/paths/${escapePointer(template)}/${method}`,
            op: op as Json,
          });
        }
      }
    }
  }

  /** The documented operation for a request, e.g. `GET /v3/export-jobs/{jobId}` for `/v3/export-jobs/8eb…`. */
  operation(method: string, url: string): Operation {
    const path = new URL(url, 'http://x').pathname;
    const found = this.#operations
      .filter((o) => o.method === method.toUpperCase() && o.regex.test(path))
      .sort((a, b) => b.literalLength - a.literalLength)[0];
    if (!found) throw new Error(`No operation in Pleo's OpenAPI for ${method.toUpperCase()} ${path}`);
    return found;
  }

  /** Throws unless the response matches the documented status, media type and body schema. */
  validateResponse(x: HttpExchange): void {
    const o = this.operation(x.method, x.url);
    const name = `${o.method} ${o.template} → ${x.status} (${o.file})`;
    const responses = o.op.responses as Record<string, Json>;
    const key = [String(x.status), `${String(x.status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key) {
      if (x.status < 400) throw new Error(`${name}: status ${x.status} is not documented`);
      return this.#check(name, EXCEPTION_INFO, x.body, 'error body');
    }
    const content = responses[key]!.content as Record<string, Json> | undefined;
    if (!content) {
      // An error documented without a body may still carry Pleo's error shape; a success may not.
      if (x.status >= 400 && x.body !== undefined)
        return this.#check(name, EXCEPTION_INFO, x.body, 'error body');
      if (x.body !== undefined && x.body !== '')
        throw new Error(`${name}: documented without a body, got ${JSON.stringify(x.body).slice(0, 200)}`);
      return;
    }
    const types = Object.keys(content);
    const media = x.contentType ? mediaType(x.contentType) : undefined;
    const match = types.find((t) => mediaType(t) === media);
    if (!match) throw new Error(`${name}: content-type ${x.contentType} is not one of ${types.join(', ')}`);
    if (!content[match]!.schema) return;
    const pointer = `${o.pointer}/responses/${escapePointer(key)}/content/${escapePointer(match)}/schema`;
    this.#check(name, `${o.file}#${pointer}`, x.body, 'response body');
  }

  /** Throws unless the query parameters and JSON body match the operation's documented request. */
  validateRequest(r: { method: string; url: string; body?: unknown }): void {
    const o = this.operation(r.method, r.url);
    const name = `${o.method} ${o.template} request (${o.file})`;
    const query = new URL(r.url, 'http://x').searchParams;
    const params = ((o.op.parameters ?? []) as Json[]).filter((p) => p.in === 'query');
    for (const key of new Set(query.keys())) {
      if (!params.some((p) => p.name === key))
        throw new Error(`${name}: query parameter ${key} is not documented`);
    }
    params.forEach((p, index) => {
      const values = query.getAll(p.name as string);
      if (values.length === 0) {
        if (p.required) throw new Error(`${name}: required query parameter ${String(p.name)} is missing`);
        return;
      }
      const schema = p.schema as Json;
      const coerce = (v: string, s: Json) =>
        s.type === 'integer' || s.type === 'number' ? Number(v) : s.type === 'boolean' ? v === 'true' : v;
      const value =
        schema.type === 'array'
          ? values.map((v) => coerce(v, (schema.items ?? {}) as Json))
          : coerce(values.at(-1)!, schema);
      const all = (o.op.parameters as Json[]).indexOf(p);
      this.#check(
        `${name} query ${String(p.name)}`,
        `${o.file}#${o.pointer}/parameters/${all >= 0 ? all : index}/schema`,
        value,
        'query',
      );
    });
    const content = (o.op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
    if (!content) return;
    const json = Object.keys(content).find((t) => mediaType(t) === 'application/json');
    if (json)
      this.#check(
        name,
        `${o.file}#${o.pointer}/requestBody/content/${escapePointer(json)}/schema`,
        r.body,
        'request body',
      );
  }

  #check(name: string, ref: string, value: unknown, what: string): void {
    let validate = this.#validators.get(ref);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: ref });
      this.#validators.set(ref, validate);
    }
    if (!validate(value))
      throw new Error(`${name}: ${what} does not match Pleo's OpenAPI:\n${describe(validate.errors ?? [])}`);
  }
}

function describe(errors: ErrorObject[]): string {
  return errors
    .slice(0, 20)
    .map(
      (e) =>
        `  at ${e.instancePath || '(root)'}: ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
    )
    .join('\n');
}

let shared: OpenApiContract | undefined;
/** One parsed contract per test file (parsing and compiling takes a moment). */
export function pleoContract(): OpenApiContract {
  shared ??= new OpenApiContract();
  return shared;
}
