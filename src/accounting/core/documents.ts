// The accounting-system-neutral documents the core produces from one Pleo export item.
// Every document carries its complete, balanced ledger postings in the wallet currency (so a plain
// ledger can book it as-is) plus, for bills and credit notes, the AP details an ERP needs.
// Amounts are integers in minor units of their currency (ISO 4217 exponent); never floats.

/** An amount in minor units of `currency` (896.96 SEK → { currency: 'SEK', value: 89696 }). */
export interface Money {
  currency: string;
  value: number;
}

/** A GL account as the accounting system knows it (`code` is the account number). */
export interface AccountRef {
  code: string;
  name?: string;
  /** The accounting system's internal id, when Pleo has it (`account.identifier`). */
  identifier?: string;
}

/** An accounting dimension value: a Pleo tag (`group` = tag group code) or the team (`group` = 'team'). */
export interface Dimension {
  group: string;
  code: string;
}

export type TaxType = 'inclusive' | 'exclusive' | 'reverse';

/** Why a posting exists; adapters may map roles to their own line kinds. */
export type PostingRole =
  | 'expense' // the line's category account (debit for spend)
  | 'tax' // deductible input VAT (inclusive / exclusive tax)
  | 'reverse_charge_in' // reverse charge: ingoing (deductible) VAT
  | 'reverse_charge_out' // reverse charge: outgoing (payable) VAT, equal and opposite
  | 'funding' // wallet / contra / out-of-pocket / reimbursement account (the credit side of a JE)
  | 'payable' // accounts payable (vendor-specific or fallback)
  | 'rounding' // explicit rounding difference, never silent
  | 'fx_difference'; // realised FX gain/loss

export interface Posting {
  role: PostingRole;
  account: AccountRef;
  /** Signed minor units of the document currency: positive = debit, negative = credit. */
  amount: number;
  /** The same posting in the supplier's currency (same sign as `amount`), when it differs from the document currency. */
  foreignAmount?: Money;
  /** Wallet per supplier currency rate derived from Pleo's two amounts (of the line, or of the item for the total), as a decimal string. */
  rate?: string;
  /** Pleo's `accountingEntryLineId` for expense postings. */
  lineId?: string;
  taxCode?: string;
  dimensions: Dimension[];
  memo?: string;
}

export interface TaxDetail {
  code?: string;
  /** Decimal rate as Pleo gives it, kept as a string: '0.25' is 25 %. */
  rate: string;
  type: TaxType;
  /** Tax in minor units of the document currency (Pleo's `tax.amount`, never recomputed). */
  amount: number;
  ingoingTaxAccount?: string;
  outgoingTaxAccount?: string;
}

/** Pleo identifiers and links an accountant uses to trace an entry back. */
export interface DocumentReferences {
  accountingEntryId: string;
  reconciliationId: string;
  reconciledEntries: string[];
  /** Pleo web app deep link (`_links.web.exportItem`). */
  deepLink?: string;
}

/** A receipt to attach: the index into the export item's `files[]`, never the URL (it is a secret-ish, expiring link). */
export interface ReceiptRef {
  fileIndex: number;
  type: string;
  size: number;
}

export type PostingStatus = 'draft' | 'posted';

export interface DocumentHeader {
  /** Deterministic idempotency reference: the same item and role always give the same reference. */
  reference: string;
  /** Posting date `YYYY-MM-DD`: the item date, or the adjusted date when its period is closed. */
  date: string;
  /** Set when the closed-period rule moved the document: the item's own date. */
  originalDate?: string;
  description: string;
  /**
   * Who is on the other side, as a ledger's payee: the merchant (card spend) or vendor as Pleo names
   * them; for items with neither, the employee (reimbursements, mileage, per diem) or Pleo (fees,
   * cashback, wallet top-ups).
   */
  counterparty?: string;
  references: DocumentReferences;
  attendees: string[];
  /** Pleo's note on the expense, in full (the description may shorten it). */
  note?: string;
  /** The Pleo user who spent or whose money moved: the employee an ERP keeps the balance for. */
  user?: { id: string; name: string; code?: string };
  status: PostingStatus;
  /** Journal code in the accounting system, when configured. */
  journal?: string;
  /** Currency of `postings` (the wallet currency). */
  currency: string;
  /** Balanced: the amounts sum to exactly 0. */
  postings: Posting[];
  receipts: ReceiptRef[];
  /** Accrual information only: never changes the posting date. */
  servicePeriod?: { from: string; to: string };
  /** Adjustments made to this document (closed-period re-dating, rounding absorbed), for the bookkeeper; never silent. */
  notes?: string[];
}

