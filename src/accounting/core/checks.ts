// What an item must pass before any document is built: a combination the mapping books, a known
// bookkeeping method, a reconciliation id that fits the description, valid amounts and date, and the
// vendor found when accounts payable applies. The first problem found is the item's failure.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { PLEO_MESSAGES } from '../../shared/failure-reasons';
import { checkAmounts, type CheckedAmounts } from './amounts';
import type { CompanyAccountingConfig } from './config';
import { reconciliationIdFits } from './description';
import type { VendorRef } from './documents';
import { fail } from './failure';
import { findRule, type MappingRule } from './mapping';
import type { ResolvedVendor } from './target';
import { vendorToResolve } from './vendor';

export interface CheckedItem {
  rule: MappingRule;
  reconciliationId: string;
  money: CheckedAmounts;
  /** The posting date, `YYYY-MM-DD`. */
  date: string;
  /** The vendor to look up in the accounting system (see vendorToResolve), if any. */
  vendorRef?: VendorRef;
  /** Accounts payable applies: bills and payments instead of one journal entry. */
  accountsPayable: boolean;
}

type Method = 'journal' | 'accounts_payable' | 'none' | 'legacy';

function methodOf(item: ExportItem): Method {
  const method = item.bookkeeping?.method;
  if (method === undefined || method === null) return 'legacy';
  if (method === 'journal' || method === 'accounts_payable' || method === 'none') return method;
  return fail(
    'validation_failure',
    `Unknown bookkeeping method "${method}" on this expense; expected journal, accounts_payable or none.`,
  );
}

function postingDate(date: string): string {
  const day = date.slice(0, 10);
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : undefined;
  // The round trip rejects dates such as 2026-02-30, which Date accepts and silently rolls over.
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    fail('validation_failure', `The expense date "${date}" is not a valid date.`);
  }
  return day;
}

export function checkItem(
  item: ExportItem,
  config: CompanyAccountingConfig,
  vendor: ResolvedVendor | undefined,
): CheckedItem {
  const rule = findRule(item.type, item.subType);
  if (!rule) {
    return fail(
      'validation_failure',
      `Export item type "${item.type}"${item.subType ? ` with sub-type "${item.subType}"` : ''} is not a combination this integration books; check the expense in Pleo or contact the integration's support.`,
    );
  }
  const method = methodOf(item);
  const reconciliationId = item.additionalInformation.reconciliationId;
  if (!reconciliationIdFits(reconciliationId, config.description.maxLength)) {
    fail(
      'validation_failure',
      `The reconciliation id "${reconciliationId}" is longer than the description field (${config.description.maxLength} characters); raise the configured description length.`,
    );
  }
  const money = checkAmounts(item);
  const date = postingDate(item.date);

  const vendorRef = vendorToResolve(item, config);
  const accountsPayable =
    Boolean(rule.payables) &&
    (method === 'accounts_payable' || (method === 'legacy' && vendorRef !== undefined));
  if (accountsPayable && !vendor) {
    fail(
      'vendor_unknown',
      vendorRef
        ? PLEO_MESSAGES.vendorUnknown
        : `${PLEO_MESSAGES.vendorUnknown} (Pleo sent no vendor for this accounts payable expense.)`,
    );
  }
  return { rule, reconciliationId, money, date, vendorRef, accountsPayable };
}
