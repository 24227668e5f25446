// Which items a job gets: first a coverage plan (every type, sub-type, bookkeeping method, tax type
// and currency kind at least once, in a seed-shuffled order), then items drawn with realistic weights.
import type { BookkeepingMethod, ExportItemType } from '@pleo-export/pleo-api/types';
import { FAULT_KINDS, typesFor, type FaultKind } from './faults';
import type { ItemSpec } from './items';
import { PAYABLE_TYPES, PROFILES, TYPE_WEIGHTS } from './profiles';
import type { Random } from './random';

const COVERAGE: readonly ItemSpec[] = [
  { type: 'card_purchase', method: 'journal', tax: 'inclusive', lines: 2 },
  { type: 'card_purchase', method: 'accounts_payable', supplierCurrency: 'USD', tax: 'reverse' },
  { type: 'card_purchase', method: null, supplierCurrency: 'JPY', tax: 'inclusive' },
  { type: 'card_purchase', method: 'journal', supplierCurrency: 'ISK', tax: 'exclusive', lines: 3 },
  { type: 'card_purchase', method: 'journal', supplierCurrency: 'KWD', secondWallet: true, tax: 'none' },
  { type: 'card_invoice', method: 'journal', tax: 'exclusive' },
  { type: 'card_invoice', method: 'accounts_payable', tax: 'inclusive', lines: 2 },
  { type: 'out_of_pocket', method: 'journal', supplierCurrency: 'SEK', tax: 'inclusive' },
  { type: 'out_of_pocket', method: null, supplierCurrency: 'JPY', tax: 'none' },
  { type: 'mileage', method: 'journal' },
  { type: 'per_diem', method: 'none' },
  { type: 'external_reimbursement', subType: 'reimbursement_to_employee', method: 'journal' },
  { type: 'external_reimbursement', subType: 'reimbursement_to_company', method: 'journal' },
  { type: 'direct_reimbursement', subType: 'reimbursement_to_employee', method: 'journal' },
  { type: 'direct_reimbursement', subType: 'reimbursement_to_employee_refund', method: 'journal' },
  { type: 'direct_reimbursement', subType: 'reimbursement_to_company', method: null },
  { type: 'invoice', method: 'accounts_payable', tax: 'reverse', supplierCurrency: 'GBP' },
  { type: 'invoice', method: 'accounts_payable', tax: 'inclusive', lines: 2 },
  { type: 'invoice', method: 'journal', tax: 'exclusive' },
  { type: 'invoice', method: null, tax: 'inclusive' },
  { type: 'invoice_payment', subType: 'invoice_payment_sent', method: 'accounts_payable' },
  { type: 'invoice_payment', subType: 'invoice_payment_returned', method: 'accounts_payable' },
  { type: 'invoice_payment', subType: 'invoice_payment_sent', method: null },
  { type: 'chargeback', method: 'journal', tax: 'inclusive' },
  { type: 'refund', method: 'accounts_payable', tax: 'inclusive' },
  { type: 'refund', method: 'journal', supplierCurrency: 'JPY', secondWallet: true, tax: 'inclusive' },
  { type: 'cashback', method: 'journal' },
  { type: 'atm_withdrawal', method: 'journal', supplierCurrency: 'ISK' },
  { type: 'wallet_topup', method: 'none' },
  { type: 'wallet_unload', method: 'none' },
  { type: 'personal_spend', method: 'journal', supplierCurrency: 'KWD' },
  { type: 'fee', method: 'journal' },
  { type: 'fee', subType: 'interest', method: 'none', secondWallet: true },
];

export const COVERAGE_SIZE = COVERAGE.length;

export class SpecPlanner {
  readonly #coverage: ItemSpec[];

  constructor(
    private readonly r: Random,
    /** Vendor tagging on: items carry a bookkeeping method (and vendors); off: every item is legacy. */
    private readonly vendorTagging: boolean,
  ) {
    this.#coverage = r.shuffle([...COVERAGE]);
  }

  /** The spec of item `index`; `fault` (if any) wins over the plan: the item is made to carry it. */
  next(index: number, fault: FaultKind | undefined): ItemSpec {
    const drawn = this.#coverage[index] ?? this.#draw();
    const planned = this.vendorTagging ? drawn : { ...drawn, method: null };
    return fault ? this.#withFault({ ...planned, fault }, fault) : planned;
  }

  /** A fault drawn for mix 'all': about one item in five fails, each time for one reason. */
  drawFault(): FaultKind | undefined {
    return this.r.chance(0.2) ? this.r.pick(FAULT_KINDS) : undefined;
  }

  #draw(type: ExportItemType = this.r.weighted(TYPE_WEIGHTS)): ItemSpec {
    const { r } = this;
    const subTypes = PROFILES[type].subTypes;
    const subType = subTypes ? r.weighted(subTypes) : undefined;
    return {
      type,
      ...(subType ? { subType } : {}),
      method: this.#method(type),
      secondWallet: r.chance(0.15),
    };
  }

  #method(type: ExportItemType): BookkeepingMethod | null {
    const { r } = this;
    if (type === 'wallet_topup' || type === 'wallet_unload') return r.chance(0.9) ? 'none' : null;
    if (r.chance(0.12)) return null;
    if (type === 'invoice' || type === 'invoice_payment')
      return r.chance(0.8) ? 'accounts_payable' : 'journal';
    if (PAYABLE_TYPES.includes(type)) return r.chance(0.15) ? 'accounts_payable' : 'journal';
    return r.chance(0.05) ? 'none' : 'journal';
  }

  #withFault(spec: ItemSpec, fault: FaultKind): ItemSpec {
    const types = typesFor(fault, this.vendorTagging);
    const drawn = types.includes(spec.type) ? spec : { ...this.#draw(this.r.pick(types)), fault };
    const fitted = this.vendorTagging ? drawn : { ...drawn, method: null };
    if (fault === 'vendor_unknown')
      return { ...fitted, method: this.vendorTagging ? 'accounts_payable' : null };
    if (fault === 'tax_code_unknown') return { ...fitted, tax: 'inclusive' };
    return fitted;
  }
}
