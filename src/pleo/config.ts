import { z } from 'zod';

// Owned by the Pleo client work (issue 3); extended there with auth settings.
export const pleoConfigSchema = z.object({
  /** `https://external.pleo.io`, `https://external.staging.pleo.io`, or the local sandbox URL. */
  baseUrl: z.url().default('https://external.staging.pleo.io'),
});
export type PleoConfig = z.infer<typeof pleoConfigSchema>;
