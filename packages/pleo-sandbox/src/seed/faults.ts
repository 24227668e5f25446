// Items designed to fail, each for one reason, and how to recognise the reason from the item's own
// data (the unknown codes of the demo chart, an unconfigured wallet, lines off their total, a receipt
// link of a failing kind) — never from a side table, so any copy of the item still says what it is.
import type { ExportItem, ExportItemType } from '@pleo-export/pleo-api/types';
import type { ItemFailureReasonType } from '@pleo-export/pleo-api/failure-reasons';
import { DEMO_UNKNOWN, DEMO_WALLETS } from '@pleo-export/demo-company/chart';
import { receiptFaultOf, type ReceiptFaultKind } from './receipts';
import { CATEGORY_TYPES, PAYABLE_TYPES, PROFILES } from './profiles';

export const FAULT_KINDS = [
  'account_unknown',
  'tax_code_unknown',
  'tag_unknown',
  'vendor_unknown',
  'missing_configuration',
  'lines_not_summing',
  'receipt_expired',
  'receipt_not_allowed_host',
  'receipt_too_large',
  'receipt_wrong_type',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the pipeline (demo configuration, embedded ledger with the demo chart, default receipt policy) reports. */
export const FAULT_REASONS: Record<FaultKind, ItemFailureReasonType> = {
  account_unknown: 'account_unknown',
  tax_code_unknown: 'tax_code_unknown',
  tag_unknown: 'tag_unknown',
  vendor_unknown: 'vendor_unknown',
  missing_configuration: 'missing_configuration',
  lines_not_summing: 'validation_failure',
  receipt_expired: 'receipt_download_failure',
  receipt_not_allowed_host: 'receipt_download_failure',
  receipt_too_large: 'receipt_file_size_limit_exceeded',
  // src/receipts: content that is not the declared type cannot be converted or attached.
  receipt_wrong_type: 'receipt_conversion_failure',
};

export const RECEIPT_FAULTS: Partial<Record<FaultKind, ReceiptFaultKind>> = {
  receipt_expired: 'expired',
  receipt_not_allowed_host: 'not_allowed_host',
  receipt_too_large: 'large',
  receipt_wrong_type: 'wrong_type',
};

const RECEIPT_TYPES: readonly ExportItemType[] = [
  'card_purchase',
  'out_of_pocket',
  'card_invoice',
  'invoice',
  'refund',
];
const TAXABLE_TYPES = CATEGORY_TYPES.filter((t) => PROFILES[t].taxable);
const WALLET_TYPES = (Object.keys(PROFILES) as ExportItemType[]).filter((t) => PROFILES[t].wallet);

/** Legacy items (no vendor tagging) resolve a vendor from `supplier` for these types only. */
const LEGACY_PAYABLE_TYPES: readonly ExportItemType[] = ['invoice', 'invoice_payment'];

/** The item types a fault can be carried by (where the pipeline actually meets it). */
export function typesFor(fault: FaultKind, vendorTagging = true): readonly ExportItemType[] {
  switch (fault) {
    case 'account_unknown':
    case 'tag_unknown':
    case 'lines_not_summing':
      return CATEGORY_TYPES;
    case 'tax_code_unknown':
      return TAXABLE_TYPES;
    case 'vendor_unknown':
      return vendorTagging ? PAYABLE_TYPES : LEGACY_PAYABLE_TYPES;
    case 'missing_configuration':
      return WALLET_TYPES;
    default:
      return RECEIPT_TYPES;
  }
}

/** A wallet currency the demo configuration has no wallet account for. */
export const UNCONFIGURED_WALLET_CURRENCY = 'SEK';
const configuredWallets = new Set(Object.keys(DEMO_WALLETS));

const RECEIPT_REASONS: Record<ReceiptFaultKind, FaultKind> = {
  expired: 'receipt_expired',
  not_allowed_host: 'receipt_not_allowed_host',
  large: 'receipt_too_large',
  wrong_type: 'receipt_wrong_type',
};

/** The designed fault an item carries, read from its data, in the order the pipeline meets them. */
export function faultOf(item: ExportItem): FaultKind | undefined {
  const lines = item.accountingEntryLines;
  const lineSum = lines.reduce((sum, line) => sum + line.lineAmount.inWalletCurrency.value, 0);
  if (lineSum !== item.amount.inWalletCurrency.value) return 'lines_not_summing';
  if (!item.contraAccount?.code && !configuredWallets.has(item.amount.inWalletCurrency.currency))
    return 'missing_configuration';
  const method = item.bookkeeping?.method ?? null;
  if (method === 'accounts_payable' && item.vendor?.code === DEMO_UNKNOWN.vendorCode) return 'vendor_unknown';
  if (
    method === null &&
    LEGACY_PAYABLE_TYPES.includes(item.type as ExportItemType) &&
    item.supplier?.code === DEMO_UNKNOWN.vendorCode
  )
    return 'vendor_unknown';
  for (const line of lines) {
    if (line.account?.code === DEMO_UNKNOWN.account) return 'account_unknown';
    if (line.tax?.code === DEMO_UNKNOWN.taxCode) return 'tax_code_unknown';
    if (line.tags?.some((tag) => tag?.code === DEMO_UNKNOWN.tagCode)) return 'tag_unknown';
  }
  for (const file of item.files ?? []) {
    const fault = file && receiptFaultOf(file);
    if (fault) return RECEIPT_REASONS[fault];
  }
  return undefined;
}

/** What the pipeline must report for this item, or undefined when it must be booked. */
export function expectedFailure(item: ExportItem): ItemFailureReasonType | undefined {
  const fault = faultOf(item);
  return fault && FAULT_REASONS[fault];
}
