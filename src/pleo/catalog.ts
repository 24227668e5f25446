// The company's reference data in Pleo, read for pre-export and configuration checks: vendors, tax codes,
// tag groups and tags, chart of accounts. Searches are cursor-paginated (async iterators over all pages).
import type { z } from 'zod';
import {
  bookkeepingAccountSchema,
  tagGroupSchema,
  tagSchema,
  taxCodeSchema,
  vendorSchema,
} from './catalog-schemas';
import { listSchema, pageSchema } from '@pleo-export/pleo-api/schemas';
import { paginate, toPage, type Page, type PleoTransport } from './transport';
import type {
  BookkeepingAccount,
  BookkeepingAccountSearch,
  Tag,
  TagGroup,
  TaxCode,
  TaxCodeSearch,
  Vendor,
  VendorSearch,
} from '@pleo-export/pleo-api/types';

export interface PageQuery {
  after?: string;
  limit?: number;
}

export type AccountSearch = Omit<
  BookkeepingAccountSearch,
  'companyId' | 'excludeIfAssignedToCategory' | 'excludeIfAssignedToContraAccount'
> &
  Partial<Pick<BookkeepingAccountSearch, 'excludeIfAssignedToCategory' | 'excludeIfAssignedToContraAccount'>>;

export class PleoCatalog {
  constructor(private readonly transport: PleoTransport) {}

  // ---- vendors (POST /v1/vendors:search) --------------------------------------------------------

  searchVendorsPage(
    companyId: string,
    filter: VendorSearch = {},
    page: PageQuery = {},
  ): Promise<Page<Vendor>> {
    return this.#searchPage(
      '/v1/vendors:search',
      vendorSchema,
      { company_id: companyId, ...page },
      filter,
    ) as Promise<Page<Vendor>>;
  }

  searchVendors(companyId: string, filter: VendorSearch = {}, pageSize?: number): AsyncIterable<Vendor> {
    return paginate((after) => this.searchVendorsPage(companyId, filter, { after, limit: pageSize }));
  }

  // ---- tax codes (POST /v0/tax-codes:search) ----------------------------------------------------

  searchTaxCodesPage(
    companyId: string,
    filter: TaxCodeSearch = {},
    page: PageQuery = {},
  ): Promise<Page<TaxCode>> {
    return this.#searchPage(
      '/v0/tax-codes:search',
      taxCodeSchema,
      { company_id: companyId, ...page },
      filter,
    ) as Promise<Page<TaxCode>>;
  }

  searchTaxCodes(companyId: string, filter: TaxCodeSearch = {}, pageSize?: number): AsyncIterable<TaxCode> {
    return paginate((after) => this.searchTaxCodesPage(companyId, filter, { after, limit: pageSize }));
  }

  // ---- tag groups and tags (GET /v0/tag-groups, GET /v0/tag-groups/{groupId}/tags) ---------------

  /** All tag groups (dimensions) of the company; Pleo returns them whole, without pagination. */
  async listTagGroups(companyId: string): Promise<TagGroup[]> {
    const body = await this.transport.request('GET', '/v0/tag-groups', listSchema(tagGroupSchema), {
      params: { company_id: companyId },
    });
    return body.data;
  }

  async listTagsPage(groupId: string, q: PageQuery & { includeArchived?: boolean } = {}): Promise<Page<Tag>> {
    const body = await this.transport.request(
      'GET',
      `/v0/tag-groups/${encodeURIComponent(groupId)}/tags`,
      pageSchema(tagSchema),
      {
        params: { after: q.after, limit: q.limit, include_archived: q.includeArchived },
      },
    );
    return toPage(body.data as Tag[], body.pagination);
  }

  listTags(groupId: string, q: { includeArchived?: boolean; pageSize?: number } = {}): AsyncIterable<Tag> {
    return paginate((after) =>
      this.listTagsPage(groupId, { after, limit: q.pageSize, includeArchived: q.includeArchived }),
    );
  }

  // ---- chart of accounts (POST /v1/chart-of-accounts:search) ------------------------------------

  searchAccountsPage(
    companyId: string,
    filter: AccountSearch = {},
    page: PageQuery = {},
  ): Promise<Page<BookkeepingAccount>> {
    const body: BookkeepingAccountSearch = {
      excludeIfAssignedToCategory: false,
      excludeIfAssignedToContraAccount: false,
      ...filter,
      companyId,
    };
    return this.#searchPage(
      '/v1/chart-of-accounts:search',
      bookkeepingAccountSchema,
      { ...page },
      body,
    ) as Promise<Page<BookkeepingAccount>>;
  }

  searchAccounts(
    companyId: string,
    filter: AccountSearch = {},
    pageSize?: number,
  ): AsyncIterable<BookkeepingAccount> {
    return paginate((after) => this.searchAccountsPage(companyId, filter, { after, limit: pageSize }));
  }

  async #searchPage<T extends z.ZodTypeAny>(
    path: string,
    item: T,
    params: Record<string, unknown>,
    body: object,
  ): Promise<Page<z.infer<T>>> {
    const result = await this.transport.request('POST', path, pageSchema(item), { params, data: body });
    return toPage(result.data, result.pagination);
  }
}
