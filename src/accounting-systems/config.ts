import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** What the accounting system knows: used for existence checks (account_unknown, tax_code_unknown, …). */
export const chartSchema = z.object({
  accounts: z.array(
    z.object({ code: z.string().min(1), name: z.string().optional(), kind: z.string().optional() }),
  ),
  taxCodes: z.array(z.string()).default([]),
  /** Dimension values per group (tag group code, or 'team'). */
  dimensions: z.record(z.string(), z.array(z.string())).default({}),
  vendors: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        taxRegistrationNumber: z.string().optional(),
        payableAccount: z.string().optional(),
      }),
    )
    .default([]),
});
export type Chart = z.infer<typeof chartSchema>;

export const ledgerConfigSchema = z.object({
  type: z.literal('ledger'),
  /** Folder holding this company's ledger file and its receipts. */
  dir: z.string().min(1),
  fileName: z.string().min(1).default('ledger.beancount'),
  /** Books are closed up to and including this date (the ledger's closed period). */
  lockDate: isoDate.optional(),
  /** 'demo' = the demo chart (packages/demo-company/src/chart.ts); with a chart, unknown accounts, tax codes, tags and vendors fail the item. */
  chart: z.union([z.literal('demo'), chartSchema]).optional(),
  /** A write limiter like a hosted accounting API's (e.g. 60 per minute), used by benchmarks. */
  writeLimit: z
    .object({ perSecond: z.number().positive().optional(), perMinute: z.number().positive().optional() })
    .optional(),
});

export const trytonConfigSchema = z.object({
  type: z.literal('tryton'),
  /** Tryton server's base URL (JSON-RPC is served at <url>/<database>/). */
  url: z.string().url(),
  /** Where the web client (sao) is, for links to records; defaults to `url`. */
  webUrl: z.string().url().optional(),
  database: z.string().min(1),
  username: z.string().min(1),
  /** Secret: write it as `{ "env": "TRYTON_PASSWORD" }` or `{ "file": "…" }`, never in plain text. */
  password: z.string().min(1, 'is empty'),
  /** The company's name in Tryton (its party name). */
  company: z.string().min(1),
  /** Journal codes used when a document names none. */
  journals: z
    .object({
      journalEntry: z.string().min(1).default('MISC'),
      bill: z.string().min(1).default('EXP'),
      payment: z.string().min(1).default('CASH'),
    })
    .prefault({}),
  /** Per-call timeout: a call that takes longer is treated as an outage and retried (idempotently). */
  timeoutMs: z.number().int().positive().default(30_000),
});

export const xeroConfigSchema = z.object({
  type: z.literal('xero'),
  /** Xero's API host (`/api.xro/2.0` and `/connections` are below it); the stand-in's URL in tests. */
  apiUrl: z.string().url().default('https://api.xero.com'),
  /** Xero identity (token endpoint `/connect/token`). */
  identityUrl: z.string().url().default('https://identity.xero.com'),
  /** Where the browser signs in (`/identity/connect/authorize`). */
  loginUrl: z.string().url().default('https://login.xero.com'),
  /** Links to documents in Xero's web app. */
  webUrl: z.string().url().default('https://go.xero.com'),
  /** The organisation, as `pleo-export connect xero` chose it from /connections (written there on connect). */
  tenantId: z.string().min(1).optional(),
  clientId: z.string().min(1),
  /** Secret: `{ "env": "XERO_CLIENT_SECRET" }` or `{ "file": "…" }`. */
  clientSecret: z.string().min(1, 'is empty'),
  redirectUri: z.string().url().default('http://localhost:3001/xero/callback'),
  /** Where the encrypted OAuth tokens live, and the 32-byte key (secret) they are encrypted with. */
  tokenDir: z.string().min(1),
  tokenEncryptionKey: z.string().min(1, 'is empty'),
  /**
   * Journal-method items as `manualJournal` (default: any balanced postings, drafts kept as drafts), or
   * as `bankTransaction`: a posted entry paid from one Xero bank account (the Pleo wallet) becomes spend
   * or receive money on that account, ready to reconcile with its bank feed; drafts and entries funded
   * otherwise stay manual journals, since Xero holds bank transactions only as approved.
   */
  journalEntries: z.enum(['manualJournal', 'bankTransaction']).default('manualJournal'),
  /** The contact bank transactions name (Xero requires one; it is created on first use). */
  bankTransactionContact: z.string().min(1).default('Pleo'),
  /**
   * Pleo tag group code (or `team`) → Xero tracking category name; `null` = not tracked in Xero. A group
   * not listed maps to the tracking category of the same name. Xero allows two per line.
   */
  tracking: z.record(z.string(), z.string().min(1).nullable()).default({}),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Longest Retry-After one call waits out before handing the wait back to the job. */
  maxRetryWaitMs: z.number().int().nonnegative().default(60_000),
  /** The organisation's API limits, when they differ from Xero's documented 5 concurrent / 60 a minute. */
  limits: z
    .object({
      concurrentCalls: z.number().int().positive().optional(),
      callsPerMinute: z.number().positive().optional(),
      /** Items a job keeps in flight (24: enough for items waiting their turn to share creates). */
      itemsInFlight: z.number().int().positive().optional(),
    })
    .optional(),
});

export const accountingSystemConfigSchema = z.discriminatedUnion('type', [
  ledgerConfigSchema,
  trytonConfigSchema,
  xeroConfigSchema,
]);
export type AccountingSystemConfig = z.infer<typeof accountingSystemConfigSchema>;
export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;
export type TrytonConfig = z.infer<typeof trytonConfigSchema>;
export type XeroConfig = z.infer<typeof xeroConfigSchema>;
