// The worker's cache of export items: pages are refetched from Pleo by cursor on a miss, except items
// not exported yet when their page was evicted (invoice payments waiting for the job's last page),
// which stay on their own.
import { ItemCache } from '../../src/activities/item-cache';
import type { PleoClient, ExportItemResult } from '../../src/pleo/client';
import type { ItemPage } from '../../src/shared/workflow-api';

const PAGES = 40;
const PAGE_SIZE = 3;

/** Pleo's export item listing: `PAGES` pages of `PAGE_SIZE` items, counting the pages it serves. */
function fakePleo() {
  const served: string[] = [];
  const pleo = {
    async listExportItemsPage(_jobId: string, q: { after?: string; limit?: number }) {
      const n = q.after === undefined ? 0 : Number(q.after);
      served.push(String(n));
      const data = Array.from(
        { length: q.limit! },
        (_, i) =>
          ({ ok: true, item: { accountingEntryId: `item-${n}-${i}` } }) as unknown as ExportItemResult,
      );
      return { data, endCursor: String(n + 1), hasNextPage: n + 1 < PAGES };
    },
  } as unknown as PleoClient;
  return { pleo, served };
}

const pageAt = (n: number): ItemPage => ({ cursor: n === 0 ? undefined : String(n), pageSize: PAGE_SIZE });

async function listEveryPage(
  cache: ItemCache,
  pleo: PleoClient,
  settle: (page: number, i: number) => boolean,
) {
  for (let n = 0; n < PAGES; n++) {
    await cache.page(pleo, 'job', pageAt(n));
    for (let i = 0; i < PAGE_SIZE; i++) if (settle(n, i)) cache.settled('job', pageAt(n), `item-${n}-${i}`);
  }
  await new Promise((resolve) => setImmediate(resolve)); // evictions settle
}

test('an item not exported yet when its page is evicted is served without refetching the page', async () => {
  const { pleo, served } = fakePleo();
  const cache = new ItemCache();
  // Every item exported as listed, except the first of page 0 (a payment waiting for its invoice).
  await listEveryPage(cache, pleo, (n, i) => n > 0 || i > 0);
  expect(served).toHaveLength(PAGES);
  const waiting = await cache.item(pleo, 'job', pageAt(0), 'item-0-0');
  expect(waiting).toMatchObject({ ok: true, item: { accountingEntryId: 'item-0-0' } });
  expect(served).toHaveLength(PAGES);
});

test('an item already settled is not kept: asking again refetches its page from Pleo', async () => {
  const { pleo, served } = fakePleo();
  const cache = new ItemCache();
  await listEveryPage(cache, pleo, () => true);
  const again = await cache.item(pleo, 'job', pageAt(0), 'item-0-1');
  expect(again).toMatchObject({ ok: true, item: { accountingEntryId: 'item-0-1' } });
  expect(served).toEqual([...Array.from({ length: PAGES }, (_, n) => String(n)), '0']);
});

test('a kept item, once settled, is let go', async () => {
  const { pleo, served } = fakePleo();
  const cache = new ItemCache();
  await listEveryPage(cache, pleo, (n, i) => n > 0 || i > 0);
  cache.settled('job', pageAt(0), 'item-0-0');
  await cache.item(pleo, 'job', pageAt(0), 'item-0-0');
  expect(served).toHaveLength(PAGES + 1);
});
