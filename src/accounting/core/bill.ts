// A supplier bill or credit note: the item's lines against accounts payable, plus what an ERP needs to
// book it natively (lines with net amount and tax detail, Pleo's invoice information) and, for a bill
// in the supplier's currency, any difference between Pleo's lines and total booked explicitly.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { CheckedAmounts, LineMoney } from './amounts';
import type { Booking, Payable } from './booking';
import type { BillLine, Posting, SupplierBill, TaxDetail } from './documents';
import { documentHeader, documentReference } from './header';
import { signed, totalPosting } from './postings';

export function supplierBill(
  booking: Booking,
  payable: Payable,
  kind: SupplierBill['kind'],
  factor: number,
): SupplierBill {
  const { item, config, money, accounts } = booking;
  const base = documentHeader(
    booking,
    documentReference(item.accountingEntryId, 'main'),
    [...signed(booking.lineDebits, factor), totalPosting(booking, payable.account, 'payable', -factor)],
    true,
  );
  const bill: SupplierBill = {
    kind,
    ...base,
    journal: config.journals.bill,
    vendor: payable.vendor,
    payableAccount: payable.account,
    lines: billLines(item, booking.lineDebits, money, payable.foreignBill),
    total: money.total,
    invoice: invoiceDetails(item),
  };
  if (!payable.foreignBill) return bill;
  // Pleo's supplier-currency lines may not add up to its supplier-currency total; the difference is booked explicitly.
  const linesTotal = money.lines.reduce((sum, line) => sum + BigInt(line.supplierGross), 0n);
  const difference = Number(BigInt(money.supplierTotal) - linesTotal);
  const foreignCurrency = {
    currency: money.supplierCurrency,
    total: money.supplierTotal,
    rate: booking.itemRate as string,
  };
  if (difference === 0) return { ...bill, foreignCurrency };
  const account = accounts.configured(config.roundingAccount, 'rounding differences');
  return {
    ...bill,
    foreignCurrency: { ...foreignCurrency, rounding: { amount: difference, account } },
    notes: [
      `The ${money.supplierCurrency} lines add up to ${linesTotal} but the ${money.supplierCurrency} total is ${money.supplierTotal} (minor units); the difference of ${difference} is booked on rounding account ${account.code}.`,
    ],
  };
}

function billLines(
  item: ExportItem,
  lineDebits: Posting[],
  money: CheckedAmounts,
  foreignBill: boolean,
): BillLine[] {
  return item.accountingEntryLines.map((line, index) => {
    const amounts = money.lines[index] as LineMoney;
    const expense = lineDebits.find((p) => p.lineId === line.accountingEntryLineId && p.role === 'expense');
    const tax = line.tax;
    const reverse = tax?.type === 'reverse';
    const detail: TaxDetail | undefined = tax
      ? {
          code: tax.code ?? undefined,
          rate: String(tax.rate),
          type: tax.type as TaxDetail['type'],
          amount: amounts.tax,
          ingoingTaxAccount: tax.ingoingTaxAccount,
          outgoingTaxAccount: tax.outgoingTaxAccount,
        }
      : undefined;
    const supplierNet = reverse || !tax ? amounts.supplierGross : amounts.supplierGross - amounts.supplierTax;
    return {
      lineId: line.accountingEntryLineId,
      account: expense?.account ?? { code: line.account?.code ?? '' },
      description: line.account?.name ?? item.type,
      netAmount: Math.abs(expense?.amount ?? 0),
      tax: detail,
      dimensions: expense?.dimensions ?? [],
      ...(foreignBill
        ? { foreign: { netAmount: supplierNet, ...(tax ? { taxAmount: amounts.supplierTax } : {}) } }
        : {}),
    };
  });
}

function invoiceDetails(item: ExportItem): SupplierBill['invoice'] {
  const info = item.additionalInformation.invoiceInformation;
  if (!info) return {};
  const bank = info.supplierBankAccount;
  return {
    invoiceNumber: info.invoiceNumber,
    invoiceDate: info.invoiceDate.slice(0, 10),
    dueDate: info.dueDate?.slice(0, 10),
    paymentDate: info.paymentDate?.slice(0, 10),
    status: info.status,
    supplierBankAccount: bank
      ? {
          bankName: bank.bankName,
          country: bank.country,
          accountNumber: bank.accountNumber ?? undefined,
          bankCode: bank.bankCode ?? undefined,
          bic: bank.bic ?? undefined,
          iban: bank.iban ?? undefined,
        }
      : undefined,
  };
}
