// The embedded ledger: one beancount file per company, needing nothing installed. Drafts are flagged
// `!`, posted entries `*`; the deterministic reference and Pleo's ids are transaction metadata.
// Appends are atomic per transaction (one write + fsync under an exclusive lock), a torn tail left by a
// crash is cut off on the next write, and post() looks the reference up under the lock first, so an
// entry is never written twice — whichever process retries.
import { constants } from 'node:fs';
import { access, copyFile, mkdir, open, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AccountingDocument, VendorRef } from '../../accounting/core/documents';
import { PLEO_MESSAGES, type ItemFailure } from '../../shared/failure-reasons';
import { DEMO_ACCOUNTS, DEMO_TAG_GROUPS, DEMO_TAX_CODES, DEMO_TEAMS, DEMO_VENDORS } from '../../demo/chart';
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
import { withFileLock } from './file-lock';
import { WriteLimiter } from './rate-limiter';
import { payablesOfBlock, settleFx, type OpenPayable } from './fx-settlement';
import { beancountAccount, quote, renderOpenDirectives, renderTransaction } from './render';

export const DEMO_CHART: Chart = {
  accounts: Object.values(DEMO_ACCOUNTS).map((a) => ({ code: a.code, name: a.name, kind: a.kind })),
  taxCodes: Object.keys(DEMO_TAX_CODES),
  dimensions: {
    ...Object.fromEntries(Object.entries(DEMO_TAG_GROUPS).map(([g, v]) => [g, [...v]])),
    team: [...DEMO_TEAMS],
  },
  vendors: DEMO_VENDORS.map((v) => ({ ...v })),
};

interface IndexEntry extends PostedDocument {
  account: string;
}

export class LedgerAccountingSystem implements AccountingSystem {
  readonly name = 'ledger';
  readonly capabilities: Capabilities = {
    accountsPayable: false,
    attachments: { mode: 'many', maxBytes: 100 * 1024 * 1024, types: [] },
    drafts: true,
    foreignCurrencyDocuments: false,
    dimensions: true,
  };
  readonly file: string;
  readonly #chart?: Chart;
  readonly #limiter?: WriteLimiter;
  #index = new Map<string, IndexEntry>();
  #receiptKeys = new Set<string>();
  #opened = new Set<string>();
  #indexedSize = -1;
  /** Payable postings per Pleo accounting entry id, for settling supplier-currency payables (fx-settlement.ts). */
  #payables = new Map<string, OpenPayable[]>();
  #lineCount = 1;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: LedgerConfig) {
    this.file = join(config.dir, config.fileName);
    this.#chart = config.chart === 'demo' ? DEMO_CHART : config.chart;
    this.#limiter = config.writeLimit ? new WriteLimiter(config.writeLimit) : undefined;
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
    await this.#refreshIndex();
    return this.#public(this.#index.get(reference));
  }

  async post(document: AccountingDocument): Promise<PostedDocument> {
    if (this.config.lockDate && document.date <= this.config.lockDate) {
      throw new PeriodClosedError(document.date, nextDay(this.config.lockDate));
    }
    await this.#limiter?.acquire();
    return this.#exclusive(async () => {
      await this.#refreshIndex();
      const existing = this.#index.get(document.reference);
      if (existing) return this.#public(existing)!;
      document = settleFx(document, (id) => this.#payables.get(id));
      const createdAt = new Date().toISOString();
      const newAccounts = document.postings.map((p) => p.account.code).filter((c) => !this.#opened.has(c));
      const opens = renderOpenDirectives(new Set(newAccounts), {
        kindOf: this.#kindOf,
        nameOf: this.#nameOf,
      });
      await this.#append(opens + renderTransaction(document, { createdAt, kindOf: this.#kindOf }));
      return this.#public(this.#index.get(document.reference))!;
    });
  }

  async attach(externalId: string, files: AttachmentFile[]): Promise<void> {
    await this.#exclusive(async () => {
      await this.#refreshIndex();
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
        directives += `${entry.createdAt.slice(0, 10)} document ${entry.account} ${quote(target)}\n  receipt-key: ${quote(file.key)}\n  pleo-ref: ${quote(externalId)}\n\n`;
      }
      if (directives) await this.#append(directives);
    });
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  // ---- internals --------------------------------------------------------------------------------

  readonly #kindOf = (code: string) => this.#chart?.accounts.find((a) => a.code === code)?.kind;
  readonly #nameOf = (code: string) => this.#chart?.accounts.find((a) => a.code === code)?.name;

  #public(entry: IndexEntry | undefined): PostedDocument | undefined {
    if (!entry) return undefined;
    const { account: _account, ...posted } = entry;
    return posted;
  }

  /** One writer at a time in this process, and across processes through the lock file. */
  #exclusive<T>(body: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() =>
      withFileLock(`${this.file}.lock`, async () => {
        await mkdir(this.config.dir, { recursive: true });
        return body();
      }).catch((err: unknown) => {
        if (err instanceof AccountingSystemError || err instanceof PeriodClosedError) throw err;
        throw new AccountingSystemError(`The ledger ${this.file} is unavailable: ${(err as Error).message}`, {
          retryable: true,
          reason: 'unreachable',
        });
      }),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #append(text: string): Promise<void> {
    const handle = await open(this.file, 'a');
    try {
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.#refreshIndex();
  }

  /**
   * Brings the index up to date with the file. The file only grows (appends), so only the new tail is
   * read; a torn tail left by a crash mid-append is cut off first (its document was never acknowledged).
   */
  async #refreshIndex(): Promise<void> {
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size === this.#indexedSize) return;
    if (size < this.#indexedSize || this.#indexedSize < 0) this.#resetIndex();
    const from = Math.max(0, this.#indexedSize);
    let tail = '';
    if (size > from) {
      const handle = await open(this.file, 'r');
      try {
        const buffer = Buffer.alloc(size - from);
        await handle.read(buffer, 0, buffer.length, from);
        tail = buffer.toString('utf8');
      } finally {
        await handle.close();
      }
    }
    if (tail && !tail.endsWith('\n\n')) {
      const keep = tail.lastIndexOf('\n\n') + 2;
      tail = tail.slice(0, keep);
      await truncate(this.file, from + Buffer.byteLength(tail));
    }
    for (const block of tail.split('\n\n')) {
      this.#indexBlock(block);
      this.#lineCount += block.split('\n').length + 1;
    }
    this.#lineCount -= 1; // the split leaves an empty last piece after the final blank line
    this.#indexedSize = from + Buffer.byteLength(tail);
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
    const open = /^\d{4}-\d{2}-\d{2} open \S+:A(\S+)/gm;
    for (let m = open.exec(block); m; m = open.exec(block)) this.#opened.add(m[1]!);
    const key = /receipt-key: "([^"]*)"/.exec(block)?.[1];
    if (key) {
      this.#receiptKeys.add(key);
      return;
    }
    const reference = /pleo-ref: "([^"]*)"/.exec(block)?.[1];
    if (!reference || this.#index.has(reference)) return;
    const payables = payablesOfBlock(block);
    if (payables) this.#payables.set(payables.entryId, payables.payables);
    this.#index.set(reference, {
      reference,
      externalId: reference,
      externalUrl: `${pathToFileURL(this.file).href}#L${this.#lineCount}`,
      createdAt: /created-at: "([^"]*)"/.exec(block)?.[1] ?? '',
      account: /\n {2}(\S+) {2}/.exec(block)?.[1] ?? beancountAccount('0'),
    });
  }
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
