// The failure of one item as the service reports it, in Pleo's enums (Export API v3) and wording.
// Free of Node-only code: workflows import this module.
import type { ItemFailureReasonType } from '@pleo-export/pleo-api/failure-reasons';

export {
  JOB_FAILURE_REASON_TYPES,
  ITEM_FAILURE_REASON_TYPES,
  type JobFailureReasonType,
  type ItemFailureReasonType,
} from '@pleo-export/pleo-api/failure-reasons';

/** A failed item: the reason type Pleo shows, and a message a bookkeeper can act on. */
export interface ItemFailure {
  reasonType: ItemFailureReasonType;
  message: string;
}

/** Pleo's published wording, reused so bookkeepers see the messages Pleo's docs describe. */
export const PLEO_MESSAGES = {
  vendorUnknown:
    "Selected vendor cannot be processed because it does not exist or is currently blocked. Please verify the vendor's status in the accounting system and try again.",
  accountMissingInConfig: (what: string) =>
    `Account ${what} missing: provide account ${what} in the configurations`,
  journalMissingInConfig: (what: string) =>
    `Journal ${what} missing: provide journal ${what} in the configurations`,
  taxCodeUnknown: (code: string) => `Tax Code ${code} does not exist in the Accounting System`,
  accountUnknown: (code: string) =>
    `Account No. ${code} does not exist in the Accounting System. Check Category.`,
  tagUnknown: (code: string) =>
    `Tag with code ${code} does not exist on the Accounting System. Check the Tag.`,
} as const;
