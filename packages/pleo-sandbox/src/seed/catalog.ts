// The demo company as Pleo knows it: categories mapped to the demo chart, tax codes, tags, teams,
// people, merchants and vendors. Objects here are shared by every generated item (never mutated), so
// 100,000 items do not carry 100,000 copies of the same account or tag.
import type { ExportItem, ExportItemLine, TaxV3, VendorV3 } from '@pleo-export/pleo-api/types';
import {
  DEMO_ACCOUNTS,
  DEMO_TAG_GROUPS,
  DEMO_TAX_CODES,
  DEMO_TEAMS,
  DEMO_UNKNOWN,
  DEMO_VENDORS,
  type DemoAccountKey,
} from '@pleo-export/demo-company/chart';
import { Random } from './random';

const ids = new Random('pleo-sandbox-catalog');

export type AccountV3 = NonNullable<ExportItemLine['account']>;
export type TagV3 = NonNullable<NonNullable<ExportItemLine['tags']>[number]>;
export type Team = NonNullable<ExportItem['team']>;
export type User = NonNullable<ExportItem['user']>;
export type Supplier = NonNullable<ExportItem['supplier']>;
export type ContraAccount = NonNullable<ExportItem['contraAccount']>;
export type Vendor = NonNullable<VendorV3>;
type Country = NonNullable<Supplier['country']>;

function account(key: DemoAccountKey, identifier: string | null = null): AccountV3 {
  const a = DEMO_ACCOUNTS[key];
  return { id: ids.uuid(), name: a.name, code: a.code, identifier };
}

/** Pleo categories (line accounts), keyed by what they are for. */
export const CATEGORIES = {
  travel: account('travel', 'acc-6000'),
  meals: account('meals'),
  software: account('software', 'acc-6200'),
  office: account('office'),
  marketing: account('marketing'),
  mileage: account('mileage'),
  perDiem: account('perDiem'),
  fees: account('fees'),
  interest: account('interest'),
  cash: account('cash'),
  personalSpend: account('personalSpend'),
  cashback: account('cashback'),
} satisfies Record<string, AccountV3>;

export const SPEND_CATEGORIES = [
  CATEGORIES.travel,
  CATEGORIES.meals,
  CATEGORIES.software,
  CATEGORIES.office,
  CATEGORIES.marketing,
];

/** A category whose code the accounting system does not know (account_unknown). */
export const UNKNOWN_CATEGORY: AccountV3 = {
  id: ids.uuid(),
  name: 'Old category (deleted in the books)',
  code: DEMO_UNKNOWN.account,
  identifier: null,
};

/** Pleo's contra account per wallet currency, as mapped in Pleo's accounting settings. */
export const CONTRA_ACCOUNTS: Record<string, ContraAccount> = {
  EUR: { id: ids.uuid(), name: 'Pleo EUR Account', code: DEMO_ACCOUNTS.walletEur.code, identifier: null },
  GBP: { id: ids.uuid(), name: 'Pleo GBP Account', code: DEMO_ACCOUNTS.walletGbp.code, identifier: null },
};

export interface TaxCode {
  id: string;
  code: string;
  /** Whole percent, for integer tax arithmetic; `rate` is Pleo's decimal. */
  percent: number;
  rate: number;
  type: 'inclusive' | 'exclusive' | 'reverse';
  accounts: Pick<NonNullable<TaxV3>, 'ingoingTaxAccount' | 'outgoingTaxAccount'>;
}

function taxCode(code: keyof typeof DEMO_TAX_CODES | typeof DEMO_UNKNOWN.taxCode): TaxCode {
  const known = (DEMO_TAX_CODES as Record<string, (typeof DEMO_TAX_CODES)[keyof typeof DEMO_TAX_CODES]>)[
    code
  ];
  const rate = known ? Number(known.rate) : 0.25;
  const accounts =
    known && 'ingoingTaxAccount' in known
      ? { ingoingTaxAccount: known.ingoingTaxAccount, outgoingTaxAccount: known.outgoingTaxAccount }
      : {};
  return {
    id: ids.uuid(),
    code,
    percent: Math.round(rate * 100),
    rate,
    type: known?.type ?? 'inclusive',
    accounts,
  };
}

