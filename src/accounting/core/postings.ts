// The item's total on the funding or payable side, and flipping postings for the direction of the
// money; both in the wallet currency with the supplier-currency amounts beside.
import type { Booking } from './booking';
import type { AccountRef, Posting } from './documents';

/** `value × factor` without ever producing -0 (it would make equal documents compare unequal). */
const times = (value: number, factor: number): number => value * factor || 0;

/** A posting of the item's total (the funding or payable side), signed, with its supplier-currency amount. */
export function totalPosting(
  booking: Booking,
  account: AccountRef,
  role: Posting['role'],
  factor: number,
): Posting {
  const { money } = booking;
  return {
    role,
    account,
    amount: times(money.total, factor),
    ...(booking.foreign
      ? {
          foreignAmount: { currency: money.supplierCurrency, value: times(money.supplierTotal, factor) },
          rate: booking.itemRate,
        }
      : {}),
    dimensions: [],
  };
}

/** The postings multiplied by `factor` (1 keeps them, -1 flips debits and credits). */
export function signed(postings: Posting[], factor: number): Posting[] {
  return postings.map((p) => ({
    ...p,
    amount: times(p.amount, factor),
    ...(p.foreignAmount
      ? { foreignAmount: { ...p.foreignAmount, value: times(p.foreignAmount.value, factor) } }
      : {}),
  }));
}
