// A booked entry to attach receipts to: a balanced journal entry posted into an embedded ledger.
import type { JournalEntry } from '../../src/accounting/core/documents';
import { documentReference } from '../../src/accounting/core';
import type { AccountingSystem, PostedDocument } from '../../src/accounting-systems/port';

export async function postTaxiRide(
  ledger: AccountingSystem,
  accountingEntryId: string,
): Promise<PostedDocument> {
  // As the job does before booking; the ledger creates its folder here.
  const ready = await ledger.checkReady({ vendorBasedBookkeeping: false });
  if (!ready.ok) throw new Error(ready.message);
  const entry: JournalEntry = {
    kind: 'journal_entry',
    reference: documentReference(accountingEntryId, 'main'),
    date: '2026-03-02',
    description: 'Taxi to the client',
    references: {
      accountingEntryId,
      reconciliationId: `R-${accountingEntryId.slice(0, 8)}`,
      reconciledEntries: [],
    },
    attendees: [],
    status: 'posted',
    currency: 'EUR',
    postings: [
      { role: 'expense', account: { code: '6540' }, amount: 1250, dimensions: [] },
      { role: 'funding', account: { code: '1930' }, amount: -1250, dimensions: [] },
    ],
    receipts: [],
  };
  return ledger.post(entry);
}
