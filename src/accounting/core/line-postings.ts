// One line's postings: the line's account, and its tax as Pleo gives it (never recomputed) split off to
// input VAT, or booked both ways for a reverse charge; supplier-currency amounts beside when they differ.
import type { ExportItem, ExportItemLine } from '@pleo-export/pleo-api/types';
import { lineAccountOf, type Accounts } from './accounts';
import type { CheckedAmounts, LineMoney } from './amounts';
import { deriveRate } from './currency';
import type { Dimension, Posting } from './documents';
import { fail, own } from './failure';
import type { LineSide } from './mapping';

function dimensionsOf(item: ExportItem, line: ExportItemLine): Dimension[] {
  const tags = (line.tags ?? []).flatMap((tag) => (tag ? [{ group: tag.groupCode, code: tag.code }] : []));
  return item.team?.code ? [...tags, { group: 'team', code: item.team.code }] : tags;
}

/** The line's postings in the "money out" orientation (debits positive); the caller flips them for money in. */
export function linePostings(
  item: ExportItem,
  line: ExportItemLine,
  index: number,
  amounts: LineMoney,
  side: LineSide,
  accounts: Accounts,
  money: CheckedAmounts,
): Posting[] {
  const { gross, supplierGross } = amounts;
  const account = lineAccountOf(line, index, side, accounts);
  const rate =
    money.supplierCurrency !== money.currency
      ? deriveRate(
          { value: gross, exponent: money.exponent },
          { value: supplierGross, exponent: money.supplierExponent },
        )
      : undefined;
  const fx = (supplierValue: number) =>
    money.supplierCurrency !== money.currency
      ? {
          foreignAmount: { currency: money.supplierCurrency, value: supplierValue },
          ...(rate ? { rate } : {}),
        }
      : {};
  const base = { lineId: line.accountingEntryLineId, dimensions: dimensionsOf(item, line) };
  // Tax belongs to spend lines; balance-sheet moves (reimbursements, payments, transfers) carry none.
  const tax = side === 'lines' || side.startsWith('lines_or') ? line.tax : undefined;
  if (!tax) return [{ role: 'expense', account, amount: gross, ...fx(supplierGross), ...base }];

  const at = `Line ${index + 1}`;
  if (tax.type !== 'inclusive' && tax.type !== 'exclusive' && tax.type !== 'reverse') {
    fail(
      'validation_failure',
      `${at} has tax type "${tax.type}"; expected inclusive, exclusive or reverse. Check the tax code in Pleo.`,
    );
  }
  const taxCode = tax.code ?? undefined;
  const codeName = taxCode ?? tax.id;
  // A 0 % code still goes on the line (exempt purchases appear in VAT reports); there is nothing to post for it.
  if (amounts.tax === 0 && amounts.supplierTax === 0)
    return [{ role: 'expense', account, amount: gross, taxCode, ...fx(supplierGross), ...base }];
  // Pleo's own tax account for the code comes first, then the integration's per-code and default input VAT.
  const inputVat = () =>
    accounts.configured(
      tax.ingoingTaxAccount ?? own(accounts.config.taxAccounts, taxCode) ?? accounts.config.inputVatAccount,
      `input VAT for tax code ${codeName}`,
    );
  if (tax.type === 'reverse') {
    // Reverse charge: the buyer books output VAT and the same input VAT on top of the line; net zero.
    const outgoing = accounts.configured(
      tax.outgoingTaxAccount,
      `outgoing VAT (reverse charge) for tax code ${codeName}`,
    );
    return [
      { role: 'expense', account, amount: gross, taxCode, ...fx(supplierGross), ...base },
      {
        role: 'reverse_charge_in',
        account: inputVat(),
        amount: amounts.tax,
        taxCode,
        ...fx(amounts.supplierTax),
        ...base,
      },
      {
        role: 'reverse_charge_out',
        account: outgoing,
        amount: -amounts.tax || 0,
        taxCode,
        ...fx(-amounts.supplierTax || 0),
        ...base,
      },
    ];
  }
  if (amounts.tax > gross || amounts.supplierTax > supplierGross) {
    fail(
      'validation_failure',
      `${at}'s tax (${amounts.tax} / ${amounts.supplierTax} in the supplier currency) is larger than the line (${gross} / ${supplierGross}); Pleo sent inconsistent tax.`,
    );
  }
  // Inclusive or exclusive, the wallet paid the line amount (the lines add up to the total); Pleo's tax
  // amount inside it, as given and never recomputed, goes to input VAT.
  return [
    {
      role: 'expense',
      account,
      amount: gross - amounts.tax,
      taxCode,
      ...fx(supplierGross - amounts.supplierTax),
      ...base,
    },
    { role: 'tax', account: inputVat(), amount: amounts.tax, taxCode, ...fx(amounts.supplierTax), ...base },
  ];
}
