// One fixture per adapter for the shared contract suite: how to get the adapter, and how to read its
// books directly (the ledger file; Tryton's records as the admin over its own RPC) — never via the
// adapter under test.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountingSystem } from '../../src/accounting-systems/port';
import type { AccountingDocument } from '../../src/accounting/core/documents';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { TrytonAccountingSystem } from '../../src/accounting-systems/tryton/tryton';
import { TrytonRpc } from '../../src/accounting-systems/tryton/json-rpc';
import type { TrytonConfig } from '../../src/accounting-systems/config';
import type { JobFailureReasonType } from '../../src/shared/failure-reasons';
import { startTryton, type TrytonServer } from './tryton';
import { dropNextReply, startLossyProxy, type LossyProxy } from './lossy-proxy';

/** An entry as the books hold it. */
export interface StoredEntry {
  status: 'draft' | 'posted';
  /** Σ amount per account code in minor units (debit positive). */
  postings: Record<string, number>;
}

export interface AdapterFixture {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  system(): AccountingSystem;
  /** The adapter over books whose period holding `date` is closed (closing it first where the AS can). */
  closedSystem(date: string): Promise<AccountingSystem>;
  entries(reference: string): Promise<StoredEntry[]>;
  /** Attachment keys stored on an entry. */
  attachmentKeys(externalId: string): Promise<string[]>;
  /** Posts so that the AS processes the document but the caller never gets the reply; returns what the caller saw. */
  postLosingReply(document: AccountingDocument): Promise<unknown>;
  /** Misconfigured or unavailable adapters and the readiness reason each must give. */
  broken(): { name: string; system: AccountingSystem; reasonType: JobFailureReasonType }[];
  /** Independent validation of everything written (bean-check for the ledger; Tryton's stored records). */
  verifyBooks(): Promise<string[]>;
}

const amountToMinor = (text: string) => {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return text.startsWith('-') ? -value : value;
};

export function ledgerFixture(): AdapterFixture {
  let dir = '';
  const systems: AccountingSystem[] = [];
  const make = (extra: { lockDate?: string; dir?: string } = {}) => {
    const system = new LedgerAccountingSystem({
      type: 'ledger',
      dir: extra.dir ?? dir,
      fileName: 'ledger.beancount',
      chart: 'demo',
      lockDate: extra.lockDate,
    });
    systems.push(system);
    return system;
  };
  const blocks = async () =>
    (await readFile(join(dir, 'ledger.beancount'), 'utf8').catch(() => '')).split('\n\n');
  return {
    name: 'ledger',
    async start() {
      dir = await mkdtemp(join(tmpdir(), 'ledger-contract-'));
    },
    async stop() {
      for (const s of systems) await s.close();
      await rm(dir, { recursive: true, force: true });
    },
    system: () => make(),
    closedSystem: async (date) => make({ lockDate: lastDayOfMonth(date) }),
    async entries(reference) {
      const all = await blocks();
      // Accounts are named "<code>-<name>"; their open directives say which code each stands for.
      const codeOf = new Map(
        all
          .flatMap((b) => [...b.matchAll(/^\d{4}-\d{2}-\d{2} open (\S+)\n {2}code: "([^"]*)"/gm)])
          .map((m) => [m[1]!, m[2]!]),
      );
      return all
        .filter((b) => /^\d{4}-\d{2}-\d{2} [*!] /.test(b) && b.includes(`pleo-ref: "${reference}"`))
        .map((b) => {
          const lines = [...b.matchAll(/^ {2}(\S+:\S+) +(-?[\d.]+) [A-Z]{3}$/gm)];
          const postings: Record<string, number> = {};
          for (const [, account, amount] of lines) {
            const code = codeOf.get(account!) ?? `(not opened: ${account})`;
            postings[code] = (postings[code] ?? 0) + amountToMinor(amount!);
          }
          return { status: b.slice(11, 12) === '*' ? 'posted' : 'draft', postings };
        });
    },
    async attachmentKeys(externalId) {
      return (await blocks())
        .filter((b) => / document /.test(b) && b.includes(`pleo-ref: "${externalId}"`))
        .map((b) => /receipt-key: "([^"]*)"/.exec(b)?.[1] ?? '');
    },
    async postLosingReply(document) {
      // The process that wrote the entry dies before using the answer: only the file remains.
      await make().post(document);
      return 'reply discarded';
    },
    broken() {
      return [
        {
          name: 'ledger folder cannot be created',
          system: make({ dir: '/dev/null/ledger' }),
          reasonType: 'accounting_system_unreachable',
        },
      ];
    },
    async verifyBooks() {
      return (await runBeanCheck(join(dir, 'ledger.beancount'))).map((e) => `${e.line}: ${e.message}`);
    },
  };
}

