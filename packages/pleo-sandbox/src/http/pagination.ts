// Pleo's cursor pagination (CursorPageInfo): opaque base32 cursors (alphabet A-Z2-7=, as the OpenAPI
// pattern ^[A-Z2-7=~]+$ demands), `after`/`before`/`offset`/`limit`, and the request echoed back.
import { SandboxError, type SandboxBehaviour } from '../state';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function unbase32(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, '')) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A cursor names a position in one list; the prefix keeps a cursor from one list out of another. */
export function encodeCursor(list: string, position: number): string {
  return base32(Buffer.from(`${list}:${position}`));
}

function decodeCursor(list: string, cursor: string): number {
  const match = /^(.*):(\d+)$/.exec(unbase32(cursor).toString('utf8'));
  if (!match || match[1] !== list)
    throw new SandboxError(400, 'INVALID_CURSOR', `Cursor ${cursor} is not valid for this list`);
  return Number(match[2]);
}

export interface PageQuery {
  after?: string;
  before?: string;
  offset?: string | number;
  limit?: string | number;
}

export interface PageInfo {
  currentRequestPagination: {
    parameters: Record<string, string[]>;
    after?: string;
    before?: string;
    limit?: number;
    offset?: number;
    sortingKeys: string[];
    sortingOrder: string[];
  };
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string;
  endCursor?: string;
  total: number;
}

function integer(name: string, value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new SandboxError(400, 'BAD_REQUEST', `Query parameter ${name} must be a non-negative integer`);
  return n;
}

/** One page of `all` (already filtered and ordered) per the query, with Pleo's pagination object. */
export function paginate<T>(
  list: string,
  all: T[],
  query: PageQuery,
  parameters: Record<string, string[]>,
  behaviour: Pick<SandboxBehaviour, 'defaultLimit' | 'maxLimit'>,
): { data: T[]; pagination: PageInfo } {
  const { after, before } = query;
  const offset = integer('offset', query.offset);
  if ([after, before, offset].filter((v) => v !== undefined && v !== '').length > 1) {
    throw new SandboxError(400, 'BAD_REQUEST', 'Use only one of after, before and offset');
  }
  for (const [name, cursor] of [
    ['after', after],
    ['before', before],
  ] as const) {
    if (cursor !== undefined && !/^[A-Z2-7=~]+$/.test(cursor))
      throw new SandboxError(400, 'BAD_REQUEST', `Query parameter ${name} must match ^[A-Z2-7=~]+$`);
  }
  const requested = integer('limit', query.limit);
  const limit = Math.min(requested || behaviour.defaultLimit, behaviour.maxLimit);
  let start: number;
  let end: number;
  if (before) {
    end = Math.min(decodeCursor(list, before), all.length);
    start = Math.max(0, end - limit);
  } else {
    start = after ? decodeCursor(list, after) + 1 : (offset ?? 0);
    end = Math.min(start + limit, all.length);
  }
  const data = all.slice(start, end);
  return {
    data,
    pagination: {
      currentRequestPagination: {
        parameters,
        ...(after ? { after } : {}),
        ...(before ? { before } : {}),
        ...(offset !== undefined ? { offset } : {}),
        limit,
        sortingKeys: [],
        sortingOrder: [],
      },
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      ...(data.length > 0
        ? { startCursor: encodeCursor(list, start), endCursor: encodeCursor(list, end - 1) }
        : {}),
      total: all.length,
    },
  };
}
