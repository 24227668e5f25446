// Item-level activities. A page activity fetches one page of export items from Pleo, exports each item
// and returns only small outcomes: item payloads (personal data, notes, attendees) never enter workflow
// history. Progress is heartbeated per item, so a retry on another worker resumes where this one stopped,
// and the accounting system's idempotent post() makes re-running an item safe.
import { activityInfo, CancelledFailure, Context, heartbeat } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { classified } from './failures';
import { PLEO_UPDATE_BATCH } from './jobs';
import { exportItem } from '../export/export-item';
import { PleoApiError } from '../pleo/errors';
import type { CompanyConnection } from '../connections';
import type { ItemOutcome } from '../shared/workflow-api';
import { chunk } from '../shared/chunk';
import { inLanes } from './lanes';
import { WriteLimiter } from '../accounting-systems/ledger/rate-limiter';

export interface ExportItemsPageInput {
  companyId: string;
  jobId: string;
  cursor?: string;
  pageSize: number;
  /**
   * Set when the job was resumed with items already final in Pleo: those are skipped. Identifies the
   * chain of workflow runs (its first run id), so a later resumption reads Pleo afresh.
   */
  resumeKey?: string;
}

export interface ExportItemsPageResult {
  outcomes: ItemOutcome[];
  nextCursor?: string;
  hasNextPage: boolean;
}

export interface PageHeartbeat {
  outcomes: ItemOutcome[];
  /**
   * Items booked whose receipts were not attached yet when the page stopped: a retry exports them again
   * (the post finds the entry, the attach is idempotent); a page that gives up reports them successful.
   */
  booked?: ItemOutcome[];
  /** The export item just finished: shown with the pending activity in the Web UI. */
  lastItem?: string;
}

/** Items of a page exported at once: receipt downloads overlap, posts stay one at a time. */
const ITEMS_IN_FLIGHT = 4;

/** Outcomes of page attempts that failed in this process, until a later attempt of the page returns. */
const MAX_REMEMBERED_PAGES = 50;

