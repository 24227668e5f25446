// The per-item steps for one export item: bookkeeping method,
// accounts and data mapping (the pure core), receipts, period, posting — ending in one outcome.
// Returns the booked outcome or throws: the item's own failure (ItemError) or an outage, which the
// activity turns into a Temporal failure the workflow acts on.
import type { Logger } from 'pino';
import { applyClosedPeriod, buildDocuments, vendorToResolve } from '../accounting/core';
import type { AccountingDocument } from '../accounting/core/documents';
import { AccountingSystemError, PeriodClosedError, type PostedDocument } from '../accounting-systems/port';
import { gated } from '../accounting-systems/call-gate';
import type { CompanyConnection } from '../connections';
import type { ExportItem } from '../pleo/types';
import { cleanupReceipts, fetchReceipts } from '../receipts';
import type { ItemFailure } from '../shared/failure-reasons';
import type { ItemOutcome } from '../shared/workflow-api';
import { isOutage } from './outage';

export interface ExportItemContext {
  workDir: string;
  today: string;
  logger: Logger;
  /** Called every few seconds while receipts download, so the caller can heartbeat. */
  onProgress?: () => void;
}

/**
 * This item cannot be exported as it is (business reason: not retried), or a transient error of its own
 * (its receipt host answering 503, its attachment timing out: retried for this item only).
 */
export class ItemError extends Error {
  constructor(
    readonly failure: ItemFailure,
    readonly transient = false,
  ) {
    super(failure.message);
    this.name = 'ItemError';
  }
}

/**
 * An outage (Pleo or the accounting system unavailable) after the item's entry was booked, with how the
 * item is reported if the outage outlasts the budget: failed, saying the entry exists.
 */
export class OutageAfterBooking extends Error {
  constructor(
    readonly outage: unknown,
    readonly failure: ItemFailure,
  ) {
    super(outage instanceof Error ? outage.message : String(outage));
    this.name = 'OutageAfterBooking';
  }
}

export interface ExportedItem {
  outcome: ItemOutcome & { status: 'successful' };
  /** The accounting system already held the entry (an earlier export), found by its reference. */
  alreadyBooked: boolean;
}

/**
 * Exports one item and returns its successful outcome; anything else is thrown: ItemError for this
 * item's own problems, OutageAfterBooking or the adapter's retryable errors for outages.
 */
