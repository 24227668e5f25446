// Renders docs/accounting-mapping.md from the test cases (mapping-cases.ts). mapping.test.ts fails when
// the file differs; `UPDATE_MAPPING_DOC=1 npx jest test/accounting/mapping.test.ts` rewrites it.
import {
  MAPPING_CASES,
  METHOD_NAMES,
  OTHER_COMBINATIONS,
  SIDE_NAMES,
  type ExpectedDocument,
  type Side,
} from './mapping-cases';

const KIND_NAMES: Record<ExpectedDocument['kind'], string> = {
  journal_entry: 'journal entry',
  supplier_bill: 'supplier bill',
  supplier_credit_note: 'supplier credit note',
  bill_payment: 'bill payment',
};

const SHORT: Record<Side, string> = {
  line: 'line',
  wallet: 'wallet',
  outOfPocket: 'out-of-pocket',
  reimbursement: 'reimbursement',
  externalReimbursement: 'external reimbursement',
  bank: 'bank (contra)',
  payable: 'AP',
  'line|reimbursement': 'line, else reimbursement',
  'line|cashback': 'line, else cashback',
  'line|fee': 'line, else fee',
  'line|interest': 'line, else interest',
  'line|personalSpend': 'line, else personal spend',
  'line|cash': 'line, else cash',
};

const code = (text: string | null) => (text ? `\`${text}\`` : '—');
const perDocument = (documents: ExpectedDocument[], pick: (d: ExpectedDocument) => string) =>
  documents.length === 1
    ? pick(documents[0] as ExpectedDocument)
    : documents.map((d) => `${KIND_NAMES[d.kind]}: ${pick(d)}`).join('<br>');

export function renderMappingDoc(): string {
  const rows = MAPPING_CASES.map((c) =>
    [
      code(c.type),
      code(c.subType),
      METHOD_NAMES[c.method],
      c.documents.map((d) => KIND_NAMES[d.kind]).join(' + '),
      perDocument(c.documents, (d) => SHORT[d.debit]),
      perDocument(c.documents, (d) => SHORT[d.credit]),
      c.notes,
    ].join(' | '),
  );
  const others = OTHER_COMBINATIONS.map((c) =>
    [
      code(c.type),
      code(c.subType),
      c.outcome === 'as-type'
        ? `booked as \`${c.type}\` without a sub-type`
        : 'the item fails: `validation_failure`',
    ].join(' | '),
  );
  const legend = (Object.keys(SIDE_NAMES) as Side[]).map(
    (side) => `| ${SHORT[side]} | ${SIDE_NAMES[side]} |`,
  );
  return `<!-- Generated from test/accounting/mapping-cases.ts by test/accounting/mapping-doc.ts; do not edit by hand.
     Regenerate: UPDATE_MAPPING_DOC=1 npx jest test/accounting/mapping.test.ts -->
# Accounts mapping: Pleo export items → documents

How the accounting core (\`src/accounting/core\`) books every Pleo export item: for each export item type ×
sub-type × bookkeeping method, the documents it produces and the accounts debited and credited. Every
row is a test case in \`test/accounting/mapping.test.ts\` (run with Pleo's amounts positive and negative,
and for \`line, else …\` sides both with and without a line account).

## Accounts

| Name | Account |
| --- | --- |
${legend.join('\n')}

Tax on spend lines splits the line: inclusive and exclusive tax post Pleo's tax amount (as given, never
recomputed) to input VAT — the tax code's \`ingoingTaxAccount\` from Pleo, else \`taxAccounts[code]\`, else
\`inputVatAccount\` — and the rest to the line's account; reverse charge posts the full line to its account
plus input VAT and output VAT (\`outgoingTaxAccount\`) of equal amounts, net zero. Balance-sheet moves
(reimbursements, payments, wallet transfers) carry no tax.

## Bookkeeping methods

- \`journal\` and \`none\`: one journal entry; one debit (or credit) per split line, one posting for the total.
- \`accounts_payable\`: the vendor must resolve in the accounting system (else the item fails with
  \`vendor_unknown\` and Pleo's message); spend becomes a supplier bill, money back a supplier credit note,
  and money moved through the wallet in the same item a bill payment. Types that are never vendor
  liabilities (out-of-pocket, allowances, reimbursements, ATM, personal spend, wallet top-ups and
  unloads) stay journal entries.
- \`bookkeeping: null\` (vendor tagging off): journal entries, except invoices and invoice payments whose
  \`supplier\` carries \`code\`, \`account\` or \`taxIdentifier\`: those go through accounts payable with the
  supplier as the vendor. Without those identifiers they are journal entries against the AP account.

## Mapping (type × sub-type × method)

| Type | Sub-type | Method | Documents | Debit | Credit | Notes |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r} |`).join('\n')}

## Other type × sub-type pairs

