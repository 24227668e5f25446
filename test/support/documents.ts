// Documents over the demo chart, as the accounting core produces them, for the adapter tests: balanced
// ready-made ones, and builders for a test's own postings. Each call gets a fresh reference so tests
// sharing one set of books never see each other's entries.
import { randomUUID } from 'node:crypto';
import { assertBalanced } from '../../src/accounting/core';
import type {
  BillPayment,
  JournalEntry,
  Posting,
  PostingStatus,
  SupplierBill,
  VendorRef,
} from '../../src/accounting/core/documents';
import { DEMO_ACCOUNTS as A, DEMO_VENDORS } from '@pleo-export/demo-company/chart';

const acme: VendorRef = { name: DEMO_VENDORS[0].name, code: DEMO_VENDORS[0].code };

/** What every document carries: a fresh reference and entry id, and the postings. */
export function header(date: string, status: PostingStatus, postings: Posting[]) {
  const accountingEntryId = randomUUID();
  return {
    reference: `pleo-${accountingEntryId}`,
    date,
    description: `Test expense ${accountingEntryId.slice(0, 8)}`,
    references: {
      accountingEntryId,
      reconciliationId: `R-${accountingEntryId.slice(0, 6)}`,
      reconciledEntries: [],
    },
    attendees: [],
    status,
    currency: 'EUR',
    postings,
    receipts: [],
  };
}

export const posting = (
  role: Posting['role'],
  code: string,
  amount: number,
  extra: Partial<Posting> = {},
): Posting => ({
  role,
  account: { code },
  amount,
  dimensions: [],
  ...extra,
});

/** A journal entry of the given postings (not checked for balance), dated 2026-06-15 unless overridden. */
export function journalEntryOf(postings: Posting[], overrides: Partial<JournalEntry> = {}): JournalEntry {
  return { kind: 'journal_entry', ...header('2026-06-15', 'posted', postings), ...overrides };
}

function balanced<T extends JournalEntry | SupplierBill | BillPayment>(document: T): T {
  assertBalanced(document);
  return document;
}

/** A card expense: travel 100.00 incl. 25 % VAT 20.00, meals 30.00 with tags, paid from the wallet. */
export function journalEntry(
  options: { date?: string; status?: PostingStatus; account?: string; taxCode?: string; tag?: string } = {},
): JournalEntry {
  return balanced({
    kind: 'journal_entry',
    ...header(options.date ?? '2026-06-15', options.status ?? 'posted', [
      posting('expense', options.account ?? A.travel.code, 8000, {
        lineId: 'l1',
        taxCode: options.taxCode ?? 'VAT25',
        dimensions: [{ group: 'DEPT', code: options.tag ?? 'SALES' }],
      }),
      posting('tax', A.inputVat.code, 2000, { lineId: 'l1', taxCode: options.taxCode ?? 'VAT25' }),
      posting('expense', A.meals.code, 3000, {
        lineId: 'l2',
        dimensions: [
          { group: 'PROJ', code: 'P100' },
          { group: 'team', code: 'T-OPS' },
        ],
      }),
      posting('funding', A.walletEur.code, -13000),
    ]),
  });
}

/**
 * A bill under accounts payable: software 200.00 net + 50.00 VAT (25 %, inclusive), a reverse-charge
 * line of 80.00 (20.00 in and out) and office supplies 50.00 + 3.00 VAT (6 %, exclusive). With `foreign`, the lines were paid in GBP (multi-currency bill).
 */
export function bill(
  options: {
    kind?: SupplierBill['kind'];
    vendor?: VendorRef;
    status?: PostingStatus;
    foreign?: boolean;
    date?: string;
  } = {},
): SupplierBill {
  const kind = options.kind ?? 'supplier_bill';
  const f = kind === 'supplier_credit_note' ? -1 : 1;
  const gbp = (value: number) =>
    options.foreign ? { foreignAmount: { currency: 'GBP', value }, rate: '1.162791' } : {};
  const payable = A.accountsPayableAcme.code;
  const postings = [
    posting('expense', A.software.code, f * 20000, {
      lineId: 'b1',
      taxCode: 'VAT25',
      dimensions: [{ group: 'DEPT', code: 'ENG' }],
      ...gbp(21500),
    }),
    posting('tax', A.inputVat.code, f * 5000, { lineId: 'b1', taxCode: 'VAT25' }),
    posting('expense', A.marketing.code, f * 8000, { lineId: 'b2', taxCode: 'RC25', ...gbp(6880) }),
    posting('reverse_charge_in', A.reverseChargeIn.code, f * 2000, { lineId: 'b2', taxCode: 'RC25' }),
    posting('reverse_charge_out', A.reverseChargeOut.code, -f * 2000, { lineId: 'b2', taxCode: 'RC25' }),
    posting('expense', A.office.code, f * 5000, { lineId: 'b3', taxCode: 'VAT6' }),
    posting('tax', A.inputVat.code, f * 300, { lineId: 'b3', taxCode: 'VAT6' }),
    posting('payable', payable, -f * 38300),
  ];
  return balanced({
    kind,
    ...header(options.date ?? '2026-06-20', options.status ?? 'posted', postings),
    vendor: options.vendor ?? acme,
    payableAccount: { code: payable },
    lines: [
      {
        lineId: 'b1',
        account: { code: A.software.code },
        description: 'Software',
        netAmount: 20000,
        tax: { code: 'VAT25', rate: '0.25', type: 'inclusive', amount: 5000 },
        dimensions: [{ group: 'DEPT', code: 'ENG' }],
      },
      {
        lineId: 'b2',
        account: { code: A.marketing.code },
        description: 'Marketing',
        netAmount: 8000,
        tax: {
          code: 'RC25',
          rate: '0.25',
          type: 'reverse',
          amount: 2000,
          ingoingTaxAccount: A.reverseChargeIn.code,
          outgoingTaxAccount: A.reverseChargeOut.code,
        },
        dimensions: [],
      },
      {
        lineId: 'b3',
        account: { code: A.office.code },
        description: 'Office supplies',
        netAmount: 5000,
        tax: { code: 'VAT6', rate: '0.06', type: 'exclusive', amount: 300 },
        dimensions: [],
      },
    ],
    total: 38300,
    invoice: { invoiceNumber: 'INV-42', invoiceDate: options.date ?? '2026-06-20' },
  });
}

/** The wallet paying a bill (or receiving a credit note's refund). */
export function payment(settled: SupplierBill): BillPayment {
  const f = settled.kind === 'supplier_credit_note' ? -1 : 1;
  const doc = header(settled.date, settled.status, [
    posting('payable', settled.payableAccount.code, f * settled.total),
    posting('funding', A.walletEur.code, -f * settled.total),
  ]);
  return balanced({
    kind: 'bill_payment',
    ...doc,
    reference: `${settled.reference}-payment`,
    settles: settled.reference,
    vendor: settled.vendor,
    payableAccount: settled.payableAccount,
    paymentAccount: { code: A.walletEur.code },
    amount: settled.total,
  });
}

/** Σ amount per account code: what the books must hold for a document, to the minor unit. */
export function byAccount(postings: { account: string; amount: number }[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const p of postings) sums[p.account] = (sums[p.account] ?? 0) + p.amount;
  for (const [code, sum] of Object.entries(sums)) if (sum === 0) delete sums[code];
  return sums;
}

export function expectedPostings(document: { postings: Posting[] }): Record<string, number> {
  return byAccount(document.postings.map((p) => ({ account: p.account.code, amount: p.amount })));
}
