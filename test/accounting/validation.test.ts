// Each item checked before anything is built (configuration, amounts, bookkeeping method, vendor):
// a bad item fails alone, with Pleo's failure type and a message a bookkeeper can act on.
import { vendorToResolve } from '../../src/accounting/core';
import { PLEO_MESSAGES } from '../../src/shared/failure-reasons';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { ACCOUNTS, documentsOf, exportItem, failureOf, postingsOf, testConfig } from './items';

const card = (spec: Partial<Parameters<typeof exportItem>[0]> = {}) =>
  exportItem({ type: 'card_purchase', ...spec });
const edit = (item: ExportItem, change: (copy: ExportItem) => void): ExportItem => {
  const copy = structuredClone(item);
  change(copy);
  return copy;
};

describe('configuration present for this item', () => {
  it("a line without an account code fails with Pleo's missing-account wording, naming the category", () => {
    const item = edit(card(), (i) => {
      i.accountingEntryLines[0]!.account = { id: 'a', name: 'Travel', code: null };
    });
    expect(failureOf(item)).toEqual({
      reasonType: 'missing_configuration',
      message: expect.stringMatching(
        /^Account for category "Travel" \(line 1\) missing: provide account for category "Travel" \(line 1\) in the configurations\. Set the category's account code in Pleo/,
      ),
    });
  });

  it('a line with no category at all says so', () => {
    expect(failureOf(card({ lines: [{ amount: 500, account: null }] })).message).toMatch(
      /^Account for the expense category \(line 1\) missing: provide account for the expense category \(line 1\) in the configurations/,
    );
  });

  it("names the missing configured account in Pleo's words", () => {
    const config = testConfig({ walletAccounts: {} });
    expect(failureOf(card(), { config })).toEqual({
      reasonType: 'missing_configuration',
      message: PLEO_MESSAGES.accountMissingInConfig('Pleo wallet EUR'),
    });
    expect(
      failureOf(exportItem({ type: 'out_of_pocket' }), {
        config: testConfig({ outOfPocketAccount: undefined }),
      }).message,
    ).toBe('Account Pleo out-of-pocket missing: provide account Pleo out-of-pocket in the configurations');
  });

  it('asks only for the accounts the item uses: a SEK out-of-pocket expense needs no SEK wallet account', () => {
    const [je] = documentsOf(exportItem({ type: 'out_of_pocket', currency: 'SEK' }));
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 10000],
      [ACCOUNTS.outOfPocket, -10000],
    ]);
  });

  it('a fallback account is needed only when Pleo gives no line account', () => {
    const config = testConfig({ cashbackAccount: undefined });
    expect(documentsOf(exportItem({ type: 'cashback' }), { config })).toHaveLength(1);
    expect(
      failureOf(exportItem({ type: 'cashback', lines: [{ amount: 100, account: null }] }), { config })
        .message,
    ).toBe(PLEO_MESSAGES.accountMissingInConfig('cashback'));
  });

  it('ignores inherited object keys: a vendor or tax code called "constructor" is not configured', () => {
    const item = exportItem({
      type: 'invoice',
      method: 'journal',
      vendorCode: 'constructor',
      lines: [{ amount: 100, tax: { type: 'inclusive', amount: 20, code: 'constructor' } }],
    });
    const [je] = documentsOf(item);
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 80],
      [ACCOUNTS.inputVat, 20],
      [ACCOUNTS.payable, -100],
    ]);
  });
});

