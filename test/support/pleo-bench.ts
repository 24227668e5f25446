// The Pleo client's test bench: the real sandbox over HTTP, with the contract proxy in between so every
// exchange is checked against Pleo's OpenAPI, and a fresh company per bench.
import pino from 'pino';
import { startSandbox, type Company, type PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import type { SandboxBehaviour } from '@pleo-export/pleo-sandbox/state';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { PleoClient } from '../../src/pleo/client';
import { ApiKeyAuth, type PleoAuth } from '../../src/pleo/auth/index';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { startContractProxy, type ContractProxy } from './contract-proxy';

export interface PleoBench {
  sandbox: PleoSandbox;
  proxy: ContractProxy;
  company: Company;
  /** A client of `company` through the proxy (API key unless another auth is given). */
  client(options?: { auth?: PleoAuth; timeoutMs?: number }): PleoClient;
  /** `count` valid v3 export items for `company`, deterministic from `seed`. */
  exportItems(count: number, seed: string): ExportItem[];
  /** Takes the contract violations recorded so far (for the afterEach check). */
  takeViolations(): string[];
  close(): Promise<void>;
}

export async function startPleoBench(
  options: { behaviour?: Partial<SandboxBehaviour> } = {},
): Promise<PleoBench> {
  const sandbox = await startSandbox({
    port: 0,
    seed: 'none',
    logger: pino({ level: 'silent' }),
    behaviour: options.behaviour,
  });
  const proxy = await startContractProxy(sandbox.url);
  const company = sandbox.createCompany({ name: 'Client Test ApS' });
  return {
    sandbox,
    proxy,
    company,
    client: (o = {}) =>
      new PleoClient({
        baseUrl: proxy.url,
        auth: o.auth ?? new ApiKeyAuth(company.apiKey),
        timeoutMs: o.timeoutMs,
      }),
    exportItems: (count, seed) =>
      generateExportItems({ seed, count, companyId: company.id, fileBaseUrl: sandbox.url, mix: 'valid' }),
    takeViolations: () => proxy.violations.splice(0),
    async close() {
      await proxy.close();
      await sandbox.close();
    },
  };
}

/** Collects an async iterable (the client's paginated lists). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const x of iterable) all.push(x);
  return all;
}
