// Every row of the accounts mapping (docs/accounting-mapping.md, generated from mapping-cases.ts) against
// what the builder books: document kinds and the accounts debited and credited, for both signs of
// Pleo's amounts and, for `line, else x` sides, with and without a line account.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocuments, vendorToResolve, type AccountingDocument } from '../../src/accounting/core';
import { EXPORT_ITEM_SUB_TYPES, EXPORT_ITEM_TYPES } from '@pleo-export/pleo-api/types';
import { ACCOUNTS, exportItem, negated, RESOLVED_VENDOR, testConfig, WALLET_TARGET } from './items';
import { MAPPING_CASES, OTHER_COMBINATIONS, type MappingCase, type Side } from './mapping-cases';
import { renderMappingDoc } from './mapping-doc';

const config = testConfig();

function codeOf(side: Side, withLineAccount: boolean): string {
  const fallback: Record<Side, string> = {
    line: ACCOUNTS.line,
    wallet: ACCOUNTS.walletEur,
    outOfPocket: ACCOUNTS.outOfPocket,
    reimbursement: ACCOUNTS.reimbursement,
    externalReimbursement: ACCOUNTS.externalReimbursement,
    bank: ACCOUNTS.bank,
    payable: ACCOUNTS.payable,
    'line|reimbursement': ACCOUNTS.reimbursement,
    'line|cashback': ACCOUNTS.cashback,
    'line|fee': ACCOUNTS.fee,
    'line|interest': ACCOUNTS.interest,
    'line|personalSpend': ACCOUNTS.personalSpend,
    'line|cash': ACCOUNTS.cash,
  };
  return side.startsWith('line|') && withLineAccount ? ACCOUNTS.line : fallback[side];
}

function book(
  c: Pick<MappingCase, 'type' | 'subType' | 'method'>,
  options: { lineAccount: boolean; negative: boolean },
) {
  const base = exportItem({
    type: c.type,
    subType: c.subType,
    method: c.method,
    lines: [{ amount: 12345, account: options.lineAccount ? ACCOUNTS.line : null }],
  });
  const item = options.negative ? negated(base) : base;
  const vendorRef = vendorToResolve(item, config);
  return {
    vendorRef,
    result: buildDocuments(item, config, {
      vendor: vendorRef ? RESOLVED_VENDOR : undefined,
      target: WALLET_TARGET,
    }),
  };
}

const sides = (document: AccountingDocument) => ({
  kind: document.kind,
  debit: [...new Set(document.postings.filter((p) => p.amount > 0).map((p) => p.account.code))],
  credit: [...new Set(document.postings.filter((p) => p.amount < 0).map((p) => p.account.code))],
});

const variants = (c: MappingCase) => {
  const hasFallback = c.documents.some((d) => d.debit.startsWith('line|') || d.credit.startsWith('line|'));
  return (hasFallback ? [true, false] : [true]).flatMap((lineAccount) =>
    [false, true].map((negative) => ({ lineAccount, negative })),
  );
};

describe('accounts mapping: every type × sub-type × bookkeeping method', () => {
  const table = MAPPING_CASES.flatMap((c) =>
    variants(c).map(
      (v) =>
        [
          `${c.type} / ${c.subType ?? '—'} / ${c.method}${v.lineAccount ? '' : ' / no line account'}${v.negative ? ' / negative amounts' : ''}`,
          c,
          v,
        ] as const,
    ),
  );
  it.each(table)('%s', (_name, c, v) => {
    const { vendorRef, result } = book(c, v);
    if (!result.ok)
      throw new Error(`expected documents, got ${result.failure.reasonType}: ${result.failure.message}`);
    expect(result.documents.map(sides)).toEqual(
      c.documents.map((d) => ({
        kind: d.kind,
        debit: [codeOf(d.debit, v.lineAccount)],
        credit: [codeOf(d.credit, v.lineAccount)],
      })),
    );
    // Vendor resolution is asked for exactly when the item goes through accounts payable.
    expect(vendorRef !== undefined).toBe(c.documents.some((d) => d.kind !== 'journal_entry'));
    for (const document of result.documents) {
      expect(document.postings.filter((p) => p.amount > 0).reduce((s, p) => s + p.amount, 0)).toBe(12345);
    }
  });

  it('covers all 17 types × (no sub-type + 6 sub-types), each row with all four methods', () => {
    const covered = [
      ...MAPPING_CASES.map((c) => `${c.type}/${c.subType}`),
      ...OTHER_COMBINATIONS.map((c) => `${c.type}/${c.subType}`),
    ];
    const all = EXPORT_ITEM_TYPES.flatMap((type) =>
      [null, ...EXPORT_ITEM_SUB_TYPES].map((subType) => `${type}/${subType}`),
    );
    expect(all).toHaveLength(17 * 7);
    expect([...new Set(covered)].sort()).toEqual([...all].sort());
    expect(MAPPING_CASES.length).toBe(new Set(MAPPING_CASES.map((c) => `${c.type}/${c.subType}`)).size * 4);
  });
});

describe('type × sub-type pairs without a row of their own', () => {
  it.each(OTHER_COMBINATIONS.map((c) => [`${c.type} / ${c.subType} → ${c.outcome}`, c] as const))(
    '%s',
    (_name, c) => {
      const withSubType = book(
        { type: c.type, subType: c.subType, method: 'journal' },
        { lineAccount: true, negative: false },
      ).result;
      if (c.outcome === 'fails') {
        expect(withSubType).toEqual({
          ok: false,
          failure: { reasonType: 'validation_failure', message: expect.stringContaining(`"${c.subType}"`) },
        });
      } else {
        const plain = book(
          { type: c.type, subType: null, method: 'journal' },
          { lineAccount: true, negative: false },
        ).result;
        expect(withSubType.ok).toBe(true);
        expect(withSubType).toEqual(plain);
      }
    },
  );
});

describe('docs/accounting-mapping.md', () => {
  it('is the table generated from the tested cases', () => {
    const path = join(__dirname, '../../docs/accounting-mapping.md');
    // Formatted as `npm run lint` (prettier --check) wants it; prettier runs in a child process because
    // its ES-module loading does not work inside Jest's CommonJS sandbox.
    const prettier = require.resolve('prettier/bin/prettier.cjs');
    const expected = execFileSync(process.execPath, [prettier, '--stdin-filepath', path], {
      input: renderMappingDoc(),
      encoding: 'utf8',
    });
    if (process.env.UPDATE_MAPPING_DOC === '1') writeFileSync(path, expected);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });
});
