// Money for seed data: integer minor units as Pleo sends them (MoneyModel.value; JPY/ISK have no
// decimals, KWD three), conversions between supplier and wallet currency by exact integer ratios.
import type { PleoMoney } from '@pleo-export/pleo-api/types';
import { currencyExponent } from '@pleo-export/pleo-api/currency';

/** Approximate EUR value of one major unit, in millionths: realistic magnitudes, not market data. */
const EUR_MICRO: Record<string, number> = {
  EUR: 1_000_000,
  GBP: 1_170_000,
  USD: 920_000,
  SEK: 87_000,
  DKK: 134_000,
  NOK: 85_000,
  CHF: 1_050_000,
  PLN: 230_000,
  JPY: 6_200,
  ISK: 6_600,
  KWD: 2_980_000,
};

export const SEED_CURRENCIES = Object.keys(EUR_MICRO);

export type Currency = PleoMoney['currency'];

function exponent(code: string): number {
  const e = currencyExponent(code);
  if (e === undefined || EUR_MICRO[code] === undefined)
    throw new Error(`seed data has no rate for currency ${code}`);
  return e;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** a / b rounded half away from zero, for integers (b > 0). */
export function roundDiv(a: number, b: number): number {
  const q = Math.floor((2 * Math.abs(a) + b) / (2 * b));
  return a < 0 ? -q : q;
}

const ratios = new Map<string, [number, number]>();

/** Minor units of `from` converted to minor units of `to`. */
export function convert(value: number, from: string, to: string): number {
  if (from === to) return value;
  const key = `${from}>${to}`;
  let ratio = ratios.get(key);
  if (!ratio) {
    const num = EUR_MICRO[from]! * 10 ** exponent(to);
    const den = EUR_MICRO[to]! * 10 ** exponent(from);
    const g = gcd(num, den);
    ratio = [num / g, den / g];
    ratios.set(key, ratio);
  }
  return roundDiv(value * ratio[0], ratio[1]);
}

/** A realistic amount in `currency` minor units for a value of about `eur` euros, rounded like a price. */
export function amountNear(eur: number, currency: string): number {
  const e = exponent(currency);
  const major = (eur * 1_000_000) / EUR_MICRO[currency]!;
  // Zero-decimal currencies are priced in whole (often round) units; others to the minor unit.
  const minor = e === 0 ? Math.round(major / 10) * 10 : Math.round(major * 10 ** e);
  return Math.max(minor, 1);
}

/** Splits a positive total into `parts` positive integers that sum to it exactly. */
export function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  parts[0]! += total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

export const money = (currency: string, value: number): PleoMoney => ({
  currency: currency as Currency,
  value,
});