export interface JournalEntry extends DocumentHeader {
  kind: 'journal_entry';
  /** The vendor when Pleo names one (journal method): an ERP puts supplier lines on its party. */
  vendor?: VendorRef;
  /** For a payment of supplier-currency payables: where the realised FX difference goes, when configured. */
  fxDifferenceAccount?: AccountRef;
}

/** A vendor as the accounting system should resolve it (Pleo `vendor`, or legacy `supplier`). */
export interface VendorRef {
  name: string;
  code?: string;
  externalId?: string;
  taxRegistrationNumber?: string;
  /** Legacy `supplier.account`: the vendor's account number in the AS. */
  account?: string;
  country?: string;
}

export interface BillLine {
  lineId: string;
  account: AccountRef;
  description: string;
  /** Net amount (excluding tax) in minor units of the bill currency. */
  netAmount: number;
  tax?: TaxDetail;
  dimensions: Dimension[];
  /** The line in the bill's foreign currency (see SupplierBill.foreignCurrency), in its minor units. */
  foreign?: { netAmount: number; taxAmount?: number };
}

export interface InvoiceDetails {
  invoiceNumber?: string;
  invoiceDate?: string;
  dueDate?: string;
  paymentDate?: string;
  /** Pleo's invoice status (e.g. `paid`). */
  status?: string;
  supplierBankAccount?: {
    bankName: string;
    country: string;
    accountNumber?: string;
    bankCode?: string;
    bic?: string;
    iban?: string;
  };
}

/** A supplier bill (invoice in) or credit note under accounts payable. */
export interface SupplierBill extends DocumentHeader {
  kind: 'supplier_bill' | 'supplier_credit_note';
  vendor: VendorRef;
  payableAccount: AccountRef;
  /** Lines in the wallet currency (`currency`; `foreign` holds the supplier-currency amounts); gross total = Σ(net + non-reverse tax). */
  lines: BillLine[];
  /** Gross total in minor units, always positive (a credit note's direction is its kind). */
  total: number;
  invoice: InvoiceDetails;
  /**
   * Set when the target supports foreign-currency documents and the supplier's currency differs from
   * the wallet's: the bill is issued in the supplier currency (Pleo's supplier amounts, as given), while
   * `postings` keep Pleo's exact wallet amounts. `rounding` is the explicit difference, when Pleo's
   * supplier-currency lines do not add up to its supplier-currency total, booked on the rounding account.
   */
  foreignCurrency?: {
    currency: string;
    total: number;
    rate: string;
    rounding?: { amount: number; account: AccountRef };
  };
}

/** Settlement of a bill from the wallet (or a refund of a credit note into it). */
export interface BillPayment extends DocumentHeader {
  kind: 'bill_payment';
  /**
   * Reference of the bill or credit note this payment settles when it came from the same export item;
   * '' when the bill was exported separately (the AS matches it by vendor and the Pleo reconciliation ids
   * in `references.reconciledEntries`, which are book ids, not document references).
   */
  settles: string;
  vendor: VendorRef;
  payableAccount: AccountRef;
  paymentAccount: AccountRef;
  /** Always positive; direction follows the document it settles. */
  amount: number;
  /** The supplier-currency amount settled (always positive), when it differs from the wallet currency. */
  foreignAmount?: Money;
  /** Where the AS books the realised FX difference when it settles a supplier-currency bill with this payment. */
  fxDifferenceAccount?: AccountRef;
}

export type AccountingDocument = JournalEntry | SupplierBill | BillPayment;
export type DocumentKind = AccountingDocument['kind'];
