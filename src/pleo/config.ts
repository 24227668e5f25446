import { z } from 'zod';
import { EXPORT_SCOPES, PLEO_AUTH_BASE_URLS } from './auth/oauth-app';

// Owned by the Pleo client work (issue 3).

export const PLEO_BASE_URLS = {
  production: 'https://external.pleo.io',
  staging: 'https://external.staging.pleo.io',
} as const;

export const pleoOAuthConfigSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Must equal a redirect URI registered with Pleo. */
  redirectUri: z.url(),
  scopes: z.array(z.string().min(1)).default([...EXPORT_SCOPES]),
  /** Folder of the encrypted token files (one per company). */
  tokenDir: z.string().min(1).default('.data/pleo-tokens'),
  /** 32-byte AES-256-GCM key for the token files, as 64 hex or 44 base64 characters. */
  tokenEncryptionKey: z
    .string()
    .refine(
      (k) => /^[0-9a-fA-F]{64}$/.test(k) || Buffer.from(k, 'base64').length === 32,
      'expected 32 bytes as 64 hex or 44 base64 characters',
    ),
});

export const pleoConfigSchema = z
  .object({
    /** `production` and `staging` are Pleo's; `sandbox` is the local stand-in and needs `baseUrl`. */
    environment: z.enum(['production', 'staging', 'sandbox']).default('staging'),
    /** Overrides the environment's API base URL (the sandbox's URL for local runs). */
    baseUrl: z.url().optional(),
    /** Overrides the environment's OAuth server (`https://auth.pleo.io`, …); the sandbox serves both. */
    authBaseUrl: z.url().optional(),
    timeoutMs: z.number().int().positive().default(30_000),
    /** API keys by Pleo company id (integrated or standalone keys); companies without one use OAuth. */
    apiKeys: z.record(z.uuid(), z.string().min(1)).default({}),
    oauth: pleoOAuthConfigSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.environment === 'sandbox' && !c.baseUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'the sandbox environment needs baseUrl (printed by `npm run sandbox`)',
      });
    }
  });
export type PleoConfig = z.infer<typeof pleoConfigSchema>;

/** The API and OAuth base URLs the configuration selects. */
export function pleoEndpoints(config: PleoConfig): { baseUrl: string; authBaseUrl: string } {
  const baseUrl =
    config.baseUrl ?? PLEO_BASE_URLS[config.environment === 'production' ? 'production' : 'staging'];
  const authBaseUrl =
    config.authBaseUrl ??
    (config.environment === 'sandbox'
      ? baseUrl
      : PLEO_AUTH_BASE_URLS[config.environment === 'production' ? 'production' : 'staging']);
  return { baseUrl, authBaseUrl };
}
