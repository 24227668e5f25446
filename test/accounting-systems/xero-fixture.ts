// The Xero adapter's fixture for the shared contract suite: the Xero stand-in in process, its books
// read from what the stand-in holds (documents, their ledger effect, attachments), never from the
// adapter's answers; every exchange is checked against Xero's OpenAPI and a mismatch fails verifyBooks.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { XeroConfig } from '../../src/accounting-systems/config';
import { XeroAccountingSystem } from '../../src/accounting-systems/xero/xero';
import { postings } from '@pleo-export/xero-sandbox/booking';
import type { StoredDocument } from '@pleo-export/xero-sandbox/organisation';
import {
  startXeroSandbox,
  type XeroSandbox,
  type XeroSandboxOptions,
} from '@pleo-export/xero-sandbox/server';
import { XeroOpenApi } from '../support/xero-openapi';
import { saveStandInTokens, standInConfig } from '../support/xero-connection';
import type { AdapterFixture } from '../support/adapter-fixtures';

export interface XeroFixture extends AdapterFixture {
  xero(): XeroSandbox;
  make(config?: Partial<XeroConfig>): XeroAccountingSystem;
  /** Live documents carrying the reference. */
  documents(reference: string): StoredDocument[];
  /** OpenAPI mismatches seen so far. */
  mismatches: string[];
  tokenDir(): string;
  tokenKey: string;
}

const TAG = /\[([^\]]+)\]$/;
const GONE = new Set(['DELETED', 'VOIDED']);

/** Tag groups as the demo organisation tracks them; teams are not tracked in Xero. */
export const DEMO_XERO_TRACKING = { DEPT: 'Department', PROJ: 'Project', team: null };

export function xeroFixture(
  options: Partial<XeroSandboxOptions> = {},
  adapter: Partial<XeroConfig> = {},
): XeroFixture {
  let xero: XeroSandbox;
  let dir = '';
  const key = randomBytes(32).toString('hex');
  const elsewhere = randomUUID();
  const contract = new XeroOpenApi();
  const mismatches: string[] = [];
  // The stand-in's clock runs ahead by every Retry-After the adapter waits out: the limits hold as
  // documented while the suite spends no real minutes waiting.
  let offset = 0;
  const sleep = async (ms: number) => void (offset += ms);
  const make = (config: Partial<XeroConfig> = {}) =>
    new XeroAccountingSystem(
      standInConfig(
        xero,
        { tenantId: xero.demo.tenantId, tokenDir: join(dir, 'tokens'), tokenKey: key },
        {
          tracking: DEMO_XERO_TRACKING,
          timeoutMs: 20_000,
          ...adapter,
          ...config,
        },
      ),
      { sleep },
    );
  const live = () => [...xero.demo.documents.values()].filter((d) => !GONE.has(d.status));
  const documents = (reference: string) => live().filter((d) => TAG.exec(d.text)?.[1] === reference);
  return {
    name: 'xero',
    mismatches,
    tokenDir: () => join(dir, 'tokens'),
    tokenKey: key,
    xero: () => xero,
    make,
    documents,
    async start() {
      dir = await mkdtemp(join(tmpdir(), 'xero-contract-'));
      xero = await startXeroSandbox({
        logger: pino({ level: 'silent' }),
        now: () => Date.now() + offset,
        onExchange: (x) => {
          try {
            contract.validate(x);
          } catch (err) {
            mismatches.push((err as Error).message);
          }
        },
        ...options,
      });
      // Tokens for the demo organisation, and for one the user's authorisation does not include.
      for (const tenantId of [xero.demo.tenantId, elsewhere]) {
        await saveStandInTokens(xero, { tenantId, tokenDir: join(dir, 'tokens'), tokenKey: key });
      }
    },
    async stop() {
      await xero?.close();
      await rm(dir, { recursive: true, force: true });
    },
    system: () => make(),
    async closedSystem(date) {
      const end = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7), 0)).toISOString().slice(0, 10);
      if (!xero.demo.periodLockDate || xero.demo.periodLockDate < end) xero.demo.periodLockDate = end;
      return make();
    },
    async entries(reference) {
      return documents(reference).map((d) => ({
        status: d.status === 'DRAFT' ? ('draft' as const) : ('posted' as const),
        postings: postings(xero.demo, d),
      }));
    },
    async attachmentKeys(externalId) {
      const id = externalId.split('/')[1] ?? '';
      return (xero.demo.attachments.get(id) ?? []).map((a) => a.FileName.split('~')[0]!);
    },
    async postLosingReply(document) {
      const collection =
        document.kind === 'journal_entry'
          ? adapter.journalEntries === 'bankTransaction'
            ? '/BankTransactions'
            : '/ManualJournals'
          : document.kind === 'bill_payment'
            ? '/Payments'
            : document.kind === 'supplier_bill'
              ? '/Invoices'
              : '/CreditNotes';
      xero.faults.add({ endpoint: `PUT ${collection}`, kind: 'lost_response', times: 1 });
      return make()
        .post(document)
        .catch((err: unknown) => err);
    },
    broken() {
      return [
        {
          name: 'unreachable URL',
          system: make({ apiUrl: 'http://127.0.0.1:9' }),
          reasonType: 'accounting_system_unreachable' as const,
        },
        {
          name: 'never connected',
          system: make({ tokenDir: join(dir, 'no-tokens') }),
          reasonType: 'accounting_system_authentication_failure' as const,
        },
        {
          name: 'organisation not connected',
          system: make({ tenantId: elsewhere }),
          reasonType: 'invalid_configuration' as const,
        },
        {
          name: 'unknown tracking category',
          system: make({ tracking: { DEPT: 'Cost centre' } }),
          reasonType: 'invalid_configuration' as const,
        },
      ];
    },
    async verifyBooks() {
      const problems = [...mismatches];
      const references = live().map((d) => TAG.exec(d.text)?.[1] ?? `(untagged ${d.type} ${d.id})`);
      for (const reference of new Set(references)) {
        const count = references.filter((r) => r === reference).length;
        if (count > 1) problems.push(`${reference} is booked ${count} times`);
      }
      for (const d of live()) {
        const total = Object.values(postings(xero.demo, d)).reduce((t, v) => t + v, 0);
        if (total !== 0) problems.push(`${d.type} ${d.text} is off by ${total}`);
      }
      return references.length > 0 ? problems : ['no entries were found at all'];
    },
  };
}
