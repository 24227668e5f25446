// The Tryton books as a bookkeeper signs them off, read from Tryton's own reports (trial balance, tax
// codes, party balances, aged payables, invoice amounts to pay, analytic balances, second currency) for
// the tricky cases: foreign wallet currencies into the EUR demo company (GBP, JPY with 0 decimals, KWD
// with 3), a missing rate, a USD bill paid later from the EUR wallet (reconciled, FX difference booked),
// inclusive, exclusive and reverse-charge VAT, five tags with two of one group plus a team, an employee's
// out-of-pocket expense and a credit note. One private database; every figure below is exact.
import type { BillPayment, JournalEntry, Posting, SupplierBill } from '../../src/accounting/core/documents';
import { TrytonAccountingSystem } from '../../src/accounting-systems/tryton/tryton';
import { AccountingSystemError } from '../../src/accounting-systems/port';
import { DEMO_ACCOUNTS as A } from '@pleo-export/demo-company/chart';
import { bill, header, journalEntryOf, posting as p } from '../support/documents';
import { TrytonRpc } from '../../src/accounting-systems/tryton/json-rpc';
import { startTryton, trytonReports, type TrytonServer } from '../support/tryton';

let server: TrytonServer;
let tryton: TrytonAccountingSystem;
beforeAll(async () => {
  server = await startTryton();
  tryton = new TrytonAccountingSystem(server.config);
}, 300_000);
afterAll(() => server?.stop());

const entry = (currency: string, postings: Posting[], extra: Partial<JournalEntry> = {}) =>
  journalEntryOf(postings, { currency, ...extra });

const acme = { name: 'ACME Ltd', code: 'V1001' };

function usdBill(): SupplierBill {
  const doc = header('2026-06-10', 'posted', [
    p('expense', A.software.code, 138000, {
      lineId: 'u1',
      foreignAmount: { currency: 'USD', value: 150000 },
    }),
    p('payable', A.accountsPayableAcme.code, -138000, {
      foreignAmount: { currency: 'USD', value: -150000 },
    }),
  ]);
  return {
    kind: 'supplier_bill',
    ...doc,
    description: 'ACME consulting (USD)',
    references: { ...doc.references, reconciliationId: 'R-usd' },
    vendor: acme,
    payableAccount: { code: A.accountsPayableAcme.code },
    lines: [
      {
        lineId: 'u1',
        account: { code: A.software.code },
        description: 'Consulting',
        netAmount: 138000,
        dimensions: [],
        foreign: { netAmount: 150000 },
      },
    ],
    total: 138000,
    invoice: { invoiceNumber: 'US-77', invoiceDate: '2026-06-10', dueDate: '2026-07-10' },
    foreignCurrency: { currency: 'USD', total: 150000, rate: '0.920000' },
  };
}

function laterPayment(paid: SupplierBill): BillPayment {
  const doc = header('2026-06-25', 'posted', [
    p('payable', A.accountsPayableAcme.code, 138500),
    p('funding', A.walletEur.code, -138500),
  ]);
  return {
    kind: 'bill_payment',
    ...doc,
    description: 'ACME consulting paid',
    references: {
      ...doc.references,
      reconciliationId: 'R-usd',
      reconciledEntries: [paid.references.accountingEntryId],
    },
    settles: '',
    vendor: acme,
    payableAccount: { code: A.accountsPayableAcme.code },
    paymentAccount: { code: A.walletEur.code },
    amount: 138500,
    foreignAmount: { currency: 'USD', value: 150000 },
    fxDifferenceAccount: { code: A.fxDifference.code },
  };
}

