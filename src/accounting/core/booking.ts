// What every document of one item is built from, once the item has passed its checks.
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { Accounts } from './accounts';
import type { CheckedItem } from './checks';
import type { CompanyAccountingConfig } from './config';
import type { AccountRef, Posting, VendorRef } from './documents';

export interface Booking extends CheckedItem {
  item: ExportItem;
  config: CompanyAccountingConfig;
  accounts: Accounts;
  /** The supplier's currency differs from the wallet's. */
  foreign: boolean;
  /** Wallet per supplier currency rate of the item's totals, when foreign. */
  itemRate?: string;
  /** 1 when money goes out (the lines are debited), -1 when it comes back. */
  sign: number;
  /** The lines' postings in the "money out" orientation (debits positive). */
  lineDebits: Posting[];
}

/** Under accounts payable: the vendor side every document of the item shares. */
export interface Payable {
  vendor: VendorRef;
  account: AccountRef;
  /** The bill is issued in the supplier's currency (it differs from the wallet's and the target allows it). */
  foreignBill: boolean;
  /** Where the accounting system books the realised FX difference when it settles a foreign bill. */
  fxDifferenceAccount?: AccountRef;
}
