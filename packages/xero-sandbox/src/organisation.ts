// What one Xero organisation (tenant) holds: its settings and lock dates, chart of accounts, tax rates,
// contacts, tracking categories, and the documents booked into it. The demo organisation mirrors the
// demo chart (packages/demo-company/src/chart.ts) so the adapter books against the same codes as the other targets.
import { randomUUID } from 'node:crypto';
import {
  DEMO_ACCOUNTS,
  DEMO_TAG_GROUPS,
  DEMO_TAX_CODES,
  DEMO_VENDORS,
  DEMO_WALLET_CURRENCY,
} from '@pleo-export/demo-company/chart';

export interface XeroAccount {
  AccountID: string;
  Code: string;
  Name: string;
  Type: string;
  Class: 'ASSET' | 'EQUITY' | 'EXPENSE' | 'LIABILITY' | 'REVENUE';
  Status: 'ACTIVE' | 'ARCHIVED';
  BankAccountType?: 'BANK';
  CurrencyCode?: string;
  SystemAccount?: 'CREDITORS';
}

/**
 * A tax rate. Real Xero posts every rate to its one VAT system account; the stand-in keeps an account
 * per component instead (`input`, and `output` for reverse charge) so a test can tell the reverse-charge
 * sides apart to the minor unit, as the other targets' books do.
 */
export interface XeroTaxRate {
  TaxType: string;
  Name: string;
  Status: 'ACTIVE' | 'DELETED';
  /** Percent as text ('25'). */
  rate: string;
  reverse: boolean;
  accounts: { input?: string; output?: string };
}

export interface XeroContact {
  ContactID: string;
  Name: string;
  ContactNumber?: string;
  AccountNumber?: string;
  TaxNumber?: string;
  ContactStatus: 'ACTIVE' | 'ARCHIVED';
}

export interface XeroTrackingCategory {
  TrackingCategoryID: string;
  Name: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  Options: { TrackingOptionID: string; Name: string; Status: 'ACTIVE' | 'ARCHIVED' }[];
}

export interface TrackingRef {
  TrackingCategoryID: string;
  TrackingOptionID: string;
  Name: string;
  Option: string;
}

export interface StoredLine {
  id: string;
  AccountCode: string;
  Description?: string;
  /** Net amount in minor units of the document currency (signed for manual journals: debit positive). */
  amount: number;
  TaxType?: string;
  taxAmount: number;
  Tracking: TrackingRef[];
}

export type DocumentType = 'ManualJournal' | 'BankTransaction' | 'Invoice' | 'CreditNote' | 'Payment';

export interface StoredDocument {
  type: DocumentType;
  id: string;
  status: string;
  date: string;
  currency: string;
  /** Units of `currency` per unit of the base currency (Xero's CurrencyRate); 1 in the base currency. */
  rate: number;
  createdAt: number;
  updatedAt: number;
  /** Narration, InvoiceNumber, CreditNoteNumber or Reference, as the document type has them. */
  text: string;
  contactId?: string;
  lines: StoredLine[];
  /** Gross total in minor units of `currency` (payments: the amount). */
  total: number;
  /** Payments: the bank account and what they settle. Bills and credit notes: what was paid. */
  bankAccountCode?: string;
  settles?: { type: 'Invoice' | 'CreditNote'; id: string };
  paid: number;
  /** Bank transactions: money out of (SPEND) or into (RECEIVE) `bankAccountCode`. */
  bankType?: 'SPEND' | 'RECEIVE';
  /** The Idempotency-Key of the create that made it, and its place in that request (`key#index`). */
  createdBy?: string;
}

export interface StoredAttachment {
  AttachmentID: string;
  FileName: string;
  MimeType: string;
  content: Buffer;
}

