// Short names for the Export API v3 types generated from Pleo's OpenAPI (src/generated).
// Type-only: safe to import from the pure accounting core and from workflow code.
import type { components } from './generated/export';
import type { components as Vendors } from './generated/vendors';
import type { components as TaxCodes } from './generated/tax-code';
import type { components as Tags } from './generated/tags';
import type { components as Accounts } from './generated/accounts-api';

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

// Reference data for pre-export checks (vendors, tax codes, tags, chart of accounts).
export type Vendor = Vendors['schemas']['VendorResponse'];
export type VendorSearch = Vendors['schemas']['VendorSearchRequestV1'];
export type TaxCode = TaxCodes['schemas']['TaxCodeModel'];
export type TaxCodeSearch = TaxCodes['schemas']['TaxCodeSearchRequest'];
export type TagGroup = Tags['schemas']['TagGroupModel'];
export type Tag = Tags['schemas']['TagModel'];
export type BookkeepingAccount = Accounts['schemas']['BookkeepingAccountRestModelV1'];
export type BookkeepingAccountSearch = Accounts['schemas']['BookkeepingAccountSearchRequestV1'];

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
