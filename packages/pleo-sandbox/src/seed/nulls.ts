// Pleo's services send `null` for many absent optional values (a vendor's `registrationNumber: null`).
// Seed data can do the same, so every reader of the sandbox meets such items.
import * as optionalFields from '@pleo-export/pleo-api/generated/optional-fields';
import { optionalPaths } from '@pleo-export/pleo-api/null-tolerance';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { Random } from './random';

const ITEM_PATHS = optionalPaths(optionalFields.ExportItemV3);

/** Draws, for each optional field an item leaves out, whether to send it as `null` instead. */
export class AbsentAsNull {
  readonly #r: Random;

  constructor(
    seed: string,
    readonly share: number,
  ) {
    this.#r = new Random(`${seed}/nulls`);
  }

  /** The item with a `share` of its absent optional fields present as `null`; present values are kept. */
  apply(item: ExportItem): ExportItem {
    if (this.share <= 0) return item;
    // A copy: items share parts (a vendor, an account) with the seed's catalog and with each other.
    const copy = structuredClone(item);
    for (const path of ITEM_PATHS) this.#fill(copy, path);
    return copy;
  }

  #fill(value: unknown, path: readonly (string | [])[]): void {
    const [head, ...rest] = path;
    if (Array.isArray(head)) {
      if (Array.isArray(value)) for (const element of value) this.#fill(element, rest);
      return;
    }
    if (value === null || typeof value !== 'object' || head === undefined) return;
    const record = value as Record<string, unknown>;
    if (rest.length > 0) this.#fill(record[head], rest);
    else if (record[head] === undefined && this.#r.chance(this.share)) record[head] = null;
  }
}
