// Xero's OpenAPI files (the in-repo artifact under test/fixtures/openapi/xero, copied by
// scripts/sync-openapi.mjs) as a contract for the Xero stand-in and adapter: every request
// (query parameters, Idempotency-Key, JSON body) and response (documented status, JSON body) is checked
// with ajv; a mismatch names the operation, the status and the JSON path.
//
// Statuses Xero's file documents for no operation (401, 403, 404, 413, 429) carry Xero's problem
// bodies; they are checked to be JSON and nothing more, since the file gives them no schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { API_PREFIX, type XeroExchange } from '@pleo-export/xero-sandbox/server';

type Json = Record<string, unknown>;
const DIR = join(__dirname, '../fixtures/openapi/xero');
const FILES = { accounting: 'xero_accounting.json', identity: 'xero-identity.json' } as const;

interface Operation {
  file: string;
  template: string;
  regex: RegExp;
  pointer: string;
  op: Json;
  shared: Json[];
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class XeroOpenApi {
  readonly #ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  readonly #docs = new Map<string, Json>();
  readonly #operations: Operation[] = [];
  readonly #validators = new Map<string, ValidateFunction>();
  /** Exchanges checked so far, per operation (tests assert coverage with it). */
  readonly checked = new Map<string, number>();

  constructor() {
    addFormats(this.#ajv);
    for (const f of ['int32', 'int64', 'double', 'float', 'byte'])
      this.#ajv.addFormat(f, { validate: () => true });
    for (const file of Object.values(FILES)) {
      const doc = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Json;
      this.#docs.set(file, doc);
      this.#ajv.addSchema(doc, file);
      for (const [template, item] of Object.entries(doc.paths as Record<string, Json>))
        for (const [method, op] of Object.entries(item)) {
          if (!['get', 'put', 'post', 'delete'].includes(method)) continue;
          const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
          this.#operations.push({
            file,
            template: `${method.toUpperCase()} ${template}`,
            regex: new RegExp(`^${method.toUpperCase()} ${source}$`, 'i'),
            pointer: `/paths/${escape(template)}/${method}`,
            op: op as Json,
            shared: (item.parameters ?? []) as Json[],
          });
        }
    }
  }

  /** Throws unless request and response match the documented operation. */
  validate(x: XeroExchange): void {
    const { pathname, searchParams } = new URL(x.url, 'http://x');
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const o = this.#operations.find((c) => c.regex.test(`${x.method} ${decodeURIComponent(path)}`));
    if (!o) throw new Error(`No operation in Xero's OpenAPI for ${x.method} ${path}`);
    this.checked.set(o.template, (this.checked.get(o.template) ?? 0) + 1);
    const name = `${o.template} → ${x.status}`;
    const params = [...o.shared, ...((o.op.parameters ?? []) as Json[])].map((p) => this.#deref(o.file, p));
    for (const key of new Set(searchParams.keys())) {
      const p = params.find((q) => q.in === 'query' && q.name === key);
      if (!p) throw new Error(`${name}: query parameter ${key} is not documented`);
      const schema = p.schema as Json;
      const raw = searchParams.get(key)!;
      const value =
        schema.type === 'boolean' ? raw === 'true' : schema.type === 'integer' ? Number(raw) : raw;
      this.#check(name, o.file, schema, value, `query ${key}`);
    }
    const body = (o.op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
    if (body?.['application/json'] && x.requestBody !== undefined)
      this.#check(name, o.file, body['application/json'].schema as Json, x.requestBody, 'request body');
    const responses = o.op.responses as Record<string, Json>;
    const documented = responses[String(x.status)];
    if (!documented) {
      if (x.status < 400) throw new Error(`${name}: status ${x.status} is not documented`);
      if (x.body === undefined) throw new Error(`${name}: an error without a JSON body`);
      return;
    }
    const content = this.#deref(o.file, documented).content as Record<string, Json> | undefined;
    const json = content?.['application/json'];
    if (!json) return;
    if (!x.contentType?.startsWith('application/json'))
      throw new Error(`${name}: content-type ${x.contentType}`);
    this.#check(name, o.file, json.schema as Json, x.body, 'response body');
  }

  #deref(file: string, node: Json): Json {
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    const parts = ref.slice(2).split('/');
    return parts.reduce<Json>((n, k) => n[k] as Json, this.#docs.get(file)!);
  }

  #check(name: string, file: string, schema: Json, value: unknown, what: string): void {
    const key = `${file}\n${JSON.stringify(schema)}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      // Local references in an inline schema point into its own file.
      const anchored = JSON.parse(
        JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${file}#/`),
      ) as Json;
      validate = this.#ajv.compile(anchored);
      this.#validators.set(key, validate);
    }
    if (!validate(value)) {
      const where = (validate.errors ?? [])
        .slice(0, 10)
        .map((e) => `  at ${e.instancePath || '(root)'}: ${e.message}`);
      throw new Error(`${name}: ${what} does not match Xero's OpenAPI:\n${where.join('\n')}`);
    }
  }
}
