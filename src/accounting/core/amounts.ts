// Pleo's amounts checked before any mapping, so a bad amount fails only its own item: known
// currencies, whole minor units, one sign throughout, lines adding up to the total. Either sign is
// accepted for the whole item because Pleo does not document the sign of money flowing back; the
// direction comes from the type and sub-type, so the checked amounts are returned as magnitudes.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { currencyExponent, formatMinor } from './currency';
import { fail } from './failure';

export interface LineMoney {
  gross: number;
  supplierGross: number;
  /** 0 when the line has no tax. */
  tax: number;
  supplierTax: number;
}

export interface CheckedAmounts {
  currency: string;
  exponent: number;
  supplierCurrency: string;
  supplierExponent: number;
  /** Magnitudes in minor units of the wallet / supplier currency. */
  total: number;
  supplierTotal: number;
  lines: LineMoney[];
}

export function checkAmounts(item: ExportItem): CheckedAmounts {
  const wallet = item.amount.inWalletCurrency;
  const supplier = item.amount.inSupplierCurrency;
  const exponent = currencyExponent(wallet.currency);
  if (exponent === undefined)
    fail(
      'validation_failure',
      `The wallet currency "${wallet.currency}" is not a known ISO 4217 currency; check the expense's currency in Pleo.`,
    );
  const supplierExponent = currencyExponent(supplier.currency);
  if (supplierExponent === undefined)
    fail(
      'validation_failure',
      `The supplier currency "${supplier.currency}" is not a known ISO 4217 currency; check the expense in Pleo.`,
    );
  if (item.accountingEntryLines.length === 0)
    fail('validation_failure', 'The expense has no accounting lines; Pleo sent nothing to book.');

  const amounts: { where: string; value: number; currency: string; expected: string }[] = [
    { where: 'total (wallet currency)', ...wallet, expected: wallet.currency },
    { where: 'total (supplier currency)', ...supplier, expected: supplier.currency },
  ];
  item.accountingEntryLines.forEach((line, i) => {
    const at = `line ${i + 1}`;
    const pair = (
      what: string,
      money: {
        inWalletCurrency: { currency: string; value: number };
        inSupplierCurrency: { currency: string; value: number };
      },
    ) => {
      amounts.push({
        where: `${at} ${what} (wallet currency)`,
        ...money.inWalletCurrency,
        expected: wallet.currency,
      });
      amounts.push({
        where: `${at} ${what} (supplier currency)`,
        ...money.inSupplierCurrency,
        expected: supplier.currency,
      });
    };
    pair('amount', line.lineAmount);
    pair('net amount', line.netAmount);
    if (line.tax) pair('tax', line.tax.amount);
  });
  for (const { where, currency, expected } of amounts) {
    if (currency !== expected)
      fail(
        'validation_failure',
        `The ${where} is in ${currency} but the expense is in ${expected}; Pleo sent inconsistent currencies.`,
      );
  }
  for (const { where, value } of amounts) {
    if (!Number.isSafeInteger(value))
      fail(
        'validation_failure',
        `The ${where} (${value}) is not a whole number of minor units; Pleo sent an invalid amount.`,
      );
  }
  if (wallet.value === 0)
    fail(
      'validation_failure',
      'The expense amount is zero: there is nothing to book. Check the expense in Pleo.',
    );
  if (supplier.value === 0 && supplier.currency !== wallet.currency) {
    fail(
      'validation_failure',
      `The expense is ${wallet.value} in ${wallet.currency} but 0 in the supplier currency ${supplier.currency}; Pleo sent inconsistent amounts.`,
    );
  }
  const positive = wallet.value > 0;
  const opposite = amounts.find(({ value }) => value !== 0 && value > 0 !== positive);
  if (opposite) {
    fail(
      'validation_failure',
      `The ${opposite.where} (${opposite.value}) has the opposite sign of the expense total (${wallet.value}); Pleo sent inconsistent amounts.`,
    );
  }
  // BigInt: a sum of safe integers is not always a safe integer.
  const lineSum = item.accountingEntryLines.reduce(
    (sum, line) => sum + BigInt(line.lineAmount.inWalletCurrency.value),
    0n,
  );
  if (lineSum !== BigInt(wallet.value)) {
    fail(
      'validation_failure',
      `The expense's lines add up to ${wallet.currency} ${formatMinor(Number(lineSum), exponent as number)} but its total is ${wallet.currency} ${formatMinor(wallet.value, exponent as number)}; the split is inconsistent in Pleo. Correct the split in Pleo and export it again.`,
    );
  }
  return {
    currency: wallet.currency,
    exponent: exponent as number,
    supplierCurrency: supplier.currency,
    supplierExponent: supplierExponent as number,
    total: Math.abs(wallet.value),
    supplierTotal: Math.abs(supplier.value),
    lines: item.accountingEntryLines.map((line) => ({
      gross: Math.abs(line.lineAmount.inWalletCurrency.value),
      supplierGross: Math.abs(line.lineAmount.inSupplierCurrency.value),
      tax: Math.abs(line.tax?.amount.inWalletCurrency.value ?? 0),
      supplierTax: Math.abs(line.tax?.amount.inSupplierCurrency.value ?? 0),
    })),
  };
}
