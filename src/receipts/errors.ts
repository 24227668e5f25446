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

/** 30 MB, 30.04 MB: two decimals at most, so a file just over a limit does not read as equal to it. */
export const megabytes = (bytes: number) => `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;
