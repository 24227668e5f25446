// The per-job workflow: claim → pre-export validation → list items page by page → export each item in
// its own activity, a sliding window of them at once, in Pleo's order (date, then id) → report outcomes
// as they come → verify with Pleo that every item is final → exactly one final event.
// Export item payloads never enter history: pages are listed by an activity that keeps the items in the
// worker and returns small descriptors. History stays bounded with continue-as-new every few pages.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  log,
  patched,
  ActivityFailure,
} from '@temporalio/workflow';
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import type { createActivities } from '../activities';
import {
  DEFAULT_EXPORT_JOB_SETTINGS,
  SA_OUTCOME,
  postSlotUpdate,
  progressQuery,
  type ExportJobInput,
  type ExportJobState,
  type ItemDescriptor,
  type ItemOutcome,
  type JobOutcome,
  type JobProgress,
  type JobResult,
} from '../shared/workflow-api';
import {
  ITEM_NON_RETRYABLE_ERROR_TYPES,
  NON_RETRYABLE_ERROR_TYPES,
  type FailureClassification,
} from '../shared/error-types';
import { isPaced, slotSpacingMs, windowOf, writeTokens } from '../shared/pacing';
import type { ItemFailure, ItemFailureReasonType, JobFailureReasonType } from '../shared/failure-reasons';
import {
  decideJobOutcome,
  describeProgress,
  itemFailureFromError,
  itemReasonFor,
  jobFailureFromError,
  outageOf,
  recordFailure,
  recordRefusal,
} from './outcome';

type Activities = ReturnType<typeof createActivities>;

/** Outcomes sent to Pleo per update (Pleo accepts ≤100). */
const REPORT_BATCH = 50;

/** Events after which a run lists no more pages and continues as new (Temporal warns at 10,240). */
const RUN_HISTORY_LIMIT = 7_000;

type FailedOutcome = ItemOutcome & { status: 'failed' };

/** Pleo finished the job while it ran (expired, cancelled): reported as what Pleo says. */
class FinishedByPleo extends Error {}