function lastDayOfMonth(date: string): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

export function trytonFixture(): AdapterFixture {
  let server: TrytonServer;
  let admin: TrytonRpc;
  let proxy: LossyProxy;
  const make = (config: Partial<TrytonConfig> = {}) =>
    new TrytonAccountingSystem({ ...server.config, ...config });
  const company = async () =>
    (await admin.call<{ id: number }[]>('model.company.company.search_read', [[], 0, 1, null, ['id']]))[0]!
      .id;
  const codes = async (ids: number[]) =>
    new Map(
      (await admin.call<{ id: number; code: string }[]>('model.account.account.read', [ids, ['code']])).map(
        (a) => [a.id, a.code],
      ),
    );
  const linesOf = async (lineIds: number[]) => {
    const lines = await admin.call<{ account: number; debit: string; credit: string }[]>(
      'model.account.move.line.read',
      [lineIds, ['account', 'debit', 'credit']],
    );
    const names = await codes(lines.map((l) => l.account));
    return lines.map((l) => ({
      account: names.get(l.account)!,
      amount: amountToMinor(l.debit) - amountToMinor(l.credit),
    }));
  };
  const sum = (rows: { account: string; amount: number }[]) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[r.account] = (out[r.account] ?? 0) + r.amount;
    for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
    return out;
  };
  return {
    name: 'tryton',
    async start() {
      server = await startTryton();
      admin = new TrytonRpc({ ...server.config });
      proxy = await startLossyProxy(() => server.config.url);
    },
    async stop() {
      await proxy?.close();
      await server?.stop();
    },
    system: () => make(),
    async closedSystem(date) {
      const periods = await admin.call<{ id: number; state: string }[]>('model.account.period.search_read', [
        [
          [
            'start_date',
            '<=',
            { __class__: 'date', year: +date.slice(0, 4), month: +date.slice(5, 7), day: +date.slice(8, 10) },
          ],
          [
            'end_date',
            '>=',
            { __class__: 'date', year: +date.slice(0, 4), month: +date.slice(5, 7), day: +date.slice(8, 10) },
          ],
          ['type', '=', 'standard'],
        ],
        0,
        null,
        null,
        ['id', 'state'],
      ]);
      const open = periods.filter((p) => p.state === 'open').map((p) => p.id);
      if (open.length) await admin.call('model.account.period.close', [open], { company: await company() });
      return make();
    },
    async entries(reference) {
      const context = { company: await company() };
      const moves = await admin.call<{ state: string; lines: number[] }[]>(
        'model.account.move.search_read',
        [[['number', '=', reference]], 0, null, null, ['state', 'lines']],
        context,
      );
      const invoices = await admin.call<
        {
          state: string;
          move: number | null;
          lines: number[];
          taxes: number[];
          account: number;
          total_amount: string;
          comment: string;
        }[]
      >(
        'model.account.invoice.search_read',
        [
          [['comment', 'like', `pleo-ref: ${reference}%`]],
          0,
          null,
          null,
          ['state', 'move', 'lines', 'taxes', 'account', 'total_amount', 'comment'],
        ],
        context,
      );
      const out: StoredEntry[] = [];
      for (const m of moves)
        out.push({
          status: m.state === 'posted' ? 'posted' : 'draft',
          postings: sum(await linesOf(m.lines)),
        });
      for (const inv of invoices.filter(
        (i) => i.comment.split('\n')[0] === `pleo-ref: ${reference}` && i.state !== 'cancelled',
      )) {
        if (inv.move) {
          const [move] = await admin.call<{ lines: number[] }[]>(
            'model.account.move.read',
            [[inv.move], ['lines']],
            context,
          );
          out.push({ status: 'posted', postings: sum(await linesOf(move!.lines)) });
          continue;
        }
        // A draft invoice has no move yet: its lines, taxes and total are what it will post.
        const lines = await admin.call<{ account: number; amount: string }[]>(
          'model.account.invoice.line.read',
          [inv.lines, ['account', 'amount']],
          context,
        );
        const taxes = await admin.call<{ account: number; amount: string }[]>(
          'model.account.invoice.tax.read',
          [inv.taxes, ['account', 'amount']],
          context,
        );
        const names = await codes([...lines, ...taxes].map((l) => l.account).concat(inv.account));
        out.push({
          status: 'draft',
          postings: sum([
            ...[...lines, ...taxes].map((l) => ({
              account: names.get(l.account)!,
              amount: amountToMinor(l.amount),
            })),
            { account: names.get(inv.account)!, amount: -amountToMinor(inv.total_amount) },
          ]),
        });
      }
      return out;
    },
    async attachmentKeys(externalId) {
      const rows = await admin.call<{ description: string }[]>('model.ir.attachment.search_read', [
        [['resource', '=', externalId]],
        0,
        null,
        null,
        ['description'],
      ]);
      return rows.map((r) => r.description.replace(/^pleo-receipt: /, ''));
    },
    async postLosingReply(document) {
      const kind =
        document.kind === 'journal_entry' || document.kind === 'bill_payment'
          ? 'account.move'
          : 'account.invoice';
      dropNextReply(proxy, `model.${kind}.create`);
      return make({ url: proxy.url })
        .post(document)
        .catch((err: unknown) => err);
    },
    async verifyBooks() {
      // Every reference stands for one entry, and every move balances to the cent.
      const problems: string[] = [];
      const context = { company: await company() };
      const moves = await admin.call<{ number: string; lines: number[] }[]>(
        'model.account.move.search_read',
        [[], 0, null, null, ['number', 'lines']],
        context,
      );
      const invoices = await admin.call<{ comment: string | null; state: string }[]>(
        'model.account.invoice.search_read',
        [[], 0, null, null, ['comment', 'state']],
        context,
      );
      const references = [
        ...moves.map((m) => m.number).filter((n) => n.startsWith('pleo-')),
        ...invoices
          .filter((i) => i.state !== 'cancelled' && i.comment?.startsWith('pleo-ref: '))
          .map((i) => i.comment!.split('\n')[0]!.slice('pleo-ref: '.length)),
      ];
      for (const reference of new Set(references)) {
        const count = references.filter((r) => r === reference).length;
        if (count > 1) problems.push(`${reference} is booked ${count} times`);
      }
      for (const move of moves) {
        const total = (await linesOf(move.lines)).reduce((t, l) => t + l.amount, 0);
        if (total !== 0) problems.push(`move ${move.number} is off by ${total}`);
      }
      return references.length > 0 ? problems : ['no entries were found at all'];
    },
    broken() {
      return [
        {
          name: 'wrong password',
          system: make({ password: 'not-the-password' }),
          reasonType: 'accounting_system_authentication_failure',
        },
        {
          name: 'unreachable URL',
          system: make({ url: 'http://127.0.0.1:9' }),
          reasonType: 'accounting_system_unreachable',
        },
        {
          name: 'unknown company',
          system: make({ company: 'No Such Company' }),
          reasonType: 'invalid_configuration',
        },
        {
          name: 'unknown journal',
          system: make({ journals: { ...server.config.journals, bill: 'NOPE' } }),
          reasonType: 'invalid_configuration',
        },
      ];
    },
  };
}

export async function writeReceipt(
  dir: string,
  name: string,
  content: string,
): Promise<{ path: string; size: number }> {
  const path = join(dir, name);
  await writeFile(path, content);
  return { path, size: Buffer.byteLength(content) };
}
