// Talking to the sandbox over real HTTP in tests; every Pleo API exchange is checked against Pleo's
// OpenAPI (requests and responses) before a test sees it.
import { createLogger } from '../../src/logging/logger';
import { startSandbox, type PleoSandbox, type SandboxOptions } from '@pleo-export/pleo-sandbox/server';
import type { SandboxClock } from '@pleo-export/pleo-sandbox/state';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { pleoContract, type HttpExchange } from './openapi';

export const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });

export function manualClock(start = '2026-03-02T09:00:00Z'): SandboxClock {
  let now = Date.parse(start);
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

export function start(options: Partial<SandboxOptions> = {}): Promise<PleoSandbox> {
  return startSandbox({ port: 0, seed: 'none', logger, ...options });
}

export interface Call extends HttpExchange {
  headers: Headers;
}

export type Auth = { apiKey: string } | { bearer: string } | undefined;

/** One request; Pleo API exchanges (not /admin, /oauth, /files) are validated against the OpenAPI. */
export async function call(
  sandbox: PleoSandbox,
  method: string,
  url: string,
  options: { auth?: Auth; body?: unknown; validate?: boolean } = {},
): Promise<Call> {
  const auth = options.auth ?? { apiKey: sandbox.credentials.apiKey };
  const headers: Record<string, string> = { accept: 'application/json' };
  if ('apiKey' in auth) headers.authorization = `Basic ${Buffer.from(`${auth.apiKey}:`).toString('base64')}`;
  else headers.authorization = `Bearer ${auth.bearer}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
  const contract = options.validate === false ? undefined : pleoContract();
  contract?.validateRequest({ method, url, body: options.body });
  const response = await fetch(sandbox.url + url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if (text && response.headers.get('content-type')?.includes('json')) body = JSON.parse(text);
  const exchange: Call = {
    method,
    url,
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
    headers: response.headers,
  };
  contract?.validateResponse(exchange);
  return exchange;
}

/** Realistic, valid v3 export items from the seed generator, receipts served by this sandbox. */
export function items(
  sandbox: PleoSandbox,
  companyId: string,
  count: number,
  seed = 'contract',
): ExportItem[] {
  return generateExportItems({ seed, count, companyId, fileBaseUrl: sandbox.url, mix: 'valid' });
}
