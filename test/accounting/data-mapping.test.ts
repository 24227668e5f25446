// What each document carries over from the item (references, description, parties, receipts), and
// its posting date, moved when the item's period is closed.
import {
  applyClosedPeriod,
  documentReference,
  type AccountingDocument,
  type SupplierBill,
} from '../../src/accounting/core';
import { consolidatedDescription } from '../../src/accounting/core/description';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { documentsOf, exportItem, testConfig } from './items';

const withInfo = (item: ExportItem, info: Partial<ExportItem['additionalInformation']>): ExportItem => ({
  ...item,
  additionalInformation: { ...item.additionalInformation, ...info },
});

describe('data mapping', () => {
  it('description: supplier name · user name · note, ending with the reconciliation id', () => {
    const [je] = documentsOf(exportItem({ type: 'card_purchase' }));
    expect(je!.description).toBe('ACME LTD · Luke Richardson · Client dinner [4113617]');
  });

  it('prefers the vendor name when the item has a vendor', () => {
    const [bill] = documentsOf(exportItem({ type: 'invoice', method: 'accounts_payable' }));
    expect(bill!.description).toBe('ACME Ltd · Luke Richardson · Client dinner [4113617]');
  });

  it('shortened to the field length: initials first, then truncation, never losing the reconciliation id', () => {
    const parts = {
      supplier: 'RESTAURANT HAFEN HAMBURG',
      user: 'Luke Skywalker Richardson',
      note: 'Client dinner with the whole Hamburg team',
    };
    expect(consolidatedDescription(parts, '4113617', 90)).toBe(
      'RESTAURANT HAFEN HAMBURG · L.S.R. · Client dinner with the whole Hamburg team [4113617]',
    );
    const short = consolidatedDescription(parts, '4113617', 60);
    expect([...short].length).toBeLessThanOrEqual(60);
    expect(short).toBe('RESTAURANT HAFEN HAMBURG · L.S.R. · Client dinner… [4113617]');
    expect(consolidatedDescription({ supplier: '東京タワー'.repeat(30) }, 'R1', 60)).toMatch(
      /^東京タワー.*… \[R1\]$/u,
    );
    expect(consolidatedDescription({}, 'R1', 60)).toBe('[R1]');
  });

  it('references, attendees, deep link and receipts are carried on the document', () => {
    const item = withInfo(
      exportItem({ type: 'direct_reimbursement', subType: 'reimbursement_to_employee' }),
      {
        attendees: ['A. Client', null, 'B. Client'],
        reconciledEntries: ['4113001', '4113002'],
      },
    );
    const [je] = documentsOf(item);
    expect(je!.reference).toBe(documentReference(item.accountingEntryId, 'main'));
    expect(je!.references).toEqual({
      accountingEntryId: item.accountingEntryId,
      reconciliationId: '4113617',
      reconciledEntries: ['4113001', '4113002'],
      deepLink: `https://app.pleo.io/export/${item.accountingEntryId}`,
    });
    expect(je!.attendees).toEqual(['A. Client', 'B. Client']);
    expect(je!.receipts).toEqual([{ fileIndex: 0, type: 'application/pdf', size: 1234 }]);
    expect(je!.status).toBe('draft');
  });

  it('posting mode comes from the configuration (draft by default)', () => {
    expect(
      documentsOf(exportItem({ type: 'fee' }), { config: testConfig({ postingMode: 'posted' }) })[0]!.status,
    ).toBe('posted');
  });

  it('invoice fields go on the bill; the service period is data only and does not move the posting date', () => {
    const base = exportItem({ type: 'invoice', method: 'accounts_payable', date: '2026-04-10T00:00:00Z' });
    const item: ExportItem = {
      ...withInfo(base, {
        invoiceInformation: {
          invoiceNumber: 'INV-2026-0042',
          invoiceDate: '2026-04-01',
          dueDate: '2026-04-30T00:00:00Z',
          paymentDate: '2026-04-10',
          status: 'paid',
          supplierBankAccount: {
            bankName: 'Example Bank',
            country: 'IE',
            iban: 'IE29AIBK93115212345678',
            bic: 'AIBKIE2D',
            accountNumber: null,
            bankCode: null,
          },
        },
      }),
      servicePeriod: { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' },
    };
    const [bill] = documentsOf(item) as [SupplierBill];
    expect(bill.invoice).toEqual({
      invoiceNumber: 'INV-2026-0042',
      invoiceDate: '2026-04-01',
      dueDate: '2026-04-30',
      paymentDate: '2026-04-10',
      status: 'paid',
      supplierBankAccount: {
        bankName: 'Example Bank',
        country: 'IE',
        iban: 'IE29AIBK93115212345678',
        bic: 'AIBKIE2D',
        accountNumber: undefined,
        bankCode: undefined,
      },
    });
    expect(bill.servicePeriod).toEqual({ from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' });
    expect(bill.date).toBe('2026-04-10');
    expect(bill.vendor).toEqual({
      name: 'ACME Ltd',
      code: 'V-OTHER',
      externalId: undefined,
      taxRegistrationNumber: undefined,
      country: undefined,
    });
  });
});

describe('posting date and closed periods', () => {
  const [je] = documentsOf(exportItem({ type: 'card_purchase', date: '2026-01-31T23:10:00Z' }));
  const document = je as AccountingDocument;

  it('posting date = the item date', () => {
    expect(document.date).toBe('2026-01-31');
  });

  it('adjust (default): re-dated to the next open period start, original date and a note recorded', () => {
    const result = applyClosedPeriod(document, testConfig(), {
      nextOpenDate: '2026-03-01',
      today: '2026-04-02',
    });
    expect(result).toMatchObject({ ok: true, document: { date: '2026-03-01', originalDate: '2026-01-31' } });
    if (!result.ok) return;
    expect(result.document.description).toBe(
      'Expense date 2026-01-31 is in a closed period; booked on 2026-03-01: ACME LTD · Luke Richardson · Client dinner [4113617]',
    );
    expect(result.document.notes).toEqual([
      'Expense date 2026-01-31 is in a closed period; booked on 2026-03-01 (closed-period rule: next_open_period_start).',
    ]);
    expect(result.document.postings).toEqual(document.postings);
  });

  it('adjust to today when so configured; the description stays within its length with the reconciliation id', () => {
    const config = testConfig({
      closedPeriod: { strategy: 'adjust', adjustTo: 'today' },
      description: { maxLength: 60 },
    });
    const [short] = documentsOf(exportItem({ type: 'card_purchase', date: '2026-01-31T10:00:00Z' }), {
      config,
    });
    const result = applyClosedPeriod(short!, config, { nextOpenDate: '2026-03-01', today: '2026-04-02' });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.document.date).toBe('2026-04-02');
    expect([...result.document.description].length).toBeLessThanOrEqual(60);
    expect(result.document.description).toMatch(
      /^Expense date 2026-01-31 is in a closed period.*… \[4113617\]$/,
    );
  });

  it('fail: the item fails with what to do', () => {
    const config = testConfig({ closedPeriod: { strategy: 'fail', adjustTo: 'next_open_period_start' } });
    expect(applyClosedPeriod(document, config, { today: '2026-04-02' })).toEqual({
      ok: false,
      failure: {
        reasonType: 'accounting_system_validation_failure',
        message:
          'The accounting period of 2026-01-31 is closed in the accounting system. Reopen it, or turn on closed-period date adjustment, then export again.',
      },
    });
  });

  it('adjust with no later open date fails instead of booking into the past', () => {
    expect(applyClosedPeriod(document, testConfig(), { today: '2026-01-31' })).toMatchObject({
      ok: false,
      failure: {
        reasonType: 'accounting_system_validation_failure',
        message: expect.stringContaining('no later open date was found'),
      },
    });
  });
});
