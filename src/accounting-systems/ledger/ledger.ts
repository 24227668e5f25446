// The embedded ledger: one beancount file per company, needing nothing installed. Drafts are flagged
// `!`, posted entries `*` (the file's header says so); the deterministic reference and Pleo's ids are
// transaction metadata; accounts carry the chart's code and name.
// Writes are group-committed: the posts and attachments waiting in this process go out together under
// one cross-process lock, as one append and one fsync, before any of them is acknowledged. Under the
// lock each looks its reference up first (the index is brought up to date from the file's new tail), so
// an entry is never written twice, whichever process retries; a torn tail left by a crash is cut off
// by the next writer.
import { constants } from 'node:fs';
import { access, copyFile, mkdir, open, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AccountingDocument, VendorRef } from '../../accounting/core/documents';
import { PLEO_MESSAGES, type ItemFailure } from '../../shared/failure-reasons';
import {
  DEMO_ACCOUNTS,
  DEMO_TAG_GROUPS,
  DEMO_TAX_CODES,
  DEMO_TEAMS,
  DEMO_VENDORS,
} from '@pleo-export/demo-company/chart';
import {
  AccountingSystemError,
  PeriodClosedError,
  type AccountingSystem,
  type AttachmentFile,
  type Capabilities,
  type PostedDocument,
  type Readiness,
  type ResolvedVendor,
} from '../port';
import type { Chart, LedgerConfig } from '../config';
import { withFileLock } from '../../util/file-lock';
import { WriteLimiter } from '../../util/rate-limiter';
import { payablesOfBlock, settleFx, type OpenPayable } from './fx-settlement';
import {
  accountOf,
  beancountAccount,
  byDateAndReference,
  quote,
  renderHeader,
  renderOpenDirectives,
  renderTransaction,
} from './render';

export const DEMO_CHART: Chart = {
  accounts: Object.values(DEMO_ACCOUNTS).map((a) => ({ code: a.code, name: a.name, kind: a.kind })),
  taxCodes: Object.keys(DEMO_TAX_CODES),
  dimensions: {
    ...Object.fromEntries(Object.entries(DEMO_TAG_GROUPS).map(([g, v]) => [g, [...v]])),
    team: [...DEMO_TEAMS],
  },
  vendors: DEMO_VENDORS.map((v) => ({ ...v })),
};

/** What the index keeps of an entry: a few short strings and a number, never the block they came from. */
interface IndexEntry {
  reference: string;
  createdAt: string;
  /** The line the transaction starts on: its link into the file. */
  line: number;
  account: string;
  /** The entry's own date: its receipts are dated with it, so reports show them side by side. */
  date: string;
}

interface PendingWrite {
  prepare(): Promise<{ text: string; result: () => unknown }>;
  /** Posts written together are appended by date, then reference, whatever order they came in. */
  order?: { date: string; reference: string };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class LedgerAccountingSystem implements AccountingSystem {
  readonly name = 'ledger';
  readonly capabilities: Capabilities;
  readonly file: string;
  readonly #chart?: Chart;
  readonly #limiter?: WriteLimiter;
  #index = new Map<string, IndexEntry>();
  #receiptKeys = new Set<string>();
  /** Opened accounts: beancount name → chart code. */
  #opened = new Map<string, string>();
  /** Bytes of the file the index covers, and which file (a replaced file is read again from the start). */
  #indexedSize = -1;
  #indexedInode = -1;
  /** Payable postings per Pleo accounting entry id, for settling supplier-currency payables (fx-settlement.ts). */
  #payables = new Map<string, OpenPayable[]>();
  #lineCount = 1;
  /** Writes waiting for the next group commit. */
  #pending: PendingWrite[] = [];
  /** Index readers and group commits, one at a time (both move the index forward). */
  #indexQueue: Promise<unknown> = Promise.resolve();
  #committing?: Promise<void>;
  #dirReady?: Promise<unknown>;

  constructor(private readonly config: LedgerConfig) {
    this.file = join(config.dir, config.fileName);
    this.#chart = config.chart === 'demo' ? DEMO_CHART : config.chart;
    this.#limiter = config.writeLimit ? new WriteLimiter(config.writeLimit) : undefined;
    const { perSecond, perMinute } = config.writeLimit ?? {};
    const writesPerSecond = Math.min(perSecond ?? Infinity, perMinute ? perMinute / 60 : Infinity);
    this.capabilities = {
      accountsPayable: false,
      attachments: { mode: 'many', maxBytes: 100 * 1024 * 1024, types: [] },
      drafts: true,
      foreignCurrencyDocuments: false,
      dimensions: true,
      // A configured write limit is declared, so each job paces its writes to it across every worker.
      ...(Number.isFinite(writesPerSecond)
        ? { limits: { callsPerSecond: writesPerSecond, counts: 'writes' as const } }
        : {}),
    };
  }

  async checkReady(): Promise<Readiness> {
    try {
      await mkdir(this.config.dir, { recursive: true });
      await access(this.config.dir, constants.W_OK);
      return { ok: true };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        return {
          ok: false,
          reasonType: 'authorization_failure',
          message: `The ledger folder ${this.config.dir} is not writable (${code}); grant write access.`,
        };
      }
      return {
        ok: false,
        reasonType: 'accounting_system_unreachable',
        message: `The ledger folder ${this.config.dir} cannot be reached (${code ?? (err as Error).message}).`,
      };
    }
  }

