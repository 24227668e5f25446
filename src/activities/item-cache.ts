// Export items held in the worker between the page activity that lists them and the item activities
// that export them, so item payloads never travel through workflow history. A miss (another worker, an
// evicted page, a restart) refetches the page by its cursor: Pleo has no endpoint for one export item.
import type { PleoClient, ExportItemResult } from '../pleo/client';
import type { ItemPage } from '../shared/workflow-api';

/** Pages kept per process: a window of items in flight spans one or two pages per job. */
const MAX_PAGES = 32;
/**
 * Items kept after their page was evicted, because they were not exported yet: invoice payments wait
 * for the last page of their job, long after their own page left. Without them, each such payment
 * refetched and parsed its whole page at the end of the job.
 */
const MAX_LEFT_OVER = 10_000;

export interface FetchedPage {
  items: Map<string, ExportItemResult>;
  order: ExportItemResult[];
  nextCursor?: string;
  hasNextPage: boolean;
  /** Items not exported yet (not settled through `settled`). */
  open: Set<string>;
}

export class ItemCache {
  readonly #pages = new Map<string, Promise<FetchedPage>>();
  readonly #leftOver = new Map<string, ExportItemResult>();

  /** The page at `page.cursor`, from the cache or fetched (once, however many items ask at the same time). */
  page(pleo: PleoClient, jobId: string, page: ItemPage): Promise<FetchedPage> {
    const key = pageKey(jobId, page);
    let cached = this.#pages.get(key);
    if (cached) {
      // Most recently used last, so eviction drops the page idle longest.
      this.#pages.delete(key);
      this.#pages.set(key, cached);
      return cached;
    }
    cached = pleo.listExportItemsPage(jobId, { after: page.cursor, limit: page.pageSize }).then((p) => {
      const items = new Map(p.data.flatMap((r) => (idOf(r) ? [[idOf(r) as string, r]] : [])));
      return {
        items,
        order: p.data,
        nextCursor: p.endCursor,
        hasNextPage: p.hasNextPage,
        open: new Set(items.keys()),
      };
    });
    cached.catch(() => this.#pages.delete(key));
    this.#pages.set(key, cached);
    if (this.#pages.size > MAX_PAGES) this.#evict(this.#pages.keys().next().value as string);
    return cached;
  }

  /** One item of a page: kept on its own if its page was evicted before it was exported. */
  async item(
    pleo: PleoClient,
    jobId: string,
    page: ItemPage,
    id: string,
  ): Promise<ExportItemResult | undefined> {
    const kept = this.#leftOver.get(`${pageKey(jobId, page)}#${id}`);
    if (kept) return kept;
    return (await this.page(pleo, jobId, page)).items.get(id);
  }

  /** The item is done with (exported, failed for good, or never to be exported): nothing keeps it. */
  settled(jobId: string, page: ItemPage, id: string): void {
    const key = pageKey(jobId, page);
    this.#leftOver.delete(`${key}#${id}`);
    void this.#pages
      .get(key)
      ?.then((p) => p.open.delete(id))
      .catch(() => undefined);
  }

  #evict(key: string): void {
    const evicted = this.#pages.get(key);
    this.#pages.delete(key);
    void evicted
      ?.then((p) => {
        for (const id of p.open) this.#leftOver.set(`${key}#${id}`, p.items.get(id)!);
        while (this.#leftOver.size > MAX_LEFT_OVER)
          this.#leftOver.delete(this.#leftOver.keys().next().value as string);
      })
      .catch(() => undefined);
  }
}

function pageKey(jobId: string, page: ItemPage): string {
  return `${jobId}/${page.pageSize}/${page.cursor ?? ''}`;
}

export function idOf(result: ExportItemResult): string | undefined {
  return result.ok ? result.item.accountingEntryId : result.accountingEntryId;
}