export const TAX_CODES = {
  VAT25: taxCode('VAT25'),
  VAT12: taxCode('VAT12'),
  VAT6: taxCode('VAT6'),
  RC25: taxCode('RC25'),
};
export const UNKNOWN_TAX_CODE = taxCode(DEMO_UNKNOWN.taxCode);

export const TAGS: Record<string, TagV3[]> = Object.fromEntries(
  Object.entries(DEMO_TAG_GROUPS).map(([groupCode, codes]) => [
    groupCode,
    codes.map((code) => ({ id: ids.uuid(), code, groupCode })),
  ]),
);
export const UNKNOWN_TAG: TagV3 = {
  id: ids.uuid(),
  code: DEMO_UNKNOWN.tagCode,
  groupCode: Object.keys(DEMO_TAG_GROUPS)[0]!,
};

const TEAM_NAMES: Record<(typeof DEMO_TEAMS)[number], string> = {
  'T-OPS': 'Operations',
  'T-GTM': 'Go-to-market',
};
export const TEAMS: Team[] = [
  ...DEMO_TEAMS.map((code) => ({ id: ids.uuid(), name: TEAM_NAMES[code], code })),
  // A team not mapped to the books: no dimension, not an error.
  { id: ids.uuid(), name: 'Kreativ & Design', code: null },
];

export const USERS: User[] = [
  ['Søren Kjærgaard', 'E001'],
  ['Zoë Ångström', 'E002'],
  ['José Núñez', 'E003'],
  ['Þóra Jónsdóttir', 'E004'],
  ['山田 太郎', 'E005'],
  ['Łukasz Wróbel', null],
  ['Amélie Dubois-Lefèvre', 'E007'],
  ['Ana Bookkeeper', null],
].map(([name, code]) => ({ id: ids.uuid(), name: name as string, code }));

export const ATTENDEES = [
  'Ingrid Bergström',
  'François Müller',
  'Dr. Ödön Kovács',
  'Siobhán O’Brien',
  'Chloé Martin',
  'Kenji Satō',
];

export const NOTES = [
  'Kundemiddag på Nørrebro med to kunder',
  'Déjeuner client à Montréal – café & croissants',
  'Geschäftsessen in München (Kundentermin)',
  '東京出張の交通費',
  'Ferð til Reykjavíkur – leigubíll',
  'Team offsite ☕ + snacks',
  'Licence renewal, "Pro" plan (annual)',
  'Zug Zürich → Genève, 2. Klasse',
  'Материалы для офиса',
  'Parking at Kastrup; receipt is blurry',
];

export interface Merchant {
  name: string;
  categoryCode: string;
  country: Country;
  category: AccountV3;
  currency: string;
}

const merchant = ([name, categoryCode, country, category, currency]: [
  string,
  string,
  Country,
  AccountV3,
  string,
]): Merchant => ({
  name,
  categoryCode,
  country,
  category,
  currency,
});
export const MERCHANTS: Merchant[] = (
  [
    ['GOOGLE*ADS8693645259', '7311', 'IE', CATEGORIES.marketing, 'EUR'],
    ['SAS Scandinavian Airlines', '3007', 'DK', CATEGORIES.travel, 'DKK'],
    ['Café Ærø', '5812', 'DK', CATEGORIES.meals, 'DKK'],
    ['Restaurant Hafen', '5812', 'DE', CATEGORIES.meals, 'EUR'],
    ['Uber *Trip', '4121', 'NL', CATEGORIES.travel, 'EUR'],
    ['Amazon Web Services', '5734', 'US', CATEGORIES.software, 'USD'],
    ['Atlassian', '5734', 'AU', CATEGORIES.software, 'USD'],
    ['Staples', '5943', 'GB', CATEGORIES.office, 'GBP'],
    ['Tokyo Metro', '4111', 'JP', CATEGORIES.travel, 'JPY'],
    ['Sushi Zanmai 築地', '5812', 'JP', CATEGORIES.meals, 'JPY'],
    ['Icelandair', '3099', 'IS', CATEGORIES.travel, 'ISK'],
    ['Bónus Reykjavík', '5411', 'IS', CATEGORIES.meals, 'ISK'],
    ['Kuwait Airways', '3076', 'KW', CATEGORIES.travel, 'KWD'],
    ['SJ AB', '4112', 'SE', CATEGORIES.travel, 'SEK'],
    ['Clas Ohlson', '5251', 'NO', CATEGORIES.office, 'NOK'],
    ['SBB CFF FFS', '4112', 'CH', CATEGORIES.travel, 'CHF'],
    ['Żabka', '5499', 'PL', CATEGORIES.meals, 'PLN'],
  ] as [string, string, Country, AccountV3, string][]
).map(merchant);

