// The consolidated description (Pleo: supplier name + user name + note), shortened to the target's
// field length without ever losing the reconciliation id, which bookkeepers search by.
export function consolidatedDescription(
  parts: { supplier?: string | null; user?: string | null; note?: string | null },
  reconciliationId: string,
  maxLength: number,
): string {
  const suffix = ` [${reconciliationId}]`;
  const clean = (text?: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
  const supplier = clean(parts.supplier);
  const user = clean(parts.user);
  const note = clean(parts.note);
  const join = (u: string, n: string) => [supplier, u, n].filter(Boolean).join(' · ');
  const room = maxLength - suffix.length;

  let body = join(user, note);
  if ([...body].length > room) body = join(initials(user), note); // Pleo: "use initials when length-limited"
  if ([...body].length > room) body = truncate(body, room);
  return `${body}${suffix}`;
}

function initials(name: string): string {
  return name
    .split(' ')
    .filter(Boolean)
    .map((word) => `${[...word][0]}.`)
    .join('');
}

/** Cuts by characters (not UTF-16 units), so non-ASCII text is never split mid-character. */
function truncate(text: string, room: number): string {
  const chars = [...text];
  return chars.length <= room ? text : `${chars.slice(0, Math.max(0, room - 1)).join('')}…`;
}
