// Parties for move lines on accounts that require one. Tryton's payable accounts (and, in many real
// charts, the employee liability accounts) refuse a line without a party. A line gets the vendor's party
// when the document names a vendor Tryton knows; otherwise one of two collective parties an accountant
// would keep for exactly this: unmatched suppliers for accounts payable, "Employees (Pleo)" for employee
// reimbursement and out-of-pocket liabilities. They are looked up by code and created when missing.
import type { Posting } from '../../accounting/core/documents';
import type { TrytonRpc } from './json-rpc';

export const COLLECTIVE_PARTIES = {
  suppliers: { code: 'PLEO-SUPPLIERS', name: 'Suppliers without a vendor (Pleo)' },
  employees: { code: 'PLEO-EMPLOYEES', name: 'Employees (Pleo)' },
} as const;

export type CollectiveParty = keyof typeof COLLECTIVE_PARTIES;

/** The funding side of a journal entry on a party account is what the company owes its employees (out of pocket, reimbursements); any other line there is a supplier's. */
export function collectivePartyOf(posting: Posting): CollectiveParty {
  return posting.role === 'funding' ? 'employees' : 'suppliers';
}

/**
 * The collective party's id, created once when missing. Two first uses at once may both create it; the
 * lowest id is used from then on, so every line lands on one party (the other stays unused).
 */
export async function collectivePartyId(
  rpc: TrytonRpc,
  which: CollectiveParty,
  context: Record<string, unknown>,
): Promise<number> {
  const { code, name } = COLLECTIVE_PARTIES[which];
  const find = async () =>
    (
      await rpc.call<{ id: number }[]>(
        'model.party.party.search_read',
        [[['code', '=', code]], 0, 1, [['id', 'ASC']], ['id']],
        context,
      )
    )[0]?.id;
  const existing = await find();
  if (existing !== undefined) return existing;
  await rpc.call('model.party.party.create', [[{ code, name }]], context);
  const created = await find();
  if (created === undefined) throw new Error(`Tryton did not keep the party ${code}`);
  return created;
}
