// The six per-item steps for one export item (Pleo's AS/ERP processing guide §6): bookkeeping method,
// accounts and data mapping (the pure core), receipts, period, posting — ending in one outcome.
// Outages (Pleo or the accounting system unavailable) are thrown so the activity is retried; everything
// else about this one item becomes a failed outcome so the job goes on.
import type { Logger } from 'pino';
import { applyClosedPeriod, buildDocuments, vendorToResolve } from '../accounting/core';
import type { AccountingDocument } from '../accounting/core/documents';
import { AccountingSystemError, PeriodClosedError, type PostedDocument } from '../accounting-systems/port';
import type { CompanyConnection } from '../connections';
import type { ExportItemResult } from '../pleo/client';
import { cleanupReceipts, fetchReceipts } from '../receipts';
import type { ItemFailure } from '../shared/failure-reasons';
import type { ItemOutcome } from '../shared/workflow-api';
import { isOutage } from './outage';
import { PleoApiError } from '../pleo/errors';

export interface ExportItemContext {
  workDir: string;
  today: string;
  logger: Logger;
  /**
   * Runs each post: the caller takes the accounting system's rate-limit slot right before it and keeps
   * posts one at a time while items of a page are prepared (receipts downloaded) side by side.
   */
  writing?: <T>(post: () => Promise<T>) => Promise<T>;
  /** Called every few seconds while receipts download, so the caller can heartbeat. */
  onProgress?: () => void;
  /**
   * Called once the item's documents are booked, before its receipts are attached: if the accounting
   * system goes away in between, the caller still knows the item is booked (and never reports it failed).
   */
  onBooked?: (booked: ItemOutcome & { status: 'successful' }) => void;
}

class ItemFailed extends Error {
  constructor(readonly failure: ItemFailure) {
    super(failure.message);
  }
}

export async function exportItem(
  result: ExportItemResult & { ok: true },
  connection: CompanyConnection,
  context: ExportItemContext,
): Promise<ItemOutcome> {
  const { item } = result;
  const { accountingSystem, accounting } = connection;
  const accountingEntryId = item.accountingEntryId;
  const failed = (failure: ItemFailure): ItemOutcome => ({
    accountingEntryId,
    status: 'failed',
    failureReasonType: failure.reasonType,
    failureReason: failure.message,
  });

  try {
    const vendorRef = vendorToResolve(item, accounting);
    const vendor = vendorRef ? await accountingSystem.resolveVendor(vendorRef) : undefined;
    const built = buildDocuments(item, accounting, { vendor, target: accountingSystem.capabilities });
    if (!built.ok) return failed(built.failure);
    for (const document of built.documents) {
      const problem = await accountingSystem.validate(document);
      if (problem) return failed(problem);
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
    if (!receipts.ok) {
      // Pleo's file host rate-limited or down through the download's own retries: an outage, retried
      // with the page (within the outage budget) rather than failing an item whose receipt is fine.
      if (receipts.transient) {
        throw new PleoApiError({
          message: receipts.failure.message,
          endpoint: 'GET (receipt file)',
          kind: 'unavailable',
          retryable: true,
        });
      }
      return failed(receipts.failure);
    }

    try {
      const posted: PostedDocument[] = [];
      for (const document of built.documents)
        posted.push(await postWithPeriodRule(document, connection, context));
      const main = posted[0];
      if (!main) throw new Error('the accounting core produced no document');
      const booked = {
        accountingEntryId,
        status: 'successful' as const,
        externalId: main.externalId,
        externalUrl: main.externalUrl,
        exportedAt: main.createdAt,
      };
      context.onBooked?.(booked);

      const problems = [...receipts.problems];
      if (receipts.files.length > 0) {
        try {
          await accountingSystem.attach(main.externalId, receipts.files);
        } catch (err) {
          if (err instanceof AccountingSystemError && err.kind.retryable) throw err;
          const failure: ItemFailure = {
            reasonType: 'receipt_upload_failure',
            message: `The entry was booked as ${main.externalId}, but its receipts could not be uploaded: ${(err as Error).message}. Export the item again to retry the upload.`,
          };
          if (connection.receipts.onFailure === 'fail_item') return failed(failure);
          problems.push(failure);
        }
      }
      // Booked but a receipt is missing (book_and_report policy): the item is shown failed in Pleo with
      // the receipt reason, so nothing is dropped silently; exporting it again finds the booked entry.
      const [problem] = problems;
      if (problem) return failed({ ...problem, message: `Booked as ${main.externalId}. ${problem.message}` });
      return booked;
    } finally {
      await cleanupReceipts(receipts.files);
    }
  } catch (err) {
    if (err instanceof ItemFailed) return failed(err.failure);
    if (isOutage(err)) throw err;
    if (err instanceof AccountingSystemError && !err.kind.retryable) return failed(err.kind.failure);
    context.logger.error({ err, accountingEntryId }, 'unexpected error while exporting an item');
    return failed({
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
  const post = (d: AccountingDocument) => {
    const write = () => connection.accountingSystem.post(d);
    return context.writing ? context.writing(write) : write();
  };
  const { today } = context;
  try {
    return await post(document);
  } catch (err) {
    if (!(err instanceof PeriodClosedError)) throw err;
    const adjusted = applyClosedPeriod(document, connection.accounting, {
      nextOpenDate: err.nextOpenDate,
      today,
    });
    if (!adjusted.ok) throw new ItemFailed(adjusted.failure);
    try {
      return await post(adjusted.document);
    } catch (again) {
      if (again instanceof PeriodClosedError) {
        throw new ItemFailed({
          reasonType: 'accounting_system_validation_failure',
          message: `The accounting period for ${document.date} is closed and the adjusted date ${adjusted.document.date} is closed too. Open a period or change the closed-period setting, then export again.`,
        });
      }
      throw again;
    }
  }
}
