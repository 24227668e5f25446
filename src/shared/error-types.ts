// ApplicationFailure types activities throw, shared with workflows. Free of Node-only code.
import type { ItemFailure, ItemFailureReasonType, JobFailureReasonType } from './failure-reasons';

/** Details attached to every failure an activity throws, so the workflow can fail the job precisely. */
export interface FailureClassification {
  jobFailureReasonType: JobFailureReasonType;
  message: string;
  /**
   * An item's outage after its entry was booked (its receipts, or its second document, not yet written):
   * how the item is reported if the outage outlasts the budget. Never successful.
   */
  booked?: ItemFailure;
  /** The accounting system asked to slow down (429): wait this long before starting more items. */
  retryAfterMs?: number;
}

export const ERROR_TYPES = {
  /** Pleo or the accounting system is unavailable right now: retried until the outage budget runs out. */
  outage: 'Outage',
  /** Pleo refused a request for good (4xx other than 429): retrying cannot help. */
  pleoRejected: 'PleoRejected',
  /** The accounting system refused the company's set-up (credentials, permissions, configuration). */
  configuration: 'ConfigurationError',
  /** The company is not (any more) in the configuration: nothing can be done for it. */
  unknownCompany: 'UnknownCompany',
} as const;

export const NON_RETRYABLE_ERROR_TYPES = [
  ERROR_TYPES.pleoRejected,
  ERROR_TYPES.configuration,
  ERROR_TYPES.unknownCompany,
];

/**
 * An item activity fails with its Pleo failureReasonType as the failure type and Pleo's message: not
 * retried when the item itself is wrong, retried within the item's attempts when the error is transient
 * and its own (a receipt host answering 503). An outage is not retried by the item: the workflow pauses
 * its window and probes until the system is back.
 */
export const ITEM_NON_RETRYABLE_ERROR_TYPES = [...NON_RETRYABLE_ERROR_TYPES, ERROR_TYPES.outage];

export type { ItemFailureReasonType };
