// Every valid export item books into Tryton, including those whose journal entries touch accounts that
// require a party (accounts payable; the employee liability accounts): each such line carries a party —
// on payables the vendor Pleo names, on employee accounts the Pleo user's party, the collective party
// an accountant keeps for it only when Pleo names nobody — and a second post of the same document adds nothing.
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { buildDocuments, vendorToResolve } from '../../src/accounting/core';
import { demoAccountingConfig } from '../../src/demo/accounting-config';
import type { AccountingDocument } from '../../src/accounting/core/documents';
import { TrytonAccountingSystem } from '../../src/accounting-systems/tryton/tryton';
import { TrytonRpc } from '../../src/accounting-systems/tryton/json-rpc';
import { COLLECTIVE_PARTIES } from '../../src/accounting-systems/tryton/parties';
import { DEMO_ACCOUNTS } from '@pleo-export/demo-company/chart';
import { startTryton, type TrytonServer } from '../support/tryton';

let server: TrytonServer;
let adapter: TrytonAccountingSystem;
let admin: TrytonRpc;
beforeAll(async () => {
  server = await startTryton();
  adapter = new TrytonAccountingSystem(server.config);
  admin = new TrytonRpc(server.config);
}, 300_000);
afterAll(() => server?.stop());

const config = demoAccountingConfig();
const PAYABLE_ACCOUNTS: string[] = [
  DEMO_ACCOUNTS.accountsPayable.code,
  DEMO_ACCOUNTS.accountsPayableAcme.code,
];
const PARTY_ACCOUNTS: string[] = [
  DEMO_ACCOUNTS.accountsPayable.code,
  DEMO_ACCOUNTS.accountsPayableAcme.code,
  DEMO_ACCOUNTS.outOfPocket.code,
  DEMO_ACCOUNTS.externalReimbursement.code,
];

/** Valid items' journal entries and payments that post on a party account, a few per kind of item. */
async function partyDocuments(): Promise<{ item: string; document: AccountingDocument }[]> {
  const items = generateExportItems({
    seed: 'tryton-parties',
    count: 1000,
    companyId: 'company-parties',
    fileBaseUrl: 'http://127.0.0.1:9',
    mix: 'valid',
  });
  const perKind = new Map<string, number>();
  const found: { item: string; document: AccountingDocument }[] = [];
  for (const item of items) {
    const kind = `${item.type}/${item.subType ?? '-'}/${item.bookkeeping?.method ?? 'legacy'}`;
    if ((perKind.get(kind) ?? 0) >= 2) continue;
    const ref = vendorToResolve(item, config);
    const vendor = ref ? await adapter.resolveVendor(ref) : undefined;
    const built = buildDocuments(item, config, { vendor, target: adapter.capabilities });
    if (!built.ok) throw new Error(`${kind} ${item.accountingEntryId}: ${built.failure.message}`);
    const documents = built.documents.filter(
      (d) => d.kind !== 'supplier_bill' && d.kind !== 'supplier_credit_note',
    );
    if (!documents.some((d) => d.postings.some((p) => PARTY_ACCOUNTS.includes(p.account.code)))) continue;
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    found.push(...documents.map((document) => ({ item: kind, document })));
  }
  return found;
}

async function linesOf(reference: string) {
  const moves = await admin.call<{ id: number; state: string }[]>('model.account.move.search_read', [
    [['number', '=', reference]],
    0,
    null,
    null,
    ['id', 'state'],
  ]);
  const lines = await admin.call<{ account: number; party: number | null }[]>(
    'model.account.move.line.search_read',
    [[['move', 'in', moves.map((m) => m.id)]], 0, null, null, ['account', 'party']],
  );
  const codes = async (model: string, ids: number[]) =>
    new Map(
      (await admin.call<{ id: number; code: string }[]>(`model.${model}.read`, [ids, ['code']])).map((r) => [
        r.id,
        r.code,
      ]),
    );
  const accounts = await codes(
    'account.account',
    lines.map((l) => l.account),
  );
  const parties = await codes(
    'party.party',
    lines.flatMap((l) => (l.party === null ? [] : [l.party])),
  );
  return {
    moves,
    lines: lines.map((l) => ({
      account: accounts.get(l.account),
      party: l.party === null ? undefined : parties.get(l.party),
    })),
  };
}

test('journal entries on accounts payable and employee liabilities book once, each such line with its party', async () => {
  const documents = await partyDocuments();
  const kinds = new Set(documents.map((d) => d.item));
  // The kinds that were refused before parties were set: payable journal entries, payments, out of pocket.
  expect(
    [...kinds].filter((k) => /^(invoice|invoice_payment|out_of_pocket)\//.test(k)).length,
  ).toBeGreaterThan(2);

  const refused: string[] = [];
  for (const { item, document } of documents) {
    const problem = await adapter.validate(document);
    if (problem) refused.push(`${item}: ${problem.message}`);
    else await adapter.post(document).catch((err: Error) => refused.push(`${item}: ${err.message}`));
  }
  expect(refused).toEqual([]);

  for (const { item, document } of documents) {
    await adapter.post(document); // again: a retry finds the entry
    const { moves, lines } = await linesOf(document.reference);
    expect({ item, moves: moves.map((m) => m.state) }).toEqual({ item, moves: [document.status] });
    for (const posting of document.postings.filter((p) => PARTY_ACCOUNTS.includes(p.account.code))) {
      const line = lines.find((l) => l.account === posting.account.code);
      // Payables carry the vendor Pleo names (else the collective supplier); employee accounts the Pleo user.
      const vendor =
        document.kind !== 'supplier_bill' && document.kind !== 'supplier_credit_note' && document.vendor;
      const expected = PAYABLE_ACCOUNTS.includes(posting.account.code)
        ? ((vendor && (await adapter.resolveVendor(vendor))?.externalId) ?? COLLECTIVE_PARTIES.suppliers.code)
        : document.user
          ? `PLEO-USER-${document.user.id}`
          : COLLECTIVE_PARTIES.employees.code;
      expect({ item, account: posting.account.code, party: line?.party }).toEqual({
        item,
        account: posting.account.code,
        party: expected,
      });
    }
  }
}, 600_000);