Pleo's API lists 17 types and 6 sub-types but does not say which pairs occur. A sub-type that only
confirms the usual direction (\`reimbursement_to_employee\`, \`invoice_payment_sent\`, \`interest\`) on a
type without a row for it is booked as the type's row; a sub-type that reverses money (refunds,
returns, repayments) on such a type fails the item rather than book money in a direction nobody decided.

| Type | Sub-type | Outcome |
| --- | --- | --- |
${others.map((r) => `| ${r} |`).join('\n')}

## Amounts, signs and currencies

- Amounts are integers in minor units of their ISO 4217 currency (JPY and ISK 0 decimals, KWD and BHD
  3). Every document balances exactly in the wallet currency and posts Pleo's wallet amounts as given.
- Pleo does not document the sign of money flowing back: an item may be all positive or all negative,
  but every amount in it must have the same sign; the direction comes from the type and sub-type.
- Journal entries are in the wallet currency; each posting keeps the supplier-currency amount and the
  rate derived from Pleo's two amounts. When the target supports foreign-currency documents, bills and
  credit notes are issued in the supplier currency (Pleo's supplier amounts), payments stay in the
  wallet currency, and the realised FX difference goes to \`fxDifferenceAccount\`. If Pleo's
  supplier-currency lines do not add up to its supplier-currency total, the difference is put
  explicitly on \`roundingAccount\` and noted on the bill.
- Posting date = the item's date (its UTC calendar day). A closed period is handled by the
  closed-period setting: \`adjust\` re-dates the document (next open period start, or today) and records
  the original date on it; \`fail\` fails the item with a message saying what to do.

## What each accounting system books

The documents above are the same for every system; what each one holds afterwards differs. Tryton's
column is checked against Tryton's own reports in \`test/accounting-systems/tryton-books.test.ts\` and
\`test/pipeline/tryton.test.ts\`; the ledger's by \`bean-check\` and the ledger tests.

| Case | Ledger (beancount) | Tryton 8.0 |
| --- | --- | --- |
| Wallet currency ≠ company currency (e.g. a GBP, JPY or KWD wallet into a EUR company) | The entry is in the wallet currency (beancount has no company currency); supplier amount and rate as posting metadata. | Converted to the company currency at Tryton's own rate for the item's date; every line keeps the wallet amount as its second currency; the funding line takes a conversion rounding of a minor unit. No rate for the currency on that date: the item fails (\`accounting_system_validation_failure\`) naming the missing rate; a currency Tryton lacks fails the item the same way. |
| Bill in a supplier currency (e.g. USD bill, EUR wallet) | A journal entry against accounts payable in the wallet currency (the ledger has no invoices). | A supplier invoice in the supplier currency when Tryton has it (else in the wallet currency), converted by Tryton when posting; Pleo's supplier-currency rounding difference as an explicit line on \`roundingAccount\`. |
| Payment of a bill (same item, or a later \`invoice_payment\`) | A journal entry: payables debited. When it pays exactly the supplier-currency amount of the bills Pleo reconciled it with, payables take the bills' wallet amount and the difference goes to \`fxDifferenceAccount\` as its own posting: payables net to zero per bill (checked with bean-query). | The payment finds the invoice (the bill's reference, or the items Pleo reconciled it with), debits payables with the invoice's open amount, books the difference to what the wallet paid on \`fxDifferenceAccount\` as an explicit line (realised gain or loss), and reconciles: the invoice is \`paid\`, the vendor's payable is zero. Paying a different amount than is open leaves both as they are. |
| Inclusive and exclusive VAT | Input VAT posting; the tax code as posting metadata. Beancount has no tax report. | Input VAT line with a Tryton tax line (type tax) and the expense line with the base: Tryton's tax report (tax codes \`<tax>-base\`, \`<tax>-tax\` in the demo) shows them. On a bill, Pleo's tax amounts as manual invoice taxes. |
| Reverse charge | Input and output VAT postings, net zero. | Both children of the reverse-charge tax: ingoing and outgoing tax lines and bases, so the tax report shows both sides. |
| Tags and team (analytic) | Tags as posting metadata. | Analytic lines on expense lines only (never on VAT), one axis per tag group and \`team\`; two tags of one group share the line's net amount evenly (remainder on the first), so each axis adds up to the net once. On a bill, one invoice line per tag of that group; two groups with several tags each on one bill line are refused with a message. |
| Out of pocket, reimbursements, per diem, mileage | Postings on the employee accounts. | Lines on employee accounts carry the Pleo user's party (\`PLEO-USER-<id>\`, or an existing party whose code is the user's Pleo code); \`Employees (Pleo)\` only when Pleo names no user. |
| Vendor on a journal-method item | Payee empty. | Lines on payable accounts carry the named vendor's party; \`Suppliers without a vendor (Pleo)\` only when Pleo names none. |
| Refund, chargeback (money back) | A journal entry in the opposite direction. | A supplier credit note under accounts payable (negative quantities); tax codes and the vendor's balance go back. |
| Attendees, note, due date | Metadata (\`attendees\`); the description. | Attendees and the full note in the move description or the invoice comment; Pleo's due date as the invoice's payment term date (the payable line's maturity, shown by aged payables). |
| Closed period | \`lockDate\` refuses; the core re-dates (adjust) or fails. | The period's state is read: closed → the core's closed-period rule (re-dated to the next open period, original date kept). |
`;
}
