// Which accounts are booked, tax as Pleo gives it, currencies and split lines,
// stated as the journal an accountant expects.
import {
  currencyExponent,
  deriveRate,
  formatMinor,
  type SupplierBill,
  type BillPayment,
} from '../../src/accounting/core';
import { PLEO_MESSAGES } from '../../src/shared/failure-reasons';
import { ACCOUNTS, documentsOf, exportItem, failureOf, negated, postingsOf, testConfig } from './items';

const FOREIGN_TARGET = { accountsPayable: true, foreignCurrencyDocuments: true };

describe('the wallet account', () => {
  it("Pleo's contra account for the item overrides the configured wallet account (multi-currency wallets)", () => {
    const [je] = documentsOf(exportItem({ type: 'card_purchase', contraAccount: ACCOUNTS.itemContra }));
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 10000],
      [ACCOUNTS.itemContra, -10000],
    ]);
  });

  it('without one, the configured wallet account of the wallet currency is used', () => {
    const [je] = documentsOf(exportItem({ type: 'fee', currency: 'GBP' }));
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 10000],
      [ACCOUNTS.walletGbp, -10000],
    ]);
  });

  it("a refund reverses the purchase whichever sign Pleo uses, including Pleo's contra account", () => {
    const refund = exportItem({
      type: 'refund',
      contraAccount: ACCOUNTS.itemContra,
      lines: [{ amount: 2500, tax: { type: 'inclusive', amount: 500 } }],
    });
    const expected = [
      [ACCOUNTS.line, -2000],
      [ACCOUNTS.inputVatByCode, -500],
      [ACCOUNTS.itemContra, 2500],
    ];
    expect(postingsOf(documentsOf(refund)[0]!)).toEqual(expected);
    expect(postingsOf(documentsOf(negated(refund))[0]!)).toEqual(expected);
  });
});

describe('tax as Pleo gives it', () => {
  it('inclusive tax: the line is split into net expense and input VAT, the wallet credited with the gross', () => {
    const [je] = documentsOf(
      exportItem({
        type: 'card_purchase',
        lines: [{ amount: 60000, tax: { type: 'inclusive', amount: 12000 } }],
      }),
    );
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 48000],
      [ACCOUNTS.inputVatByCode, 12000],
      [ACCOUNTS.walletEur, -60000],
    ]);
    expect(je!.postings.map((p) => p.taxCode)).toEqual(['VAT25', 'VAT25', undefined]);
  });

  it('exclusive tax: Pleo’s tax amount is used as given (never recomputed from the rate), inside the paid amount', () => {
    // 6 % of 9434 would be 566.04; Pleo says 567, so 567 it is.
    const [je] = documentsOf(
      exportItem({
        type: 'card_purchase',
        lines: [{ amount: 10001, tax: { type: 'exclusive', amount: 567, rate: 0.06, code: 'VAT6' } }],
      }),
    );
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 9434],
      [ACCOUNTS.inputVat, 567],
      [ACCOUNTS.walletEur, -10001],
    ]);
  });

  it("reverse charge: the full line, plus input and output VAT of equal amounts on the tax code's accounts", () => {
    const [je] = documentsOf(
      exportItem({
        type: 'card_purchase',
        lines: [
          {
            amount: 150000,
            tax: { type: 'reverse', amount: 28500, code: 'RC', ingoing: '1576', outgoing: '1787' },
          },
        ],
      }),
    );
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.line, 150000],
      ['1576', 28500],
      ['1787', -28500],
      [ACCOUNTS.walletEur, -150000],
    ]);
    expect(je!.postings.map((p) => p.role)).toEqual([
      'expense',
      'reverse_charge_in',
      'reverse_charge_out',
      'funding',
    ]);
  });

  it("Pleo's ingoing tax account wins over the configuration; then the code's configured account; then the default", () => {
    const vatAccount = (tax: { code?: string | null; ingoing?: string }) =>
      documentsOf(
        exportItem({
          type: 'card_purchase',
          lines: [{ amount: 100, tax: { type: 'inclusive', amount: 20, ...tax } }],
        }),
      )[0]!.postings[1]!.account.code;
    expect(vatAccount({ code: 'VAT25', ingoing: '2641' })).toBe('2641');
    expect(vatAccount({ code: 'VAT25' })).toBe(ACCOUNTS.inputVatByCode);
    expect(vatAccount({ code: 'VAT12' })).toBe(ACCOUNTS.inputVat);
    expect(vatAccount({ code: null })).toBe(ACCOUNTS.inputVat);
  });

  it('reverse charge without an outgoing tax account fails with what to set', () => {
    const item = exportItem({
      type: 'card_purchase',
      lines: [{ amount: 100, tax: { type: 'reverse', amount: 25, code: 'RC25', ingoing: '1576' } }],
    });
    expect(failureOf(item)).toEqual({
      reasonType: 'missing_configuration',
      message: PLEO_MESSAGES.accountMissingInConfig('outgoing VAT (reverse charge) for tax code RC25'),
    });
  });

  it('a 0 % tax code stays on the line (exempt purchases belong in VAT reports) with no tax posting', () => {
    const [je] = documentsOf(
      exportItem({
        type: 'card_purchase',
        lines: [{ amount: 100, tax: { type: 'inclusive', amount: 0, code: 'VAT0', rate: 0 } }],
      }),
    );
    expect(je!.postings.map((p) => [p.account.code, p.amount, p.taxCode])).toEqual([
      [ACCOUNTS.line, 100, 'VAT0'],
      [ACCOUNTS.walletEur, -100, undefined],
    ]);
  });

  it('reimbursements and transfers carry no tax even if a line has one', () => {
    const [je] = documentsOf(
      exportItem({
        type: 'direct_reimbursement',
        lines: [{ amount: 100, tax: { type: 'inclusive', amount: 20 } }],
      }),
    );
    expect(postingsOf(je!)).toEqual([
      [ACCOUNTS.reimbursement, 100],
      [ACCOUNTS.walletEur, -100],
    ]);
  });
});

