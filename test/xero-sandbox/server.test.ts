// The Xero stand-in over HTTP: every request and answer here is checked against Xero's OpenAPI.
import pino from 'pino';
import {
  startXeroSandbox,
  API_PREFIX,
  type XeroSandbox,
  type XeroExchange,
} from '@pleo-export/xero-sandbox/server';
import { postings } from '@pleo-export/xero-sandbox/booking';
import { RateLimiter } from '@pleo-export/xero-sandbox/limits';
import { XeroOpenApi } from '../support/xero-openapi';

const contract = new XeroOpenApi();
let xero: XeroSandbox;
let token: string;
const mismatches: string[] = [];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${xero.url}${path.startsWith('/connections') ? '' : API_PREFIX}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'xero-tenant-id': xero.demo.tenantId,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as Json,
  };
}

const journal = (extra: Json = {}) => ({
  Narration: 'Card expense [pleo-test]',
  Date: '2026-06-15',
  Status: 'POSTED',
  LineAmountTypes: 'Exclusive',
  JournalLines: [
    {
      AccountCode: '6000',
      LineAmount: 80,
      TaxType: 'VAT25',
      TaxAmount: 20,
      Tracking: [{ Name: 'Department', Option: 'SALES' }],
    },
    { AccountCode: '1910', LineAmount: -100, TaxType: 'NONE' },
  ],
  ...extra,
});

beforeAll(async () => {
  xero = await startXeroSandbox({
    logger: pino({ level: 'silent' }),
    onExchange: (x: XeroExchange) => {
      try {
        contract.validate(x);
      } catch (err) {
        mismatches.push((err as Error).message);
      }
    },
  });
  token = xero.connect().access_token;
});
afterAll(() => xero.close());
afterEach(() => {
  expect(mismatches.splice(0)).toEqual([]);
});

