// Short names for the Export API v3 types generated from Pleo's OpenAPI (src/pleo/generated).
// Type-only: safe to import from the pure accounting core and from workflow code.
import type { components } from './generated/export';

type S = components['schemas'];

export type ExportJob = S['ExportJobV3'];
export type ExportJobStatus = ExportJob['status'];
export type ExportJobItem = S['ExportJobItemV3'];
export type ExportJobItemStatus = ExportJobItem['status'];
export type ExportJobItemUpdate = S['ExportJobItemUpdateV3'];
export type ExportJobItemUpdateError = S['ExportJobItemUpdateErrorV3'];
export type ExportItem = S['ExportItemV3'];
export type ExportItemLine = S['ExportItemLineV3'];
export type ExportItemType = S['ExportItemTypeV3'];
export type ExportItemSubType = S['ExportItemSubTypeV3'];
export type BookkeepingMethod = S['BookkeepingMethodV3'];
export type PleoMoney = S['MoneyModel'];
export type TaxV3 = S['TaxV3'];
export type TaxType = S['TaxTypeV3'];
export type VendorV3 = S['VendorV3'];
export type SupplierV3 = S['SupplierV3'];
export type CursorPageInfo = S['CursorPageInfo'];
export type PleoErrorBody = S['ExceptionInfo'];

export const EXPORT_ITEM_TYPES: readonly ExportItemType[] = [
  'card_purchase',
  'card_invoice',
  'out_of_pocket',
  'mileage',
  'per_diem',
  'external_reimbursement',
  'direct_reimbursement',
  'invoice',
  'invoice_payment',
  'chargeback',
  'refund',
  'cashback',
  'atm_withdrawal',
  'wallet_topup',
  'wallet_unload',
  'personal_spend',
  'fee',
];

export const EXPORT_ITEM_SUB_TYPES: readonly ExportItemSubType[] = [
  'reimbursement_to_employee_refund',
  'reimbursement_to_company',
  'reimbursement_to_employee',
  'invoice_payment_returned',
  'invoice_payment_sent',
  'interest',
];
