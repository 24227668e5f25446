import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** What the accounting system knows: used for existence checks (account_unknown, tax_code_unknown, …). */
export const chartSchema = z.object({
  accounts: z.array(z.object({ code: z.string().min(1), name: z.string().optional(), kind: z.string().optional() })),
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
  /** 'demo' = the demo chart (src/demo/chart.ts); with a chart, unknown accounts, tax codes, tags and vendors fail the item. */
  chart: z.union([z.literal('demo'), chartSchema]).optional(),
  /** A write limiter like a hosted accounting API's (e.g. 60 per minute), used by benchmarks. */
  writeLimit: z.object({ perSecond: z.number().positive().optional(), perMinute: z.number().positive().optional() }).optional(),
});

export const accountingSystemConfigSchema = z.discriminatedUnion('type', [ledgerConfigSchema]);
export type AccountingSystemConfig = z.infer<typeof accountingSystemConfigSchema>;
export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;
