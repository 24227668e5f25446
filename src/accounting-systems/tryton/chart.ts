// What the Tryton company holds that documents refer to by code: accounts, taxes, analytic accounts
// (one root per dimension group), journals and the company. Read once and refreshed on a miss, so an
// account added in Tryton is found without a restart while known codes cost no round trip.
import type { TrytonRpc } from './json-rpc';

export interface TrytonAccount {
  id: number;
  code: string;
  partyRequired: boolean;
  /** Of a payable account type: its party is a supplier (else, on a party account, an employee). */
  payable: boolean;
}

export interface TrytonTax {
  id: number;
  name: string;
  /** Children of a reverse-charge tax (`type: none` parent): the ingoing and the outgoing VAT. */
  childs: number[];
  accountId?: number;
  rate?: string;
}

export interface TrytonChart {
  companyId: number;
  currencyId: number;
  currencyCode: string;
  /** Currency code → id, for second-currency amounts on move lines. */
  currencies: Map<string, number>;
  accounts: Map<string, TrytonAccount>;
  accountsById: Map<number, TrytonAccount>;
  taxes: Map<string, TrytonTax>;
  taxesById: Map<number, TrytonTax>;
  /** group → { rootId, values: code → analytic account id } */
  analytic: Map<string, { rootId: number; values: Map<string, number> }>;
  journals: Map<string, number>;
}

export class CompanyNotFoundError extends Error {}

export async function loadChart(rpc: TrytonRpc, companyName: string): Promise<TrytonChart> {
  const companies = await rpc.call<{ id: number; currency: number; 'party.name'?: string }[]>(
    'model.company.company.search_read',
    [[['party.name', '=', companyName]], 0, null, null, ['id', 'currency']],
  );
  const company = companies[0];
  if (!company)
    throw new CompanyNotFoundError(
      `Company "${companyName}" does not exist in the Tryton database (or the user cannot see it)`,
    );
  const context = { company: company.id };
  const [currencies, accounts, taxes, analytic, journals, payableTypes] = await Promise.all([
    rpc.call<{ id: number; code: string }[]>(
      'model.currency.currency.search_read',
      [[], 0, null, null, ['id', 'code']],
      context,
    ),
    rpc.call<{ id: number; code: string | null; party_required: boolean; type: number | null }[]>(
      'model.account.account.search_read',
      [
        [
          ['company', '=', company.id],
          ['code', '!=', null],
        ],
        0,
        null,
        null,
        ['id', 'code', 'party_required', 'type'],
      ],
      context,
    ),
    rpc.call<
      { id: number; name: string; childs: number[]; invoice_account: number | null; rate: string | null }[]
    >(
      'model.account.tax.search_read',
      [[['company', '=', company.id]], 0, null, null, ['id', 'name', 'childs', 'invoice_account', 'rate']],
      context,
    ),
    rpc.call<{ id: number; code: string | null; type: string; root: number | null }[]>(
      'model.analytic_account.account.search_read',
      [[['company', '=', company.id]], 0, null, null, ['id', 'code', 'type', 'root']],
      context,
    ),
    rpc.call<{ id: number; code: string | null }[]>(
      'model.account.journal.search_read',
      [[], 0, null, null, ['id', 'code']],
      context,
    ),
    rpc.call<{ id: number }[]>(
      'model.account.account.type.search_read',
      [[['payable', '=', true]], 0, null, null, ['id']],
      context,
    ),
  ]);
  const payable = new Set(payableTypes.map((t) => t.id));
  const accountList = accounts.map((a) => ({
    id: a.id,
    code: a.code ?? '',
    partyRequired: a.party_required,
    payable: a.type !== null && payable.has(a.type),
  }));
  const taxList = taxes.map((t) => ({
    id: t.id,
    name: t.name,
    childs: t.childs,
    accountId: t.invoice_account ?? undefined,
    rate: t.rate ?? undefined,
  }));
  const roots = new Map(
    analytic
      .filter((a) => a.type === 'root' && a.code)
      .map((a) => [a.id, { code: a.code!, values: new Map<string, number>() }]),
  );
  for (const a of analytic)
    if (a.type === 'normal' && a.code && a.root !== null) roots.get(a.root)?.values.set(a.code, a.id);
  return {
    companyId: company.id,
    currencyId: company.currency,
    currencyCode: currencies.find((c) => c.id === company.currency)?.code ?? '',
    currencies: new Map(currencies.map((c) => [c.code, c.id])),
    accounts: new Map(accountList.map((a) => [a.code, a])),
    accountsById: new Map(accountList.map((a) => [a.id, a])),
    taxes: new Map(taxList.map((t) => [t.name, t])),
    taxesById: new Map(taxList.map((t) => [t.id, t])),
    analytic: new Map([...roots].map(([rootId, r]) => [r.code, { rootId, values: r.values }])),
    journals: new Map(journals.filter((j) => j.code).map((j) => [j.code!, j.id])),
  };
}
