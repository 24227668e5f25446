import { z } from 'zod';

// Owned by the accounting-systems work (issue 5); one variant per adapter.
export const accountingSystemConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ledger'), dir: z.string().min(1).default('.data/ledgers') }),
]);
export type AccountingSystemConfig = z.infer<typeof accountingSystemConfigSchema>;
