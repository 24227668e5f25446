// Under accounts payable an item becomes a bill (or credit note) on the vendor and/or its payment from
// the wallet, as the item type's mapping says.
import { supplierBill } from './bill';
import type { Booking, Payable } from './booking';
import type { AccountingDocument, VendorRef } from './documents';
import { documentReference } from './header';
import { billPayment } from './payment';
import type { BookingCapabilities } from './target';

export function payablesDocuments(booking: Booking, target: BookingCapabilities): AccountingDocument[] {
  const { item, config, accounts } = booking;
  const vendor = { ...(booking.vendorRef as VendorRef) };
  const account = accounts.payable();
  // Foreign-currency bills (target permitting) are issued in the supplier's currency; their payments stay in the wallet currency.
  const foreignBill = booking.foreign && target.foreignCurrencyDocuments;
  const fxDifferenceAccount = foreignBill
    ? accounts.configured(config.fxDifferenceAccount, 'realised FX gains and losses')
    : undefined;
  const payable: Payable = { vendor, account, foreignBill, fxDifferenceAccount };

  const main = documentReference(item.accountingEntryId, 'main');
  switch (booking.rule.payables) {
    case 'bill':
      return [supplierBill(booking, payable, 'supplier_bill', 1)];
    case 'bill_and_payment':
      return [
        supplierBill(booking, payable, 'supplier_bill', 1),
        billPayment(booking, payable, 1, 'payment', main, false),
      ];
    case 'credit_note_and_payment':
      return [
        supplierBill(booking, payable, 'supplier_credit_note', -1),
        billPayment(booking, payable, -1, 'payment', main, false),
      ];
    default:
      // A payment exported on its own: the bill came in another export job (matched by the AS, see BillPayment.settles).
      return [billPayment(booking, payable, booking.sign, 'main', '', true)];
  }
}
