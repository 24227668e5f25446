import type { ItemFailure } from '../shared/failure-reasons';

/** A receipt problem with the Pleo reason type it is reported as; transient ones are worth a retry. */
export class ReceiptError extends Error {
  constructor(
    readonly failure: ItemFailure,
    readonly transient = false,
  ) {
    super(failure.message);
    this.name = 'ReceiptError';
  }
}

export const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
