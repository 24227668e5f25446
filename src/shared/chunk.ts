/** Splits a list into consecutive batches of at most `size` (Pleo accepts ≤100 item updates per request). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
