// What a bookkeeper wants to know after an export, read back from Pleo: per job its outcome and what
// was booked, and per failed item what it is (merchant or vendor, date, amount) and why it failed, in
// Pleo's words, so it can be fixed without looking up ids.
import type { PleoClient } from '../pleo/client';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { currencyExponent, formatMinor } from '../accounting/core/currency';

export interface FailedItem {
  accountingEntryId: string;
  /** The merchant (card spend) or vendor (bills); absent when the item names neither. */
  payee?: string;
  date?: string;
  /** "EUR 274.60", with the amount paid in another currency after it: "EUR 27.46 (SEK 310.00)". */
  amount?: string;
  reasonType: string;
  /** The message Pleo shows for the item. */
  message: string;
}

export interface JobSummary {
  jobId: string;
  createdAt: string;
  status: string;
  failureReasonType?: string | null;
  failureReason?: string | null;
  successful: number;
  failed: number;
  /** Of the successful items, those the books already held (found by reference, not booked again). */
  alreadyBooked?: number;
  /** Items per failure reason type, every reason that occurred. */
  failureReasons: Record<string, number>;
  failedItems: FailedItem[];
}

const OPEN = ['pending', 'in_progress'] as const;
const ALL = ['pending', 'in_progress', 'completed', 'completed_with_errors', 'failed'] as const;

export async function waitUntilIdle(pleo: PleoClient, companyId: string, timeoutMs = 10 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await pleo.listExportJobsPage({ companyId, statuses: [...OPEN], limit: 1 });
    if (open.data.length === 0) return;
    if (Date.now() > deadline) throw new Error('export jobs still open after the wait limit');
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What was seen while the jobs ran: the export items' descriptions, and per job the items found already booked. */
export interface ExportsSeen {
  described: ReadonlyMap<string, ItemDescription>;
  alreadyBooked: ReadonlyMap<string, number>;
}

/**
 * Every export job of the company with its items' outcomes. Pleo serves export items only while their
 * job is open, and only the export workflow knows what was found already booked, so those come from
 * `seen`, gathered while the jobs ran.
 */
export async function summarizeCompanyJobs(
  pleo: PleoClient,
  companyId: string,
  seen: ExportsSeen = { described: new Map(), alreadyBooked: new Map() },
): Promise<JobSummary[]> {
  const { described } = seen;
  const summaries: JobSummary[] = [];
  for await (const job of pleo.listExportJobs({ companyId, statuses: [...ALL] })) {
    const summary: JobSummary = {
      jobId: job.id,
      createdAt: job.createdAt,
      status: job.status,
      failureReasonType: job.failureReasonType,
      failureReason: job.failureReason,
      alreadyBooked: seen.alreadyBooked.get(job.id),
      successful: 0,
      failed: 0,
      failureReasons: {},
      failedItems: [],
    };
    for await (const item of pleo.listJobItems(job.id)) {
      if (item.status === 'successful') summary.successful++;
      else if (item.status === 'failed' || item.status === 'abandoned') {
        summary.failed++;
        const reasonType = item.failureReasonType ?? item.status;
        summary.failureReasons[reasonType] = (summary.failureReasons[reasonType] ?? 0) + 1;
        summary.failedItems.push({
          accountingEntryId: item.accountingEntryId,
          ...described.get(item.accountingEntryId),
          reasonType,
          message: item.failureReason ?? '(Pleo has no message for this item)',
        });
      }
    }
    summary.failedItems.sort(
      (a, b) => (a.date ?? '').localeCompare(b.date ?? '') || (a.payee ?? '').localeCompare(b.payee ?? ''),
    );
    summaries.push(summary);
  }
  return summaries.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export type ItemDescription = Pick<FailedItem, 'payee' | 'date' | 'amount'>;

/** What a bookkeeper recognises an export item by: merchant or vendor, date and amount. */
export function describeItem(item: ExportItem): ItemDescription {
  const wallet = money(item.amount.inWalletCurrency);
  const paid =
    item.amount.inSupplierCurrency.currency !== item.amount.inWalletCurrency.currency
      ? ` (${money(item.amount.inSupplierCurrency)})`
      : '';
  return {
    payee: item.vendor?.name ?? item.supplier?.name ?? undefined,
    date: item.date.slice(0, 10),
    amount: `${wallet}${paid}`,
  };
}

function money(m: { currency: string; value: number }): string {
  const exponent = currencyExponent(m.currency);
  return `${m.currency} ${exponent === undefined ? `${m.value} (minor units)` : formatMinor(m.value, exponent)}`;
}

/** At most this many failed items are listed per job; the counts per reason always cover all of them. */
export const FAILED_ITEMS_LISTED = 50;

export function formatSummary(jobs: JobSummary[]): string {
  const lines = ['', 'Export summary', '=============='];
  jobs.forEach((job, index) => {
    const outcome = job.status.replace(/_/g, ' ');
    const found = job.alreadyBooked
      ? job.alreadyBooked === job.successful
        ? ' (all already in the books, found by reference: nothing booked twice)'
        : ` (${job.alreadyBooked} already in the books, found by reference; ${job.successful - job.alreadyBooked} new)`
      : '';
    const counts = [`${job.successful} booked${found}`, ...(job.failed ? [`${job.failed} failed`] : [])];
    lines.push('', `Job ${index + 1} of ${jobs.length} (${job.jobId}, created ${job.createdAt})`);
    lines.push(`  ${outcome}: ${counts.join(', ')}`);
    if (job.failureReasonType)
      lines.push(
        `  ${job.status === 'failed' ? 'job failed' : 'reason'}: ${job.failureReasonType}${job.failureReason ? `: ${job.failureReason}` : ''}`,
      );
    if (job.failed === 0) return;
    lines.push(
      `  failed by reason: ${Object.entries(job.failureReasons)
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([reason, count]) => `${reason} ${count}`)
        .join(', ')}`,
    );
    const width = Math.max(...job.failedItems.map((f) => (f.payee ?? '').length), 10);
    for (const f of job.failedItems.slice(0, FAILED_ITEMS_LISTED)) {
      const what = f.date
        ? [f.date, (f.payee ?? '(no merchant or vendor)').padEnd(width), f.amount ?? '']
        : ['(merchant, date and amount unknown: the job was finished before they were read)'];
      lines.push(`  ✗ ${what.join('  ').trimEnd()}`);
      lines.push(`      ${f.reasonType}: ${f.message}`);
      lines.push(`      Pleo accounting entry ${f.accountingEntryId}`);
    }
    if (job.failedItems.length > FAILED_ITEMS_LISTED)
      lines.push(
        `  … and ${job.failedItems.length - FAILED_ITEMS_LISTED} more (all of them listed on the export job in Pleo)`,
      );
  });
  return `${lines.join('\n')}\n`;
}