export function createExportItemActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const limiters = new Map<string, WriteLimiter>();
  const limiterOf = (companyId: string): WriteLimiter | undefined => {
    if (!deps.accountingRateLimit) return undefined;
    let limiter = limiters.get(companyId);
    if (!limiter) limiters.set(companyId, (limiter = new WriteLimiter(deps.accountingRateLimit)));
    return limiter;
  };
  // Items already final in Pleo when a resumed job's runs began: read from Pleo (the source of truth),
  // cached per process and per resumption.
  const finalItems = new Map<string, Promise<Set<string>>>();
  const finalItemsOf = (
    connection: CompanyConnection,
    jobId: string,
    resumeKey: string,
  ): Promise<Set<string>> => {
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

  // The server keeps a page's heartbeat details across attempts, but heartbeats are throttled and a
  // failing attempt does not flush its last one; what a failed attempt booked is also remembered here,
  // so the next attempt (or, once the page gives up, the workflow) knows every item it booked.
  const attempted = new Map<string, { done: Map<string, ItemOutcome>; booked: Map<string, ItemOutcome> }>();
  const pageKey = () => `${activityInfo().workflowExecution?.runId}/${activityInfo().activityId}`;
  const rememberedOf = () => {
    const key = pageKey();
    let remembered = attempted.get(key);
    if (!remembered) {
      attempted.set(key, (remembered = { done: new Map(), booked: new Map() }));
      if (attempted.size > MAX_REMEMBERED_PAGES) attempted.delete(attempted.keys().next().value as string);
    }
    return remembered;
  };
  const forget = () => attempted.delete(pageKey());

  return {
    /**
     * Exports one page of items. When it fails, the outcomes it reached travel in the failure's details
     * (after the classification), so a page that gives up does not hide items it booked.
     */
    async exportItemsPage(input: ExportItemsPageInput): Promise<ExportItemsPageResult> {
      const { done, booked } = rememberedOf();
      const previous = activityInfo().heartbeatDetails as PageHeartbeat | undefined;
      for (const o of previous?.outcomes ?? []) done.set(o.accountingEntryId, o);
      for (const o of previous?.booked ?? [])
        if (!done.has(o.accountingEntryId)) booked.set(o.accountingEntryId, o);
      const details = (lastItem?: string): PageHeartbeat => ({
        outcomes: [...done.values()],
        booked: booked.size > 0 ? [...booked.values()] : undefined,
        lastItem,
      });
      return classified(async () => {
        const connection = await deps.connections.get(input.companyId);
        const logger = deps.logger.child({ companyId: input.companyId, jobId: input.jobId });
        const page = await connection.pleo.listExportItemsPage(input.jobId, {
          after: input.cursor,
          limit: input.pageSize,
        });
        const skip = input.resumeKey
          ? await finalItemsOf(connection, input.jobId, input.resumeKey)
          : new Set<string>();
        const today = now().toISOString().slice(0, 10);

        const limiter = limiterOf(input.companyId);
        // Posts go one at a time, each taking its rate-limit slot right before it is sent.
        let posts: Promise<unknown> = Promise.resolve();
        const writing = <T>(post: () => Promise<T>): Promise<T> => {
          const run = posts.then(async () => {
            await limiter?.acquire();
            return post();
          });
          posts = run.catch(() => undefined);
          return run;
        };

        // Items are prepared side by side (receipt downloads wait on Pleo's file host), posted one by one.
        await inLanes(page.data, ITEMS_IN_FLIGHT, async (result) => {
          const accountingEntryId = result.ok ? result.item.accountingEntryId : result.accountingEntryId;
          if (!accountingEntryId) {
            // Without its id an item cannot be reported; Pleo keeps it pending and the job ends with errors.
            logger.error(
              { problem: result.ok ? undefined : result.message },
              'export item without accountingEntryId skipped',
            );
            return;
          }
          if (skip.has(accountingEntryId) || done.has(accountingEntryId)) return;
          // Cancellation arrives through heartbeats; stop between items so nothing is half done.
          if (Context.current().cancellationSignal.aborted)
            throw new CancelledFailure('export cancelled between items');
          const outcome: ItemOutcome = result.ok
            ? await exportItem(result, connection, {
                workDir: deps.workDir,
                today,
                logger,
                writing,
                // A long receipt download keeps the page's heartbeat (its outcomes so far) going.
                onProgress: () => heartbeat(details(accountingEntryId)),
                onBooked: (outcome) => {
                  booked.set(accountingEntryId, outcome);
                  heartbeat(details(accountingEntryId));
                },
              })
            : {
                accountingEntryId,
                status: 'failed',
                failureReasonType: 'validation_failure',
                failureReason: `Pleo sent this item in a form the integration cannot read (${result.message}). Check the expense in Pleo and export it again.`,
              };
          if (outcome.status === 'failed') {
            logger.info({ accountingEntryId, reason: outcome.failureReasonType }, 'export item failed');
          }
          done.set(accountingEntryId, outcome);
          booked.delete(accountingEntryId);
          heartbeat(details(accountingEntryId));
        });
        forget();
        return { outcomes: [...done.values()], nextCursor: page.endCursor, hasNextPage: page.hasNextPage };
      }, details);
    },

    /**
     * Reports outcomes in batches of ≤100. A retry (the previous reply may have been lost after Pleo
     * applied it) first reads the items' current state and sends only what Pleo does not have yet.
     */
    async reportItemOutcomes(input: {
      companyId: string;
      jobId: string;
      outcomes: ItemOutcome[];
    }): Promise<{ rejected: string[]; jobFinished: boolean }> {
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
        const rejected: string[] = [];
        try {
          for (const batch of chunk(toSend, PLEO_UPDATE_BATCH)) {
            const result = await pleo.updateJobItems(input.jobId, batch);
            for (const error of result.errors) {
              deps.logger.error(
                {
                  jobId: input.jobId,
                  accountingEntryId: error.accountingEntryId,
                  type: error.type,
                  message: error.message,
                },
                'Pleo rejected an item update',
              );
              rejected.push(error.accountingEntryId);
            }
          }
        } catch (err) {
          // 422: Pleo finished the job meanwhile (expired or cancelled); nothing more can be reported.
          if (err instanceof PleoApiError && err.status === 422) return { rejected, jobFinished: true };
          throw err;
        }
        return { rejected, jobFinished: false };
      });
    },
  };
}