test('the books in Tryton’s reports: currencies, VAT, parties, payments, analytic', async () => {
  // GBP 100.00 card purchase, 20.00 VAT inside, five tags (two projects) and a team; at 0.86 GBP per EUR.
  const gbp = entry(
    'GBP',
    [
      p('expense', A.travel.code, 8000, {
        taxCode: 'VAT25',
        dimensions: [
          { group: 'PROJ', code: 'P100' },
          { group: 'PROJ', code: 'P200' },
          { group: 'DEPT', code: 'SALES' },
          { group: 'team', code: 'T-OPS' },
        ],
      }),
      p('tax', A.inputVat.code, 2000, {
        taxCode: 'VAT25',
        dimensions: [{ group: 'PROJ', code: 'P100' }],
      }),
      p('funding', A.walletGbp.code, -10000),
    ],
    { attendees: ['Ada Lovelace', 'Alan Turing'], note: 'Client dinner, London' },
  );
  const jpy = entry('JPY', [p('expense', A.meals.code, 12345), p('funding', A.bank.code, -12345)]);
  const kwd = entry('KWD', [p('expense', A.office.code, 12345), p('funding', A.bank.code, -12345)]);
  const outOfPocket = entry(
    'EUR',
    [p('expense', A.mileage.code, 4200), p('funding', A.outOfPocket.code, -4200)],
    { user: { id: 'u-ada', name: 'Ada Lovelace' } },
  );
  const chf = entry('CHF', [p('expense', A.meals.code, 5000), p('funding', A.bank.code, -5000)]);
  const usd = usdBill();
  const vatBill = bill();
  const credit = bill({ kind: 'supplier_credit_note' });

  for (const document of [gbp, jpy, kwd, outOfPocket, usd, vatBill]) {
    expect({ reference: document.reference, problem: await tryton.validate(document) }).toEqual({
      reference: document.reference,
      problem: undefined,
    });
    await tryton.post(document);
  }
  await tryton.post(laterPayment(usd));
  const missing = await tryton.post(chf).catch((err: unknown) => err);
  expect(missing).toBeInstanceOf(AccountingSystemError);
  expect((missing as AccountingSystemError).kind).toMatchObject({
    retryable: false,
    failure: {
      reasonType: 'accounting_system_validation_failure',
      message: expect.stringContaining('exchange rate for CHF'),
    },
  });

  const books = await trytonReports(server.config);
  process.stdout.write(`${books.text}\n`);

  // Nothing Pleo knows is dropped: attendees and the note on the move; the due date on the bill's payable line.
  const admin = new TrytonRpc(server.config);
  const [move] = await admin.call<{ description: string }[]>('model.account.move.search_read', [
    [['number', '=', gbp.reference]],
    0,
    1,
    null,
    ['description'],
  ]);
  expect(move?.description).toContain('Attendees: Ada Lovelace, Alan Turing');
  expect(move?.description).toContain('Note: Client dinner, London');
  const maturities = await admin.call<{ maturity_date: string | null }[]>(
    'model.account.move.line.search_read',
    [
      [
        ['move.origin.comment', 'like', `pleo-ref: ${usd.reference}%`, 'account.invoice'],
        ['maturity_date', '!=', null],
      ],
      0,
      null,
      null,
      ['maturity_date'],
    ],
  );
  expect(maturities.map((m) => m.maturity_date)).toEqual(['2026-07-10']);

  // Company currency (EUR) at Tryton's rates (GBP 0.86, JPY 160, KWD 0.333 per EUR), the wallet
  // currency as second currency, and the lines still balance (the funding line takes the rounding).
  expect(books.trialBalance[A.walletGbp.code]).toBe(-11628); // GBP 100.00
  expect(books.trialBalance[A.travel.code]).toBe(9302); // GBP 80.00
  expect(books.secondCurrency[A.walletGbp.code]).toEqual({ GBP: -10000 });
  expect(books.secondCurrency[A.travel.code]).toEqual({ GBP: 8000 });
  expect(books.trialBalance[A.meals.code]).toBe(7716); // JPY 12,345
  expect(books.secondCurrency[A.meals.code]).toEqual({ JPY: 12345 });
  expect(books.trialBalance[A.office.code]).toBe(3707 + 5000); // KWD 12.345, and the VAT bill's office line
  expect(books.secondCurrency[A.office.code]).toEqual({ KWD: 12345 });
  expect(Object.values(books.trialBalance).reduce((s, v) => s + v, 0)).toBe(0);

  // The USD bill is in USD, paid in full by the later EUR payment; the difference is realised FX.
  expect(books.invoices.find((i) => i.reference === usd.reference)).toMatchObject({
    state: 'paid',
    currency: 'USD',
    total: '1500.00',
    toPay: '0',
  });
  expect(books.trialBalance[A.fxDifference.code]).toBe(-(138889 - 138500)); // USD 1,500 / 1.08 − EUR 1,385.00: a gain
  expect(books.secondCurrency[A.accountsPayableAcme.code]).toEqual({ USD: 0 });
  // ACME is owed only the open VAT bill.
  expect(books.partyBalances.V1001).toEqual({ [A.accountsPayableAcme.code]: -38300 });
  expect(books.agedPayables['ACME Ltd']).toBe(38300);
  expect(books.invoices.find((i) => i.reference === vatBill.reference)).toMatchObject({
    state: 'posted',
    currency: 'EUR',
    toPay: '383.00',
  });

  // VAT in the tax report: inclusive (the GBP purchase's 20.00 GBP, the bill's 50.00), exclusive
  // (3.00 on 50.00) and reverse charge on both sides (20.00 in and out on 80.00).
  expect(books.taxCodes).toEqual({
    'VAT25-base': 9302 + 20000,
    'VAT25-tax': 2326 + 5000,
    'VAT6-base': 5000,
    'VAT6-tax': 300,
    'RC25-in-base': 8000,
    'RC25-in-tax': 2000,
    'RC25-out-base': 8000,
    'RC25-out-tax': -2000,
  });

  // The employee is owed the out-of-pocket expense, on their own party; no collective party is used.
  expect(books.partyBalances['PLEO-USER-u-ada']).toEqual({ [A.outOfPocket.code]: -4200 });
  expect(books.partyBalances['PLEO-EMPLOYEES']).toBeUndefined();
  expect(books.partyBalances['PLEO-SUPPLIERS']).toBeUndefined();

  // Analytic: per axis the net amount exactly once (two projects share it), nothing from the VAT line.
  expect(books.analytic).toEqual({
    PROJ: { P100: 4651, P200: 4651 },
    DEPT: { SALES: 9302, ENG: 20000 },
    team: { 'T-OPS': 9302 },
  });

  // A credit note for the VAT bill: Tryton's tax codes and ACME's balance go back.
  await tryton.post(credit);
  const after = await trytonReports(server.config);
  expect(after.taxCodes).toEqual({ 'VAT25-base': 9302, 'VAT25-tax': 2326 });
  expect(after.partyBalances.V1001).toEqual({});
  expect(after.trialBalance[A.office.code]).toBe(3707);
}, 600_000);

