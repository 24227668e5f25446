// The subset of Xero's `where` filter the adapter uses: `Field=="text"`, `Field.Contains("text")`,
// `Field.StartsWith("text")` and `Field.EndsWith("text")` on (dotted) fields, joined by AND / OR
// (AND binds tighter). Anything else is refused, as Xero refuses a filter it cannot parse.
type Json = Record<string, unknown>;
type Test = (row: Json) => boolean;

const CONDITION =
  /^\s*([A-Za-z][\w.]*)\s*(?:==\s*"((?:[^"\\]|\\.)*)"|\.(Contains|StartsWith|EndsWith)\("((?:[^"\\]|\\.)*)"\))\s*$/;

const field = (row: Json, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), row);

export class WhereError extends Error {}

export function parseWhere(text: string): Test {
  const any = text.split(/\s+OR\s+/).map((part) => {
    const all = part.split(/\s+AND\s+/).map((c): Test => {
      const m = CONDITION.exec(c);
      if (!m) throw new WhereError(`Unsupported where clause: ${c}`);
      const [, path, equal, op, arg] = m;
      const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
      if (equal !== undefined) return (row) => field(row, path!) === unescape(equal);
      const needle = unescape(arg!).toLowerCase();
      return (row) => {
        const value = field(row, path!);
        if (typeof value !== 'string') return false;
        const v = value.toLowerCase();
        return op === 'Contains'
          ? v.includes(needle)
          : op === 'StartsWith'
            ? v.startsWith(needle)
            : v.endsWith(needle);
      };
    });
    return (row: Json) => all.every((t) => t(row));
  });
  return (row) => any.some((t) => t(row));
}
