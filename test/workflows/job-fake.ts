// Mocked activities for workflow tests: an in-memory Pleo job (items, updates, events) and an
// accounting system whose behaviour per item a test decides. The job workflow runs for real on a
// Temporal server; only the activities are fakes.
import { ApplicationFailure } from '@temporalio/common';
import { activityInfo } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { inPostSlot } from '../../src/activities/post-slots';
import type { createActivities } from '../../src/activities';
import type { ItemDescriptor, ItemOutcome } from '../../src/shared/workflow-api';
import type { AccountingSystemLimits } from '../../src/accounting-systems/port';
import { ERROR_TYPES } from '../../src/shared/error-types';

type Activities = ReturnType<typeof createActivities>;

export interface FakeItem {
  id: string;
  date: string;
  type?: string;
  invoiceNumber?: string;
}

export interface FakeJob {
  activities: Partial<Activities>;
  /** Item id → start/end times (ms) of each exportItem call. */
  calls: { id: string; start: number; end: number }[];
  /** When each paced write was sent (ms). */
  writes: number[];
  /** Highest number of exportItem calls running at once. */
  maxInFlight: () => number;
  /** Highest number of paced writes running at once. */
  maxWriting: () => number;
  events: { event: string; failureReasonType?: string; failureReason?: string }[];
  statuses: Map<string, ItemOutcome>;
  updateCounts: Map<string, number>;
  /** Each update sent to Pleo: how many outcomes, and when (epoch ms). */
  reports: { size: number; at: number }[];
}

