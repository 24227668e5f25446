// fast-check arbitraries for export items: `validItem` builds consistent items of every mapped type,
// sub-type and bookkeeping method (either sign, any ISO exponent, split lines, all tax types, foreign
// currencies); `anyItem` builds anything the ExportItem type allows, sense or not.
import fc from 'fast-check';
import type { ExportItem, ExportItemLine } from '@pleo-export/pleo-api/types';
import { MAPPING_CASES } from './mapping-cases';
import { negated, type ItemSpec } from './items';

type Currency = ExportItem['amount']['inWalletCurrency']['currency'];
export const WALLET_CURRENCIES = ['EUR', 'GBP', 'DKK', 'SEK', 'USD', 'JPY', 'ISK', 'KWD', 'BHD'] as const;
const SUPPLIER_CURRENCIES = [...WALLET_CURRENCIES, 'CHF', 'CLF'] as const;
const PAIRS = [...new Map(MAPPING_CASES.map((c) => [`${c.type}/${c.subType}`, c])).values()];

const money = (currency: string, value: number) => ({ currency: currency as Currency, value });
const both = (currency: string, supplierCurrency: string, value: number, supplierValue: number) => ({
  inWalletCurrency: money(currency, value),
  inSupplierCurrency: money(supplierCurrency, supplierValue),
});

const uuid = fc.uuid({ version: 4 });
const text = fc.string({ maxLength: 40 });
const code = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,9}$/);

const lineArb = (foreign: boolean) =>
  fc
    .record({
      id: uuid,
      gross: fc.integer({ min: 0, max: 5_000_000_000 }),
      supplierGross: fc.integer({ min: 1, max: 5_000_000_000 }),
      account: code,
      tax: fc.option(
        fc.record({
          type: fc.constantFrom('inclusive', 'exclusive', 'reverse'),
          share: fc.integer({ min: 0, max: 100 }),
          code: fc.option(fc.constantFrom('VAT25', 'VAT12', 'RC25', 'EXEMPT'), { nil: null }),
          ingoing: fc.option(code, { nil: undefined }),
          outgoing: code,
        }),
        { nil: null },
      ),
      tags: fc.array(fc.record({ id: uuid, code, groupCode: code }), { maxLength: 3 }),
    })
    .map((l) => ({ ...l, supplierGross: foreign ? l.supplierGross : l.gross }));

/** A consistent item: lines add up, one sign, tax within its line, every needed account present. */
export const validItem = fc
  .record({
    pair: fc.constantFrom(...PAIRS),
    method: fc.constantFrom('journal', 'none', 'accounts_payable', 'legacy'),
    id: uuid,
    currency: fc.constantFrom(...WALLET_CURRENCIES),
    supplierCurrency: fc.constantFrom(...SUPPLIER_CURRENCIES),
    foreign: fc.boolean(),
    negative: fc.boolean(),
    supplierRounding: fc.integer({ min: -2, max: 2 }),
    date: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2030-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    contra: fc.option(code, { nil: null }),
    reconciliationId: fc.stringMatching(/^[0-9A-Za-z-]{1,20}$/),
    note: fc.option(text, { nil: null }),
    user: fc.option(fc.record({ id: uuid, name: text, code: fc.option(code, { nil: null }) }), { nil: null }),
    team: fc.option(fc.record({ id: uuid, name: text, code: fc.option(code, { nil: null }) }), { nil: null }),
    attendees: fc.option(fc.array(fc.option(text, { nil: null }), { maxLength: 3 }), { nil: null }),
    files: fc.array(
      fc.record({ url: fc.webUrl(), type: fc.constantFrom('application/pdf', 'image/jpeg'), size: fc.nat() }),
      { maxLength: 2 },
    ),
  })
  .chain((base) => {
    const foreign = base.foreign && base.supplierCurrency !== base.currency;
    return fc.record({
      base: fc.constant(base),
      lines: fc.array(lineArb(foreign), { minLength: 1, maxLength: 4 }),
    });
  })
  .filter(({ lines }) => lines.some((l) => l.gross > 0))
  .map(({ base, lines }): ExportItem => {
    const foreign = base.foreign && base.supplierCurrency !== base.currency;
    const supplierCurrency = foreign ? base.supplierCurrency : base.currency;
    const itemLines: ExportItemLine[] = lines.map((l) => {
      const tax = l.tax && {
        ...l.tax,
        amount: Math.floor((l.gross * l.tax.share) / 100),
        supplierAmount: Math.floor((l.supplierGross * l.tax.share) / 100),
      };
      const inside = tax && tax.type !== 'reverse';
      return {
        accountingEntryLineId: l.id,
        lineAmount: both(base.currency, supplierCurrency, l.gross, l.supplierGross),
        netAmount: both(
          base.currency,
          supplierCurrency,
          inside ? l.gross - tax.amount : l.gross,
          inside ? l.supplierGross - tax.supplierAmount : l.supplierGross,
        ),
        account: { id: l.id, name: `Category ${l.account}`, code: l.account, identifier: null },
        tax: tax
          ? {
              id: l.id,
              code: tax.code,
              rate: tax.share / 100,
              type: tax.type,
              amount: both(base.currency, supplierCurrency, tax.amount, tax.supplierAmount),
              ...(tax.ingoing ? { ingoingTaxAccount: tax.ingoing } : {}),
              outgoingTaxAccount: tax.outgoing,
            }
          : null,
        tags: l.tags,
      };
    });
    const total = lines.reduce((s, l) => s + l.gross, 0);
    const supplierTotal =
      lines.reduce((s, l) => s + l.supplierGross, 0) + (foreign ? base.supplierRounding : 0);
    const spec: ItemSpec = { type: base.pair.type, subType: base.pair.subType, method: base.method };
    const item: ExportItem = {
      _links: { web: { exportItem: `https://app.pleo.io/export/${base.id}` } },
      accountingEntryId: base.id,
      companyId: 'company-1',
      type: spec.type,
      subType: spec.subType ?? undefined,
      date: base.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      amount: both(base.currency, supplierCurrency, total, Math.max(1, supplierTotal)),
      accountingEntryLines: itemLines,
      additionalInformation: {
        reconciliationId: base.reconciliationId,
        attendees: base.attendees,
        reconciledEntries: null,
        invoiceInformation: null,
      },
      bookkeeping: base.method === 'legacy' ? null : { method: base.method },
      contraAccount: base.contra ? { id: base.id, name: 'Pleo wallet', code: base.contra } : null,
      files: base.files,
      note: base.note,
      servicePeriod: null,
      supplier: { name: 'Supplier', code: 'S-1' },
      vendor:
        base.method === 'accounts_payable'
          ? { id: base.id, name: 'Vendor', defaultCurrency: supplierCurrency, code: 'V-1' }
          : null,
      team: base.team,
      user: base.user,
    };
    return base.negative ? negated(item) : item;
  });

