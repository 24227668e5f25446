// Pleo sends `null` for values its OpenAPI only calls optional. Whatever subset of optional fields of a
// valid item is `null`, the item is read (never "cannot read") and books, or fails for a business reason.
import fc from 'fast-check';
import { buildDocuments, vendorToResolve } from '../../src/accounting/core';
import * as optionalFields from '@pleo-export/pleo-api/generated/optional-fields';
import { optionalPaths } from '@pleo-export/pleo-api/null-tolerance';
import { describeIssues, exportItemSchema, exportJobSchema } from '@pleo-export/pleo-api/schemas';
import { vendorSchema } from '../../src/pleo/catalog-schemas';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { ITEM_FAILURE_REASON_TYPES } from '../../src/shared/failure-reasons';
import { validItem, WALLET_CURRENCIES } from '../accounting/arbitraries';
import { RESOLVED_VENDOR, testConfig } from '../accounting/items';

const config = testConfig({
  walletAccounts: Object.fromEntries(WALLET_CURRENCIES.map((currency) => [currency, `WALLET-${currency}`])),
});
fc.configureGlobal({ seed: Number(process.env.FAST_CHECK_SEED ?? 20261201) });

const ITEM_PATHS = optionalPaths(optionalFields.ExportItemV3);

/** Calls `edit` with each object holding the last key of `path` (every element for `[]` segments). */
function atPath(
  value: unknown,
  path: readonly (string | [])[],
  edit: (record: Record<string, unknown>, key: string) => void,
): void {
  const [head, ...rest] = path;
  if (Array.isArray(head)) {
    if (Array.isArray(value)) for (const element of value) atPath(element, rest, edit);
    return;
  }
  if (value === null || typeof value !== 'object' || head === undefined) return;
  const record = value as Record<string, unknown>;
  if (rest.length === 0) edit(record, head);
  else atPath(record[head], rest, edit);
}

function edited(item: ExportItem, paths: readonly (string | [])[][], as: 'null' | 'absent'): unknown {
  const copy = JSON.parse(JSON.stringify(item)) as unknown;
  for (const path of paths)
    atPath(copy, path, (record, key) => {
      if (as === 'null') record[key] = null;
      else delete record[key];
    });
  return copy;
}

describe('optional fields sent as null', () => {
  it('are derived from the OpenAPI: the vendor fields Pleo sends as null are among them', () => {
    const paths = ITEM_PATHS.map((p) => p.map((s) => (Array.isArray(s) ? '[]' : s)).join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'vendor.registrationNumber',
        'vendor.taxRegistrationNumber',
        'accountingEntryLines.[].tax.ingoingTaxAccount',
        'additionalInformation.invoiceInformation.dueDate',
      ]),
    );
    expect(paths).not.toContain('accountingEntryId');
  });

  it('never make a valid item unreadable; it books or fails for a business reason', () => {
    fc.assert(
      fc.property(validItem, fc.subarray(ITEM_PATHS), (item, paths) => {
        const parsed = exportItemSchema.safeParse(edited(item, paths, 'null'));
        if (!parsed.success) throw new Error(`cannot read: ${describeIssues(parsed.error)}`);
        const read = parsed.data as ExportItem;
        // null is read exactly as if the field were left out.
        expect(read).toEqual(exportItemSchema.parse(edited(item, paths, 'absent')));
        const vendor = vendorToResolve(read, config) ? RESOLVED_VENDOR : undefined;
        const result = buildDocuments(read, config, {
          vendor,
          target: { accountsPayable: true, foreignCurrencyDocuments: false },
        });
        if (paths.length === 0) expect(result.ok).toBe(true);
        if (!result.ok) {
          expect(ITEM_FAILURE_REASON_TYPES).toContain(result.failure.reasonType);
          expect(result.failure.reasonType).not.toBe('unexpected_failure');
          expect(result.failure.message).not.toMatch(/cannot read|undefined|null/i);
        }
      }),
      { numRuns: Number(process.env.FAST_CHECK_RUNS ?? 1000) },
    );
  });

  it('an accounts-payable vendor without registration numbers is read as a vendor without them', () => {
    const item = fc.sample(validItem, { numRuns: 1, seed: 7 })[0]!;
    const raw = {
      ...item,
      vendor: { id: 'v-1', name: 'Office Supplies A/S', defaultCurrency: 'DKK', code: null },
    };
    (raw.vendor as Record<string, unknown>).registrationNumber = null;
    (raw.vendor as Record<string, unknown>).taxRegistrationNumber = null;
    const parsed = exportItemSchema.parse(raw);
    expect(parsed.vendor).toEqual({ id: 'v-1', name: 'Office Supplies A/S', defaultCurrency: 'DKK' });
  });

  it('required fields stay strict and the error names the field', () => {
    const item = fc.sample(validItem, { numRuns: 1, seed: 8 })[0]!;
    const parsed = exportItemSchema.safeParse({ ...item, companyId: null });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssues(parsed.error)).toMatch(/^companyId: .*received null/);
    const vendor = vendorSchema.safeParse({ id: 'v', companyId: 'c', name: null, defaultCurrency: 'EUR' });
    expect(vendor.success).toBe(false);
    if (!vendor.success) expect(describeIssues(vendor.error)).toMatch(/^name: /);
  });

  it('export jobs and reference data read null optional fields as absent', () => {
    const job = exportJobSchema.parse({
      id: 'j',
      companyId: 'c',
      status: 'pending',
      createdAt: '2026-12-01T00:00:00Z',
      createdBy: null,
      isInteractive: true,
      numberOfItems: 1,
      vendorBasedBookkeeping: true,
      expiresIn: 3600,
      failureReasonType: null,
    });
    expect(job).not.toHaveProperty('failureReasonType');
    const vendor = vendorSchema.parse({
      id: 'v',
      companyId: 'c',
      name: 'Pleo',
      defaultCurrency: 'DKK',
      state: 'ACTIVE',
      registrationNumber: null,
      taxRegistrationNumber: null,
      code: null,
    });
    expect(vendor).toEqual({
      id: 'v',
      companyId: 'c',
      name: 'Pleo',
      defaultCurrency: 'DKK',
      state: 'ACTIVE',
    });
  });
});
