// Pleo settings: environment → base URLs, which credential a company's client uses, and errors that
// name the key at fault.
import { randomBytes } from 'node:crypto';
import { pleoConfigSchema, pleoEndpoints } from '../../src/pleo/config';
import { createPleoAuth } from '../../src/pleo/connect';
import { ApiKeyAuth, OAuthAuth } from '../../src/pleo/auth';

const company = '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11';
const oauth = {
  clientId: 'client',
  clientSecret: 'secret',
  redirectUri: 'https://integration.example/pleo/callback',
  tokenEncryptionKey: randomBytes(32).toString('hex'),
};

it.each([
  [{ environment: 'production' }, 'https://external.pleo.io', 'https://auth.pleo.io'],
  [{ environment: 'staging' }, 'https://external.staging.pleo.io', 'https://auth.staging.pleo.io'],
  [{}, 'https://external.staging.pleo.io', 'https://auth.staging.pleo.io'],
  [
    { environment: 'sandbox', baseUrl: 'http://127.0.0.1:4010' },
    'http://127.0.0.1:4010',
    'http://127.0.0.1:4010',
  ],
])('%j → API %s, OAuth %s', (input, api, auth) => {
  expect(pleoEndpoints(pleoConfigSchema.parse(input))).toEqual({ baseUrl: api, authBaseUrl: auth });
});

it('the sandbox environment without its URL is an error naming baseUrl', () => {
  const result = pleoConfigSchema.safeParse({ environment: 'sandbox' });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]?.path).toEqual(['baseUrl']);
});

it('a malformed token encryption key is an error naming the key', () => {
  const result = pleoConfigSchema.safeParse({ oauth: { ...oauth, tokenEncryptionKey: 'short' } });
  expect(result.error?.issues[0]?.path).toEqual(['oauth', 'tokenEncryptionKey']);
});

it("a company's API key wins; otherwise OAuth; otherwise an actionable error", () => {
  const both = pleoConfigSchema.parse({ apiKeys: { [company]: 'key' }, oauth });
  expect(createPleoAuth(both, company)).toBeInstanceOf(ApiKeyAuth);
  const other = '8eb648ab-464b-42a0-ba17-eda703657e33';
  expect(createPleoAuth(both, other)).toBeInstanceOf(OAuthAuth);
  expect(() => createPleoAuth(pleoConfigSchema.parse({}), other)).toThrow(
    `add pleo.apiKeys["${other}"] or configure pleo.oauth`,
  );
});
