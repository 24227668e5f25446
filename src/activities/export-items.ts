// Item-level activities. `listItemPage` reads one page of export items from Pleo and returns small
// descriptors (id, date, amount, merchant): the payloads (notes, attendees, people) stay in this
// worker's cache. `exportItem` exports one item: its failure is the item's, typed with Pleo's
// failureReasonType, so the Web UI shows each failed item as a failed activity with Pleo's message.
import { activityInfo, ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { classified, itemActivityFailure } from './failures';
import { PLEO_UPDATE_BATCH } from '../pleo/client';
import { ItemCache, idOf } from './item-cache';
import { inPostSlot } from './post-slots';
import { exportItem } from '../export/export-item';
import { PleoApiError } from '../pleo/errors';
import type { ExportItemResult } from '../pleo/client';
import type { CompanyConnection } from '../connections';
import type { ItemDescriptor, ItemOutcome, ItemPage } from '../shared/workflow-api';
import { chunk } from '../shared/chunk';
import { currencyExponent, formatMinor } from '../accounting/core';
import { withCallGate, type CallGate } from '../accounting-systems/call-gate';

export interface ListItemPageInput {
  companyId: string;
  jobId: string;
  page: ItemPage;
  /**
   * Set when the job was resumed with items already final in Pleo: those are left out. Identifies the
   * chain of workflow runs (its first run id), so a later resumption reads Pleo afresh.
   */
  resumeKey?: string;
}

export interface ListItemPageResult {
  items: ItemDescriptor[];
  nextCursor?: string;
  hasNextPage: boolean;
}

export interface ExportItemInput {
  companyId: string;
  jobId: string;
  accountingEntryId: string;
  page: ItemPage;
  /**
   * The accounting system declares a rate: each call it counts takes a slot from the job workflow, so
   * the company's limit holds across workers.
   */
  paced?: boolean;
}

export interface ExportItemResultSummary {
  outcome: ItemOutcome & { status: 'successful' };
  alreadyBooked: boolean;
}

/** Pleo item-update refusals (`errors[]`), per item. */
export interface RefusedUpdate {
  accountingEntryId: string;
  type: string;
  message: string;
}

/** Heartbeats while an item runs, so a killed worker's item is retried elsewhere after the heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 2_000;

export function createExportItemActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const cache = new ItemCache();
  // Items already final in Pleo when a resumed job's runs began: read from Pleo (the source of truth),
  // cached per process and per resumption.
  const finalItems = new Map<string, Promise<Set<string>>>();
  const finalItemsOf = (connection: CompanyConnection, jobId: string, resumeKey: string) => {
    const key = `${jobId}/${resumeKey}`;
    let set = finalItems.get(key);
    if (!set) {
      set = (async () => {
        const ids = new Set<string>();
        for await (const item of connection.pleo.listJobItems(jobId)) {
          if (item.status !== 'pending' && item.status !== 'in_progress') ids.add(item.accountingEntryId);
        }
        return ids;
      })();
      set.catch(() => finalItems.delete(key));
      finalItems.set(key, set);
      if (finalItems.size > 50) finalItems.delete(finalItems.keys().next().value as string);
    }
    return set;
  };

  /** Each gated call of this item waits for a slot its job workflow grants. */
  const slotGate = (item: string): CallGate => {
    const { temporal } = deps;
    const workflowId = activityInfo().workflowExecution?.workflowId;
    if (!temporal || !workflowId)
      throw new Error('paced calls need the Temporal client and the job workflow');
    return (call) => inPostSlot(temporal.client, { workflowId, item }, call);
  };

  return {
    /** Lists one page of export items as descriptors, in Pleo's stable order (date, then id). */
    async listItemPage(input: ListItemPageInput): Promise<ListItemPageResult> {
      return classified(async () => {
        const connection = await deps.connections.get(input.companyId);
        const page = await cache.page(connection.pleo, input.jobId, input.page);
        const skip = input.resumeKey
          ? await finalItemsOf(connection, input.jobId, input.resumeKey)
          : new Set<string>();
        const items: ItemDescriptor[] = [];
        for (const result of page.order) {
          const id = idOf(result);
          if (!id) {
            // Without its id an item cannot be reported; Pleo keeps it pending and the job ends with errors.
            deps.logger.error(
              { jobId: input.jobId, problem: result.ok ? undefined : result.message },
              'export item without accountingEntryId skipped',
            );
            continue;
          }
          // Items already final, or unreadable (failed by the workflow as they are), are never exported.
          if (skip.has(id) || !result.ok) cache.settled(input.jobId, input.page, id);
          if (!skip.has(id)) items.push(describe(result, id, input.page));
        }
        items.sort(
          (a, b) => a.date.localeCompare(b.date) || a.accountingEntryId.localeCompare(b.accountingEntryId),
        );
        return { items, nextCursor: page.nextCursor, hasNextPage: page.hasNextPage };
      });
    },

    /**
     * Exports one item. Its own problems fail it with the Pleo reason as failure type (transient ones
     * after its attempts); an outage fails the attempt with type Outage, and the workflow pauses.
     */
    async exportItem(input: ExportItemInput): Promise<ExportItemResultSummary> {
      const ticker = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        const connection = await deps.connections.get(input.companyId);
        const logger = deps.logger.child({
          companyId: input.companyId,
          jobId: input.jobId,
          attempt: activityInfo().attempt,
        });
        const result = await cache.item(connection.pleo, input.jobId, input.page, input.accountingEntryId);
        if (!result || !result.ok) {
          cache.settled(input.jobId, input.page, input.accountingEntryId);
          throw ApplicationFailure.nonRetryable(
            result
              ? `Pleo sent this item in a form the integration cannot read (${result.message}). Check the expense in Pleo and export it again.`
              : 'Pleo no longer lists this item in the export job. Export it again.',
            'validation_failure',
          );
        }
        const exported = await withCallGate(input.paced ? slotGate(input.accountingEntryId) : undefined, () =>
          exportItem(result.item, connection, {
            workDir: deps.workDir,
            today: now().toISOString().slice(0, 10),
            logger,
            onProgress: () => heartbeat(),
          }),
        );
        cache.settled(input.jobId, input.page, input.accountingEntryId);
        return exported;
      } catch (err) {
        const failure = itemActivityFailure(err);
        // Failed for good: this item is not asked for again (a retried one keeps its place in the cache).
        if (failure instanceof ApplicationFailure && failure.nonRetryable)
          cache.settled(input.jobId, input.page, input.accountingEntryId);
        throw failure;
      } finally {
        clearInterval(ticker);
      }
    },

    /**
     * Reports outcomes in batches of ≤100 and returns the updates Pleo refused (`errors[]`). A retry (the
     * previous reply may have been lost after Pleo applied it) sends only what Pleo does not have yet.
     */
    async reportItemOutcomes(input: {
      companyId: string;
      jobId: string;
      outcomes: ItemOutcome[];
    }): Promise<{ refused: RefusedUpdate[]; jobFinished: boolean }> {
      return classified(async () => {
        const { pleo } = await deps.connections.get(input.companyId);
        let toSend = input.outcomes;
        if (activityInfo().attempt > 1) {
          const wanted = new Map(input.outcomes.map((o) => [o.accountingEntryId, o.status]));
          const already = new Set<string>();
          for await (const item of pleo.listJobItems(input.jobId)) {
            if (wanted.get(item.accountingEntryId) === item.status) already.add(item.accountingEntryId);
          }
          toSend = input.outcomes.filter((o) => !already.has(o.accountingEntryId));
        }
        const refused: RefusedUpdate[] = [];
        try {
          for (const batch of chunk(toSend, PLEO_UPDATE_BATCH)) {
            const result = await pleo.updateJobItems(input.jobId, batch);
            for (const error of result.errors) {
              deps.logger.warn({ jobId: input.jobId, ...error }, 'Pleo refused an item update');
              refused.push({
                accountingEntryId: error.accountingEntryId,
                type: error.type,
                message: error.message ?? '',
              });
            }
          }
        } catch (err) {
          // 422: Pleo finished the job meanwhile (expired or cancelled); nothing more can be reported.
          if (err instanceof PleoApiError && err.status === 422) return { refused, jobFinished: true };
          throw err;
        }
        return { refused, jobFinished: false };
      });
    },
  };
}

/** What the workflow needs of an item: its order, its name in the Web UI, and where to refetch it. */
function describe(result: ExportItemResult, accountingEntryId: string, page: ItemPage): ItemDescriptor {
  if (!result.ok)
    return {
      accountingEntryId,
      date: '',
      amount: '',
      currency: '',
      type: '',
      page,
      unreadable: result.message,
    };
  const { item } = result;
  const money = item.amount.inWalletCurrency;
  const exponent = currencyExponent(money.currency);
  const invoiceNumber = item.additionalInformation?.invoiceInformation?.invoiceNumber;
  return {
    accountingEntryId,
    date: item.date.slice(0, 10),
    amount: exponent === undefined ? String(money.value) : formatMinor(money.value, exponent),
    currency: money.currency,
    merchant: item.supplier?.name ?? item.vendor?.name ?? undefined,
    type: item.type,
    ...(invoiceNumber && (item.type === 'invoice' || item.type === 'invoice_payment')
      ? { invoiceNumber }
      : {}),
    page,
  };
}
