// A real Tryton server for tests: the golden demo database (built once, ~10–25 s) copied per caller and
// served by `trytond` on a free loopback port. Call stop() in afterAll.
// `trytonReports` reads the books as a bookkeeper does, from Tryton's own computed report fields
// (account balances, tax codes, aged balance, invoice amounts to pay, analytic balances), never from
// what the adapter answered.
import { startTrytonServer, type TrytonServer } from '../../scripts/tryton/demo-server';
import { TrytonRpc } from '../../src/accounting-systems/tryton/json-rpc';
import type { TrytonConfig } from '../../src/accounting-systems/config';

export type { TrytonServer };

export function startTryton(options: { timeoutMs?: number } = {}): Promise<TrytonServer> {
  return startTrytonServer(options);
}

/** Decimal text → minor units (any exponent up to 3). */
const minor = (text: string | null, exponent = 2): number => {
  if (!text) return 0;
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value =
    Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0').slice(0, exponent) || '0');
  return negative ? -value : value;
};

export interface TrytonReports {
  /** Account code → balance (debit − credit) in company minor units, posted moves. */
  trialBalance: Record<string, number>;
  /** Tax code → amount (company minor units) as Tryton's tax report shows it. */
  taxCodes: Record<string, number>;
  /** Party code → balance per party account (debit − credit), from the posted lines. */
  partyBalances: Record<string, Record<string, number>>;
  /** Aged payables: party name → balance Tryton's aged balance shows (company currency, positive = owed). */
  agedPayables: Record<string, number>;
  /** Analytic axis (root code) → value code → balance (debit − credit). */
  analytic: Record<string, Record<string, number>>;
  invoices: {
    reference: string;
    number: string | null;
    state: string;
    currency: string;
    total: string;
    toPay: string;
  }[];
  /** Lines with a second currency: account code → currency → Σ amount (decimal text summed in minor units of 3 decimals). */
  secondCurrency: Record<string, Record<string, number>>;
  text: string;
}

