// Stable ids for things the sandbox derives rather than stores (demo chart records, installations).
import { createHash } from 'node:crypto';

/** A UUID-shaped id derived from its parts: the same parts give the same id on every call. */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