  async validate(document: AccountingDocument): Promise<ItemFailure | undefined> {
    const chart = this.#chart;
    if (!chart) return undefined;
    const accounts = new Set(chart.accounts.map((a) => a.code));
    for (const posting of document.postings) {
      if (!accounts.has(posting.account.code))
        return { reasonType: 'account_unknown', message: PLEO_MESSAGES.accountUnknown(posting.account.code) };
      if (posting.taxCode && !chart.taxCodes.includes(posting.taxCode)) {
        return { reasonType: 'tax_code_unknown', message: PLEO_MESSAGES.taxCodeUnknown(posting.taxCode) };
      }
      for (const dimension of posting.dimensions) {
        if (!chart.dimensions[dimension.group]?.includes(dimension.code)) {
          return { reasonType: 'tag_unknown', message: PLEO_MESSAGES.tagUnknown(dimension.code) };
        }
      }
    }
    if (document.kind !== 'journal_entry' && !(await this.resolveVendor(document.vendor))) {
      return { reasonType: 'vendor_unknown', message: PLEO_MESSAGES.vendorUnknown };
    }
    return undefined;
  }

  async resolveVendor(vendor: VendorRef): Promise<ResolvedVendor | undefined> {
    const vendors = this.#chart?.vendors;
    if (!vendors) return { externalId: vendor.code ?? vendor.externalId ?? vendor.name, name: vendor.name };
    // Pleo's order: vendor code, then the AS's own id, then the tax registration number (legacy: account).
    const match =
      (vendor.code && vendors.find((v) => v.code === vendor.code)) ||
      (vendor.externalId && vendors.find((v) => v.code === vendor.externalId)) ||
      (vendor.taxRegistrationNumber &&
        vendors.find((v) => v.taxRegistrationNumber === vendor.taxRegistrationNumber)) ||
      (vendor.account && vendors.find((v) => v.code === vendor.account)) ||
      undefined;
    return match
      ? { externalId: match.code, name: match.name, payableAccountCode: match.payableAccount }
      : undefined;
  }