test('readiness refuses what would make wrong books, each with its job reason', async () => {
  const ready = (accounting: { currencies: string[]; fxDifferenceAccount?: string }) =>
    tryton.checkReady({ vendorBasedBookkeeping: true, accounting });
  expect(await ready({ currencies: ['EUR', 'GBP'], fxDifferenceAccount: A.fxDifference.code })).toEqual({
    ok: true,
  });
  expect(await ready({ currencies: ['EUR'] })).toEqual({ ok: true });
  expect(await ready({ currencies: ['EUR', 'XOF'], fxDifferenceAccount: A.fxDifference.code })).toMatchObject(
    {
      ok: false,
      reasonType: 'invalid_configuration',
      message: expect.stringContaining('XOF does not exist in Tryton'),
    },
  );
  expect(await ready({ currencies: ['EUR', 'CHF'], fxDifferenceAccount: A.fxDifference.code })).toMatchObject(
    {
      ok: false,
      reasonType: 'invalid_configuration',
      message: expect.stringContaining('no exchange rate for CHF'),
    },
  );
  expect(await ready({ currencies: ['EUR', 'GBP'] })).toMatchObject({
    ok: false,
    reasonType: 'missing_configuration',
    message: expect.stringContaining('fxDifferenceAccount'),
  });
  expect(await ready({ currencies: ['GBP'], fxDifferenceAccount: '7999' })).toMatchObject({
    ok: false,
    reasonType: 'invalid_configuration',
    message: expect.stringContaining('7999 does not exist'),
  });
}, 120_000);
