// The demo behind `npm start` on embedded defaults: the Pleo sandbox seeded with export jobs of mixed
// types (some items set up to fail), the embedded beancount ledger, and the real service in between.
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { PleoClient } from '../pleo/client';
import { ApiKeyAuth } from '../pleo/auth';
import { createAccountingSystem } from '../accounting-systems/registry';
import { demoAccountingConfig } from '../demo/accounting-config';
import { createConnectionRegistry, type CompanyConnection } from '../connections';
import { loadDevPackage } from './dev-package';
import { DEFAULT_RECEIPT_POLICY } from '../receipts';
import {
  ledgerConfigSchema,
  type AccountingSystemConfig,
  type LedgerConfig,
} from '../accounting-systems/config';

/**
 * What the demo uses of the Pleo sandbox (packages/pleo-sandbox). The demo names it here rather than
 * importing the sandbox's types, so that the production build compiles without the sandbox.
 */
export interface DemoSandbox {
  url: string;
  credentials: { companyId: string; apiKey: string };
  addSubscription(companyId: string, url: string, eventTypes: string[]): { secret: string };
  close(): Promise<void>;
}

/** The sandbox's `server` module as the demo calls it. */
export interface DemoSandboxModule {
  startSandbox(options: { port: number; seed: 'demo'; logger: Logger }): Promise<DemoSandbox>;
}

/** The Pleo sandbox, a development package: loaded only when the demo runs. */
export const loadPleoSandbox = async () =>
  (await loadDevPackage('@pleo-export/pleo-sandbox/server')) as DemoSandboxModule;

export async function startDemoSandbox(logger: Logger): Promise<DemoSandbox> {
  const { startSandbox } = await loadPleoSandbox();
  return startSandbox({ port: 0, seed: 'demo', logger: logger.child({ component: 'pleo-sandbox' }) });
}

/** The connection of one sandbox company to an embedded ledger (or another configured system). */
export function sandboxConnection(
  sandbox: { url: string },
  company: { companyId: string; apiKey: string },
  accountingSystem: AccountingSystemConfig,
  logger: Logger,
): () => Promise<CompanyConnection> {
  const host = new URL(sandbox.url).host;
  return async () => ({
    companyId: company.companyId,
    pleo: new PleoClient({ baseUrl: sandbox.url, auth: new ApiKeyAuth(company.apiKey), logger }),
    accountingSystem: await createAccountingSystem(accountingSystem, { logger }),
    accounting: demoAccountingConfig(),
    // The sandbox serves receipts over plain HTTP on loopback; real Pleo links are https only.
    receipts: { ...DEFAULT_RECEIPT_POLICY, allowedHosts: [host], allowInsecureHosts: [host] },
  });
}

export function demoLedgerConfig(dataDir: string): LedgerConfig {
  // The demo chart: the demo jobs' unknown accounts, tax codes and vendors then fail as designed.
  // Parsed, so the schema's defaults (the ledger file name) apply as they do to a configured ledger.
  return ledgerConfigSchema.parse({ type: 'ledger', dir: resolve(join(dataDir, 'ledgers')), chart: 'demo' });
}

export function demoRegistry(sandbox: DemoSandbox, dataDir: string, logger: Logger) {
  const { companyId, apiKey } = sandbox.credentials;
  return createConnectionRegistry(
    new Map([
      [companyId, sandboxConnection(sandbox, { companyId, apiKey }, demoLedgerConfig(dataDir), logger)],
    ]),
  );
}
