// Arithmetic on integer minor units; the exponents come with Pleo's currency list.
export { currencyExponent } from '@pleo-export/pleo-api/currency';

/** Integer minor units → decimal text ("-12.50"), exact: no floating point involved. */
export function formatMinor(value: number, exponent: number): string {
  const negative = value < 0;
  const digits = Math.abs(value)
    .toString()
    .padStart(exponent + 1, '0');
  const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}

/**
 * Wallet-per-supplier rate derived from Pleo's two amounts (Pleo gives no rate), in major units, with
 * `places` decimals, computed with integers.
 */
export function deriveRate(
  wallet: { value: number; exponent: number },
  supplier: { value: number; exponent: number },
  places = 6,
): string | undefined {
  if (supplier.value === 0) return undefined;
  const scale = 10n ** BigInt(places);
  const numerator = BigInt(Math.abs(wallet.value)) * 10n ** BigInt(supplier.exponent) * scale;
  const denominator = BigInt(Math.abs(supplier.value)) * 10n ** BigInt(wallet.exponent);
  const scaled = (numerator * 2n + denominator) / (denominator * 2n); // round half up
  const text = scaled.toString().padStart(places + 1, '0');
  return `${text.slice(0, -places)}.${text.slice(-places)}`;
}

const RATE_SCALE = 10n ** 12n;

function scaledRate(rate: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!match) throw new Error(`not a rate: ${rate}`);
  return BigInt(match[1]!) * RATE_SCALE + BigInt((match[2] ?? '').padEnd(12, '0').slice(0, 12) || '0');
}

/**
 * Minor units of one currency → minor units of another, given both currencies' rates against a common
 * base (as an ERP such as Tryton stores them: amount × to / from), rounded half to even like Tryton.
 */
export function convertMinor(
  value: number,
  from: { exponent: number; rate: string },
  to: { exponent: number; rate: string },
): number {
  const numerator = BigInt(Math.abs(value)) * scaledRate(to.rate) * 10n ** BigInt(to.exponent);
  const denominator = scaledRate(from.rate) * 10n ** BigInt(from.exponent);
  if (denominator === 0n) throw new Error('a rate of 0 converts nothing');
  let quotient = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
  return value < 0 ? -Number(quotient) : Number(quotient);
}

/** An amount split into `parts` amounts that add up to it exactly; the remainder goes to the first ones. */
export function splitEvenly(value: number, parts: number): number[] {
  const magnitude = Math.abs(value);
  const base = Math.floor(magnitude / parts);
  const rest = magnitude - base * parts;
  return Array.from({ length: parts }, (_, i) => Math.sign(value) * (base + (i < rest ? 1 : 0)) || 0);
}