describe('split expenses', () => {
  it('one debit per line (with its own account, tax and dimensions), one credit for the total', () => {
    const item = exportItem({
      type: 'card_purchase',
      lines: [
        {
          amount: 60000,
          account: '7100',
          tax: { type: 'inclusive', amount: 12000 },
          tags: [{ groupCode: 'PROJECT', code: 'P-100' }],
        },
        { amount: 40000, account: '7300', tax: { type: 'inclusive', amount: 8000, code: 'VAT12' } },
      ],
    });
    const [je] = documentsOf(item);
    expect(postingsOf(je!)).toEqual([
      ['7100', 48000],
      [ACCOUNTS.inputVatByCode, 12000],
      ['7300', 32000],
      [ACCOUNTS.inputVat, 8000],
      [ACCOUNTS.walletEur, -100000],
    ]);
    expect(je!.postings[0]!.dimensions).toEqual([
      { group: 'PROJECT', code: 'P-100' },
      { group: 'team', code: 'T-OPS' },
    ]);
    expect(je!.postings[2]!.dimensions).toEqual([{ group: 'team', code: 'T-OPS' }]);
    const [first, second] = item.accountingEntryLines.map((l) => l.accountingEntryLineId);
    expect(je!.postings.map((p) => p.lineId)).toEqual([first, first, second, second, undefined]);
  });
});

