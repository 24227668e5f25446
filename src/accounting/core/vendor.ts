// Who the item's vendor is, as the accounting system should look it up: Pleo's `vendor` object, or the
// `supplier` of legacy items (those without `bookkeeping`).
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { CompanyAccountingConfig } from './config';
import type { VendorRef } from './documents';
import { findRule } from './mapping';

/** Legacy items (no `bookkeeping`) of payable types carry their vendor in `supplier`. */
export function legacySupplierRef(item: ExportItem): VendorRef | undefined {
  const s = item.supplier;
  if (!s || !(s.code || s.account || s.taxIdentifier)) return undefined;
  return {
    name: s.name ?? 'Unknown supplier',
    code: s.code ?? undefined,
    account: s.account ?? undefined,
    taxRegistrationNumber: s.taxIdentifier ?? undefined,
    country: s.country ?? undefined,
  };
}

export function vendorRefOf(item: ExportItem): VendorRef | undefined {
  const v = item.vendor;
  if (!v) return undefined;
  return {
    name: v.name,
    code: v.code,
    externalId: v.externalId,
    taxRegistrationNumber: v.taxRegistrationNumber,
    country: v.country,
  };
}

/** Which vendor must be resolved in the accounting system before building (AP, and legacy payables). */
export function vendorToResolve(item: ExportItem, _config: CompanyAccountingConfig): VendorRef | undefined {
  const rule = findRule(item.type, item.subType);
  if (!rule?.payables) return undefined;
  const method = item.bookkeeping?.method ?? null;
  if (method === 'accounts_payable') return vendorRefOf(item);
  if (method === null && (rule.funding === 'payable' || rule.lineSide === 'payable'))
    return legacySupplierRef(item);
  return undefined;
}
