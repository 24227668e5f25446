// Everything an activity needs to act for one company: its Pleo client, its accounting system, and its
// accounting and receipt policies. Built once per company and cached by the worker process.
import type { PleoClient } from '../pleo/client';
import type { AccountingSystem } from '../accounting-systems/port';
import type { CompanyAccountingConfig } from '../accounting/core/config';
import type { ReceiptPolicy } from '../receipts';

export interface CompanyConnection {
  companyId: string;
  pleo: PleoClient;
  accountingSystem: AccountingSystem;
  accounting: CompanyAccountingConfig;
  receipts: ReceiptPolicy;
}

export interface ConnectionRegistry {
  companyIds(): string[];
  get(companyId: string): Promise<CompanyConnection>;
  close(): Promise<void>;
}

/** A registry over a fixed set of company connection factories; each connection is built on first use. */
export function createConnectionRegistry(
  factories: Map<string, () => Promise<CompanyConnection>>,
): ConnectionRegistry {
  const built = new Map<string, Promise<CompanyConnection>>();
  return {
    companyIds: () => [...factories.keys()],
    get(companyId) {
      let connection = built.get(companyId);
      if (!connection) {
        const factory = factories.get(companyId);
        if (!factory) throw new UnknownCompanyError(companyId);
        connection = factory();
        built.set(companyId, connection);
        connection.catch(() => built.delete(companyId));
      }
      return connection;
    },
    async close() {
      const all = await Promise.allSettled([...built.values()]);
      built.clear();
      for (const result of all)
        if (result.status === 'fulfilled') await result.value.accountingSystem.close();
    },
  };
}

export class UnknownCompanyError extends Error {
  constructor(readonly companyId: string) {
    super(`Company ${companyId} is not configured: add it to "companies" in the configuration`);
    this.name = 'UnknownCompanyError';
  }
}
