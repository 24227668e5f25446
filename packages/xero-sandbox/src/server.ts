// The Xero stand-in: a local server answering the parts of Xero's Accounting API the Xero adapter
// uses (organisation, accounts, tax rates, contacts, tracking categories, manual journals, bills,
// credit notes, payments, attachments), with Xero's validation errors, `Idempotency-Key`, lock dates and
// rate limits, plus the OAuth 2.0 token endpoint and `/connections` of Xero's identity service. One
// origin serves all of them: `/api.xro/2.0/…`, `/connections`, `/connect/token`, `/identity/connect/authorize`.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { endpointKey, FaultInjector, type FaultRuleInput } from '@pleo-export/pleo-sandbox/faults';
import { applyFaults, installLostResponses, type FaultAnswers } from '@pleo-export/pleo-sandbox/http/faults';
import { oauthError, OAuthServer, type OAuthClient } from '@pleo-export/pleo-sandbox/oauth';
import { DEFAULT_BEHAVIOUR } from '@pleo-export/pleo-sandbox/state';
import {
  documentJson,
  parseBankTransaction,
  parseBill,
  parseManualJournal,
  parsePayment,
  type Parsed,
} from './booking';
import { IdempotencyKeys, type StoredReply } from './idempotency';
import { RateLimiter, XERO_LIMITS, type XeroLimits } from './limits';
import { xeroDate } from './money';
import { demoOrganisation, type DocumentType, type Organisation } from './organisation';
import { parseWhere, WhereError } from './where';

type Json = Record<string, unknown>;

export const API_PREFIX = '/api.xro/2.0';
/** Largest attachment Xero accepts, and how many one document may carry. */
export const ATTACHMENT_LIMITS = { maxBytes: 10 * 1024 * 1024, perDocument: 10 };

export interface XeroExchange {
  method: string;
  /** Path and query as sent, e.g. `/api.xro/2.0/Invoices?where=…`. */
  url: string;
  requestBody: unknown;
  status: number;
  contentType?: string;
  body: unknown;
}

export interface XeroSandboxOptions {
  port?: number;
  host?: string;
  logger: Logger;
  limits?: Partial<XeroLimits>;
  /** Milliseconds since the epoch; tests move it to age rate-limit windows. */
  now?: () => number;
  /** Redirect URIs of the demo OAuth client (default: 127.0.0.1 / localhost port 3001, /xero/callback). */
  redirectUris?: string[];
  /** Faults (429, 503, latency, hang, lost reply) for drills and tests; see packages/pleo-sandbox/src/faults.ts. */
  faults?: FaultRuleInput[];
  faultSeed?: number;
  /** Sees every API request and its answer (tests validate them against Xero's OpenAPI). */
  onExchange?: (exchange: XeroExchange) => void;
}

export interface XeroSandbox {
  url: string;
  /** The demo organisation (always present) and any added ones, by tenant id. */
  organisations: Map<string, Organisation>;
  demo: Organisation;
  oauthClient: OAuthClient;
  limiter: RateLimiter;
  keys: IdempotencyKeys;
  /** API calls answered (including 429s), per `METHOD /Collection`. */
  calls: Record<string, number>;
  addOrganisation(name: string): Organisation;
  /** Fault rules per `METHOD /Collection…` endpoint (as in Xero's OpenAPI), drawn from a seeded generator. */
  faults: FaultInjector;
  /** Tokens for the demo client as a completed authorisation-code + PKCE flow would give them. */
  connect(): { access_token: string; refresh_token: string; expires_in: number };
  close(): Promise<void>;
}

const COLLECTIONS: Record<string, { type: DocumentType; id: string }> = {
  ManualJournals: { type: 'ManualJournal', id: 'ManualJournalID' },
  BankTransactions: { type: 'BankTransaction', id: 'BankTransactionID' },
  Invoices: { type: 'Invoice', id: 'InvoiceID' },
  CreditNotes: { type: 'CreditNote', id: 'CreditNoteID' },
  Payments: { type: 'Payment', id: 'PaymentID' },
};

const validationException = (elements: Json[]) => ({
  ErrorNumber: 10,
  Type: 'ValidationException',
  Message: 'A validation exception occurred',
  Elements: elements,
});

