// The consolidated description (Pleo: supplier name + user name + note), shortened to the target's
// field length without ever losing the reconciliation id, which bookkeepers search by.

const clean = (text?: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const length = (text: string) => [...text].length;
const idTag = (reconciliationId: string) => `[${reconciliationId}]`;

/** True when the reconciliation id alone fits the description field (else the item cannot be described). */
export function reconciliationIdFits(reconciliationId: string, maxLength: number): boolean {
  return length(idTag(clean(reconciliationId))) <= maxLength;
}

export function consolidatedDescription(
  parts: { supplier?: string | null; user?: string | null; note?: string | null },
  reconciliationId: string,
  maxLength: number,
): string {
  const supplier = clean(parts.supplier);
  const user = clean(parts.user);
  const note = clean(parts.note);
  const join = (u: string) => [supplier, u, note].filter(Boolean).join(' · ');
  const room = maxLength - length(idTag(clean(reconciliationId))) - 1;
  const body = length(join(user)) > room ? join(initials(user)) : join(user); // Pleo: "use initials when length-limited"
  return fit(body, reconciliationId, maxLength);
}

/**
 * The description with a note in front (e.g. why the date moved), still within the field length and still
 * ending with the reconciliation id; the original text is what gets shortened.
 */
export function annotatedDescription(
  description: string,
  note: string,
  reconciliationId: string,
  maxLength: number,
): string {
  const tag = idTag(clean(reconciliationId));
  const body = description.endsWith(tag) ? description.slice(0, -tag.length).trim() : description;
  return fit(body ? `${clean(note)}: ${body}` : clean(note), reconciliationId, maxLength);
}

function fit(body: string, reconciliationId: string, maxLength: number): string {
  const tag = idTag(clean(reconciliationId));
  const room = maxLength - length(tag) - 1;
  const shortened = room > 1 ? truncate(body, room) : '';
  return shortened ? `${shortened} ${tag}` : tag;
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
  return chars.length <= room
    ? text
    : `${chars
        .slice(0, room - 1)
        .join('')
        .trimEnd()}…`;
}