describe('currencies', () => {
  it('knows ISO 4217 exponents: JPY and ISK 0, EUR 2, KWD and BHD 3, CLF 4; metals and UNDEFINED are not bookable', () => {
    expect(['JPY', 'ISK', 'EUR', 'KWD', 'BHD', 'CLF', 'XAU', 'UNDEFINED'].map(currencyExponent)).toEqual([
      0,
      0,
      2,
      3,
      3,
      4,
      undefined,
      undefined,
    ]);
    expect(formatMinor(1500, 0)).toBe('1500');
    expect(formatMinor(-1234567, 3)).toBe('-1234.567');
    expect(formatMinor(5, 2)).toBe('0.05');
  });

  it('derives the rate exactly from integer minor units, whatever the exponents', () => {
    // 100000 DKK minor (1000.00) for 13400 EUR minor (134.00) → 7.462687 DKK per EUR.
    expect(deriveRate({ value: 100000, exponent: 2 }, { value: 13400, exponent: 2 })).toBe('7.462687');
    // 1500 ISK (exponent 0) for 1000 EUR minor (10.00) → 150 ISK per EUR.
    expect(deriveRate({ value: 1500, exponent: 0 }, { value: 1000, exponent: 2 })).toBe('150.000000');
    // 3.070 KWD (exponent 3) for 1000 USD minor (10.00) → 0.307 KWD per USD.
    expect(deriveRate({ value: 3070, exponent: 3 }, { value: 1000, exponent: 2 })).toBe('0.307000');
  });

  it('journal entries are in the wallet currency; every posting keeps its supplier amount (same sign) and the rate', () => {
    const item = exportItem({
      type: 'refund',
      currency: 'DKK',
      supplierCurrency: 'EUR',
      contraAccount: ACCOUNTS.itemContra,
      lines: [
        {
          amount: 60000,
          supplierAmount: 8040,
          tax: { type: 'inclusive', amount: 12000, supplierAmount: 1608 },
        },
      ],
    });
    const [je] = documentsOf(item);
    expect(je!.currency).toBe('DKK');
    expect(je!.postings.map((p) => [p.amount, p.foreignAmount, p.rate])).toEqual([
      [-48000, { currency: 'EUR', value: -6432 }, '7.462687'],
      [-12000, { currency: 'EUR', value: -1608 }, '7.462687'],
      [60000, { currency: 'EUR', value: 8040 }, '7.462687'],
    ]);
  });

  it('JPY and KWD wallets book whole minor units of their own exponent', () => {
    const [jpy] = documentsOf(
      exportItem({
        type: 'card_purchase',
        currency: 'JPY',
        contraAccount: 'WALLET-JPY',
        lines: [{ amount: 1234 }],
      }),
    );
    expect(postingsOf(jpy!)).toEqual([
      [ACCOUNTS.line, 1234],
      ['WALLET-JPY', -1234],
    ]);
    const [kwd] = documentsOf(
      exportItem({
        type: 'card_purchase',
        currency: 'KWD',
        supplierCurrency: 'EUR',
        contraAccount: 'WALLET-KWD',
        lines: [{ amount: 30700, supplierAmount: 10000 }],
      }),
    );
    expect(kwd!.postings[0]!.rate).toBe('0.307000');
  });

  const foreignBillItem = (supplierTotal?: number) =>
    exportItem({
      type: 'card_purchase',
      method: 'accounts_payable',
      currency: 'DKK',
      supplierCurrency: 'EUR',
      supplierTotal,
      contraAccount: ACCOUNTS.itemContra,
      lines: [
        {
          amount: 60000,
          supplierAmount: 8040,
          tax: { type: 'inclusive', amount: 12000, supplierAmount: 1608 },
        },
        { amount: 40000, supplierAmount: 5360 },
      ],
    });

  it('bills are issued in the supplier currency when the target supports it; the payment stays in the wallet currency', () => {
    const [bill, payment] = documentsOf(foreignBillItem(), { context: { target: FOREIGN_TARGET } }) as [
      SupplierBill,
      BillPayment,
    ];
    expect(bill.foreignCurrency).toEqual({ currency: 'EUR', total: 13400, rate: '7.462687' });
    expect(bill.lines.map((l) => [l.netAmount, l.foreign])).toEqual([
      [48000, { netAmount: 6432, taxAmount: 1608 }],
      [40000, { netAmount: 5360 }],
    ]);
    expect(bill.total).toBe(100000);
    expect(bill.notes).toBeUndefined();
    expect(payment.currency).toBe('DKK');
    expect(payment.amount).toBe(100000);
    expect(payment.foreignAmount).toEqual({ currency: 'EUR', value: 13400 });
    expect(payment.fxDifferenceAccount).toEqual({ code: ACCOUNTS.fxDifference });
  });

  it('a target without foreign-currency documents gets the bill in the wallet currency', () => {
    const [bill, payment] = documentsOf(foreignBillItem()) as [SupplierBill, BillPayment];
    expect(bill.foreignCurrency).toBeUndefined();
    expect(bill.lines.every((l) => l.foreign === undefined)).toBe(true);
    expect(payment.fxDifferenceAccount).toBeUndefined();
  });

  it('supplier-currency lines that do not add up to the supplier total: the difference goes explicitly to the rounding account, with a note', () => {
    const [bill] = documentsOf(foreignBillItem(13401), { context: { target: FOREIGN_TARGET } }) as [
      SupplierBill,
    ];
    expect(bill.foreignCurrency?.rounding).toEqual({ amount: 1, account: { code: ACCOUNTS.rounding } });
    expect(bill.notes).toEqual([
      expect.stringContaining('the difference of 1 is booked on rounding account ROUNDING'),
    ]);
    // The wallet-currency postings stay exactly Pleo's.
    expect(postingsOf(bill)).toEqual([
      [ACCOUNTS.line, 48000],
      [ACCOUNTS.inputVatByCode, 12000],
      [ACCOUNTS.line, 40000],
      [ACCOUNTS.payable, -100000],
    ]);
  });

  it('fails with the missing account when a rounding or FX difference account is needed but not configured', () => {
    expect(
      failureOf(foreignBillItem(13401), {
        config: testConfig({ roundingAccount: undefined }),
        context: { target: FOREIGN_TARGET },
      }).message,
    ).toBe(PLEO_MESSAGES.accountMissingInConfig('rounding differences'));
    expect(
      failureOf(foreignBillItem(), {
        config: testConfig({ fxDifferenceAccount: undefined }),
        context: { target: FOREIGN_TARGET },
      }).message,
    ).toBe(PLEO_MESSAGES.accountMissingInConfig('realised FX gains and losses'));
  });
});