const USER = 'xero-demo-user';

/** A 429 as Xero words it, naming the limit that was hit. */
const tooManyRequests = (reply: FastifyReply, problem: string) =>
  reply
    .header('x-rate-limit-problem', problem)
    .send({ Type: null, Title: 'Too Many Requests', Status: 429, Detail: `Rate limit exceeded: ${problem}` });

const XERO_FAULT_ANSWERS: FaultAnswers = {
  rateLimit: (reply) => tooManyRequests(reply, 'minute'),
  serverError: (reply, fault) => reply.send({ Title: 'Service Unavailable', Status: fault.status ?? 503 }),
};
/** The demo organisation's tenant id, the same on every start so a local configuration keeps working. */
export const DEMO_TENANT_ID = '5e6f1d2c-3b4a-4c8d-9e7f-0a1b2c3d4e5f';

export async function startXeroSandbox(options: XeroSandboxOptions): Promise<XeroSandbox> {
  const now = options.now ?? Date.now;
  const organisations = new Map<string, Organisation>();
  const addOrganisation = (name: string, tenantId?: string) => {
    const org = demoOrganisation(tenantId, name);
    organisations.set(org.tenantId, org);
    return org;
  };
  const demo = addOrganisation('Pleo Demo Ltd', DEMO_TENANT_ID);
  const clock = { now: () => new Date(now()), advance: () => undefined };
  const oauth = new OAuthServer(clock, { ...DEFAULT_BEHAVIOUR, accessTokenTtlSeconds: 30 * 60 });
  const oauthClient = oauth.registerClient({
    clientId: 'xero-demo-client',
    clientSecret: 'xero-demo-client-secret',
    redirectUris: options.redirectUris ?? [
      'http://127.0.0.1:3001/xero/callback',
      'http://localhost:3001/xero/callback',
    ],
  });
  const limiter = new RateLimiter({ ...XERO_LIMITS, ...options.limits }, now);
  const keys = new IdempotencyKeys();
  const faults = new FaultInjector(options.faultSeed);
  for (const rule of options.faults ?? []) faults.add(rule);
  const calls: Record<string, number> = {};

  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    bodyLimit: 4 * ATTACHMENT_LIMITS.maxBytes,
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));

  const lost = installLostResponses(app);

  if (options.onExchange) {
    const report = options.onExchange;
    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.url.startsWith(API_PREFIX) && !request.url.startsWith('/connections')) return payload;
      const text = typeof payload === 'string' ? payload : undefined;
      report({
        method: request.method,
        url: request.url,
        requestBody: request.body,
        status: reply.statusCode,
        contentType: String(reply.getHeader('content-type') ?? '') || undefined,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      });
      return payload;
    });
  }

  // ---- identity: authorisation, tokens, connections ------------------------------------------
  app.get('/identity/connect/authorize', async (request, reply) => {
    try {
      return reply.redirect(oauth.authorize(request.query as Record<string, string>, USER), 302);
    } catch (err) {
      return oauthError(reply, err);
    }
  });
  app.post('/connect/token', async (request, reply) => {
    try {
      const tokens = oauth.token(
        (request.body ?? {}) as Record<string, string>,
        request.headers.authorization,
      );
      return reply.header('cache-control', 'no-store').send(tokens);
    } catch (err) {
      return oauthError(reply, err);
    }
  });
  const bearer = (request: FastifyRequest) => {
    const [scheme, token = ''] = (request.headers.authorization ?? '').split(' ', 2);
    return /^bearer$/i.test(scheme ?? '') ? oauth.principal(token) : undefined;
  };
  const unauthorized = (reply: FastifyReply) =>
    reply
      .status(401)
      .send({ Type: null, Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
  app.get('/connections', async (request, reply) => {
    if (!bearer(request)) return unauthorized(reply);
    return reply.send(
      [...organisations.values()].map((o) => ({
        id: createHash('sha256')
          .update(o.tenantId)
          .digest('hex')
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5'),
        tenantId: o.tenantId,
        tenantType: 'ORGANISATION',
        tenantName: o.name,
        createdDateUtc: '2026-01-01T00:00:00.000Z',
        updatedDateUtc: '2026-01-01T00:00:00.000Z',
      })),
    );
  });

  // ---- the accounting API ----------------------------------------------------------------------
  void app.register(
    async (api) => {
      api.decorateRequest('org');
      api.addHook('onRequest', async (request, reply) => {
        const route = `${request.method} /${request.url.slice(API_PREFIX.length + 1).split(/[/?]/)[0]}`;
        calls[route] = (calls[route] ?? 0) + 1;
        if (!bearer(request)) return unauthorized(reply);
        const org = organisations.get(String(request.headers['xero-tenant-id'] ?? ''));
        if (!org)
          return reply
            .status(403)
            .send({ Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
        const admission = limiter.admit(org.tenantId);
        reply.headers(admission.headers);
        if (!admission.ok)
          return tooManyRequests(
            reply.status(429).header('retry-after', String(admission.retryAfterSeconds)),
            admission.problem,
          );
        (request as FastifyRequest & { org: Organisation }).org = org;
        reply.raw.once('close', admission.release);
        const template = request.routeOptions.url?.slice(API_PREFIX.length) ?? '';
        return applyFaults(
          faults.draw(endpointKey(request.method, template)),
          request,
          reply,
          lost,
          XERO_FAULT_ANSWERS,
        );
      });
      const orgOf = (request: FastifyRequest) => (request as FastifyRequest & { org: Organisation }).org;

      api.get('/Organisation', async (request) => {
        const o = orgOf(request);
        const lock = (d?: string) => (d ? xeroDate(Date.parse(`${d}T00:00:00Z`)) : undefined);
        return {
          Organisations: [
            {
              OrganisationID: o.tenantId,
              Name: o.name,
              LegalName: o.name,
              BaseCurrency: o.baseCurrency,
              Version: 'GLOBAL',
              OrganisationType: 'COMPANY',
              OrganisationStatus: 'ACTIVE',
              ...(o.periodLockDate ? { PeriodLockDate: lock(o.periodLockDate) } : {}),
              ...(o.endOfYearLockDate ? { EndOfYearLockDate: lock(o.endOfYearLockDate) } : {}),
            },
          ],
        };
      });
      const list = (key: string, rows: (o: Organisation) => Json[]) =>
        api.get(`/${key}`, async (request, reply) => {
          const q = request.query as Record<string, string | undefined>;
          let all = rows(orgOf(request));
          try {
            if (q.where) all = all.filter(parseWhere(q.where));
          } catch (err) {
            if (!(err instanceof WhereError)) throw err;
            return reply
              .status(400)
              .send(validationException([{ ValidationErrors: [{ Message: err.message }] }]));
          }
          const page = Number(q.page ?? 0);
          return { [key]: page > 0 ? all.slice((page - 1) * 100, page * 100) : all };
        });
      list('Accounts', (o) => o.accounts as unknown as Json[]);
      list('Contacts', (o) => o.contacts as unknown as Json[]);
      list('TaxRates', (o) =>
        o.taxRates.map((t) => ({
          Name: t.Name,
          TaxType: t.TaxType,
          Status: t.Status,
          TaxComponents: [
            {
              Name: t.reverse ? 'Reverse charge' : 'VAT',
              Rate: Number(t.rate),
              IsCompound: false,
              IsNonRecoverable: false,
            },
          ],
          ...(t.reverse ? { ReportTaxType: 'ECACQUISITIONS' } : {}),
          DisplayTaxRate: Number(t.rate),
          EffectiveRate: t.reverse ? 0 : Number(t.rate),
        })),
      );
      list('TrackingCategories', (o) => o.trackingCategories as unknown as Json[]);
      for (const [key, { type }] of Object.entries(COLLECTIONS))
        list(key, (o) =>
          [...o.documents.values()].filter((d) => d.type === type).map((d) => documentJson(o, d)),
        );

      const idempotent = async (request: FastifyRequest, reply: FastifyReply, handle: () => StoredReply) => {
        const key = request.headers['idempotency-key'];
        if (typeof key === 'string' && key.length > 128)
          return reply
            .status(400)
            .send(
              validationException([
                { ValidationErrors: [{ Message: 'Idempotency-Key must be at most 128 characters.' }] },
              ]),
            );
        const answer =
          typeof key === 'string'
            ? await keys.run(
                orgOf(request).tenantId,
                key,
                { method: request.method, url: request.url, body: request.body },
                async () => handle(),
              )
            : handle();
        if (answer === 'conflict')
          return reply.status(400).send(
            validationException([
              {
                ValidationErrors: [
                  { Message: 'The Idempotency-Key was already used with a different request.' },
                ],
              },
            ]),
          );
        return reply.status(answer.status).send(answer.body);
      };

      const parse = (o: Organisation, type: DocumentType, raw: Json): Parsed =>
        type === 'ManualJournal'
          ? parseManualJournal(o, raw, now())
          : type === 'BankTransaction'
            ? parseBankTransaction(o, raw, now())
            : type === 'Payment'
              ? parsePayment(o, raw, now())
              : parseBill(o, raw, type, now());

      for (const [key, { type, id }] of Object.entries(COLLECTIONS)) {
        const create = (request: FastifyRequest, reply: FastifyReply) =>
          idempotent(request, reply, () => {
            const o = orgOf(request);
            const body = (request.body ?? {}) as Json;
            const elements = Array.isArray(body[key]) ? (body[key] as Json[]) : [body];
            const summarize = (request.query as Json).summarizeErrors !== 'false';
            const parsed = elements.map((e) => parse(o, type, e));
            const idempotencyKey = request.headers['idempotency-key'];
            if (summarize && parsed.some((p) => !p.ok))
              return {
                status: 400,
                body: validationException(
                  parsed.map((p, i) => ({
                    ...elements[i],
                    ValidationErrors: p.ok ? [] : p.messages.map((Message) => ({ Message })),
                  })),
                ),
              };
            const out = parsed.map((p, i) => {
              if (!p.ok)
                return {
                  ...elements[i],
                  ...(type === 'Payment'
                    ? { HasValidationErrors: true }
                    : type === 'ManualJournal' || type === 'BankTransaction'
                      ? {}
                      : { HasErrors: true }),
                  StatusAttributeString: 'ERROR',
                  ValidationErrors: p.messages.map((Message) => ({ Message })),
                };
              if (typeof idempotencyKey === 'string') p.document.createdBy = `${idempotencyKey}#${i}`;
              o.documents.set(p.document.id, p.document);
              if (p.document.settles) settle(o, p.document.settles.id, p.document.total);
              return { ...documentJson(o, p.document), StatusAttributeString: 'OK' };
            });
            return { status: 200, body: { [key]: out } };
          });
        api.put(`/${key}`, create);
        if (type !== 'Payment') api.post(`/${key}`, create);
        api.get(`/${key}/:id`, async (request, reply) => {
          const o = orgOf(request);
          const d = o.documents.get((request.params as { id: string }).id);
          if (!d || d.type !== type) return reply.status(404).send({ Title: 'Not Found', Status: 404 });
          return { [key]: [documentJson(o, d)] };
        });
        if (type !== 'Payment')
          api.post(`/${key}/:id`, async (request, reply) =>
            idempotent(request, reply, () => {
              const o = orgOf(request);
              const d = o.documents.get((request.params as { id: string }).id);
              if (!d || d.type !== type) return { status: 404, body: { Title: 'Not Found', Status: 404 } };
              const body = (request.body ?? {}) as Json;
              const change = (Array.isArray(body[key]) ? (body[key] as Json[])[0] : body) ?? {};
              const messages = approve(o, d, change.Status);
              if (messages.length)
                return {
                  status: 400,
                  body: validationException([
                    { [id]: d.id, ValidationErrors: messages.map((Message) => ({ Message })) },
                  ]),
                };
              d.updatedAt = now();
              return { status: 200, body: { [key]: [documentJson(o, d)] } };
            }),
          );
        if (type === 'Payment') continue;
        api.get(`/${key}/:id/Attachments`, async (request, reply) => {
          const o = orgOf(request);
          const docId = (request.params as { id: string }).id;
          if (o.documents.get(docId)?.type !== type)
            return reply.status(404).send({ Title: 'Not Found', Status: 404 });
          return { Attachments: (o.attachments.get(docId) ?? []).map((a) => attachmentJson(key, docId, a)) };
        });
        const upload = (request: FastifyRequest, reply: FastifyReply) =>
          idempotent(request, reply, () => {
            const o = orgOf(request);
            const { id: docId, file } = request.params as { id: string; file: string };
            if (o.documents.get(docId)?.type !== type)
              return { status: 404, body: { Title: 'Not Found', Status: 404 } };
            const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
            const files = o.attachments.get(docId) ?? [];
            const same = files.find((f) => f.FileName === file);
            const problem =
              content.length === 0
                ? 'The attachment is empty.'
                : content.length > ATTACHMENT_LIMITS.maxBytes
                  ? `The file is too large; attachments can be at most ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB.`
                  : !same && files.length >= ATTACHMENT_LIMITS.perDocument
                    ? `A document can have at most ${ATTACHMENT_LIMITS.perDocument} attachments.`
                    : undefined;
            if (problem)
              return {
                status: content.length > ATTACHMENT_LIMITS.maxBytes ? 413 : 400,
                body: validationException([{ ValidationErrors: [{ Message: problem }] }]),
              };
            // The same file name on the same document replaces the earlier upload.
            const stored = {
              AttachmentID: same?.AttachmentID ?? randomUUID(),
              FileName: file,
              MimeType: String(request.headers['content-type'] ?? 'application/octet-stream'),
              content,
            };
            o.attachments.set(docId, [...files.filter((f) => f !== same), stored]);
            return { status: 200, body: { Attachments: [attachmentJson(key, docId, stored)] } };
          });
        api.put(`/${key}/:id/Attachments/:file`, upload);
        api.post(`/${key}/:id/Attachments/:file`, upload);
      }
    },
    { prefix: API_PREFIX },
  );

  function settle(o: Organisation, id: string, amount: number): void {
    const target = o.documents.get(id)!;
    target.paid += amount;
    if (target.paid >= target.total) target.status = 'PAID';
    target.updatedAt = now();
  }

  /** Moving a draft on: a bill or credit note to AUTHORISED, a manual journal to POSTED. */
  function approve(
    o: Organisation,
    d: { type: DocumentType; status: string; date: string },
    to: unknown,
  ): string[] {
    const next = d.type === 'ManualJournal' ? ['POSTED'] : ['SUBMITTED', 'AUTHORISED'];
    if (to === d.status) return [];
    if (typeof to !== 'string' || !next.includes(to) || !['DRAFT', 'SUBMITTED'].includes(d.status))
      return [`A ${d.type} in status ${d.status} cannot be changed to ${String(to)}.`];
    const locked = o.lockedThrough;
    if (locked && d.date <= locked)
      return [`The document date cannot be on or before the lock date (${locked}).`];
    d.status = to;
    return [];
  }

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return {
    url: address,
    organisations,
    demo,
    oauthClient,
    limiter,
    keys,
    calls,
    addOrganisation,
    faults,
    connect() {
      const verifier = randomBytes(32).toString('base64url');
      const redirect = new URL(
        oauth.authorize(
          {
            client_id: oauthClient.clientId,
            redirect_uri: oauthClient.redirectUris[0],
            response_type: 'code',
            scope:
              'offline_access accounting.transactions accounting.settings accounting.contacts accounting.attachments',
            code_challenge: createHash('sha256').update(verifier).digest('base64url'),
            code_challenge_method: 'S256',
          },
          USER,
        ),
      );
      return oauth.token(
        {
          grant_type: 'authorization_code',
          code: redirect.searchParams.get('code') ?? '',
          redirect_uri: oauthClient.redirectUris[0],
          code_verifier: verifier,
        },
        `Basic ${Buffer.from(`${oauthClient.clientId}:${oauthClient.clientSecret}`).toString('base64')}`,
      );
    },
    close: () => app.close(),
  };
}

function attachmentJson(
  collection: string,
  docId: string,
  a: { AttachmentID: string; FileName: string; MimeType: string; content: Buffer },
): Json {
  return {
    AttachmentID: a.AttachmentID,
    FileName: a.FileName,
    Url: `https://api.xero.com/api.xro/2.0/${collection}/${docId}/Attachments/${encodeURIComponent(a.FileName)}`,
    MimeType: a.MimeType,
    ContentLength: a.content.length,
  };
}
