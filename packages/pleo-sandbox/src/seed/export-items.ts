// Seed data for the Pleo sandbox: realistic export items (v3), deterministic from a string seed,
// from 1 to 100,000 per job. Mix 'valid' books cleanly against the demo chart; mix 'all' adds items
// designed to fail for one reason each (expectedFailure tells which).
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { DEMO_WALLET_CURRENCY } from '@pleo-export/demo-company/chart';
import type { FaultKind } from './faults';
import { ItemFactory } from './items';
import { AbsentAsNull } from './nulls';
import { SpecPlanner } from './plan';
import { Random } from './random';

export { expectedFailure, faultOf, FAULT_KINDS, FAULT_REASONS, type FaultKind } from './faults';
export { COVERAGE_SIZE } from './plan';

export interface GenerateOptions {
  seed: string;
  count: number;
  companyId: string;
  /** The sandbox's base URL; receipts are served under `${fileBaseUrl}/files/…`. */
  fileBaseUrl: string;
  mix: 'valid' | 'all';
  /** The company's main wallet currency (default EUR, the demo chart's); EUR and GBP have demo wallet accounts. */
  walletCurrency?: string;
  /**
   * Vendor tagging (default on): items carry a bookkeeping method — journal, accounts payable, none —
   * with a few legacy ones for coverage. Off: like a company without vendor tagging, every item has
   * `bookkeeping: null` and no vendor, and is booked through its supplier.
   */
  vendorTagging?: boolean;
  /** Sign of money flowing back (refunds, chargebacks, cashback, top-ups…): Pleo does not document it. */
  moneyInSign?: 'positive' | 'negative';
  /** Item index → fault, overriding the random mix (used for the demo jobs). */
  faults?: ReadonlyMap<number, FaultKind>;
  /**
   * The share (0–1, default 0) of the optional fields an item leaves out that it sends as `null`
   * instead, as Pleo's services often do. Drawn from its own generator: the items are otherwise the same.
   */
  absentAsNull?: number;
}

/** The items one by one, without holding the whole job: for very large jobs. */
export function* exportItemStream(options: GenerateOptions): Generator<ExportItem> {
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > 100_000) {
    throw new RangeError(`count must be an integer from 1 to 100,000, got ${options.count}`);
  }
  const r = new Random(`${options.seed}/${options.companyId}`);
  const planner = new SpecPlanner(r, options.vendorTagging ?? true);
  const factory = new ItemFactory(r, {
    companyId: options.companyId,
    fileBaseUrl: options.fileBaseUrl.replace(/\/+$/, ''),
    walletCurrency: options.walletCurrency ?? DEMO_WALLET_CURRENCY,
    moneyInSign: options.moneyInSign ?? 'positive',
  });
  const nulls = new AbsentAsNull(`${options.seed}/${options.companyId}`, options.absentAsNull ?? 0);
  for (let index = 0; index < options.count; index++) {
    const drawn = options.mix === 'all' ? planner.drawFault() : undefined;
    const fault = options.faults ? options.faults.get(index) : drawn;
    yield nulls.apply(factory.build(index, planner.next(index, fault)));
  }
}

export function generateExportItems(options: GenerateOptions): ExportItem[] {
  return Array.from(exportItemStream(options));
}

/**
 * The `npm start` demo, oldest job first: a small all-valid job of mixed types, a larger job where five
 * items fail each for a different reason, and an accounts-payable job (bills, credit notes, payments).
 */
export function demoJobs(
  companyId: string,
  fileBaseUrl: string,
): { createdAt: string; items: ExportItem[] }[] {
  const base = { companyId, fileBaseUrl, mix: 'valid' as const };
  const failing = new Map<number, FaultKind>([
    [3, 'account_unknown'],
    [8, 'vendor_unknown'],
    [13, 'lines_not_summing'],
    [18, 'receipt_expired'],
    [22, 'tax_code_unknown'],
  ]);
  return [
    {
      createdAt: '2026-11-02T08:15:00Z',
      items: generateExportItems({ ...base, seed: 'demo-mixed', count: 12 }),
    },
    {
      createdAt: '2026-11-09T08:15:00Z',
      items: generateExportItems({ ...base, seed: 'demo-some-fail', count: 25, faults: failing }),
    },
    { createdAt: '2026-11-16T08:15:00Z', items: accountsPayableJob(companyId, fileBaseUrl) },
  ];
}

/** Bills, a credit note and payments, all vendor-tagged and booked as accounts payable. */
function accountsPayableJob(companyId: string, fileBaseUrl: string): ExportItem[] {
  const r = new Random(`demo-accounts-payable/${companyId}`);
  const factory = new ItemFactory(r, {
    companyId,
    fileBaseUrl: fileBaseUrl.replace(/\/+$/, ''),
    walletCurrency: DEMO_WALLET_CURRENCY,
    moneyInSign: 'positive',
  });
  const method = 'accounts_payable' as const;
  const specs = [
    { type: 'invoice', method, tax: 'inclusive', lines: 2 },
    { type: 'invoice', method, tax: 'reverse', supplierCurrency: 'GBP' },
    { type: 'invoice', method, tax: 'exclusive' },
    { type: 'invoice_payment', subType: 'invoice_payment_sent', method },
    { type: 'invoice_payment', subType: 'invoice_payment_sent', method },
    { type: 'card_invoice', method, tax: 'inclusive' },
    { type: 'refund', method, tax: 'inclusive' },
    { type: 'invoice_payment', subType: 'invoice_payment_returned', method },
  ] as const;
  return specs.map((spec, index) => factory.build(index, spec));
}