export async function exportItem(
  item: ExportItem,
  connection: CompanyConnection,
  context: ExportItemContext,
): Promise<ExportedItem> {
  const { accountingSystem, accounting } = connection;
  const accountingEntryId = item.accountingEntryId;

  try {
    const vendorRef = vendorToResolve(item, accounting);
    const vendor = vendorRef ? await accountingSystem.resolveVendor(vendorRef) : undefined;
    const built = buildDocuments(item, accounting, { vendor, target: accountingSystem.capabilities });
    if (!built.ok) throw new ItemError(built.failure);
    for (const document of built.documents) {
      const problem = await accountingSystem.validate(document);
      if (problem) throw new ItemError(problem);
    }

    // Receipts are downloaded before anything is booked: their links expire, and under the default
    // policy a receipt that cannot be fetched fails the item with nothing written.
    const receipts = item.files?.length
      ? await fetchReceipts(
          { accountingEntryId, files: item.files },
          accountingSystem.capabilities.attachments,
          connection.receipts,
          context.workDir,
          { logger: context.logger, onProgress: context.onProgress },
        )
      : { ok: true as const, files: [], problems: [] };
    // A receipt host still answering 429/5xx after the download's own retries belongs to this item:
    // the item is retried on its own, and fails alone when its attempts are spent.
    if (!receipts.ok) throw new ItemError(receipts.failure, receipts.transient);

    try {
      const posted: PostedDocument[] = [];
      for (const document of built.documents) {
        try {
          posted.push(await postWithPeriodRule(document, connection, context));
        } catch (err) {
          const first = posted[0];
          if (!first || !isOutage(err)) throw err;
          throw new OutageAfterBooking(err, {
            reasonType: 'accounting_system_unreachable',
            message: `The entry exists, booked as ${first.externalId}, but the rest of this item could not be booked before the accounting system became unavailable. Export the item again: the entry is found by its reference and the rest is booked.`,
          });
        }
      }
      const main = posted[0];
      if (!main) throw new Error('the accounting core produced no document');

      const problems = [...receipts.problems];
      if (receipts.files.length > 0) {
        try {
          await writeCall(connection, () => accountingSystem.attach(main.externalId, receipts.files));
        } catch (err) {
          const uploadFailure: ItemFailure = {
            reasonType: 'receipt_upload_failure',
            message: `The entry exists, booked as ${main.externalId}, but its receipts could not be attached (${(err as Error).message}). Export the item again: the entry is found by its reference and the receipts are attached to it.`,
          };
          // A timeout on this item's attachment (a large file) is this item's problem: retried alone.
          if (err instanceof AccountingSystemError && err.kind.retryable && err.kind.reason === 'timeout')
            throw new ItemError(uploadFailure, true);
          if (isOutage(err)) throw new OutageAfterBooking(err, uploadFailure);
          if (connection.receipts.onFailure === 'fail_item') throw new ItemError(uploadFailure);
          problems.push(uploadFailure);
        }
      }
      // Booked but a receipt is missing (book_and_report policy): the item is shown failed in Pleo with
      // the receipt reason, so nothing is dropped silently; exporting it again finds the booked entry.
      const [problem] = problems;
      if (problem)
        throw new ItemError({ ...problem, message: `Booked as ${main.externalId}. ${problem.message}` });
      return {
        outcome: {
          accountingEntryId,
          status: 'successful',
          externalId: main.externalId,
          externalUrl: main.externalUrl,
          exportedAt: main.createdAt,
        },
        alreadyBooked: posted.every((p) => p.alreadyBooked === true),
      };
    } finally {
      await cleanupReceipts(receipts.files);
    }
  } catch (err) {
    if (err instanceof ItemError || err instanceof OutageAfterBooking || isOutage(err)) throw err;
    if (err instanceof AccountingSystemError && !err.kind.retryable) throw new ItemError(err.kind.failure);
    context.logger.error({ err, accountingEntryId }, 'unexpected error while exporting an item');
    throw new ItemError({
      reasonType: 'unexpected_failure',
      message: `Unexpected error while exporting this item (${(err as Error).message ?? String(err)}). Export it again; if it keeps failing, contact the integration's support.`,
    });
  }
}

async function postWithPeriodRule(
  document: AccountingDocument,
  connection: CompanyConnection,
  context: ExportItemContext,
): Promise<PostedDocument> {
  const post = (d: AccountingDocument) => writeCall(connection, () => connection.accountingSystem.post(d));
  const { today } = context;
  try {
    return await post(document);
  } catch (err) {
    if (!(err instanceof PeriodClosedError)) throw err;
    const adjusted = applyClosedPeriod(document, connection.accounting, {
      nextOpenDate: err.nextOpenDate,
      today,
    });
    if (!adjusted.ok) throw new ItemError(adjusted.failure);
    try {
      return await post(adjusted.document);
    } catch (again) {
      if (again instanceof PeriodClosedError) {
        throw new ItemError({
          reasonType: 'accounting_system_validation_failure',
          message: `The accounting period for ${document.date} is closed and the adjusted date ${adjusted.document.date} is closed too. Open a period or change the closed-period setting, then export again.`,
        });
      }
      throw again;
    }
  }
}

/**
 * A post or attach. When the system's rate counts writes, each one waits for the job's call gate (a
 * slot shared by every worker); a system counting every call gates its own requests instead.
 */
function writeCall<T>(connection: CompanyConnection, write: () => Promise<T>): Promise<T> {
  return connection.accountingSystem.capabilities.limits?.counts === 'writes' ? gated(write) : write();
}

/** The item's outcome as Pleo takes it: the item's own failure becomes a failed outcome; outages are thrown. */
export async function exportItemOutcome(
  item: ExportItem,
  connection: CompanyConnection,
  context: ExportItemContext,
): Promise<ItemOutcome> {
  try {
    return (await exportItem(item, connection, context)).outcome;
  } catch (err) {
    if (!(err instanceof ItemError)) throw err;
    return {
      accountingEntryId: item.accountingEntryId,
      status: 'failed',
      failureReasonType: err.failure.reasonType,
      failureReason: err.failure.message,
    };
  }
}
