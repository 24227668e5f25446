import { z } from 'zod';
import { pleoConfigSchema } from '../pleo/config';
import { accountingSystemConfigSchema } from '../accounting-systems/config';
import { companyAccountingConfigSchema } from '../accounting/core/config';

export const temporalConfigSchema = z.object({
  /** host:port of the Temporal frontend; `@temporalio/envconfig` (TEMPORAL_ADDRESS, TLS, API key) fills the rest. */
  address: z.string().min(1).default('127.0.0.1:7233'),
  namespace: z.string().min(1).default('default'),
  taskQueue: z.string().min(1).default('pleo-export'),
  /** When true, `npm start` runs its own `temporal server start-dev` with the Web UI. */
  startDevServer: z.boolean().default(true),
  uiPort: z.number().int().positive().default(8233),
});

/** One Pleo company connected 1-to-1 to one accounting-system company. */
export const companyConfigSchema = z.object({
  pleoCompanyId: z.uuid(),
  name: z.string().min(1).optional(),
  accountingSystem: accountingSystemConfigSchema,
  accounting: companyAccountingConfigSchema,
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
});

export const appConfigSchema = z.object({
  /** Folder for the dev server database, ledgers and receipts (git-ignored). */
  dataDir: z.string().min(1).default('.data'),
  log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') }).prefault({}),
  temporal: temporalConfigSchema.prefault({}),
  pleo: pleoConfigSchema.prefault({}),
  webhook: webhookConfigSchema.prefault({}),
  worker: workerConfigSchema.prefault({}),
  companies: z.array(companyConfigSchema).default([]),
});

export type AppConfig = z.infer<typeof appConfigSchema>;
export type CompanyConfig = z.infer<typeof companyConfigSchema>;
