// Pleo's failure reason enums (Export API v3). Free of Node-only code: workflows import this module.

/** `failureReasonType` on a job event (`failed`) — ExportJobFailureReasonType. */
export const JOB_FAILURE_REASON_TYPES = [
  'invalid_configuration',
  'missing_configuration',
  'authentication_failure',
  'accounting_system_authentication_failure',
  'pleo_rate_limit',
  'accounting_system_rate_limit',
  'service_unreachable',
  'accounting_system_unreachable',
  'validation_failure',
  'authorization_failure',
  'integration_unusable',
  'job_expired',
  'service_timeout',
  'accounting_system_timeout',
  'canceled_by_user',
] as const;
export type JobFailureReasonType = (typeof JOB_FAILURE_REASON_TYPES)[number];

/** `failureReasonType` on a job item — ExportJobItemFailureReasonType. */
export const ITEM_FAILURE_REASON_TYPES = [
  'receipt_upload_failure',
  'receipt_download_failure',
  'receipt_file_size_limit_exceeded',
  'receipt_conversion_failure',
  'unexpected_failure',
  'invalid_configuration',
  'missing_configuration',
  'accounting_system_authentication_failure',
  'accounting_system_rate_limit',
  'accounting_system_unreachable',
  'validation_failure',
  'accounting_system_validation_failure',
  'authorization_failure',
  'accounting_system_timeout',
  'vendor_unknown',
  'account_unknown',
  'tax_code_unknown',
  'tag_unknown',
] as const;
export type ItemFailureReasonType = (typeof ITEM_FAILURE_REASON_TYPES)[number];
