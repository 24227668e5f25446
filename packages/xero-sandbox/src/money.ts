// Xero's API speaks decimal numbers; the stand-in keeps integer minor units and converts at the edge.
import { currencyExponent } from '@pleo-export/pleo-api/currency';

export const exponentOf = (currency: string): number => currencyExponent(currency) ?? 2;

/** A decimal from a request → minor units, or undefined when it has more decimals than the currency. */
export function toMinor(value: unknown, currency: string): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const scaled = value * 10 ** exponentOf(currency);
  const rounded = Math.round(scaled);
  return Math.abs(scaled - rounded) < 1e-6 ? rounded : undefined;
}

export const fromMinor = (minor: number, currency: string): number =>
  Number((minor / 10 ** exponentOf(currency)).toFixed(exponentOf(currency)));

/** Xero's JSON date form, `/Date(1718409600000+0000)/`. */
export const xeroDate = (ms: number): string => `/Date(${ms}+0000)/`;

/** `YYYY-MM-DD`, `YYYY-MM-DDT…` or `/Date(ms…)/` → `YYYY-MM-DD`. */
export function dayOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)[+-]\d{4}\)\/$/.exec(value);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  const day = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+Z?)?$/.exec(value);
  return day && !Number.isNaN(Date.parse(day[1]!)) ? day[1] : undefined;
}