export class Organisation {
  readonly accounts: XeroAccount[] = [];
  readonly taxRates: XeroTaxRate[] = [];
  readonly contacts: XeroContact[] = [];
  readonly trackingCategories: XeroTrackingCategory[] = [];
  readonly documents = new Map<string, StoredDocument>();
  readonly attachments = new Map<string, StoredAttachment[]>();
  periodLockDate?: string;
  endOfYearLockDate?: string;
  /**
   * The day rates Xero takes (from XE.com) when a foreign-currency document names none: units of the
   * currency per unit of the base currency. Fixed here, so what a test reads back is known.
   */
  readonly dayRates: Record<string, number> = { GBP: 0.85, USD: 1.1, SEK: 11.5, DKK: 7.46 };

  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly baseCurrency: string,
  ) {}

  account(code: string): XeroAccount | undefined {
    return this.accounts.find((a) => a.Code === code && a.Status === 'ACTIVE');
  }

  taxRate(type: string): XeroTaxRate | undefined {
    return this.taxRates.find((t) => t.TaxType === type && t.Status === 'ACTIVE');
  }

  get creditors(): XeroAccount {
    return this.accounts.find((a) => a.SystemAccount === 'CREDITORS')!;
  }

  /** The last locked day, when any lock date is set. */
  get lockedThrough(): string | undefined {
    const dates = [this.periodLockDate, this.endOfYearLockDate].filter((d): d is string => !!d);
    return dates.sort().at(-1);
  }
}

const CLASS_OF = {
  expense: ['EXPENSE', 'EXPENSE'],
  asset: ['CURRENT', 'ASSET'],
  liability: ['CURRLIAB', 'LIABILITY'],
  income: ['REVENUE', 'REVENUE'],
} as const;

/** Tracking category names in the demo organisation, per Pleo tag group. */
export const DEMO_TRACKING = { DEPT: 'Department', PROJ: 'Project' } as const;

export function demoOrganisation(tenantId: string = randomUUID(), name = 'Pleo Demo Ltd'): Organisation {
  const org = new Organisation(tenantId, name, DEMO_WALLET_CURRENCY);
  const banks: Record<string, string> = {
    [DEMO_ACCOUNTS.walletEur.code]: 'EUR',
    [DEMO_ACCOUNTS.walletGbp.code]: 'GBP',
    [DEMO_ACCOUNTS.bank.code]: 'EUR',
  };
  for (const a of Object.values(DEMO_ACCOUNTS)) {
    const [type, cls] = CLASS_OF[a.kind];
    org.accounts.push({
      AccountID: randomUUID(),
      Code: a.code,
      Name: a.name,
      Type: banks[a.code] ? 'BANK' : type,
      Class: cls,
      Status: 'ACTIVE',
      ...(banks[a.code] ? { BankAccountType: 'BANK' as const, CurrencyCode: banks[a.code] } : {}),
      // Xero has one accounts-payable account for every contact; the demo vendor's payable account.
      ...(a.code === DEMO_ACCOUNTS.accountsPayableAcme.code ? { SystemAccount: 'CREDITORS' as const } : {}),
    });
  }
  for (const t of Object.values(DEMO_TAX_CODES)) {
    const reverse = t.type === 'reverse';
    org.taxRates.push({
      TaxType: t.code,
      Name: `${t.code} (${Number(t.rate) * 100}%)`,
      Status: 'ACTIVE',
      rate: String(Number(t.rate) * 100),
      reverse,
      accounts: reverse
        ? { input: t.ingoingTaxAccount, output: t.outgoingTaxAccount }
        : { input: 'account' in t ? t.account : undefined },
    });
  }
  org.taxRates.push({
    TaxType: 'NONE',
    Name: 'No VAT',
    Status: 'ACTIVE',
    rate: '0',
    reverse: false,
    accounts: {},
  });
  for (const v of DEMO_VENDORS)
    org.contacts.push({
      ContactID: randomUUID(),
      Name: v.name,
      ContactNumber: v.code,
      // The demo books number each vendor's account with its code, as the ledger and Tryton charts do.
      AccountNumber: v.code,
      TaxNumber: v.taxRegistrationNumber,
      ContactStatus: 'ACTIVE',
    });
  for (const [group, name] of Object.entries(DEMO_TRACKING))
    org.trackingCategories.push({
      TrackingCategoryID: randomUUID(),
      Name: name,
      Status: 'ACTIVE',
      Options: DEMO_TAG_GROUPS[group as keyof typeof DEMO_TAG_GROUPS].map((code) => ({
        TrackingOptionID: randomUUID(),
        Name: code,
        Status: 'ACTIVE' as const,
      })),
    });
  return org;
}
