import { z } from 'zod';
import { pleoConfigSchema } from '../pleo/config';
import { accountingSystemConfigSchema } from '../accounting-systems/config';
import { companyAccountingConfigSchema } from '../accounting/core/config';
import { isAes256Key } from '../codec/aes';

export const temporalConfigSchema = z.object({
  /** host:port of the Temporal frontend; `@temporalio/envconfig` (TEMPORAL_ADDRESS, TLS, API key) fills the rest. */
  address: z.string().min(1).default('127.0.0.1:7233'),
  namespace: z.string().min(1).default('default'),
  taskQueue: z.string().min(1).default('pleo-export'),
  /** When true, `npm start` runs its own `temporal server start-dev` with the Web UI. */
  startDevServer: z.boolean().default(true),
  uiPort: z.number().int().positive().default(8233),
});

// Secret fields below hold the value resolved from `{ "env": … }` / `{ "file": … }` (see secrets.ts).
const secret = z.string().min(1, 'is empty');
const aesKey = secret.refine(
  isAes256Key,
  'must be a 32-byte key, base64 or hex: generate one with `openssl rand -base64 32`',
);

/** A company's Pleo credentials; what is not set here is read from the credential store `connect` writes. */
export const companyPleoConfigSchema = z.object({
  /** 'apiKey': HTTP Basic with an API key; 'oauth': tokens from `pleo-export connect --oauth` (needs `pleo.oauth`). */
  auth: z.enum(['apiKey', 'oauth']).default('apiKey'),
  /** A standalone or integrated API key (secret reference); else the one `connect` stored. */
  apiKey: secret.optional(),
  /** Signing secret (`whsec_…`) of the company's webhook subscription (secret reference). */
  webhookSecret: secret.optional(),
  /** Hosts receipts may be downloaded from, beyond Pleo's own (https only). */
  receiptHosts: z.array(z.string().min(1)).default([]),
});

/** One Pleo company connected 1-to-1 to one accounting-system company. */
export const companyConfigSchema = z.object({
  pleoCompanyId: z.uuid(),
  name: z.string().min(1).optional(),
  pleo: companyPleoConfigSchema.prefault({}),
  accountingSystem: accountingSystemConfigSchema,
  accounting: companyAccountingConfigSchema,
});

/**
 * Encryption of workflow payloads (export item data and personal data in histories). The first key
 * encrypts; every listed key decrypts, so rotation is: prepend a new key, keep the old ones.
 */
export const codecConfigSchema = z.object({
  keys: z
    .array(
      z.object({ id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'), key: aesKey }),
    )
    .min(1, 'at least one key'),
  /** The codec server the Web UI calls to show decrypted payloads (`pleo-export codec-server`). */
  server: z
    .object({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8888),
      /** Bearer token callers must present (secret reference). */
      token: secret.refine((t) => t.length >= 16, 'must be at least 16 characters'),
      /** Browser origins allowed to call it: the Web UI's address. */
      corsOrigins: z.array(z.string().min(1)).default(['http://localhost:8233', 'http://127.0.0.1:8233']),
    })
    .optional(),
});

/** Where `connect` and `webhooks subscribe` keep Pleo credentials, encrypted with this key. */
export const credentialStoreConfigSchema = z.object({
  /** Folder of the encrypted credential files; defaults to `<dataDir>/credentials`. */
  dir: z.string().min(1).optional(),
  /** 32-byte AES key (secret reference). */
  key: aesKey,
});

export const webhookConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port (the demo); production sets a fixed one behind its public URL. */
  port: z.number().int().min(0).max(65535).default(3000),
  /** Rejects deliveries whose `webhook-timestamp` is further than this from now (replays). */
  toleranceSeconds: z.number().int().positive().default(300),
});

export const workerConfigSchema = z.object({
  maxConcurrentActivities: z.number().int().positive().default(20),
  /** Prometheus metrics of the Temporal runtime on 127.0.0.1:<port>; off when unset. */
  metricsPort: z.number().int().positive().optional(),
  /** Outage budget in minutes: how long Pleo or the accounting system may be down before a job is failed. */
  outageBudgetMinutes: z.number().positive().max(45).default(15),
  /** Polling fallback when no webhook arrives. */
  pollEvery: z.string().min(1).default('5 minutes'),
  /**
   * Removed: each export job now paces its calls to the limits its accounting system declares, across
   * every worker. Kept as a key only to say so to a configuration that still sets it.
   */
  accountingRateLimit: z
    .undefined({
      error:
        'removed: each export job now keeps to the limits its accounting system declares, across every worker (the embedded ledger: set accountingSystem.writeLimit on the company); delete this key',
    })
    .optional(),
});

export const appConfigSchema = z.object({
  /** Folder for the dev server database, ledgers and receipts (git-ignored). */
  dataDir: z.string().min(1).default('.data'),
  /** Local development only: accept secrets written in plain text in the file. */
  allowPlaintextSecrets: z.boolean().default(false),
  log: z
    .object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') })
    .prefault({}),
  temporal: temporalConfigSchema.prefault({}),
  /** fava, serving the embedded ledger (`pleo-export books`, and `npm start` while it runs). */
  books: z.object({ port: z.number().int().positive().default(5000) }).prefault({}),
  pleo: pleoConfigSchema.prefault({}),
  webhook: webhookConfigSchema.prefault({}),
  worker: workerConfigSchema.prefault({}),
  codec: codecConfigSchema.optional(),
  credentials: credentialStoreConfigSchema.optional(),
  companies: z
    .array(companyConfigSchema)
    .default([])
    .superRefine((companies, ctx) => {
      // Pleo requires 1-to-1 connections: neither side may appear twice.
      const seen = { pleo: new Map<string, number>(), target: new Map<string, number>() };
      companies.forEach((company, i) => {
        const target = accountingCompanyIdentity(company.accountingSystem);
        for (const [side, key, path] of [
          ['pleo', company.pleoCompanyId, 'pleoCompanyId'],
          ['target', target, 'accountingSystem'],
        ] as const) {
          const first = seen[side].get(key);
          if (first !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [i, path],
              message: `is already connected by companies[${first}]: each Pleo company connects to exactly one accounting-system company and back`,
            });
          } else seen[side].set(key, i);
        }
      });
    }),
});

/** What identifies the accounting-system company a connection writes to (its book, database or tenant). */
export function accountingCompanyIdentity(config: Record<string, unknown> & { type: string }): string {
  const identifying = ['dir', 'fileName', 'url', 'baseUrl', 'database', 'company', 'companyId', 'tenantId'];
  return JSON.stringify([config.type, ...identifying.map((k) => config[k] ?? null)]);
}

export type AppConfig = z.infer<typeof appConfigSchema>;
export type CompanyConfig = z.infer<typeof companyConfigSchema>;
export type CodecConfig = z.infer<typeof codecConfigSchema>;
