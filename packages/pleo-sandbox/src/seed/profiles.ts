// What each export item type looks like in a real company: typical size, what its lines are booked
// on, whether it carries VAT, foreign currency, a contra account (wallet impact), receipts, a user.
import type { ExportItemSubType, ExportItemType } from '@pleo-export/pleo-api/types';
import { CATEGORIES, type AccountV3 } from './catalog';

export interface TypeProfile {
  /** Typical size in euros (drawn log-uniformly). */
  eur: [number, number];
  /** The line's category; null = Pleo sends no account (the integration's configuration decides). */
  category: 'merchant' | 'spend' | AccountV3 | null;
  /** Lines can carry VAT. */
  taxable: boolean;
  /** The supplier may charge in another currency than the wallet's. */
  foreign: boolean;
  /** Moves wallet money: Pleo sends a contra account and the item may come from a second wallet. */
  wallet: boolean;
  /** Probability of at least one receipt in a valid item. */
  receipts: number;
  /** Can be split over several lines. */
  splittable: boolean;
  /** Incurred by a person (user set). */
  user: boolean;
  /** Money flows back to the company (sign convention option applies). */
  moneyIn?: boolean;
  subTypes?: readonly (readonly [ExportItemSubType | undefined, number])[];
  /** Relative frequency among randomly drawn items. */
  weight: number;
}

// Most types move wallet money with no VAT, foreign currency, receipts, split or user: a profile says
// only where it differs.
const P = (p: Partial<TypeProfile> & Pick<TypeProfile, 'eur' | 'category' | 'weight'>): TypeProfile => ({
  taxable: false,
  foreign: false,
  wallet: true,
  receipts: 0,
  splittable: false,
  user: false,
  ...p,
});

export const PROFILES: Record<ExportItemType, TypeProfile> = {
  card_purchase: P({
    eur: [3, 800],
    category: 'merchant',
    taxable: true,
    foreign: true,
    receipts: 0.85,
    splittable: true,
    user: true,
    weight: 40,
  }),
  card_invoice: P({
    eur: [80, 6000],
    category: 'spend',
    taxable: true,
    receipts: 1,
    splittable: true,
    user: true,
    weight: 2,
  }),
  out_of_pocket: P({
    eur: [5, 400],
    category: 'merchant',
    taxable: true,
    foreign: true,
    wallet: false,
    receipts: 0.9,
    splittable: true,
    user: true,
    weight: 8,
  }),
  mileage: P({ eur: [10, 250], category: CATEGORIES.mileage, wallet: false, user: true, weight: 4 }),
  per_diem: P({ eur: [30, 400], category: CATEGORIES.perDiem, wallet: false, user: true, weight: 3 }),
  external_reimbursement: P({
    eur: [20, 1500],
    category: null,
    wallet: false,
    user: true,
    weight: 2,
    subTypes: [
      ['reimbursement_to_employee', 4],
      ['reimbursement_to_company', 1],
      [undefined, 1],
    ],
  }),
  direct_reimbursement: P({
    eur: [20, 1500],
    category: null,
    user: true,
    weight: 4,
    subTypes: [
      ['reimbursement_to_employee', 6],
      ['reimbursement_to_employee_refund', 1],
      ['reimbursement_to_company', 2],
    ],
  }),
  invoice: P({
    eur: [150, 20000],
    category: 'spend',
    taxable: true,
    foreign: true,
    wallet: false,
    receipts: 1,
    splittable: true,
    user: true,
    weight: 6,
  }),
  invoice_payment: P({
    eur: [150, 20000],
    category: null,
    foreign: true,
    receipts: 0.3,
    weight: 5,
    subTypes: [
      ['invoice_payment_sent', 8],
      ['invoice_payment_returned', 1],
      [undefined, 1],
    ],
  }),
  chargeback: P({
    eur: [10, 600],
    category: 'merchant',
    taxable: true,
    foreign: true,
    receipts: 0.2,
    user: true,
    moneyIn: true,
    weight: 1,
  }),
  refund: P({
    eur: [5, 600],
    category: 'merchant',
    taxable: true,
    foreign: true,
    receipts: 0.6,
    user: true,
    moneyIn: true,
    weight: 3,
  }),
  cashback: P({ eur: [1, 80], category: CATEGORIES.cashback, moneyIn: true, weight: 2 }),
  atm_withdrawal: P({
    eur: [20, 500],
    category: CATEGORIES.cash,
    foreign: true,
    receipts: 0.3,
    user: true,
    weight: 2,
  }),
  wallet_topup: P({ eur: [1000, 50000], category: null, moneyIn: true, weight: 3 }),
  wallet_unload: P({ eur: [500, 20000], category: null, weight: 1 }),
  personal_spend: P({
    eur: [5, 200],
    category: CATEGORIES.personalSpend,
    foreign: true,
    receipts: 0.2,
    user: true,
    weight: 2,
  }),
  fee: P({
    eur: [1, 40],
    category: CATEGORIES.fees,
    weight: 4,
    subTypes: [
      [undefined, 5],
      ['interest', 1],
    ],
  }),
};

/** Sub-types that turn the money around (the type itself is money out). */
const MONEY_IN_SUB_TYPES: readonly string[] = [
  'reimbursement_to_company',
  'reimbursement_to_employee_refund',
  'invoice_payment_returned',
];

export function isMoneyIn(type: ExportItemType, subType: ExportItemSubType | undefined): boolean {
  return Boolean(PROFILES[type].moneyIn) || (subType !== undefined && MONEY_IN_SUB_TYPES.includes(subType));
}

/** Types whose items can be booked as accounts payable (bill, credit note, payment) with a vendor. */
export const PAYABLE_TYPES: readonly ExportItemType[] = [
  'card_purchase',
  'card_invoice',
  'invoice',
  'invoice_payment',
  'chargeback',
  'refund',
];

/** Types whose lines are booked on Pleo's own category account (so a bad category, tax code or tag shows). */
export const CATEGORY_TYPES: readonly ExportItemType[] = [
  'card_purchase',
  'card_invoice',
  'out_of_pocket',
  'invoice',
  'refund',
];

export const TYPE_WEIGHTS = (Object.entries(PROFILES) as [ExportItemType, TypeProfile][]).map(
  ([type, p]) => [type, p.weight] as const,
);