/** Vendors as Pleo syncs them from the books (vendor tagging), with how each is matched. */
const vendor = (v: (typeof DEMO_VENDORS)[number], country: Country): Vendor => ({
  id: ids.uuid(),
  name: v.name,
  defaultCurrency: v.currency,
  code: v.code,
  externalId: v.code,
  country,
  registrationNumber: `REG-${v.code.slice(1)}`,
  taxRegistrationNumber: v.taxRegistrationNumber,
});
const [acme, globex] = DEMO_VENDORS;
export const VENDORS: Vendor[] = [
  vendor(acme, 'GB'),
  vendor(globex, 'DE'),
  // Matched without a code: by the accounting system's own id, or by the tax registration number.
  {
    id: ids.uuid(),
    name: globex.name,
    defaultCurrency: globex.currency,
    externalId: globex.code,
    country: 'DE',
  },
  {
    id: ids.uuid(),
    name: acme.name,
    defaultCurrency: acme.currency,
    country: 'GB',
    taxRegistrationNumber: acme.taxRegistrationNumber,
  },
];
export const UNKNOWN_VENDOR: Vendor = {
  id: ids.uuid(),
  name: 'Initech Oy (not in the books)',
  defaultCurrency: 'EUR',
  code: DEMO_UNKNOWN.vendorCode,
  externalId: DEMO_UNKNOWN.vendorCode,
  country: 'FI',
  taxRegistrationNumber: 'FI99999999',
};

/** The supplier on legacy items (no vendor tagging): matched by code, account or tax id, or not at all. */
export const LEGACY_SUPPLIERS: Supplier[] = [
  {
    name: 'ACME Ltd',
    code: acme.code,
    account: null,
    categoryCode: null,
    country: 'GB',
    taxIdentifier: acme.taxRegistrationNumber,
  },
  {
    name: 'Globex GmbH',
    code: null,
    account: null,
    categoryCode: null,
    country: 'DE',
    taxIdentifier: globex.taxRegistrationNumber,
  },
  {
    name: 'Globex GmbH',
    code: null,
    account: globex.code,
    categoryCode: null,
    country: 'DE',
    taxIdentifier: null,
  },
];

/** A legacy supplier whose code the books do not know (vendor_unknown without vendor tagging). */
export const UNKNOWN_LEGACY_SUPPLIER: Supplier = {
  name: UNKNOWN_VENDOR.name,
  code: DEMO_UNKNOWN.vendorCode,
  account: null,
  categoryCode: null,
  country: 'FI',
  taxIdentifier: UNKNOWN_VENDOR.taxRegistrationNumber,
};

/** A legacy supplier with no identifiers: booked against the fallback accounts payable account. */
export const UNMATCHED_SUPPLIER: Supplier = {
  name: 'Hansen & Søn ApS',
  code: null,
  account: null,
  categoryCode: null,
  country: 'DK',
  taxIdentifier: null,
};

export const BANKS = [
  {
    bankName: 'Barclays Bank UK',
    country: 'GB',
    iban: 'GB33BUKB20201555555555',
    bic: 'BUKBGB22',
    accountNumber: '55555555',
    bankCode: '202015',
  },
  {
    bankName: 'Deutsche Bank',
    country: 'DE',
    iban: 'DE89370400440532013000',
    bic: 'DEUTDEFF',
    accountNumber: null,
    bankCode: null,
  },
] as const;
