// Export items held in the worker between the page activity that lists them and the item activities
// that export them, so item payloads never travel through workflow history. A miss (another worker, an
// evicted page, a restart) refetches the page by its cursor: Pleo has no endpoint for one export item.
import type { PleoClient, ExportItemResult } from '../pleo/client';
import type { ItemPage } from '../shared/workflow-api';

/** Pages kept per process: a window of items in flight spans one or two pages per job. */
const MAX_PAGES = 32;

export interface FetchedPage {
  items: Map<string, ExportItemResult>;
  order: ExportItemResult[];
  nextCursor?: string;
  hasNextPage: boolean;
}

export class ItemCache {
  readonly #pages = new Map<string, Promise<FetchedPage>>();

  /** The page at `page.cursor`, from the cache or fetched (once, however many items ask at the same time). */
  page(pleo: PleoClient, jobId: string, page: ItemPage): Promise<FetchedPage> {
    const key = `${jobId}/${page.pageSize}/${page.cursor ?? ''}`;
    let cached = this.#pages.get(key);
    if (cached) {
      // Most recently used last, so eviction drops the page idle longest.
      this.#pages.delete(key);
      this.#pages.set(key, cached);
      return cached;
    }
    cached = pleo.listExportItemsPage(jobId, { after: page.cursor, limit: page.pageSize }).then((p) => ({
      items: new Map(p.data.flatMap((r) => (idOf(r) ? [[idOf(r) as string, r]] : []))),
      order: p.data,
      nextCursor: p.endCursor,
      hasNextPage: p.hasNextPage,
    }));
    cached.catch(() => this.#pages.delete(key));
    this.#pages.set(key, cached);
    if (this.#pages.size > MAX_PAGES) this.#pages.delete(this.#pages.keys().next().value as string);
    return cached;
  }
}

export function idOf(result: ExportItemResult): string | undefined {
  return result.ok ? result.item.accountingEntryId : result.accountingEntryId;
}
