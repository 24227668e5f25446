// Realised FX on payables in the ledger. A bill in a supplier currency is booked at Pleo's wallet
// amount of its day; the later payment of the same supplier amount costs a different wallet amount.
// Booked as they come, payables keep that difference for the vendor. When a payment journal entry
// settles exactly the supplier-currency amount of the bills Pleo reconciled it with, its payable line
// takes the bills' wallet amount and the difference is booked as its own line on the FX account.
import type { AccountingDocument, Money, Posting } from '../../accounting/core/documents';
import { currencyExponent } from '../../accounting/core/currency';

/** A payable posting as the ledger holds it (wallet minor units, with its supplier-currency amount). */
export interface OpenPayable {
  code: string;
  currency: string;
  amount: number;
  foreign?: Money;
}

function minor(text: string, currency: string): number {
  const exponent = currencyExponent(currency) ?? 2;
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value =
    Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0').slice(0, exponent) || '0');
  return text.startsWith('-') ? -value : value;
}

/**
 * The payable postings of one rendered transaction and its Pleo accounting entry id; `codeOf` names the
 * chart code of a ledger account (accounts are named "<code>-<name>", their open directives say which).
 */
export function payablesOfBlock(
  block: string,
  codeOf: (account: string) => string | undefined,
): { entryId: string; payables: OpenPayable[] } | undefined {
  const entryId = /accounting-entry-id: "([^"]*)"/.exec(block)?.[1];
  if (!entryId) return undefined;
  const payables: OpenPayable[] = [];
  const posting = /^ {2}(\S+:\S+) +(-?[\d.]+) ([A-Z]{3})\n((?: {4}.*(?:\n|$))*)/gm;
  for (let m = posting.exec(block); m; m = posting.exec(block)) {
    const code = codeOf(m[1]!);
    if (!code || !/role: "payable"/.test(m[4]!)) continue;
    const foreign = /foreign-amount: "(-?[\d.]+) ([A-Z]{3})"/.exec(m[4]!);
    payables.push({
      code,
      currency: m[3]!,
      amount: minor(m[2]!, m[3]!),
      ...(foreign ? { foreign: { currency: foreign[2]!, value: minor(foreign[1]!, foreign[2]!) } } : {}),
    });
  }
  return payables.length ? { entryId, payables } : undefined;
}

/** The payment with its realised FX difference booked, or the document unchanged when nothing settles exactly. */
export function settleFx(
  document: AccountingDocument,
  billsOf: (accountingEntryId: string) => OpenPayable[] | undefined,
): AccountingDocument {
  if (document.kind !== 'journal_entry' || !document.fxDifferenceAccount) return document;
  const bills = document.references.reconciledEntries.flatMap((id) => billsOf(id) ?? []);
  const first = document.postings.findIndex(
    (p) => p.foreignAmount && bills.some((b) => b.code === p.account.code),
  );
  if (first < 0) return document;
  const code = document.postings[first]!.account.code;
  const foreignCurrency = document.postings[first]!.foreignAmount!.currency;
  const paid = document.postings.filter((p) => p.account.code === code);
  const owed = bills.filter((b) => b.code === code);
  const comparable = [...owed.map((b) => b.foreign), ...paid.map((p) => p.foreignAmount)].every(
    (f) => f?.currency === foreignCurrency,
  );
  if (!comparable || owed.some((b) => b.currency !== document.currency)) return document;
  const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
  const foreignOpen = sum(owed.map((b) => b.foreign!.value)) + sum(paid.map((p) => p.foreignAmount!.value));
  const difference = sum(owed.map((b) => b.amount)) + sum(paid.map((p) => p.amount));
  if (foreignOpen !== 0 || difference === 0) return document;
  const fx: Posting = {
    role: 'fx_difference',
    account: document.fxDifferenceAccount,
    amount: difference,
    dimensions: [],
    memo: difference > 0 ? 'Realised exchange loss' : 'Realised exchange gain',
  };
  const postings = document.postings.map((p, i) =>
    i === first ? { ...p, amount: p.amount - difference } : p,
  );
  return {
    ...document,
    postings: [...postings, fx],
    notes: [
      ...(document.notes ?? []),
      `Settles the ${foreignCurrency} bills it was reconciled with in full; the wallet difference of ${difference} minor units is booked on ${fx.account.code}.`,
    ],
  };
}