export function fakeJob(
  items: FakeItem[],
  options: {
    pageSize: number;
    /** What exporting an item does (default: succeed after `ms`). */
    exportItem?: (id: string, attempt: number) => Promise<void>;
    ms?: number;
    /** Item updates Pleo refuses, per item id: how many times. */
    refuse?: Map<string, number>;
    /** Readiness probe result. */
    probe?: () => Promise<void>;
    /** For paced writes: each item writes once, in a slot its workflow grants. */
    client?: Client;
    /** What the accounting system declares at readiness. */
    limits?: AccountingSystemLimits;
    /** How long each paced write takes. */
    writeMs?: number;
  },
): FakeJob {
  const calls: FakeJob['calls'] = [];
  const writes: number[] = [];
  const events: FakeJob['events'] = [];
  const statuses = new Map<string, ItemOutcome>();
  const updateCounts = new Map<string, number>();
  const reports: FakeJob['reports'] = [];
  const attempts = new Map<string, number>();
  let running = 0;
  let max = 0;
  let writing = 0;
  let maxWriting = 0;
  const pages: FakeItem[][] = [];
  for (let i = 0; i < items.length; i += options.pageSize) pages.push(items.slice(i, i + options.pageSize));
  const descriptor = (item: FakeItem, cursor: string | undefined): ItemDescriptor => ({
    accountingEntryId: item.id,
    date: item.date,
    amount: '10.00',
    currency: 'EUR',
    merchant: `Merchant ${item.id}`,
    type: item.type ?? 'card_purchase',
    ...(item.invoiceNumber ? { invoiceNumber: item.invoiceNumber } : {}),
    page: { cursor, pageSize: options.pageSize },
  });
  const refuse = new Map(options.refuse ?? []);

  const activities: Partial<Activities> = {
    async claimExportJob() {
      events.push({ event: 'started' });
      return { kind: 'claimed', numberOfItems: items.length, vendorBasedBookkeeping: false };
    },
    async checkAccountingSystemReady() {
      return { ok: true, ...(options.limits ? { limits: options.limits } : {}) };
    },
    async surveyJobItems() {
      return { total: items.length, successful: 0, failed: 0, pending: items.length };
    },
    async listItemPage({ page }) {
      const index = page.cursor ? Number(page.cursor) : 0;
      return {
        items: (pages[index] ?? []).map((item) => descriptor(item, page.cursor)),
        nextCursor: String(index + 1),
        hasNextPage: index + 1 < pages.length,
      };
    },
    async exportItem({ accountingEntryId, paced }) {
      const attempt = (attempts.get(accountingEntryId) ?? 0) + 1;
      attempts.set(accountingEntryId, attempt);
      const call = { id: accountingEntryId, start: Date.now(), end: 0 };
      calls.push(call);
      max = Math.max(max, ++running);
      try {
        if (options.exportItem) await options.exportItem(accountingEntryId, attempt);
        else await new Promise((r) => setTimeout(r, options.ms ?? 20));
        if (paced && options.client) {
          const workflowId = activityInfo().workflowExecution?.workflowId ?? '';
          await inPostSlot(options.client, { workflowId, item: accountingEntryId }, async () => {
            writes.push(Date.now());
            maxWriting = Math.max(maxWriting, ++writing);
            await new Promise((r) => setTimeout(r, options.writeMs ?? 0));
            writing--;
          });
        }
        return {
          outcome: {
            accountingEntryId,
            status: 'successful' as const,
            externalId: `entry-${accountingEntryId}`,
            exportedAt: new Date().toISOString(),
          },
          alreadyBooked: false,
        };
      } finally {
        running--;
        call.end = Date.now();
      }
    },
    async reportItemOutcomes({ outcomes }) {
      if (events.some((e) => e.event !== 'started')) return { refused: [], jobFinished: true };
      reports.push({ size: outcomes.length, at: Date.now() });
      const refused = [];
      for (const outcome of outcomes) {
        const left = refuse.get(outcome.accountingEntryId) ?? 0;
        if (left > 0) {
          refuse.set(outcome.accountingEntryId, left - 1);
          refused.push({
            accountingEntryId: outcome.accountingEntryId,
            type: 'CONFLICT',
            message: 'refused',
          });
          continue;
        }
        statuses.set(outcome.accountingEntryId, outcome);
        updateCounts.set(outcome.accountingEntryId, (updateCounts.get(outcome.accountingEntryId) ?? 0) + 1);
      }
      return { refused, jobFinished: false };
    },
    async jobItemCounts() {
      const all = [...statuses.values()];
      const successful = all.filter((o) => o.status === 'successful').length;
      const failed = all.length - successful;
      return { jobStatus: 'in_progress', successful, failed, open: items.length - all.length };
    },
    async failRemainingItems({ failureReasonType, failureReason }) {
      let failed = 0;
      for (const item of items) {
        if (statuses.has(item.id)) continue;
        statuses.set(item.id, {
          accountingEntryId: item.id,
          status: 'failed',
          failureReasonType,
          failureReason,
        });
        updateCounts.set(item.id, (updateCounts.get(item.id) ?? 0) + 1);
        failed++;
      }
      return { failed };
    },
    async finishExportJob({ outcome }) {
      if (outcome.event === 'already_finished') return;
      events.push(
        outcome.event === 'completed'
          ? { event: outcome.event }
          : {
              event: outcome.event,
              failureReasonType: outcome.failureReasonType,
              failureReason: outcome.failureReason,
            },
      );
    },
    async probeOutage() {
      await (options.probe ?? (async () => undefined))();
      return { jobStatus: 'in_progress' };
    },
  };
  return {
    activities,
    calls,
    writes,
    maxInFlight: () => max,
    maxWriting: () => maxWriting,
    events,
    statuses,
    updateCounts,
    reports,
  };
}

/** A business failure of one item, as the item activity reports it: not retried. */
export function accountUnknown(): ApplicationFailure {
  return ApplicationFailure.create({
    message: 'Account No. 9999 does not exist in the Accounting System. Check Category.',
    type: 'account_unknown',
    nonRetryable: true,
  });
}

/** What an item activity throws when the accounting system is unreachable. */
export function outage(): ApplicationFailure {
  return ApplicationFailure.create({
    message: 'unreachable',
    type: ERROR_TYPES.outage,
    details: [
      {
        jobFailureReasonType: 'accounting_system_unreachable',
        message: 'The accounting system is unreachable',
      },
    ],
  });
}

/** The accounting system's "slow down" (429 with Retry-After), as the item activity reports it. */
export function slowDown(retryAfterMs = 200): ApplicationFailure {
  return ApplicationFailure.create({
    message: 'rate limited',
    type: ERROR_TYPES.outage,
    details: [
      {
        jobFailureReasonType: 'accounting_system_rate_limit',
        message: 'The accounting system keeps answering 429 (rate limit exceeded)',
        retryAfterMs,
      },
    ],
  });
}

export const itemsOf = (n: number, date = '2026-03-01'): FakeItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `item-${String(i).padStart(3, '0')}`, date }));
