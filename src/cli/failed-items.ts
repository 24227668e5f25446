// The failed export items of a job workflow's history: each item activity that failed, with every
// attempt's error, read from the history itself (decoded with the payload codec when one is configured).
import type { PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type Payload = temporal.api.common.v1.IPayload;
type Failure = temporal.api.failure.v1.IFailure;

export interface FailedItemReport {
  accountingEntryId: string;
  /** The activity's summary: merchant, amount, date, id. */
  summary?: string;
  attempts: number;
  /** `type: message` of each failed attempt, oldest first. */
  errors: string[];
}

const ITEM_ACTIVITY = 'exportItem';

async function decode(payload: Payload | null | undefined, codecs: PayloadCodec[]): Promise<unknown> {
  if (!payload) return undefined;
  let decoded = [payload];
  for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
  const data = decoded[0]?.data;
  return data ? JSON.parse(Buffer.from(data).toString('utf8')) : undefined;
}

async function describeFailure(failure: Failure | null | undefined, codecs: PayloadCodec[]): Promise<string> {
  if (!failure) return 'unknown failure';
  // With the codec, message and stack travel encoded (src/codec/failure-converter.ts).
  const encoded = failure.encodedAttributes
    ? ((await decode(failure.encodedAttributes, codecs)) as { message?: string } | undefined)
    : undefined;
  const message = encoded?.message ?? failure.message ?? '';
  const type =
    failure.applicationFailureInfo?.type ??
    (failure.timeoutFailureInfo ? `timeout (${String(failure.timeoutFailureInfo.timeoutType)})` : 'failure');
  const cause = failure.cause ? ` ← ${await describeFailure(failure.cause, codecs)}` : '';
  return `${type}: ${message}${cause}`;
}

export async function failedItemsFromHistory(
  history: History,
  codecs: PayloadCodec[] = [],
): Promise<FailedItemReport[]> {
  const items = new Map<string, FailedItemReport & { failed: boolean }>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled && scheduled.activityType?.name === ITEM_ACTIVITY) {
      const input = (await decode(scheduled.input?.payloads?.[0], codecs)) as { accountingEntryId?: string };
      const summary = (await decode(event.userMetadata?.summary, codecs)) as string | undefined;
      items.set(String(event.eventId), {
        accountingEntryId: input?.accountingEntryId ?? '?',
        summary,
        attempts: 0,
        errors: [],
        failed: false,
      });
      continue;
    }
    const started = event.activityTaskStartedEventAttributes;
    const startedItem = started && items.get(String(started.scheduledEventId));
    if (startedItem) {
      startedItem.attempts = Math.max(startedItem.attempts, started.attempt ?? 1);
      // The previous attempt's failure, recorded when the final attempt started.
      if (started.lastFailure) startedItem.errors.push(await describeFailure(started.lastFailure, codecs));
      continue;
    }
    const failed = event.activityTaskFailedEventAttributes;
    const failedItem = failed && items.get(String(failed.scheduledEventId));
    if (failedItem) {
      failedItem.failed = true;
      failedItem.errors.push(await describeFailure(failed.failure, codecs));
      continue;
    }
    const timedOut = event.activityTaskTimedOutEventAttributes;
    const timedOutItem = timedOut && items.get(String(timedOut.scheduledEventId));
    if (timedOutItem) {
      timedOutItem.failed = true;
      timedOutItem.errors.push(await describeFailure(timedOut.failure, codecs));
    }
  }
  return [...items.values()].filter((i) => i.failed).map(({ failed: _failed, ...report }) => report);
}

export function formatFailedItems(items: FailedItemReport[]): string[] {
  return items.flatMap((item) => [
    `  ✗ ${item.summary ?? item.accountingEntryId} — ${item.attempts} attempt${item.attempts === 1 ? '' : 's'}`,
    ...item.errors.map((e, i) => `      ${i + 1}. ${e}`),
  ]);
}
