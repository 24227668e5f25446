// How the core stops on a bad item: a typed item failure thrown inside the builder and returned by
// buildDocuments, so one item's problem never becomes an exception for the caller.
import type { ItemFailure } from '../../shared/failure-reasons';

export class ItemError extends Error {
  constructor(readonly failure: ItemFailure) {
    super(failure.message);
  }
}

export const fail = (reasonType: ItemFailure['reasonType'], message: string): never => {
  throw new ItemError({ reasonType, message });
};

/** A record lookup that ignores inherited keys ("constructor", "__proto__" are not configured accounts). */
export function own<T>(record: Record<string, T>, key: string | null | undefined): T | undefined {
  return key !== null && key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