  async findByReference(reference: string): Promise<PostedDocument | undefined> {
    // Entries are only ever appended, so one already indexed is in the file; anything else may have
    // been written by another process since, so the new tail is read (without the lock: never cut).
    const known = this.#index.get(reference);
    if (known) return this.#public(known);
    return this.#serialized(async () => {
      await this.#refreshIndex(false);
      return this.#public(this.#index.get(reference));
    });
  }

  async post(document: AccountingDocument): Promise<PostedDocument> {
    if (this.config.lockDate && document.date <= this.config.lockDate) {
      throw new PeriodClosedError(document.date, nextDay(this.config.lockDate));
    }
    await this.#limiter?.acquire();
    const posted = () => this.#public(this.#index.get(document.reference))!;
    return this.#write(async () => {
      // Found by reference: booked by an earlier attempt (or another process), reported as such.
      if (this.#index.has(document.reference))
        return { text: '', result: () => ({ ...posted(), alreadyBooked: true }) };
      document = settleFx(document, (id) => this.#payables.get(id));
      const createdAt = new Date().toISOString();
      const names = { kindOf: this.#kindOf, nameOf: this.#nameOf };
      // A new file starts with its header and, when the chart is known, every chart account opened.
      const header =
        this.#indexedSize === 0 ? renderHeader({ title: 'Pleo export', currency: document.currency }) : '';
      const codes = [
        ...(header ? (this.#chart?.accounts.map((a) => a.code) ?? []) : []),
        ...document.postings.map((p) => p.account.code),
      ].filter((c) => !this.#opened.has(accountOf(c, names)));
      const opens = renderOpenDirectives(new Set(codes.sort()), names);
      return {
        text: header + opens + renderTransaction(document, { createdAt, ...names }),
        result: posted,
      };
    }, document);
  }

  async attach(externalId: string, files: AttachmentFile[]): Promise<void> {
    await this.#write(async () => {
      const entry = this.#index.get(externalId);
      if (!entry)
        throw new AccountingSystemError(`No ledger entry ${externalId} to attach receipts to`, {
          retryable: false,
          failure: {
            reasonType: 'receipt_upload_failure',
            message: `The ledger entry ${externalId} was not found to attach receipts to.`,
          },
        });
      const folder = join(this.config.dir, 'documents', externalId);
      await mkdir(folder, { recursive: true });
      let directives = '';
      for (const file of files) {
        if (this.#receiptKeys.has(file.key)) continue; // a retry: this receipt is already stored
        const target = join(
          folder,
          `${file.key.replace(/[^A-Za-z0-9._-]/g, '_')}-${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}`,
        );
        await copyFile(file.path, target);
        directives += `${entry.date} document ${entry.account} ${quote(target)}\n  receipt-key: ${quote(file.key)}\n  pleo-ref: ${quote(externalId)}\n\n`;
      }
      return { text: directives, result: () => undefined };
    });
  }

  async close(): Promise<void> {
    await this.#committing;
  }

  // ---- internals --------------------------------------------------------------------------------

  readonly #kindOf = (code: string) => this.#chart?.accounts.find((a) => a.code === code)?.kind;
  readonly #nameOf = (code: string) => this.#chart?.accounts.find((a) => a.code === code)?.name;

  #public(entry: IndexEntry | undefined): PostedDocument | undefined {
    if (!entry) return undefined;
    return {
      reference: entry.reference,
      externalId: entry.reference,
      externalUrl: `${pathToFileURL(this.file).href}#L${entry.line}`,
      createdAt: entry.createdAt,
    };
  }

  /**
   * Queues a write for the next group commit. `prepare` runs under the lock with the index current
   * (including the writes before it in the same commit) and returns the text to append; its result is
   * handed out once that text is durable. A prepare that throws fails its own write only.
   */
  #write<T>(
    prepare: () => Promise<{ text: string; result: () => T }>,
    order?: PendingWrite['order'],
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ prepare, order, resolve: resolve as (value: unknown) => void, reject });
      this.#committing ??= this.#serialized(() => this.#commitPending());
    });
  }

  #serialized<T>(body: () => Promise<T>): Promise<T> {
    const run = this.#indexQueue.then(body);
    this.#indexQueue = run.catch(() => undefined);
    return run;
  }

  /** Commits everything queued, batch after batch, until nothing is waiting. */
  async #commitPending(): Promise<void> {
    try {
      await this.#commitBatches();
    } finally {
      this.#committing = undefined; // synchronously after the last batch: a later write starts a new one
    }
  }

  async #commitBatches(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        this.#dirReady ??= mkdir(this.config.dir, { recursive: true }).catch((err: unknown) => {
          this.#dirReady = undefined;
          throw err;
        });
        await this.#dirReady;
        await withFileLock(`${this.file}.lock`, () => this.#commitUnderLock(batch));
      } catch (err) {
        const failure =
          err instanceof AccountingSystemError
            ? err
            : new AccountingSystemError(`The ledger ${this.file} is unavailable: ${(err as Error).message}`, {
                retryable: true,
                reason: 'unreachable',
              });
        for (const write of batch) write.reject(failure); // no-op for writes already settled
      }
    }
  }

  async #commitUnderLock(batch: PendingWrite[]): Promise<void> {
    await this.#refreshIndex(true);
    let text = '';
    const prepared: { write: PendingWrite; result: () => unknown }[] = [];
    const posts = batch.filter((w) => w.order).sort((a, b) => byDateAndReference(a.order!, b.order!));
    for (const write of [...posts, ...batch.filter((w) => !w.order)]) {
      try {
        const { text: more, result } = await write.prepare();
        this.#indexText(more); // later writes in this batch see it (undone below if the append fails)
        text += more;
        prepared.push({ write, result });
      } catch (err) {
        write.reject(err);
      }
    }
    if (text) {
      try {
        const handle = await open(this.file, 'a');
        try {
          await handle.writeFile(text);
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (err) {
        this.#resetIndex(); // read the file again: how much of the text it holds is unknown
        throw err;
      }
    }
    for (const { write, result } of prepared) write.resolve(result());
  }

  /**
   * Brings the index up to date with the file. The file only grows (appends), so only the new tail is
   * read. A tail that does not end a block is a torn write: under the lock it was left by a crash mid-
   * append (its document was never acknowledged) and is cut off; without the lock it may be another
   * process's append in progress, so it is left for later.
   */
  async #refreshIndex(underLock: boolean): Promise<void> {
    const current = await stat(this.file).then(
      (s) => ({ size: s.size, inode: s.ino }),
      () => ({ size: 0, inode: -1 }),
    );
    if (current.size === this.#indexedSize && current.inode === this.#indexedInode) return;
    if (this.#indexedSize < 0 || current.size < this.#indexedSize || current.inode !== this.#indexedInode)
      this.#resetIndex();
    this.#indexedInode = current.inode;
    const from = this.#indexedSize;
    if (current.size <= from) return;
    const handle = await open(this.file, 'r');
    let tail: string;
    try {
      const buffer = Buffer.alloc(current.size - from);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
      tail = buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
    if (!tail.endsWith('\n\n')) {
      tail = tail.slice(0, tail.lastIndexOf('\n\n') + 2);
      if (underLock) await truncate(this.file, from + Buffer.byteLength(tail));
    }
    this.#indexText(tail);
  }

  /** Indexes whole blocks appended at the indexed end of the file. */
  #indexText(text: string): void {
    if (!text) return;
    for (const block of text.split('\n\n')) {
      this.#indexBlock(block);
      this.#lineCount += block.split('\n').length + 1;
    }
    this.#lineCount -= 1; // the split leaves an empty last piece after the final blank line
    this.#indexedSize += Buffer.byteLength(text);
  }

  #resetIndex(): void {
    this.#index.clear();
    this.#receiptKeys.clear();
    this.#opened.clear();
    this.#payables.clear();
    this.#indexedSize = 0;
    this.#lineCount = 1;
  }

  #indexBlock(block: string): void {
    // The code from the directive's metadata; files written before accounts had names: `Root:A<code>`.
    const open = /^\d{4}-\d{2}-\d{2} open (\S+)(?:\n {2}code: "([^"]*)")?/gm;
    for (let m = open.exec(block); m; m = open.exec(block))
      this.#opened.set(m[1]!, m[2] ?? m[1]!.replace(/^[^:]+:A/, ''));
    const key = /receipt-key: "([^"]*)"/.exec(block)?.[1];
    if (key) {
      this.#receiptKeys.add(detached(key));
      return;
    }
    const found = /pleo-ref: "([^"]*)"/.exec(block)?.[1];
    if (!found || this.#index.has(found)) return;
    const reference = detached(found);
    const payables = payablesOfBlock(block, (account) => this.#opened.get(account));
    if (payables) this.#payables.set(detached(payables.entryId), payables.payables);
    this.#index.set(reference, {
      reference,
      line: this.#lineCount,
      createdAt: detached(/created-at: "([^"]*)"/.exec(block)?.[1] ?? ''),
      account: detached(/\n {2}(\S+) {2}/.exec(block)?.[1] ?? beancountAccount('0')),
      date: detached(/^\d{4}-\d{2}-\d{2}(?= [*!] )/m.exec(block)?.[0] ?? ''),
    });
  }
}

/**
 * A copy of a piece cut from a block. V8 lets a substring share its parent's memory, so an index of
 * substrings would keep the text of every block ever read alive: about 2 KB an entry, 100 MB at 50,000.
 */
function detached(piece: string): string {
  return Buffer.from(piece, 'utf8').toString('utf8');
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
