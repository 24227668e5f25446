// ApplicationFailure types activities throw, shared with workflows. Free of Node-only code.
import type { ItemFailureReasonType, JobFailureReasonType } from './failure-reasons';

/** Details attached to every failure an activity throws, so the workflow can fail the job precisely. */
export interface FailureClassification {
  jobFailureReasonType: JobFailureReasonType;
  message: string;
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

export type { ItemFailureReasonType };
