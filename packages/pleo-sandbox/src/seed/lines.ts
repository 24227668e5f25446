// Accounting entry lines: the supplier-currency total split over lines, each converted to the wallet
// currency, VAT computed per line in both currencies, so lines sum exactly to the item's totals.
import type { ExportItemLine, TaxV3 } from '@pleo-export/pleo-api/types';
import type { AccountV3, TagV3, TaxCode } from './catalog';
import { convert, money, roundDiv, split } from './money';

export interface LinePlan {
  account: AccountV3 | null;
  tax: TaxCode | null;
  tags: TagV3[] | null;
}

export interface LinesResult {
  lines: ExportItemLine[];
  supplierTotal: number;
  walletTotal: number;
}

/** VAT inside (inclusive, exclusive) or on top of (reverse charge, self-assessed) a gross amount. */
function taxOf(gross: number, tax: TaxCode): number {
  return tax.type === 'reverse'
    ? roundDiv(gross * tax.percent, 100)
    : roundDiv(gross * tax.percent, 100 + tax.percent);
}

export function buildLines(
  ids: () => string,
  plans: LinePlan[],
  weights: number[],
  supplierTotal: number,
  currencies: { supplier: string; wallet: string },
  sign: 1 | -1,
): LinesResult {
  const parts = split(supplierTotal, weights);
  let walletTotal = 0;
  const lines = plans.map((plan, i): ExportItemLine => {
    const supplierGross = parts[i]!;
    const walletGross = convert(supplierGross, currencies.supplier, currencies.wallet);
    walletTotal += walletGross;
    const pair = (supplier: number, wallet: number) => ({
      inSupplierCurrency: money(currencies.supplier, sign * supplier),
      inWalletCurrency: money(currencies.wallet, sign * wallet),
    });
    let tax: TaxV3 | null = null;
    let net = pair(supplierGross, walletGross);
    if (plan.tax) {
      const supplierTax = taxOf(supplierGross, plan.tax);
      const walletTax = taxOf(walletGross, plan.tax);
      tax = {
        id: plan.tax.id,
        code: plan.tax.code,
        rate: plan.tax.rate,
        type: plan.tax.type,
        amount: pair(supplierTax, walletTax),
        ...plan.tax.accounts,
      };
      // Pleo's netAmount: the line without its VAT; under reverse charge nothing was paid on top.
      if (plan.tax.type !== 'reverse') net = pair(supplierGross - supplierTax, walletGross - walletTax);
    }
    return {
      accountingEntryLineId: ids(),
      lineAmount: pair(supplierGross, walletGross),
      netAmount: net,
      account: plan.account,
      tax,
      tags: plan.tags,
    };
  });
  return { lines, supplierTotal, walletTotal };
}
