// Parties for move lines on accounts that require one. Tryton's payable accounts (and, in many real
// charts, the employee liability accounts) refuse a line without a party. A line on a payable account
// gets the vendor's party when the document names a vendor Tryton knows, and one on any other party
// account (what the company owes its employees) the employee's party; only when Pleo names nobody does
// a line go to one of two collective parties an accountant keeps for exactly this: unmatched suppliers,
// "Employees (Pleo)". Parties are looked up by code and created when missing.
import type { TrytonRpc } from './json-rpc';

export const COLLECTIVE_PARTIES = {
  suppliers: { code: 'PLEO-SUPPLIERS', name: 'Suppliers without a vendor (Pleo)' },
  employees: { code: 'PLEO-EMPLOYEES', name: 'Employees (Pleo)' },
} as const;

export type CollectiveParty = keyof typeof COLLECTIVE_PARTIES;

/** The party code of a Pleo user: an employee party the company created with the user's Pleo code wins. */
export function employeePartyCodes(user: { id: string; code?: string }): string[] {
  return [...(user.code ? [user.code] : []), `PLEO-USER-${user.id}`];
}

/**
 * The id of the party with the first of `codes` that exists; else a party with the last code is created.
 * Two first uses at once may both create it; the lowest id is used from then on, so every line lands on
 * one party (the other stays unused).
 */
export async function partyId(
  rpc: TrytonRpc,
  codes: string[],
  name: string,
  context: Record<string, unknown>,
): Promise<number> {
  const find = async (code: string) =>
    (
      await rpc.call<{ id: number }[]>(
        'model.party.party.search_read',
        [[['code', '=', code]], 0, 1, [['id', 'ASC']], ['id']],
        context,
      )
    )[0]?.id;
  for (const code of codes) {
    const existing = await find(code);
    if (existing !== undefined) return existing;
  }
  const code = codes[codes.length - 1]!;
  await rpc.call('model.party.party.create', [[{ code, name }]], context);
  const created = await find(code);
  if (created === undefined) throw new Error(`Tryton did not keep the party ${code}`);
  return created;
}