describe('amounts and currencies', () => {
  const cases: [string, ExportItem, RegExp][] = [
    [
      'lines that do not add up to the total',
      edit(
        card({ lines: [{ amount: 600 }, { amount: 400 }] }),
        (i) => (i.amount.inWalletCurrency.value = 1001),
      ),
      /lines add up to EUR 10\.00 but its total is EUR 10\.01/,
    ],
    [
      'a fractional amount',
      card({ lines: [{ amount: 10.5 }] }),
      /\(10\.5\) is not a whole number of minor units; Pleo sent an invalid amount/,
    ],
    ['a NaN amount', card({ lines: [{ amount: Number.NaN }] }), /is not a whole number of minor units/],
    [
      'an unknown wallet currency',
      card({ currency: 'UNDEFINED' }),
      /wallet currency "UNDEFINED" is not a known ISO 4217 currency/,
    ],
    [
      'a precious metal as supplier currency',
      card({ supplierCurrency: 'XAU', lines: [{ amount: 100, supplierAmount: 1 }] }),
      /supplier currency "XAU" is not a known ISO 4217 currency/,
    ],
    [
      'a line in another currency',
      edit(card(), (i) => (i.accountingEntryLines[0]!.lineAmount.inWalletCurrency.currency = 'USD')),
      /line 1 amount \(wallet currency\) is in USD but the expense is in EUR/,
    ],
    [
      'a tax in another currency',
      edit(
        card({ lines: [{ amount: 100, tax: { type: 'inclusive', amount: 20 } }] }),
        (i) => (i.accountingEntryLines[0]!.tax!.amount.inWalletCurrency.currency = 'DKK'),
      ),
      /line 1 tax \(wallet currency\) is in DKK/,
    ],
    [
      'mixed signs across lines',
      card({ lines: [{ amount: 500 }, { amount: -100 }] }),
      /line 2 amount \(wallet currency\) \(-100\) has the opposite sign of the expense total \(400\)/,
    ],
    [
      'a tax with the opposite sign',
      card({ lines: [{ amount: 500, tax: { type: 'inclusive', amount: -100 } }] }),
      /line 1 tax \(wallet currency\) \(-100\) has the opposite sign/,
    ],
    ['a zero total', card({ lines: [{ amount: 0 }] }), /amount is zero: there is nothing to book/],
    ['no lines', edit(card(), (i) => (i.accountingEntryLines = [])), /has no accounting lines/],
    [
      'a zero supplier amount in another currency',
      card({ supplierCurrency: 'USD', lines: [{ amount: 100, supplierAmount: 0 }] }),
      /0 in the supplier currency USD/,
    ],
    [
      'a date that does not exist',
      card({ date: '2026-02-30T10:00:00Z' }),
      /date "2026-02-30T10:00:00Z" is not a valid date/,
    ],
    ['an unknown bookkeeping method', card({ method: 'ledger' }), /Unknown bookkeeping method "ledger"/],
    [
      'tax larger than its line',
      edit(card({ lines: [{ amount: 100, tax: { type: 'inclusive', amount: 20 } }] }), (i) => {
        i.accountingEntryLines[0]!.tax!.amount.inWalletCurrency.value = 101;
        i.accountingEntryLines[0]!.tax!.amount.inSupplierCurrency.value = 101;
      }),
      /Line 1's tax \(101 \/ 101 in the supplier currency\) is larger than the line/,
    ],
    [
      'an unknown tax type',
      card({ lines: [{ amount: 100, tax: { type: 'compound', amount: 10 } }] }),
      /Line 1 has tax type "compound"; expected inclusive, exclusive or reverse/,
    ],
    [
      'an unknown type',
      exportItem({ type: 'crypto_purchase' }),
      /type "crypto_purchase" is not a combination this integration books/,
    ],
    [
      'a reconciliation id longer than the description field',
      card({ reconciliationId: 'x'.repeat(300) }),
      /reconciliation id "x+" is longer than the description field \(255 characters\)/,
    ],
  ];
  it.each(cases)('%s fails the item with validation_failure', (_name, item, message) => {
    const failure = failureOf(item);
    expect(failure.reasonType).toBe('validation_failure');
    expect(failure.message).toMatch(message);
  });

  it('sums beyond 2^53 do not round into a false balance', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const item = edit(
      card({ lines: [{ amount: big }, { amount: big }] }),
      (i) => (i.amount.inWalletCurrency.value = big),
    );
    expect(failureOf(item).reasonType).toBe('validation_failure');
  });
});

