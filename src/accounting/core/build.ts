// From one export item and the company's configuration to balanced documents, or a typed failure.
// Pure: no I/O, no clock, no randomness; the same input always gives the same output, and no input of
// the ExportItem type makes it throw.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { ItemFailure } from '../../shared/failure-reasons';
import { accountsFor } from './accounts';
import type { LineMoney } from './amounts';
import type { Booking } from './booking';
import { checkItem } from './checks';
import type { CompanyAccountingConfig } from './config';
import { deriveRate } from './currency';
import type { AccountingDocument } from './documents';
import { ItemError } from './failure';
import { journalEntry } from './journal-entry';
import { payablesDocuments } from './payables';
import { linePostings } from './line-postings';
import type { BookingCapabilities, ResolvedVendor } from './target';

export interface BuildContext {
  /** The accounting system's answer for the item's vendor (see vendorToResolve); undefined = not found. */
  vendor?: ResolvedVendor;
  target: BookingCapabilities;
}

export type BuildResult = { ok: true; documents: AccountingDocument[] } | { ok: false; failure: ItemFailure };

/** Throws when a document's postings do not sum to exactly zero (a bug, never an input problem). */
export function assertBalanced(document: AccountingDocument): void {
  if (document.postings.some((p) => !Number.isSafeInteger(p.amount))) {
    throw new Error(`Document ${document.reference} has a posting that is not a whole number of minor units`);
  }
  const sum = document.postings.reduce((total, posting) => total + BigInt(posting.amount), 0n);
  if (sum !== 0n) throw new Error(`Document ${document.reference} does not balance (off by ${sum})`);
}

export function buildDocuments(
  item: ExportItem,
  config: CompanyAccountingConfig,
  context: BuildContext,
): BuildResult {
  try {
    const documents = build(item, config, context);
    documents.forEach(assertBalanced);
    return { ok: true, documents };
  } catch (err) {
    if (err instanceof ItemError) return { ok: false, failure: err.failure };
    return {
      ok: false,
      failure: {
        reasonType: 'unexpected_failure',
        message: `The expense could not be turned into an accounting entry (${err instanceof Error ? err.message : 'unknown error'}). Contact the integration's support.`,
      },
    };
  }
}

function build(
  item: ExportItem,
  config: CompanyAccountingConfig,
  context: BuildContext,
): AccountingDocument[] {
  const checked = checkItem(item, config, context.vendor);
  const { rule, money } = checked;
  const accounts = accountsFor(item, config, context.vendor, money.currency);
  const foreign = money.supplierCurrency !== money.currency;
  const booking: Booking = {
    ...checked,
    item,
    config,
    accounts,
    foreign,
    itemRate: foreign
      ? deriveRate(
          { value: money.total, exponent: money.exponent },
          { value: money.supplierTotal, exponent: money.supplierExponent },
        )
      : undefined,
    sign: rule.direction === 'out' ? 1 : -1,
    lineDebits: item.accountingEntryLines.flatMap((line, index) =>
      linePostings(item, line, index, money.lines[index] as LineMoney, rule.lineSide, accounts, money),
    ),
  };
  return booking.accountsPayable ? payablesDocuments(booking, context.target) : [journalEntry(booking)];
}