export async function exportJobWorkflow(input: ExportJobInput): Promise<JobResult> {
  const { companyId, jobId } = input;
  // Runs begun before the window widened and reports went alongside it replay as they ran: 8 items in
  // flight, each report awaited, 10 pages a run.
  const alongside = patched('wide-window-reports-alongside');
  const defaults = alongside
    ? DEFAULT_EXPORT_JOB_SETTINGS
    : { ...DEFAULT_EXPORT_JOB_SETTINGS, itemsInFlight: 8, pagesPerRun: 10 };
  const settings = { ...defaults, ...input.settings };
  // Runs begun before updates waited to be full replay as they ran: items that finish together (a
  // ledger's group commit) got an update each time, ten times the calls to Pleo.
  const fullUpdates = alongside && patched('reports-in-full-updates');
  const state: ExportJobState = input.state ?? { claimed: false, progress: newProgress(jobId) };
  const progress = state.progress;
  setHandler(progressQuery, () => progress);
  // Call slots, when the accounting system declares a rate: spaced so that no calls of the job are
  // closer than the limit allows, whichever worker sends them (the limits come with readiness). When
  // it also limits writes at once, each answer holds one write token for its item until the item asks
  // again or its activity ends, and an item asking while every token is held waits here.
  const writing = new Set<string>();
  setHandler(postSlotUpdate, async ({ earliest, item }) => {
    const asked = Date.now();
    const tokens = writeTokens(state.limits);
    if (item !== undefined && tokens !== undefined) {
      // The item's previous write is done (it writes one at a time): its token is free for anyone.
      writing.delete(item);
      // Every waiting handler sees the same freed token: each checks again when it resumes.
      while (writing.size >= tokens) await condition(() => writing.size < tokens);
      writing.add(item);
    }
    // Time spent waiting for a token moves the earliest time on: the answer leaves now, not when asked.
    const slot = Math.max(earliest + (Date.now() - asked), state.nextPostSlot ?? 0);
    state.nextPostSlot = slot + slotSpacingMs(state.limits);
    return slot;
  });

  const retry: RetryPolicy = {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  };
  // Outages are retried with backoff until the outage budget is spent, then the job is failed on purpose.
  // Each call is short (a page, a report of ≤50 outcomes): a worker that dies mid-call delays it by
  // the start-to-close timeout, which must leave most of the outage budget for the retry.
  const pleo = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: settings.outageBudgetMs,
    retry,
  });
  // One item: its own transient errors get a few attempts; an outage is not retried here (the window pauses).
  const itemOptions: ActivityOptions = {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: settings.heartbeatTimeoutMs,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: settings.itemAttempts,
      nonRetryableErrorTypes: ITEM_NON_RETRYABLE_ERROR_TYPES,
    },
  };
  const items = proxyActivities<Activities>(itemOptions);
  const probeOptions: ActivityOptions = {
    startToCloseTimeout: '1 minute',
    retry: { ...retry, maximumInterval: '30 seconds' },
  };
  const probe = proxyActivities<Activities>(probeOptions);
  // Clean-up after a failure gets its own budget: the job must still end in Pleo.
  const cleanup = proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '20 minutes',
    retry,
  });

  const resultOf = (outcome: JobOutcome): JobResult => ({
    jobId,
    outcome,
    successful: progress.successful,
    failed: progress.failed,
    alreadyBooked: progress.alreadyBooked,
    failedItems: progress.failedItems,
  });
  const finish = async (outcome: JobOutcome): Promise<JobResult> => {
    progress.phase = 'finishing';
    if (outcome.event !== 'already_finished') {
      await cleanup.finishExportJob({ companyId, jobId, outcome });
    }
    progress.phase = 'done';
    progress.outcome = outcome;
    upsertSearchAttributes([{ key: SA_OUTCOME, value: outcome.event }]);
    return resultOf(outcome);
  };
  // A job that failed in Pleo fails its workflow too (after the final event), typed with Pleo's reason,
  // so it shows under "Failures" in the Web UI.
  const end = async (outcome: JobOutcome): Promise<JobResult> => {
    const result = await finish(outcome);
    const failure =
      outcome.event === 'failed'
        ? { type: outcome.failureReasonType, message: outcome.failureReason }
        : outcome.event === 'already_finished' && outcome.status === 'failed'
          ? {
              type: outcome.failureReasonType ?? 'failed_in_pleo',
              message: outcome.failureReason ?? 'Pleo ended the export job as failed.',
            }
          : undefined;
    if (failure) throw ApplicationFailure.create({ ...failure, nonRetryable: true, details: [result] });
    return result;
  };
  const finishedByPleo = async (): Promise<JobResult> => {
    const counts = await cleanup.jobItemCounts({ companyId, jobId });
    return end({
      event: 'already_finished',
      status: counts.jobStatus,
      failureReasonType: counts.failureReasonType,
      failureReason: counts.failureReason,
    });
  };

  // ---- the window ---------------------------------------------------------------------------------
  const queue: ItemDescriptor[] = state.queued ?? [];
  const deferred: ItemDescriptor[] = state.deferred ?? [];
  let unreported: ItemOutcome[] = state.unreported ?? [];
  /** When the oldest outcome not yet sent was settled (about: a new run counts from its start). */
  let unreportedSince = Date.now();
  const inFlight = new Map<string, ItemDescriptor>();
  /** Invoices listed but not final yet, by invoice number: their payments wait. */
  const openInvoices = new Map<string, number>();
  const doneInvoices = new Set<string>();
  /** Items whose entry was booked before an outage stopped their receipts: never reported successful without them. */
  const bookedBeforeOutage = new Map<string, ItemFailure>();
  const refusedOnce = new Set<string>();
  /** The widest window the accounting system's limits allow; `window` narrows below it after a 429. */
  let maxWindow = windowOf(settings.itemsInFlight, state.limits);
  let window = maxWindow;
  let outage: FailureClassification | undefined;
  /** When the outage began: kept through probes that pass while items still fail, cleared by a success. */
  let outageSince: number | undefined;
  /** Since when the accounting system has answered only "slow down" (429): that too has a budget. */
  let throttledSince: number | undefined;
  let probesSinceSuccess = 0;
  let startsFrom = 0;
  let successesSinceSlowdown = 0;

  const enqueue = (listed: ItemDescriptor[]) => {
    for (const d of listed) {
      queue.push(d);
      if (d.type !== 'invoice_payment' && d.invoiceNumber)
        openInvoices.set(d.invoiceNumber, (openInvoices.get(d.invoiceNumber) ?? 0) + 1);
    }
  };
  enqueue(queue.splice(0));
  const invoiceFinal = (d: Partial<ItemDescriptor>) => {
    if (d.type === 'invoice_payment' || !d.invoiceNumber) return;
    const left = (openInvoices.get(d.invoiceNumber) ?? 1) - 1;
    if (left > 0) openInvoices.set(d.invoiceNumber, left);
    else openInvoices.delete(d.invoiceNumber);
    doneInvoices.add(d.invoiceNumber);
  };
  // An invoice_payment waits for its invoice when the invoice is in the job; one not seen yet may be on
  // a later page, so the payment waits until every page is listed.
  const mustWait = (d: ItemDescriptor) =>
    d.type === 'invoice_payment' &&
    !!d.invoiceNumber &&
    (openInvoices.has(d.invoiceNumber) ||
      (!doneInvoices.has(d.invoiceNumber) && state.hasNextPage !== false));

  const settled = (d: Partial<ItemDescriptor>, outcome: ItemOutcome) => {
    if (unreported.length === 0) unreportedSince = Date.now();
    unreported.push(outcome);
    invoiceFinal(d);
  };
  const failItem = (d: Partial<ItemDescriptor> & { accountingEntryId: string }, failed: FailedOutcome) => {
    recordFailure(progress, d, failed);
    settled(d, failed);
  };

  const startItem = (d: ItemDescriptor) => {
    startedThisRun++;
    inFlight.set(d.accountingEntryId, d);
    // Not cancelled with the workflow: an item is never left half done; cancellation waits for it.
    CancellationScope.nonCancellable(() =>
      items.exportItem.executeWithOptions({ ...itemOptions, summary: summaryOf(d) }, [
        {
          companyId,
          jobId,
          accountingEntryId: d.accountingEntryId,
          page: d.page,
          paced: isPaced(state.limits),
        },
      ]),
    ).then(
      (exported) => {
        inFlight.delete(d.accountingEntryId);
        writing.delete(d.accountingEntryId);
        progress.successful++;
        if (exported.alreadyBooked && !bookedBeforeOutage.has(d.accountingEntryId)) progress.alreadyBooked++;
        bookedBeforeOutage.delete(d.accountingEntryId);
        outageSince = undefined;
        throttledSince = undefined;
        probesSinceSuccess = 0;
        if (window < maxWindow && ++successesSinceSlowdown >= window) {
          window++;
          successesSinceSlowdown = 0;
        }
        settled(d, exported.outcome);
      },
      (err: unknown) => {
        inFlight.delete(d.accountingEntryId);
        writing.delete(d.accountingEntryId);
        const systemic = outageOf(err);
        if (systemic?.retryAfterMs !== undefined) throttledSince ??= Date.now();
        const throttled =
          systemic?.retryAfterMs !== undefined && Date.now() - throttledSince! < settings.outageBudgetMs;
        if (throttled) {
          // The accounting system asked to slow down: this item goes again later, the window narrows.
          window = Math.max(1, Math.floor(window / 2));
          successesSinceSlowdown = 0;
          startsFrom = Math.max(startsFrom, Date.now() + systemic.retryAfterMs!);
          queue.unshift(d);
        } else if (systemic) {
          // An outage, or "slow down" answered for longer than the outage budget (the pause then gives up).
          outage ??= systemic;
          outageSince ??= throttledSince ?? Date.now();
          if (systemic.booked) bookedBeforeOutage.set(d.accountingEntryId, systemic.booked);
          queue.unshift(d);
        } else {
          failItem(d, itemFailureFromError(d, err));
        }
      },
    );
  };

  /** Sends what is unreported; `full` (while the window goes on): after the first update, only full ones. */
  const flush = async (via: Activities['reportItemOutcomes'] = pleo.reportItemOutcomes, full = false) => {
    while (unreported.length > 0) {
      const batch = unreported.slice(0, REPORT_BATCH);
      const report = await via({ companyId, jobId, outcomes: batch });
      if (report.jobFinished) throw new FinishedByPleo();
      unreported = unreported.slice(batch.length);
      unreportedSince = Date.now();
      const again: ItemOutcome[] = [];
      for (const refused of report.refused) {
        const outcome = batch.find((o) => o.accountingEntryId === refused.accountingEntryId);
        if (!outcome) continue;
        if (!refusedOnce.has(outcome.accountingEntryId)) {
          refusedOnce.add(outcome.accountingEntryId);
          again.push(outcome);
          continue;
        }
        // Refused twice: the item stays open in Pleo and counts as failed in the job's outcome.
        log.warn('Pleo refused an item update twice', { jobId, ...refused });
        recordRefusal(progress, outcome, refused);
        state.refusedOpen = (state.refusedOpen ?? 0) + 1;
      }
      if (again.length > 0) {
        await sleep('1 second');
        unreported.unshift(...again);
      }
      if (full && unreported.length < REPORT_BATCH) return;
    }
  };

  // Outcomes go to Pleo while the window goes on: waiting for each report would stall new items for a
  // round trip every batch. One report at a time, as each takes its batch from `unreported`; its error
  // (Pleo gone, the job finished by Pleo) is thrown by the loop as if the report had been awaited there.
  let reporting: Promise<void> | undefined;
  let reportError: unknown;
  const reportInBackground = () => {
    reporting = flush(pleo.reportItemOutcomes, fullUpdates)
      .then(
        () => setCurrentDetails(describeProgress(progress)),
        (err: unknown) => {
          reportError = err;
        },
      )
      .finally(() => {
        reporting = undefined;
      });
  };
  /** A full update, or what is left once nothing more is exported for now or it has waited long enough. */
  const reportDue = (canStart: boolean) => {
    if (unreported.length >= REPORT_BATCH) return true;
    if (unreported.length === 0) return false;
    if (!fullUpdates) return inFlight.size === 0;
    return (inFlight.size === 0 && !canStart) || Date.now() - unreportedSince >= settings.reportAfterMs;
  };
  const reportsSent = async () => {
    if (reporting) await condition(() => reporting === undefined);
  };

  /** Fails every item still open in Pleo, so none is left pending when the job ends. */
  const failOpenItems = async (failureReasonType: ItemFailureReasonType, failureReason: string) => {
    const { failed } = await cleanup.failRemainingItems({
      companyId,
      jobId,
      failureReasonType,
      failureReason,
    });
    // Items Pleo refused an update for are counted failed already, though still open there.
    const counted = Math.min(failed, state.refusedOpen ?? 0);
    state.refusedOpen = (state.refusedOpen ?? 0) - counted;
    progress.failed += failed - counted;
    return failed;
  };

  const failJob = async (failure: {
    failureReasonType: JobFailureReasonType;
    failureReason: string;
  }): Promise<JobResult> => {
    log.warn('export job failed', { jobId, failureReasonType: failure.failureReasonType });
    // An entry booked before the outage whose receipts never reached it: failed with what to do, never successful.
    for (const [accountingEntryId, externalId] of bookedBeforeOutage) {
      failItem(
        { accountingEntryId },
        {
          accountingEntryId,
          status: 'failed',
          failureReasonType: 'receipt_upload_failure',
          failureReason: `The entry exists, booked as ${externalId}, but its receipts could not be attached before the accounting system became unavailable. Export the item again: the entry is found by its reference and the receipts are attached to it.`,
        },
      );
    }
    bookedBeforeOutage.clear();
    await reportsSent();
    await flush(cleanup.reportItemOutcomes);
    await failOpenItems(itemReasonFor(failure.failureReasonType), failure.failureReason);
    return end({ event: 'failed', ...failure });
  };

  let pagesThisRun = 0;
  let startedThisRun = 0;
  try {
    if (!state.claimed) {
      progress.phase = 'claiming';
      const claim = await pleo.claimExportJob({ companyId, jobId });
      if (claim.kind === 'finished') return await finishedByPleo();
      state.claimed = true;
      progress.totalItems = claim.numberOfItems;

      progress.phase = 'validating';
      const ready = await pleo.checkAccountingSystemReady({
        companyId,
        vendorBasedBookkeeping: claim.vendorBasedBookkeeping,
        numberOfItems: claim.numberOfItems,
      });
      if (!ready.ok)
        return await failJob({ failureReasonType: ready.reasonType, failureReason: ready.message });
      state.limits = ready.limits;
      window = maxWindow = windowOf(settings.itemsInFlight, state.limits);
      const survey = await cleanup.surveyJobItems({ companyId, jobId });
      progress.totalItems = survey.total;
      progress.alreadyFinal = survey.successful + survey.failed;
      progress.successful += survey.successful;
      progress.failed += survey.failed;
    }

    progress.phase = 'exporting';
    for (;;) {
      if (reportError !== undefined) throw reportError;
      // Deferred payments whose invoice is final (or that have none in the job) go first.
      for (let i = deferred.length - 1; i >= 0; i--) {
        const d = deferred[i] as ItemDescriptor;
        if (!mustWait(d)) queue.unshift(...deferred.splice(i, 1));
      }

      if (outage) {
        // Paused: nothing new starts; once the items in flight are back, probe until the system answers.
        progress.phase = 'paused';
        await condition(() => inFlight.size === 0);
        // A probe that passed while items still fail (the probe sees less than an export does): back off.
        if (probesSinceSuccess > 0) await sleep(Math.min(30_000, 1_000 * 2 ** (probesSinceSuccess - 1)));
        probesSinceSuccess++;
        const remainingMs = settings.outageBudgetMs - (Date.now() - (outageSince ?? Date.now()));
        try {
          if (remainingMs <= 0) throw new Error('outage budget spent');
          const probed = await probe.probeOutage.executeWithOptions(
            { ...probeOptions, scheduleToCloseTimeout: remainingMs, summary: 'Wait for the outage to end' },
            [{ companyId, jobId }],
          );
          if (probed.jobStatus !== 'in_progress') throw new FinishedByPleo();
        } catch (err) {
          if (isCancellation(err) || err instanceof FinishedByPleo) throw err;
          return await failJob({
            failureReasonType: outage.jobFailureReasonType,
            failureReason: `Gave up after retrying for the configured outage budget: ${outage.message}`,
          });
        }
        outage = undefined;
        progress.phase = 'exporting';
        continue;
      }

      // A run is full after its pages, or earlier when its history grows long (pacing timers, retries).
      const runFull =
        pagesThisRun >= settings.pagesPerRun || workflowInfo().historyLength > RUN_HISTORY_LIMIT;
      const listMore = state.hasNextPage !== false && queue.length < window && !runFull;
      // A run starts as many items as its pages hold. Payments held back until the last page is listed
      // would otherwise all start in the job's last run, however many: 2,700 of 50,000 items made one
      // run of 11,000 events. Runs begun before this rule replay without it.
      const startsFull =
        (startedThisRun >= settings.pagesPerRun * settings.pageSize ||
          workflowInfo().historyLength > RUN_HISTORY_LIMIT) &&
        patched('bounded-starts-per-run');
      if (listMore) {
        const pageNumber = (state.pagesDone ?? 0) + 1;
        const page = { cursor: state.cursor, pageSize: settings.pageSize };
        const listed = await pleo.listItemPage.executeWithOptions(
          {
            startToCloseTimeout: '30 seconds',
            scheduleToCloseTimeout: settings.outageBudgetMs,
            retry,
            summary: `List export items, page ${pageNumber} of job ${jobId}`,
          },
          // Items already final when this chain of runs began are left out (a resumed job).
          [
            {
              companyId,
              jobId,
              page,
              resumeKey: progress.alreadyFinal > 0 ? workflowInfo().firstExecutionRunId : undefined,
            },
          ],
        );
        pagesThisRun++;
        state.pagesDone = pageNumber;
        state.cursor = listed.nextCursor;
        state.hasNextPage = listed.hasNextPage;
        enqueue(listed.items);
        continue;
      }

      if (!reporting && reportDue(queue.length > 0 && !startsFull && Date.now() >= startsFrom)) {
        if (alongside) reportInBackground();
        else {
          await flush();
          setCurrentDetails(describeProgress(progress));
        }
        continue;
      }

      const next = queue[0];
      if (next && inFlight.size < window && !startsFull) {
        if (Date.now() < startsFrom) {
          await condition(() => outage !== undefined, startsFrom - Date.now());
          continue;
        }
        queue.shift();
        if (next.unreadable !== undefined) {
          failItem(next, {
            accountingEntryId: next.accountingEntryId,
            status: 'failed',
            failureReasonType: 'validation_failure',
            failureReason: `Pleo sent this item in a form the integration cannot read (${next.unreadable}). Check the expense in Pleo and export it again.`,
          });
        } else if (mustWait(next)) {
          deferred.push(next);
        } else {
          startItem(next);
        }
        continue;
      }

      if (inFlight.size > 0 || reporting) {
        // Wait for an item to settle, an outage or the report being sent before deciding again.
        const before = inFlight.size;
        const report = reporting;
        await condition(() => inFlight.size < before || outage !== undefined || reporting !== report);
        continue;
      }

      // Nothing in flight, everything reported, and nothing queued unless this run has started its share.
      if (state.hasNextPage === false && deferred.length === 0 && queue.length === 0) break;
      if ((state.hasNextPage !== false && runFull) || startsFull) {
        return await continueAsNew<typeof exportJobWorkflow>({
          ...input,
          state: { ...state, queued: queue, deferred, unreported },
        });
      }
    }

    // Before the final event, Pleo's own view: every item final, the job still ours.
    progress.phase = 'finishing';
    // Pages through every job item: the clean-up budget, not a short call's.
    let counts = await cleanup.jobItemCounts({ companyId, jobId });
    if (counts.jobStatus !== 'in_progress') throw new FinishedByPleo();
    if (counts.open > 0) {
      const failed = await failOpenItems(
        'unexpected_failure',
        "The integration could not get this item's result to Pleo. Export it again.",
      );
      counts = { ...counts, failed: counts.failed + failed, open: 0 };
    }
    return await end(decideJobOutcome(progress, counts));
  } catch (err) {
    if (err instanceof FinishedByPleo) return await finishedByPleo();
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(async () => {
        await condition(() => inFlight.size === 0);
        await reportsSent();
        await flush(cleanup.reportItemOutcomes);
        await failOpenItems('unexpected_failure', 'The export was cancelled before this item was exported.');
        await finish({
          event: 'failed',
          failureReasonType: 'canceled_by_user',
          failureReason: 'The export was cancelled.',
        });
      });
      throw err;
    }
    if (!(err instanceof ActivityFailure)) throw err;
    // An outage outlived its budget in a job-level activity, or an unrecoverable error: fail the job
    // before Pleo expires it, marking every unprocessed item so none is left pending.
    await condition(() => inFlight.size === 0);
    const failure = jobFailureFromError(err);
    return await failJob({
      failureReasonType: failure.failureReasonType,
      failureReason: failure.failureReason,
    });
  }
}

function newProgress(jobId: string): JobProgress {
  return {
    jobId,
    phase: 'claiming',
    totalItems: 0,
    successful: 0,
    failed: 0,
    alreadyFinal: 0,
    alreadyBooked: 0,
    failureReasons: {},
    failedItems: [],
  };
}

/** The item as the Web UI names its activity: merchant, amount, date, id. */
function summaryOf(d: ItemDescriptor): string {
  const what = d.merchant ?? d.type.replace(/_/g, ' ');
  return `Export ${what} ${d.amount} ${d.currency}, ${d.date} (${d.accountingEntryId})`;
}