export async function trytonReports(config: TrytonConfig): Promise<TrytonReports> {
  const rpc = new TrytonRpc(config);
  const [company] = await rpc.call<{ id: number; currency: number }[]>('model.company.company.search_read', [
    [['party.name', '=', config.company]],
    0,
    1,
    null,
    ['id', 'currency'],
  ]);
  const context = { company: company!.id, posted: true };
  const currencies = new Map(
    (
      await rpc.call<{ id: number; code: string; digits: number }[]>('model.currency.currency.search_read', [
        [],
        0,
        null,
        null,
        ['id', 'code', 'digits'],
      ])
    ).map((c) => [c.id, c]),
  );
  const accounts = await rpc.call<{ id: number; code: string | null; name: string; balance: string }[]>(
    'model.account.account.search_read',
    [[['code', '!=', null]], 0, null, [['code', 'ASC']], ['id', 'code', 'name', 'balance']],
    context,
  );
  const codeOf = new Map(accounts.map((a) => [a.id, a.code!]));
  const trialBalance: Record<string, number> = {};
  for (const a of accounts) if (minor(a.balance)) trialBalance[a.code!] = minor(a.balance);

  // Tryton's tax report covers the periods asked for: here all of them.
  const periods = await rpc.call<{ id: number }[]>(
    'model.account.period.search_read',
    [[['company', '=', company!.id]], 0, null, null, ['id']],
    context,
  );
  const codes = await rpc.call<{ code: string; amount: string }[]>(
    'model.account.tax.code.search_read',
    [[], 0, null, [['code', 'ASC']], ['code', 'amount']],
    { ...context, periods: periods.map((p) => p.id) },
  );
  const taxCodes: Record<string, number> = {};
  for (const c of codes) if (minor(c.amount)) taxCodes[c.code] = minor(c.amount);

  const parties = new Map(
    (
      await rpc.call<{ id: number; code: string | null; name: string }[]>('model.party.party.search_read', [
        [],
        0,
        null,
        null,
        ['id', 'code', 'name'],
      ])
    ).map((p) => [p.id, p]),
  );
  const lines = await rpc.call<
    {
      account: number;
      party: number | null;
      debit: string;
      credit: string;
      second_currency: number | null;
      amount_second_currency: string | null;
      'move.state'?: string;
    }[]
  >(
    'model.account.move.line.search_read',
    [
      [['move.state', '=', 'posted']],
      0,
      null,
      null,
      ['account', 'party', 'debit', 'credit', 'second_currency', 'amount_second_currency'],
    ],
    context,
  );
  const partyBalances: Record<string, Record<string, number>> = {};
  const secondCurrency: Record<string, Record<string, number>> = {};
  for (const l of lines) {
    const code = codeOf.get(l.account)!;
    if (l.party !== null) {
      const party = parties.get(l.party)!;
      const key = party.code ?? party.name;
      partyBalances[key] ??= {};
      partyBalances[key][code] = (partyBalances[key][code] ?? 0) + minor(l.debit) - minor(l.credit);
    }
    if (l.second_currency !== null) {
      const currency = currencies.get(l.second_currency)!;
      secondCurrency[code] ??= {};
      secondCurrency[code][currency.code] =
        (secondCurrency[code][currency.code] ?? 0) + minor(l.amount_second_currency, currency.digits);
    }
  }
  for (const balances of Object.values(partyBalances))
    for (const [code, value] of Object.entries(balances)) if (value === 0) delete balances[code];

  const aged = await rpc.call<{ party: number; balance: string }[]>(
    'model.account.aged_balance.search_read',
    [[], 0, null, null, ['party', 'balance']],
    {
      ...context,
      type: 'supplier',
      date: { __class__: 'date', year: 2030, month: 1, day: 1 },
      unit: 'day',
      term0: 30,
      term1: 60,
      term2: 90,
    },
  );
  const agedPayables: Record<string, number> = {};
  for (const a of aged) if (minor(a.balance)) agedPayables[parties.get(a.party)!.name] = -minor(a.balance);

  const analyticAccounts = await rpc.call<
    { id: number; code: string | null; type: string; root: number | null; balance: string }[]
  >(
    'model.analytic_account.account.search_read',
    [[], 0, null, null, ['id', 'code', 'type', 'root', 'balance']],
    context,
  );
  const rootCode = new Map(
    analyticAccounts.filter((a) => a.type === 'root').map((a) => [a.id, a.code ?? '']),
  );
  const analytic: Record<string, Record<string, number>> = {};
  for (const a of analyticAccounts) {
    if (a.type !== 'normal' || !minor(a.balance)) continue;
    const root = rootCode.get(a.root!) ?? '?';
    analytic[root] ??= {};
    // Tryton's analytic balance is credit − debit; turned to debit positive like the trial balance.
    analytic[root][a.code ?? String(a.id)] = -minor(a.balance);
  }

  const invoiceRows = await rpc.call<
    {
      number: string | null;
      reference: string | null;
      state: string;
      currency: number;
      total_amount: string;
      amount_to_pay: string;
      comment: string | null;
    }[]
  >(
    'model.account.invoice.search_read',
    [
      [],
      0,
      null,
      [['id', 'ASC']],
      ['number', 'reference', 'state', 'currency', 'total_amount', 'amount_to_pay', 'comment'],
    ],
    { company: company!.id },
  );
  const invoices = invoiceRows.map((i) => ({
    reference: (i.comment ?? '').split('\n')[0]!.replace('pleo-ref: ', ''),
    number: i.number,
    state: i.state,
    currency: currencies.get(i.currency)!.code,
    total: i.total_amount,
    toPay: i.amount_to_pay,
  }));

  const companyCurrency = currencies.get(company!.currency)!;
  const money = (value: number) => {
    const digits = companyCurrency.digits;
    const sign = value < 0 ? '-' : '';
    const text = String(Math.abs(value)).padStart(digits + 1, '0');
    return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`.padStart(14);
  };
  const names = new Map(accounts.map((a) => [a.code!, a.name]));
  const text = [
    `Trial balance (${companyCurrency.code}, posted, debit positive)`,
    ...Object.entries(trialBalance).map(
      ([code, v]) => `  ${code.padEnd(6)} ${(names.get(code) ?? '').padEnd(44)} ${money(v)}`,
    ),
    `  ${'Total'.padEnd(51)} ${money(Object.values(trialBalance).reduce((s, v) => s + v, 0))}`,
    '',
    `Tax report (tax codes, ${companyCurrency.code})`,
    ...Object.entries(taxCodes).map(([code, v]) => `  ${code.padEnd(20)} ${money(v)}`),
    '',
    `Aged payables (${companyCurrency.code}, owed to the party)`,
    ...(Object.keys(agedPayables).length
      ? Object.entries(agedPayables).map(([party, v]) => `  ${party.padEnd(40)} ${money(v)}`)
      : ['  (none open)']),
    '',
    'Supplier invoices',
    ...invoices.map(
      (i) =>
        `  ${(i.number ?? '-').padEnd(14)} ${i.state.padEnd(8)} ${i.currency} total ${i.total} to pay ${i.toPay}`,
    ),
  ].join('\n');
  return { trialBalance, taxCodes, partyBalances, agedPayables, analytic, invoices, secondCurrency, text };
}
