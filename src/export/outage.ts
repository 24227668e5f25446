import { PleoApiError } from '../pleo/errors';
import { AccountingSystemError } from '../accounting-systems/port';

/** True when the error means "try again later" (Pleo or the accounting system is unavailable), not "this item is wrong". */
export function isOutage(err: unknown): boolean {
  return (
    (err instanceof PleoApiError && err.retryable) ||
    (err instanceof AccountingSystemError && err.kind.retryable)
  );
}