const anyNumber = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE),
);
const anyCurrency = fc.oneof(
  fc.constantFrom('EUR', 'JPY', 'KWD', 'UNDEFINED', 'XAU', 'BYR'),
  fc.string({ maxLength: 4 }),
) as fc.Arbitrary<Currency>;
const anyMoney = fc.record({ currency: anyCurrency, value: anyNumber });
const anyAmounts = fc.record({ inWalletCurrency: anyMoney, inSupplierCurrency: anyMoney });
const anyName = fc.oneof(fc.string(), fc.constantFrom('constructor', '__proto__', 'toString', ''));

/** Anything the ExportItem type allows: unknown types and methods, floats, NaN, mixed currencies and signs, nulls. */
export const anyItem: fc.Arbitrary<ExportItem> = fc.record({
  _links: fc.record({ web: fc.option(fc.dictionary(fc.string(), fc.string()), { nil: undefined }) }),
  accountingEntryId: fc.string(),
  companyId: fc.string(),
  type: fc.oneof(fc.constantFrom(...PAIRS.map((p) => p.type)), fc.string()),
  subType: fc.option(
    fc.oneof(
      fc.constantFrom('interest', 'reimbursement_to_company', 'invoice_payment_returned'),
      fc.string(),
    ),
    { nil: undefined },
  ),
  date: fc.oneof(fc.constantFrom('2026-04-15T13:22:10Z', '2026-02-30T00:00:00Z', ''), fc.string()),
  amount: anyAmounts,
  accountingEntryLines: fc.array(
    fc.record({
      accountingEntryLineId: fc.string(),
      lineAmount: anyAmounts,
      netAmount: anyAmounts,
      account: fc.option(
        fc.record({ id: fc.string(), name: fc.string(), code: fc.option(anyName, { nil: null }) }),
        { nil: null },
      ),
      tax: fc.option(
        fc.record({
          id: fc.string(),
          rate: anyNumber,
          type: fc.oneof(fc.constantFrom('inclusive', 'exclusive', 'reverse'), fc.string()),
          amount: anyAmounts,
          code: fc.option(anyName, { nil: null }),
        }),
        { nil: null },
      ),
      tags: fc.option(
        fc.array(
          fc.option(fc.record({ id: fc.string(), code: fc.string(), groupCode: fc.string() }), { nil: null }),
        ),
        { nil: null },
      ),
    }),
    { maxLength: 3 },
  ),
  additionalInformation: fc.record({
    reconciliationId: fc.string({ maxLength: 300 }),
    attendees: fc.option(fc.array(fc.option(fc.string(), { nil: null })), { nil: null }),
    reconciledEntries: fc.option(fc.array(fc.option(fc.string(), { nil: null })), { nil: null }),
    invoiceInformation: fc.option(
      fc.record({
        invoiceNumber: fc.string(),
        invoiceDate: fc.string(),
        status: fc.string(),
        dueDate: fc.option(fc.string(), { nil: null }),
      }),
      { nil: null },
    ),
  }),
  servicePeriod: fc.option(fc.record({ from: fc.string(), to: fc.string() }), { nil: null }),
  bookkeeping: fc.option(
    fc.record({ method: fc.oneof(fc.constantFrom('journal', 'none', 'accounts_payable'), fc.string()) }),
    { nil: null },
  ),
  contraAccount: fc.option(
    fc.record({ id: fc.string(), name: fc.string(), code: fc.option(anyName, { nil: null }) }),
    { nil: null },
  ),
  files: fc.option(
    fc.array(fc.option(fc.record({ url: fc.string(), type: fc.string(), size: anyNumber }), { nil: null })),
    { nil: null },
  ),
  note: fc.option(fc.string(), { nil: null }),
  supplier: fc.option(
    fc.record({ name: fc.option(fc.string(), { nil: null }), code: fc.option(anyName, { nil: null }) }),
    { nil: null },
  ),
  vendor: fc.option(
    fc.record({
      id: fc.string(),
      name: fc.string(),
      defaultCurrency: fc.string(),
      code: fc.option(anyName, { nil: undefined }),
    }),
    { nil: null },
  ),
  team: fc.option(
    fc.record({ id: fc.string(), name: fc.string(), code: fc.option(fc.string(), { nil: null }) }),
    { nil: null },
  ),
  user: fc.option(fc.record({ id: fc.string(), name: fc.string() }), { nil: null }),
});
