// Without accounts payable an item is one journal entry: its lines against the funding (or payable)
// account, debits and credits following the direction of the money.
import type { Booking } from './booking';
import type { JournalEntry } from './documents';
import { documentHeader, documentReference } from './header';
import { signed, totalPosting } from './postings';
import { legacySupplierRef, vendorRefOf } from './vendor';

export function journalEntry(booking: Booking): JournalEntry {
  const { item, config, rule, sign, foreign } = booking;
  const funding = booking.accounts.funding(rule.funding);
  const postings = [
    ...signed(booking.lineDebits, sign),
    totalPosting(booking, funding, rule.funding === 'payable' ? 'payable' : 'funding', -sign),
  ];
  const named = vendorRefOf(item) ?? legacySupplierRef(item);
  return {
    kind: 'journal_entry',
    ...documentHeader(booking, documentReference(item.accountingEntryId, 'main'), postings, true),
    journal: config.journals.journalEntry,
    ...(named ? { vendor: named } : {}),
    ...(foreign && rule.lineSide === 'payable' && config.fxDifferenceAccount
      ? { fxDifferenceAccount: { code: config.fxDifferenceAccount } }
      : {}),
  };
}
