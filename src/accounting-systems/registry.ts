// The accounting systems this integration can write to: one line per adapter. A new adapter is one
// folder implementing AccountingSystem (port.ts), one config variant (config.ts) and one line here.
import type { Logger } from 'pino';
import type { AccountingSystem } from './port';
import type { AccountingSystemConfig } from './config';
import { LedgerAccountingSystem } from './ledger/ledger';
import { TrytonAccountingSystem } from './tryton/tryton';
import { XeroAccountingSystem } from './xero/xero';

export async function createAccountingSystem(
  config: AccountingSystemConfig,
  _deps: { logger: Logger },
): Promise<AccountingSystem> {
  switch (config.type) {
    case 'ledger':
      return new LedgerAccountingSystem(config);
    case 'tryton':
      return new TrytonAccountingSystem(config);
    case 'xero':
      return new XeroAccountingSystem(config);
  }
}
