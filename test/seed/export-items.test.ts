// The seed generator on its own: deterministic, covering what the issue lists, valid against Pleo's
// OpenAPI and the client's zod schema, amounts that add up, and receipts the sandbox really serves.
import { exportItemSchema, describeIssues } from '@pleo-export/pleo-api/schemas';
import { EXPORT_ITEM_SUB_TYPES, EXPORT_ITEM_TYPES, type ExportItem } from '@pleo-export/pleo-api/types';
import { currencyExponent } from '../../src/accounting/core';
import { openReceipt, pdfBytes } from '@pleo-export/pleo-sandbox/files';
import { PDF_RECEIPT_SIZE } from '@pleo-export/pleo-sandbox/seed/receipts';
import {
  exportItemStream,
  generateExportItems,
  type GenerateOptions,
} from '@pleo-export/pleo-sandbox/seed/export-items';
import { pleoContract } from '../support/openapi';

const COMPANY = '0b5a1c52-7c1e-4c1b-9a51-1c2f7a0d3e11';
const BASE = 'http://127.0.0.1:4010';
const options = (o: Partial<GenerateOptions> = {}): GenerateOptions => ({
  seed: 'test',
  count: 120,
  companyId: COMPANY,
  fileBaseUrl: BASE,
  mix: 'valid',
  ...o,
});

const valid = generateExportItems(options({ count: 1500 }));
const all = generateExportItems(options({ count: 1500, mix: 'all', seed: 'test-all' }));

describe('determinism', () => {
  test('the same options give the same items; another seed gives others', () => {
    expect(JSON.stringify(generateExportItems(options({ mix: 'all' })))).toBe(
      JSON.stringify(generateExportItems(options({ mix: 'all' }))),
    );
    const other = generateExportItems(options({ seed: 'other' }));
    expect(other.map((i) => i.accountingEntryId)).not.toEqual(
      generateExportItems(options()).map((i) => i.accountingEntryId),
    );
    expect(JSON.stringify(other.map((i) => i.amount))).not.toBe(
      JSON.stringify(generateExportItems(options()).map((i) => i.amount)),
    );
  });

  test('a longer job starts with the same items as a shorter one', () => {
    const short = generateExportItems(options({ count: 10 }));
    expect(generateExportItems(options({ count: 40 })).slice(0, 10)).toEqual(short);
  });
});

describe('coverage (mix valid, 120 items)', () => {
  const items = generateExportItems(options());
  const lines = items.flatMap((i) => i.accountingEntryLines);

  test('every export item type and sub-type', () => {
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(EXPORT_ITEM_TYPES));
    expect(new Set(items.flatMap((i) => (i.subType ? [i.subType] : [])))).toEqual(
      new Set(EXPORT_ITEM_SUB_TYPES),
    );
  });

  test('every bookkeeping method, and legacy items without one', () => {
    expect(new Set(items.map((i) => i.bookkeeping?.method ?? null))).toEqual(
      new Set(['journal', 'accounts_payable', 'none', null]),
    );
    for (const item of items.filter((i) => i.bookkeeping?.method === 'accounts_payable'))
      expect(item.vendor).toBeTruthy();
  });

  test('inclusive, exclusive and reverse tax, split lines, tags, team, attendees', () => {
    expect(new Set(lines.flatMap((l) => (l.tax ? [l.tax.type] : [])))).toEqual(
      new Set(['inclusive', 'exclusive', 'reverse']),
    );
    expect(
      lines.some((l) => l.tax?.type === 'reverse' && l.tax.ingoingTaxAccount && l.tax.outgoingTaxAccount),
    ).toBe(true);
    expect(items.some((i) => i.accountingEntryLines.length >= 3)).toBe(true);
    expect(new Set(lines.flatMap((l) => (l.tags ?? []).map((t) => t?.groupCode)))).toEqual(
      new Set(['DEPT', 'PROJ']),
    );
    expect(items.some((i) => i.team?.code)).toBe(true);
    expect(items.some((i) => (i.additionalInformation.attendees ?? []).length > 0)).toBe(true);
    expect(items.some((i) => (i.additionalInformation.reconciledEntries ?? []).length > 0)).toBe(true);
  });

  test('foreign, zero-decimal and three-decimal currencies, and a second wallet with its contra account', () => {
    const supplierCurrencies = new Set(items.map((i) => i.amount.inSupplierCurrency.currency));
    for (const c of ['JPY', 'ISK', 'KWD', 'USD', 'EUR']) expect(supplierCurrencies).toContain(c);
    expect(
      items.some(
        (i) => i.amount.inWalletCurrency.currency === 'GBP' && i.contraAccount?.name === 'Pleo GBP Account',
      ),
    ).toBe(true);
  });

  test('invoices with invoice information, non-ASCII notes, receipts of each kind and items without', () => {
    const invoices = items.filter((i) => i.type === 'invoice' || i.type === 'card_invoice');
    expect(invoices.length).toBeGreaterThan(0);
    for (const invoice of invoices)
      expect(invoice.additionalInformation.invoiceInformation?.invoiceNumber).toBeTruthy();
    expect(items.some((i) => i.additionalInformation.invoiceInformation?.supplierBankAccount?.iban)).toBe(
      true,
    );
    expect(items.some((i) => i.servicePeriod)).toBe(true);
    expect(items.some((i) => i.note && /[^ -~]/.test(i.note))).toBe(true);
    const types = new Set(items.flatMap((i) => (i.files ?? []).map((f) => f?.type)));
    expect(types).toEqual(new Set(['application/pdf', 'image/jpeg', 'image/png']));
    expect(items.some((i) => (i.files ?? []).length > 1)).toBe(true);
    expect(items.some((i) => !i.files || i.files.length === 0)).toBe(true);
  });
});

