import { z } from 'zod';

// Owned by the accounting-core work (issue 4): the per-company accounting configuration.
export const companyAccountingConfigSchema = z.object({
  postingMode: z.enum(['draft', 'posted']).default('draft'),
});
export type CompanyAccountingConfig = z.infer<typeof companyAccountingConfigSchema>;