it('lists the organisations a token may use and refuses calls without a valid token or tenant', async () => {
  const connections = await call('GET', '/connections');
  expect(connections.body).toEqual([
    expect.objectContaining({ tenantId: xero.demo.tenantId, tenantType: 'ORGANISATION' }),
  ]);
  expect((await call('GET', '/Organisation', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
  expect((await call('GET', '/Organisation', undefined, { 'xero-tenant-id': 'other' })).status).toBe(403);
});

it('issues 30-minute access tokens and rotates refresh tokens', async () => {
  const first = xero.connect();
  expect(first.expires_in).toBe(1800);
  const form = (refresh: string) =>
    fetch(`${xero.url}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${xero.oauthClient.clientId}:${xero.oauthClient.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh }).toString(),
    });
  const rotated = (await (await form(first.refresh_token)).json()) as Json;
  expect(rotated.refresh_token).not.toBe(first.refresh_token);
  expect((await form(first.refresh_token)).status).toBe(400); // the old one is spent
});

it('books a manual journal and shows it in its ledger effect, tax on the rate account', async () => {
  const created = await call('PUT', '/ManualJournals?summarizeErrors=false', { ManualJournals: [journal()] });
  expect(created.status).toBe(200);
  const id = created.body.ManualJournals[0].ManualJournalID as string;
  const stored = xero.demo.documents.get(id)!;
  expect(stored.status).toBe('POSTED');
  expect(postings(xero.demo, stored)).toEqual({ '6000': 8000, '2640': 2000, '1910': -10000 });
  const found = await call(
    'GET',
    `/ManualJournals?where=${encodeURIComponent('Narration.Contains("[pleo-test]")')}`,
  );
  expect(found.body.ManualJournals.map((m: Json) => m.ManualJournalID)).toContain(id);
});

it('answers per-element validation errors with summarizeErrors=false, and a ValidationException otherwise', async () => {
  const bad = journal({
    JournalLines: [
      {
        AccountCode: '9999',
        LineAmount: 100,
        TaxType: 'XX99',
        Tracking: [{ Name: 'Department', Option: 'NOPE' }, {}, {}],
      },
      { AccountCode: '1910', LineAmount: -90 },
    ],
  });
  const mixed = await call('PUT', '/ManualJournals?summarizeErrors=false', {
    ManualJournals: [journal(), bad],
  });
  expect(mixed.status).toBe(200);
  expect(mixed.body.ManualJournals[0].StatusAttributeString).toBe('OK');
  expect(mixed.body.ManualJournals[1].ValidationErrors.map((e: Json) => e.Message)).toEqual([
    "Account code '9999' is not a valid code for this document.",
    "The TaxType code 'XX99' does not exist or cannot be used for this type of transaction.",
    'A line can have a maximum of two tracking categories.',
    expect.stringContaining("Tracking option 'NOPE'"),
    expect.stringContaining('Tracking option'),
    expect.stringContaining('Tracking option'),
    'The total debits (100) must equal total credits (90).',
  ]);
  const before = xero.demo.documents.size;
  const summarized = await call('PUT', '/ManualJournals', { ManualJournals: [journal(), bad] });
  expect(summarized.status).toBe(400);
  expect(summarized.body).toMatchObject({
    Type: 'ValidationException',
    Elements: [{ ValidationErrors: [] }, { ValidationErrors: expect.any(Array) }],
  });
  expect(xero.demo.documents.size).toBe(before);
});

it('refuses postings on or before a lock date', async () => {
  xero.demo.periodLockDate = '2026-06-30';
  try {
    const refused = await call('PUT', '/ManualJournals?summarizeErrors=false', journal());
    expect(refused.body.ManualJournals[0].ValidationErrors[0].Message).toMatch(/lock date \(30 Jun 2026\)/);
    expect((await call('GET', '/Organisation')).body.Organisations[0].PeriodLockDate).toBe(
      '/Date(1782777600000+0000)/',
    );
  } finally {
    xero.demo.periodLockDate = undefined;
  }
});

it('answers a repeated Idempotency-Key with the first answer and refuses it on another request', async () => {
  const key = { 'idempotency-key': `mj-${Date.now()}` };
  const before = xero.demo.documents.size;
  const [a, b] = await Promise.all([
    call('PUT', '/ManualJournals?summarizeErrors=false', journal(), key),
    call('PUT', '/ManualJournals?summarizeErrors=false', journal(), key),
  ]);
  expect(b.body).toEqual(a.body);
  expect(xero.demo.documents.size).toBe(before + 1);
  const other = await call(
    'PUT',
    '/ManualJournals?summarizeErrors=false',
    journal({ Narration: 'other' }),
    key,
  );
  expect(other.status).toBe(400);
  expect(
    (await call('PUT', '/ManualJournals', journal(), { 'idempotency-key': 'k'.repeat(129) })).status,
  ).toBe(400);
});

it('books a bill, approves it, settles it with a payment and stores its attachments within limits', async () => {
  const contact = xero.demo.contacts[0]!;
  const bill = {
    Type: 'ACCPAY',
    Contact: { ContactID: contact.ContactID },
    Date: '2026-06-20',
    InvoiceNumber: 'INV-1 [pleo-bill]',
    LineAmountTypes: 'Exclusive',
    Status: 'DRAFT',
    LineItems: [
      {
        Description: 'Software',
        Quantity: 1,
        UnitAmount: 200,
        AccountCode: '6200',
        TaxType: 'VAT25',
        TaxAmount: 50,
      },
      {
        Description: 'Ads',
        Quantity: 1,
        UnitAmount: 80,
        AccountCode: '6400',
        TaxType: 'RC25',
        TaxAmount: 20,
      },
    ],
  };
  const created = await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [bill] });
  const id = created.body.Invoices[0].InvoiceID as string;
  expect(created.body.Invoices[0]).toMatchObject({ Status: 'DRAFT', Total: 330 });
  const paying = {
    Invoice: { InvoiceID: id },
    Account: { Code: '1910' },
    Date: '2026-06-21',
    Amount: 330,
    Reference: '[pleo-bill-payment]',
  };
  const early = await call('PUT', '/Payments?summarizeErrors=false', { Payments: [paying] });
  expect(early.body.Payments[0].ValidationErrors[0].Message).toBe(
    'Payment can only be made against Authorised documents.',
  );
  expect((await call('POST', `/Invoices/${id}`, { Invoices: [{ Status: 'AUTHORISED' }] })).status).toBe(200);
  expect(
    (await call('PUT', '/Payments?summarizeErrors=false', { Payments: [paying] })).body.Payments[0]
      .StatusAttributeString,
  ).toBe('OK');
  const stored = xero.demo.documents.get(id)!;
  expect(stored.status).toBe('PAID');
  expect(postings(xero.demo, stored)).toEqual({
    '6200': 20000,
    '2640': 5000,
    '6400': 8000,
    '2645': 2000,
    '2614': -2000,
    '2441': -33000,
  });
  const upload = (name: string, bytes: Buffer) =>
    call('PUT', `/Invoices/${id}/Attachments/${name}`, bytes, { 'content-type': 'application/pdf' });
  expect((await upload('a.pdf', Buffer.from('%PDF-1.4 a'))).status).toBe(200);
  expect((await upload('a.pdf', Buffer.from('%PDF-1.4 a again'))).status).toBe(200); // replaces
  expect((await upload('big.pdf', Buffer.alloc(10 * 1024 * 1024 + 1))).status).toBe(413);
  const listed = await call('GET', `/Invoices/${id}/Attachments`);
  expect(listed.body.Attachments.map((a: Json) => a.FileName)).toEqual(['a.pdf']);
});

it('answers 429 with Retry-After and the limit that was hit once a minute holds 60 calls', async () => {
  const other = xero.addOrganisation('Busy Ltd');
  const busy = () => call('GET', '/Organisation', undefined, { 'xero-tenant-id': other.tenantId });
  let last;
  for (let i = 0; i < 60; i++) last = await busy();
  expect(last!.headers.get('x-minlimit-remaining')).toBe('0');
  expect(last!.headers.get('x-daylimit-remaining')).toBe('4940');
  const refused = await busy();
  expect(refused.status).toBe(429);
  expect(refused.headers.get('x-rate-limit-problem')).toBe('minute');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
});

describe('rate limiter windows', () => {
  it('enforces concurrent, per-minute, daily and app-wide limits with the wait until a slot frees', () => {
    let now = 0;
    const limiter = new RateLimiter({ concurrent: 2, perMinute: 3, perDay: 4, appPerMinute: 5 }, () => now);
    const a = limiter.admit('t1');
    const b = limiter.admit('t1');
    expect(limiter.admit('t1')).toMatchObject({ ok: false, problem: 'concurrent', retryAfterSeconds: 1 });
    if (a.ok) a.release();
    if (b.ok) b.release();
    now = 10_000;
    expect(limiter.admit('t1').ok).toBe(true);
    expect(limiter.admit('t1')).toMatchObject({ ok: false, problem: 'minute', retryAfterSeconds: 50 });
    now = 60_001;
    expect(limiter.admit('t1')).toMatchObject({ ok: true, headers: { 'x-daylimit-remaining': '0' } });
    now = 130_000;
    expect(limiter.admit('t1')).toMatchObject({ ok: false, problem: 'day', retryAfterSeconds: 86_270 });
    // Five organisations' calls fill the app's minute; the sixth is refused whoever makes it.
    for (const t of ['t2', 't3', 't4', 't5', 't6']) expect(limiter.admit(t).ok).toBe(true);
    expect(limiter.admit('t7')).toMatchObject({ ok: false, problem: 'appminute' });
  });
});
