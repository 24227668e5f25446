// Fuzzed export items for the bad-input drill: copies of valid items broken in one way each. Kinds in
// MUST_FAIL cannot be booked and must fail with a specific reason; EDGE kinds are odd but may be
// bookable (huge or non-ASCII notes, zero and negative amounts): they must end final, and if they fail,
// for a specific reason. Neither may crash a worker or stall a workflow.
import { createHash } from 'node:crypto';
import type { ExportItem } from '@pleo-export/pleo-api/types';

export const MUST_FAIL = [
  'schema_wrong_type',
  'schema_missing_lines',
  'schema_unknown_type',
  'missing_account',
  'unbalanced_lines',
  'unknown_currency',
] as const;
export const EDGE = ['huge_note', 'non_ascii_note', 'negative_amount', 'zero_amount'] as const;
export type FuzzKind = (typeof MUST_FAIL)[number] | (typeof EDGE)[number];
const KINDS: FuzzKind[] = [...MUST_FAIL, ...EDGE];

/** A UUID derived from a seed, so a drill's items are the same every run. */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Json = Record<string, unknown>;

/** Applies f to every money value ({ currency, value }) in the item. */
function eachMoney(node: unknown, f: (money: { currency: string; value: number }) => void): void {
  if (Array.isArray(node)) node.forEach((n) => eachMoney(n, f));
  else if (node && typeof node === 'object') {
    const o = node as Json;
    if (typeof o.currency === 'string' && typeof o.value === 'number')
      f(o as { currency: string; value: number });
    else Object.values(o).forEach((n) => eachMoney(n, f));
  }
}

function breakItem(item: Json, kind: FuzzKind): void {
  const lines = item.accountingEntryLines as Json[];
  switch (kind) {
    case 'schema_wrong_type':
      ((item.amount as Json).inWalletCurrency as Json).value = '12.50';
      break;
    case 'schema_missing_lines':
      delete item.accountingEntryLines;
      break;
    case 'schema_unknown_type':
      item.type = 'teleportation';
      break;
    case 'missing_account':
      for (const line of lines) line.account = null;
      break;
    case 'unbalanced_lines': {
      const money = (lines[0]!.lineAmount as Json).inWalletCurrency as Json;
      money.value = (money.value as number) + 1;
      break;
    }
    case 'unknown_currency':
      eachMoney(item, (m) => (m.currency = 'XQZ'));
      break;
    case 'huge_note':
      item.note = `${'Taxi to the airport; '.repeat(25_000)}🚕`;
      break;
    case 'non_ascii_note':
      item.note = 'Æblegrød for holdet — 東京 出張 — Zoë “quotes” \\ "backslash" ; % ~ 🚕\tTab\nNewline';
      break;
    case 'negative_amount':
      eachMoney(item, (m) => (m.value = -Math.abs(m.value)));
      break;
    case 'zero_amount':
      eachMoney(item, (m) => (m.value = 0));
      break;
  }
}

/** Purchases book to their lines' accounts: without them they cannot be booked (other types may not need them). */
const PURCHASES = new Set(['card_purchase', 'out_of_pocket']);

/** `count` broken copies of the given valid items, kinds in turn; returns them with their kind. */
export function fuzzItems(
  valid: ExportItem[],
  count: number,
  seed: string,
): { item: ExportItem; kind: FuzzKind }[] {
  const purchases = valid.filter((v) => PURCHASES.has(v.type));
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const bases = kind === 'missing_account' && purchases.length > 0 ? purchases : valid;
    const item = structuredClone(bases[i % bases.length]!) as unknown as Json;
    item.accountingEntryId = uuidFrom(`${seed}/${i}`);
    breakItem(item, kind);
    return { item: item as unknown as ExportItem, kind };
  });
}