describe('bookkeeping method and vendor resolution', () => {
  it("fails an accounts payable item whose vendor the accounting system does not know, with Pleo's message", () => {
    const item = exportItem({ type: 'invoice', method: 'accounts_payable', vendorCode: 'V-9999' });
    expect(failureOf(item, { context: { vendor: undefined } })).toEqual({
      reasonType: 'vendor_unknown',
      message: PLEO_MESSAGES.vendorUnknown,
    });
  });

  it('fails an accounts payable item that came without a vendor', () => {
    const item = edit(exportItem({ type: 'invoice', method: 'accounts_payable' }), (i) => (i.vendor = null));
    expect(vendorToResolve(item, testConfig())).toBeUndefined();
    expect(failureOf(item, { context: { vendor: undefined } })).toEqual({
      reasonType: 'vendor_unknown',
      message: `${PLEO_MESSAGES.vendorUnknown} (Pleo sent no vendor for this accounts payable expense.)`,
    });
  });

  it('resolves the vendor by code, external id and tax registration number, ignoring the legacy supplier', () => {
    const item = edit(exportItem({ type: 'invoice', method: 'accounts_payable', vendorCode: 'V-1' }), (i) => {
      i.vendor = { ...i.vendor!, externalId: 'EXT-1', taxRegistrationNumber: 'DK123', country: 'DK' };
    });
    expect(vendorToResolve(item, testConfig())).toEqual({
      name: 'ACME Ltd',
      code: 'V-1',
      externalId: 'EXT-1',
      taxRegistrationNumber: 'DK123',
      country: 'DK',
    });
  });

  it('legacy items resolve the supplier by code, account and tax identifier', () => {
    const item = edit(exportItem({ type: 'invoice', method: 'legacy' }), (i) => {
      i.supplier = {
        name: 'ACME LTD',
        code: null,
        account: '2901',
        taxIdentifier: 'IE1234567T',
        country: 'IE',
      };
    });
    expect(vendorToResolve(item, testConfig())).toEqual({
      name: 'ACME LTD',
      code: undefined,
      account: '2901',
      taxRegistrationNumber: 'IE1234567T',
      country: 'IE',
    });
  });

  it('a legacy invoice without supplier identifiers is a journal entry against the fallback AP account', () => {
    const item = exportItem({ type: 'invoice', method: 'legacy', supplierCode: null });
    expect(vendorToResolve(item, testConfig())).toBeUndefined();
    const [je] = documentsOf(item, { context: { vendor: undefined } });
    expect(je!.kind).toBe('journal_entry');
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 10000],
      [ACCOUNTS.payable, -10000],
    ]);
  });

  it("uses the vendor's AP account from the accounting system, else the configured one for its code, else the fallback", () => {
    const item = exportItem({ type: 'invoice', method: 'accounts_payable', vendorCode: 'V-ACME' });
    const payable = (vendor: { externalId: string; name: string; payableAccountCode?: string }) =>
      documentsOf(item, { context: { vendor } })[0]!.postings.find((p) => p.role === 'payable')!.account.code;
    expect(payable({ externalId: 'x', name: 'ACME', payableAccountCode: '2901-AP-ACME' })).toBe(
      '2901-AP-ACME',
    );
    expect(payable({ externalId: 'x', name: 'ACME' })).toBe(ACCOUNTS.vendorPayable);
    expect(
      documentsOf(exportItem({ type: 'invoice', method: 'accounts_payable' }))[0]!.postings.at(-1)!.account
        .code,
    ).toBe(ACCOUNTS.payable);
  });

  it('a vendor without a code does not borrow the legacy supplier code for its AP account', () => {
    const item = edit(
      exportItem({ type: 'invoice', method: 'journal', supplierCode: 'V-ACME', vendorCode: 'V-X' }),
      (i) => {
        i.vendor = { ...i.vendor!, code: undefined };
      },
    );
    expect(documentsOf(item)[0]!.postings.at(-1)!.account.code).toBe(ACCOUNTS.payable);
  });
});
