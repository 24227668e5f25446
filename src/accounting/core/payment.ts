// A bill payment: accounts payable settled from the wallet (or a credit note refunded into it), always
// in the wallet currency, with the supplier-currency amount it settles beside.
import type { Booking, Payable } from './booking';
import type { BillPayment } from './documents';
import { documentHeader, documentReference } from './header';
import { totalPosting } from './postings';

/** `settles`: the reference of the bill from the same item, or '' when the bill came in another export. */
export function billPayment(
  booking: Booking,
  payable: Payable,
  factor: number,
  role: 'main' | 'payment',
  settles: string,
  receipts: boolean,
): BillPayment {
  const { item, config, money, accounts, foreign } = booking;
  return {
    kind: 'bill_payment',
    ...documentHeader(
      booking,
      documentReference(item.accountingEntryId, role),
      [
        totalPosting(booking, payable.account, 'payable', factor),
        totalPosting(booking, accounts.wallet(), 'funding', -factor),
      ],
      receipts,
    ),
    journal: config.journals.payment,
    settles,
    vendor: payable.vendor,
    payableAccount: payable.account,
    paymentAccount: accounts.wallet(),
    amount: money.total,
    ...(foreign ? { foreignAmount: { currency: money.supplierCurrency, value: money.supplierTotal } } : {}),
    ...(payable.fxDifferenceAccount ? { fxDifferenceAccount: payable.fxDifferenceAccount } : {}),
  };
}