describe('accounts payable documents', () => {
  it('a refund under AP is a credit note and the money received, each balanced, netting to the reversed spend', () => {
    const [creditNote, payment] = documentsOf(
      exportItem({
        type: 'refund',
        method: 'accounts_payable',
        lines: [{ amount: 2500, tax: { type: 'inclusive', amount: 500 } }],
      }),
    );
    expect(creditNote!.kind).toBe('supplier_credit_note');
    expect(postingsOf(creditNote!)).toEqual([
      [ACCOUNTS.line, -2000],
      [ACCOUNTS.inputVatByCode, -500],
      [ACCOUNTS.payable, 2500],
    ]);
    expect(payment!.kind).toBe('bill_payment');
    expect(postingsOf(payment!)).toEqual([
      [ACCOUNTS.payable, -2500],
      [ACCOUNTS.walletEur, 2500],
    ]);
    expect((creditNote as SupplierBill).total).toBe(2500);
    expect((payment as BillPayment).settles).toBe(creditNote!.reference);
  });

  it('a returned invoice payment reopens the payable; a standalone payment does not claim a bill reference it cannot know', () => {
    const item = exportItem({
      type: 'invoice_payment',
      subType: 'invoice_payment_returned',
      method: 'accounts_payable',
    });
    const [payment] = documentsOf({
      ...item,
      additionalInformation: { ...item.additionalInformation, reconciledEntries: ['4113618'] },
    }) as [BillPayment];
    expect(postingsOf(payment)).toEqual([
      [ACCOUNTS.payable, -10000],
      [ACCOUNTS.walletEur, 10000],
    ]);
    expect(payment.settles).toBe('');
    expect(payment.references.reconciledEntries).toEqual(['4113618']);
    expect(payment.receipts).toHaveLength(1);
  });
});
