// What the adapter needs to know about the organisation before booking: base currency, lock dates,
// accounts (bank accounts, the accounts-payable system account), tax types and tracking categories.
import type { XeroClient } from './client';

type Json = Record<string, unknown>;

export interface XeroChart {
  baseCurrency: string;
  /** Last locked day (the later of PeriodLockDate and EndOfYearLockDate). */
  lockedThrough?: string;
  accounts: Map<string, { type: string; bank: boolean; currency?: string }>;
  /** Xero's one accounts-payable account, which every bill and payment books on. */
  creditorsCode?: string;
  taxTypes: Set<string>;
  /** Category name → option name → ids. */
  tracking: Map<string, { id: string; options: Map<string, string> }>;
}

/** `/Date(ms+0000)/` or `YYYY-MM-DD…` → `YYYY-MM-DD`. */
export function xeroDay(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)/.exec(value);
  return ms ? new Date(Number(ms[1])).toISOString().slice(0, 10) : /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
}

export async function loadChart(client: XeroClient): Promise<XeroChart> {
  const [org, accounts, taxes, tracking] = await Promise.all([
    client.request<{ Organisations: Json[] }>('GET', '/Organisation'),
    client.request<{ Accounts: Json[] }>('GET', '/Accounts', { query: { where: 'Status=="ACTIVE"' } }),
    client.request<{ TaxRates: Json[] }>('GET', '/TaxRates', { query: { where: 'Status=="ACTIVE"' } }),
    client.request<{ TrackingCategories: Json[] }>('GET', '/TrackingCategories', {
      query: { where: 'Status=="ACTIVE"' },
    }),
  ]);
  const o = org.Organisations[0] ?? {};
  const locks = [xeroDay(o.PeriodLockDate), xeroDay(o.EndOfYearLockDate)].filter((d): d is string => !!d);
  return {
    baseCurrency: String(o.BaseCurrency),
    lockedThrough: locks.sort().at(-1),
    accounts: new Map(
      accounts.Accounts.map((a) => [
        String(a.Code),
        {
          type: String(a.Type),
          bank: a.Type === 'BANK',
          ...(a.Type === 'BANK' ? { currency: String(a.CurrencyCode ?? o.BaseCurrency) } : {}),
        },
      ]),
    ),
    creditorsCode: accounts.Accounts.find((a) => a.SystemAccount === 'CREDITORS')?.Code as string | undefined,
    taxTypes: new Set(taxes.TaxRates.map((t) => String(t.TaxType))),
    tracking: new Map(
      tracking.TrackingCategories.map((c) => [
        String(c.Name),
        {
          id: String(c.TrackingCategoryID),
          options: new Map(
            ((c.Options ?? []) as Json[])
              .filter((x) => x.Status === undefined || x.Status === 'ACTIVE')
              .map((x) => [String(x.Name), String(x.TrackingOptionID)]),
          ),
        },
      ]),
    ),
  };
}
