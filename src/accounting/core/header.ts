// What every document of an item shares: its deterministic reference, date, description, Pleo's
// references for tracing it back, who is on the other side, receipts and status.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { Booking } from './booking';
import { consolidatedDescription } from './description';
import type { DocumentHeader, Posting } from './documents';

export function documentReference(accountingEntryId: string, role: 'main' | 'payment'): string {
  return role === 'main' ? `pleo-${accountingEntryId}` : `pleo-${accountingEntryId}-payment`;
}

/** Items between the company and Pleo itself: no merchant, no employee on the other side. */
const PLEO_ITEM_TYPES = ['cashback', 'fee', 'wallet_topup', 'wallet_unload'];

function counterpartyOf(item: ExportItem): string | undefined {
  return (
    item.vendor?.name ??
    item.supplier?.name ??
    (PLEO_ITEM_TYPES.includes(item.type) ? 'Pleo' : item.user?.name) ??
    undefined
  );
}

/** The header of one of the item's documents; `receipts` says whether this document carries the receipts. */
export function documentHeader(
  { item, config, date, reconciliationId, money }: Booking,
  reference: string,
  postings: Posting[],
  receipts: boolean,
): DocumentHeader {
  return {
    reference,
    date,
    description: consolidatedDescription(
      { supplier: item.vendor?.name ?? item.supplier?.name, user: item.user?.name, note: item.note },
      reconciliationId,
      config.description.maxLength,
    ),
    counterparty: counterpartyOf(item),
    references: {
      accountingEntryId: item.accountingEntryId,
      reconciliationId,
      reconciledEntries: (item.additionalInformation.reconciledEntries ?? []).filter((e): e is string =>
        Boolean(e),
      ),
      deepLink: item._links.web?.exportItem,
    },
    attendees: (item.additionalInformation.attendees ?? []).filter((a): a is string => Boolean(a)),
    ...(item.note ? { note: item.note } : {}),
    ...(item.user
      ? {
          user: {
            id: item.user.id,
            name: item.user.name,
            ...(item.user.code ? { code: item.user.code } : {}),
          },
        }
      : {}),
    status: config.postingMode,
    currency: money.currency,
    postings,
    receipts: receipts
      ? (item.files ?? []).flatMap((file, fileIndex) =>
          file ? [{ fileIndex, type: file.type, size: file.size }] : [],
        )
      : [],
    servicePeriod: item.servicePeriod
      ? { from: item.servicePeriod.from, to: item.servicePeriod.to }
      : undefined,
  };
}
