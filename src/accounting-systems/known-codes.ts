// The first account or tax code of a document that the accounting system does not have, as the item
// failure Pleo shows. Shared by adapters that hold their chart in memory.
import type { AccountingDocument } from '../accounting/core/documents';
import { PLEO_MESSAGES, type ItemFailure } from '../shared/failure-reasons';

export function unknownCode(
  document: AccountingDocument,
  accounts: { has(code: string): boolean },
  taxes: { has(code: string): boolean },
): ItemFailure | undefined {
  const lines = 'lines' in document ? document.lines : [];
  for (const code of [...document.postings.map((p) => p.account.code), ...lines.map((l) => l.account.code)])
    if (!accounts.has(code))
      return { reasonType: 'account_unknown', message: PLEO_MESSAGES.accountUnknown(code) };
  for (const code of [...document.postings.map((p) => p.taxCode), ...lines.map((l) => l.tax?.code)])
    if (code && !taxes.has(code))
      return { reasonType: 'tax_code_unknown', message: PLEO_MESSAGES.taxCodeUnknown(code) };
  return undefined;
}