describe('contract', () => {
  test("every item matches Pleo's OpenAPI ExportItemV3 (as a GET /v3/export-items page)", () => {
    const contract = pleoContract();
    for (const data of [valid, all]) {
      contract.validateResponse({
        method: 'GET',
        url: `/v3/export-items?job_id=${COMPANY}`,
        status: 200,
        contentType: 'application/json',
        body: {
          data,
          pagination: {
            hasNextPage: false,
            hasPreviousPage: false,
            currentRequestPagination: { parameters: {} },
          },
        },
      });
    }
  });

  test("every item passes the client's zod schema", () => {
    for (const item of [...valid, ...all]) {
      const parsed = exportItemSchema.safeParse(item);
      if (!parsed.success) throw new Error(`${item.accountingEntryId}: ${describeIssues(parsed.error)}`);
    }
  });
});

describe('amounts', () => {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const consistent = (item: ExportItem) =>
    sum(item.accountingEntryLines.map((l) => l.lineAmount.inWalletCurrency.value)) ===
    item.amount.inWalletCurrency.value;

  test('lines sum to the total in both currencies; VAT inside the line; integers in minor units', () => {
    for (const item of [...valid, ...all.filter(consistent)]) {
      const { inSupplierCurrency: supplier, inWalletCurrency: wallet } = item.amount;
      expect(sum(item.accountingEntryLines.map((l) => l.lineAmount.inSupplierCurrency.value))).toBe(
        supplier.value,
      );
      expect(currencyExponent(supplier.currency)).toBeDefined();
      for (const line of item.accountingEntryLines) {
        const amounts = [line.lineAmount, line.netAmount, ...(line.tax ? [line.tax.amount] : [])];
        for (const pair of amounts) {
          expect(pair.inWalletCurrency.currency).toBe(wallet.currency);
          expect(pair.inSupplierCurrency.currency).toBe(supplier.currency);
          expect(
            Number.isSafeInteger(pair.inWalletCurrency.value) &&
              Number.isSafeInteger(pair.inSupplierCurrency.value),
          ).toBe(true);
        }
        const tax = line.tax?.amount.inWalletCurrency.value ?? 0;
        expect(Math.abs(tax)).toBeLessThanOrEqual(Math.abs(line.lineAmount.inWalletCurrency.value));
        const net =
          line.tax && line.tax.type !== 'reverse'
            ? line.lineAmount.inWalletCurrency.value - tax
            : line.lineAmount.inWalletCurrency.value;
        expect(line.netAmount.inWalletCurrency.value).toBe(net);
      }
    }
  });

  test('money flowing back can be sent negative, consistently on every amount', () => {
    const items = generateExportItems(options({ count: 300, moneyInSign: 'negative' }));
    const back = items.filter((i) => i.amount.inWalletCurrency.value < 0);
    expect(new Set(back.map((i) => i.type))).toEqual(
      new Set([
        'chargeback',
        'refund',
        'cashback',
        'wallet_topup',
        'direct_reimbursement',
        'external_reimbursement',
        'invoice_payment',
      ]),
    );
    for (const item of back) {
      for (const line of item.accountingEntryLines) {
        expect(line.lineAmount.inWalletCurrency.value).toBeLessThanOrEqual(0);
        expect(line.lineAmount.inSupplierCurrency.value).toBeLessThanOrEqual(0);
      }
    }
  });
});

describe('receipts', () => {
  test('declared sizes and types are what the sandbox serves for each link', async () => {
    expect((await pdfBytes()).length).toBe(PDF_RECEIPT_SIZE);
    const seen = new Set<string>();
    for (const file of [...valid, ...all].flatMap((i) => i.files ?? [])) {
      const match = file && /\/files\/([a-z-]+)\/([^/]+)$/.exec(file.url);
      if (!file || !match || seen.has(match[1]!)) continue;
      seen.add(match[1]!);
      const served = await openReceipt(match[1]!, match[2]!);
      if (match[1] === 'expired') {
        expect(served.status).toBe(403);
        continue;
      }
      if (served.status !== 200) throw new Error(`${file.url} is not served`);
      expect(served.size).toBe(file.size);
      if (match[1] === 'wrong-type') expect(file.type).toBe('application/pdf');
      else if (match[1] !== 'large') expect(served.type).toBe(file.type);
      if ('destroy' in served.body) served.body.destroy();
    }
    expect(seen).toEqual(new Set(['pdf', 'jpeg', 'png', 'expired', 'large', 'wrong-type']));
  });
});

describe('size', () => {
  test('from 1 to 100,000 items, ids unique', () => {
    expect(generateExportItems(options({ count: 1 }))).toHaveLength(1);
    expect(() => generateExportItems(options({ count: 0 }))).toThrow(RangeError);
    expect(() => generateExportItems(options({ count: 100_001 }))).toThrow(RangeError);
    const ids = new Set<string>();
    for (const item of exportItemStream(options({ count: 100_000, mix: 'all' })))
      ids.add(item.accountingEntryId);
    expect(ids.size).toBe(100_000);
  });
});
