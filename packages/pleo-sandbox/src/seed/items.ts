// Builds one realistic export item (v3) from a spec: type, sub-type, bookkeeping method, currencies,
// tax and, for items designed to fail, the one fault. Earlier items feed later ones: reimbursements
// settle earlier out-of-pocket expenses, invoice payments pay earlier invoices.
import type {
  BookkeepingMethod,
  ExportItem,
  ExportItemSubType,
  ExportItemType,
  TaxType,
} from '@pleo-export/pleo-api/types';
import {
  ATTENDEES,
  BANKS,
  CATEGORIES,
  CONTRA_ACCOUNTS,
  LEGACY_SUPPLIERS,
  UNMATCHED_SUPPLIER,
  MERCHANTS,
  NOTES,
  SPEND_CATEGORIES,
  TAGS,
  TAX_CODES,
  TEAMS,
  UNKNOWN_CATEGORY,
  UNKNOWN_TAG,
  UNKNOWN_TAX_CODE,
  UNKNOWN_LEGACY_SUPPLIER,
  UNKNOWN_VENDOR,
  USERS,
  VENDORS,
  type AccountV3,
  type Merchant,
  type Supplier,
  type TagV3,
  type TaxCode,
  type Vendor,
} from './catalog';
import { RECEIPT_FAULTS, UNCONFIGURED_WALLET_CURRENCY, type FaultKind } from './faults';
import { buildLines, type LinePlan } from './lines';
import { amountNear, money } from './money';
import { PROFILES, isMoneyIn, type TypeProfile } from './profiles';
import type { Random } from './random';
import { faultyReceipt, validReceipt, type ReceiptFile, type ValidReceiptKind } from './receipts';

export interface ItemSpec {
  type: ExportItemType;
  subType?: ExportItemSubType;
  method: BookkeepingMethod | null;
  /** Spend from the company's second wallet (multi-currency wallets). */
  secondWallet?: boolean;
  supplierCurrency?: string;
  tax?: TaxType | 'none';
  lines?: number;
  fault?: FaultKind;
}

export interface FactoryOptions {
  companyId: string;
  fileBaseUrl: string;
  walletCurrency: string;
  /** Pleo does not document the sign of money flowing back; the sandbox can send either. */
  moneyInSign: 'positive' | 'negative';
}

type InvoiceInformation = NonNullable<ExportItem['additionalInformation']['invoiceInformation']>;

interface OpenInvoice {
  supplierCurrency: string;
  supplierTotal: number;
  invoiceInformation: InvoiceInformation;
  supplier: Supplier | null;
  vendor: Vendor | null;
}

const DAY = 86_400_000;
const EPOCH = Date.UTC(2026, 0, 1);
const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10) + 'T00:00:00Z';

export class ItemFactory {
  readonly #expenses: { reconciliationId: string; walletTotal: number }[] = [];
  readonly #invoices: OpenInvoice[] = [];
  readonly #reconciliationBase: number;
  readonly #secondWallet: string | undefined;

  constructor(
    private readonly r: Random,
    private readonly options: FactoryOptions,
  ) {
    this.#reconciliationBase = r.int(1_000_000, 8_000_000);
    this.#secondWallet = CONTRA_ACCOUNTS[options.walletCurrency]
      ? Object.keys(CONTRA_ACCOUNTS).find((c) => c !== options.walletCurrency)
      : undefined;
  }

  build(index: number, spec: ItemSpec): ExportItem {
    const { r, options } = this;
    const profile = PROFILES[spec.type];
    const id = r.uuid();
    const reconciliationId = String(this.#reconciliationBase + index);
    const drawnMs = EPOCH + r.int(0, 300) * DAY + r.int(6 * 3600, 22 * 3600) * 1000;
    const sign = options.moneyInSign === 'negative' && isMoneyIn(spec.type, spec.subType) ? -1 : 1;

    // Which wallet pays, and the contra account Pleo sends for it.
    let walletCurrency = options.walletCurrency;
    let contraAccount = null;
    if (profile.wallet) {
      if (spec.fault === 'missing_configuration') walletCurrency = UNCONFIGURED_WALLET_CURRENCY;
      else {
        if (spec.secondWallet && this.#secondWallet) walletCurrency = this.#secondWallet;
        contraAccount = (r.chance(0.85) && CONTRA_ACCOUNTS[walletCurrency]) || null;
      }
    }

    const merchant = this.#merchant(profile, spec);
    const payment = spec.type === 'invoice_payment' ? this.#invoices.shift() : undefined;
    // A payment is made after the invoice it pays.
    const paidFrom = payment ? Date.parse(payment.invoiceInformation.invoiceDate) + 7 * DAY : 0;
    const dateMs = Math.max(drawnMs, paidFrom);
    let supplierCurrency =
      spec.supplierCurrency ??
      payment?.supplierCurrency ??
      (profile.foreign && merchant && r.chance(0.55)
        ? merchant.currency
        : profile.foreign && profile.category === 'spend' && r.chance(0.3)
          ? r.pick(['GBP', 'USD', 'SEK'])
          : walletCurrency);
    if (!profile.foreign && !spec.supplierCurrency) supplierCurrency = walletCurrency;

    // Parties: vendor (vendor tagging), supplier (always possible), user, team.
    const { vendor, supplier } = this.#parties(spec, merchant, payment);
    const user = profile.user ? r.pick(USERS) : null;
    const team =
      profile.user && r.chance(0.7) ? (r.chance(0.85) ? r.pick(TEAMS.slice(0, 2)) : TEAMS[2]!) : null;

    // Lines: categories, VAT, tags; then amounts.
    const lineCount = profile.splittable ? (spec.lines ?? (r.chance(0.2) ? r.int(2, 3) : 1)) : 1;
    const taxType = profile.taxable
      ? (spec.tax ?? this.#taxType(supplierCurrency !== walletCurrency))
      : 'none';
    const plans: LinePlan[] = [];
    for (let i = 0; i < lineCount; i++) {
      const account = this.#category(profile, spec, merchant, i);
      plans.push({ account, tax: this.#taxCode(taxType, account), tags: this.#tags() });
    }
    this.#applyLineFault(spec.fault, plans);

    const reimbursed = this.#reimbursed(spec, walletCurrency);
    const supplierTotal =
      reimbursed?.total ??
      payment?.supplierTotal ??
      amountNear(this.#eur(profile, spec.type), supplierCurrency);
    const weights = plans.map(() => r.int(2, 10));
    const built = buildLines(
      () => r.uuid(),
      plans,
      weights,
      Math.max(supplierTotal, lineCount * 10),
      { supplier: supplierCurrency, wallet: walletCurrency },
      sign,
    );
    if (spec.fault === 'lines_not_summing') {
      // One line off its share: the lines no longer add up to the expense's total.
      const line = built.lines[0]!;
      const off = sign * r.int(1, 99);
      line.lineAmount = {
        ...line.lineAmount,
        inWalletCurrency: money(walletCurrency, line.lineAmount.inWalletCurrency.value + off),
      };
      line.netAmount = {
        ...line.netAmount,
        inWalletCurrency: money(walletCurrency, line.netAmount.inWalletCurrency.value + off),
      };
    }

    const meals = plans.some((p) => p.account === CATEGORIES.meals);
    const item: ExportItem = {
      accountingEntryId: id,
      companyId: options.companyId,
      type: spec.type,
      ...(spec.subType ? { subType: spec.subType } : {}),
      date: isoSeconds(dateMs),
      amount: {
        inSupplierCurrency: money(supplierCurrency, sign * built.supplierTotal),
        inWalletCurrency: money(walletCurrency, sign * built.walletTotal),
      },
      accountingEntryLines: built.lines,
      additionalInformation: {
        reconciliationId,
        attendees: meals && r.chance(0.6) ? r.shuffle([...ATTENDEES]).slice(0, r.int(1, 3)) : null,
        reconciledEntries: reimbursed?.entries ?? null,
        invoiceInformation: payment
          ? this.#paidBy(payment.invoiceInformation, spec, dateMs)
          : this.#invoiceInformation(spec.type, dateMs),
      },
      bookkeeping: spec.method === null ? null : { method: spec.method },
      contraAccount,
      files: this.#files(profile, spec.fault, id),
      note: this.#note(spec.type, merchant),
      servicePeriod: this.#servicePeriod(plans, dateMs),
      supplier,
      vendor,
      team,
      user,
      _links: {
        web: { exportItem: `https://app.pleo.io/export/items/${id}` },
        mobile: { exportItem: `pleo://export-items/${id}` },
        api: { exportItem: `${options.fileBaseUrl}/v3/export-items/${id}` },
      },
    };

    if (!spec.fault)
      this.#remember(item, spec, walletCurrency, supplierCurrency, built.supplierTotal, built.walletTotal);
    return item;
  }

  #eur(profile: TypeProfile, type: ExportItemType): number {
    const [min, max] = profile.eur;
    // Log-uniform: many small expenses, a few large ones.
    const eur = min * (max / min) ** this.r.next();
    return type === 'mileage' ? Math.round(eur / 0.25) * 0.25 : eur;
  }

  #merchant(profile: TypeProfile, spec: ItemSpec): Merchant | undefined {
    if (profile.category !== 'merchant') return undefined;
    const wanted = spec.supplierCurrency;
    const candidates = wanted ? MERCHANTS.filter((m) => m.currency === wanted) : MERCHANTS;
    return this.r.pick(candidates.length > 0 ? candidates : MERCHANTS);
  }

  #parties(
    spec: ItemSpec,
    merchant: Merchant | undefined,
    payment: OpenInvoice | undefined,
  ): { vendor: Vendor | null; supplier: Supplier | null } {
    const { r } = this;
    const merchantSupplier: Supplier | null = merchant
      ? {
          name: merchant.name,
          code: null,
          account: null,
          categoryCode: merchant.categoryCode,
          country: merchant.country,
          taxIdentifier: null,
        }
      : null;
    // Pleo's supplier for an invoice is the vendor as named on the document.
    const supplierOf = (vendor: Vendor): Supplier =>
      merchantSupplier ?? {
        name: vendor.name,
        code: vendor.code ?? null,
        account: null,
        categoryCode: null,
        country: vendor.country ?? null,
        taxIdentifier: vendor.taxRegistrationNumber ?? null,
      };
    if (spec.method === 'accounts_payable') {
      const vendor = spec.fault === 'vendor_unknown' ? UNKNOWN_VENDOR : (payment?.vendor ?? r.pick(VENDORS));
      return { vendor, supplier: supplierOf(vendor) };
    }
    const payable =
      spec.type === 'invoice' || spec.type === 'invoice_payment' || spec.type === 'card_invoice';
    if (spec.method === null) {
      // Legacy (no vendor tagging): the supplier carries the vendor's identifiers, when Pleo has them.
      if (!payable) return { vendor: null, supplier: merchantSupplier };
      if (spec.fault === 'vendor_unknown') return { vendor: null, supplier: UNKNOWN_LEGACY_SUPPLIER };
      return {
        vendor: null,
        supplier: payment?.supplier ?? (r.chance(0.75) ? r.pick(LEGACY_SUPPLIERS) : UNMATCHED_SUPPLIER),
      };
    }
    // Journal / none: a vendor may be tagged anyway (optional for journal entries); never on wallet transfers.
    const transfer = spec.type === 'wallet_topup' || spec.type === 'wallet_unload';
    const vendor =
      !transfer && (payable || (merchant && r.chance(0.3))) ? (payment?.vendor ?? r.pick(VENDORS)) : null;
    return { vendor, supplier: vendor ? supplierOf(vendor) : merchantSupplier };
  }

  #taxType(foreign: boolean): TaxType | 'none' {
    return this.r.weighted<TaxType | 'none'>([
      ['inclusive', 6],
      ['exclusive', 2],
      ['reverse', foreign ? 3 : 0.5],
      ['none', 2],
    ]);
  }

  #taxCode(type: TaxType | 'none', account: AccountV3 | null): TaxCode | null {
    if (type === 'none' || !account) return null;
    if (type === 'reverse') return TAX_CODES.RC25;
    if (type === 'exclusive') return TAX_CODES.VAT6;
    return account === CATEGORIES.meals || account === CATEGORIES.travel ? TAX_CODES.VAT12 : TAX_CODES.VAT25;
  }

  #category(
    profile: TypeProfile,
    spec: ItemSpec,
    merchant: Merchant | undefined,
    index: number,
  ): AccountV3 | null {
    const { r } = this;
    const spend =
      profile.category === 'spend'
        ? SPEND_CATEGORIES.filter((c) => c !== CATEGORIES.travel && c !== CATEGORIES.meals)
        : SPEND_CATEGORIES;
    if (profile.category === 'merchant' || profile.category === 'spend') {
      if (index === 0 && merchant) return merchant.category;
      return spend[(r.int(0, spend.length - 1) + index) % spend.length]!;
    }
    if (spec.subType === 'reimbursement_to_company') return r.chance(0.7) ? CATEGORIES.personalSpend : null;
    if (spec.subType === 'interest') return r.chance(0.7) ? CATEGORIES.interest : null;
    // Fees and cashback: Pleo may send no category; the configured account then applies.
    if (profile.category === CATEGORIES.fees || profile.category === CATEGORIES.cashback)
      return r.chance(0.7) ? profile.category : null;
    return profile.category;
  }

  #tags(): TagV3[] | null {
    const { r } = this;
    if (r.chance(0.35)) return r.chance(0.5) ? null : [];
    const tags = Object.values(TAGS).flatMap((group) => (r.chance(0.6) ? [r.pick(group)] : []));
    return tags;
  }

  #applyLineFault(fault: FaultKind | undefined, plans: LinePlan[]): void {
    const last = plans[plans.length - 1]!;
    if (fault === 'account_unknown') last.account = UNKNOWN_CATEGORY;
    if (fault === 'tax_code_unknown') last.tax = UNKNOWN_TAX_CODE;
    if (fault === 'tag_unknown') last.tags = [...(last.tags ?? []), UNKNOWN_TAG];
  }

  /** Reimbursements settle earlier out-of-pocket expenses: their reconciliation ids and their sum. */
  #reimbursed(spec: ItemSpec, walletCurrency: string): { entries: string[]; total: number } | undefined {
    const reimbursement = spec.type === 'direct_reimbursement' || spec.type === 'external_reimbursement';
    if (
      !reimbursement ||
      spec.subType === 'reimbursement_to_company' ||
      walletCurrency !== this.options.walletCurrency
    )
      return undefined;
    const settled = this.#expenses.splice(0, this.r.int(1, 3));
    if (settled.length === 0) return undefined;
    return {
      entries: settled.map((e) => e.reconciliationId),
      total: settled.reduce((sum, e) => sum + e.walletTotal, 0),
    };
  }

  #invoiceInformation(type: ExportItemType, dateMs: number): InvoiceInformation | null {
    if (type !== 'invoice' && type !== 'card_invoice' && type !== 'invoice_payment') return null;
    const { r } = this;
    const invoiceDate = dateMs - r.int(3, 40) * DAY;
    const bank = r.chance(0.7) ? r.pick(BANKS) : null;
    return {
      invoiceNumber: r.chance(0.5) ? `INV-2026-${r.int(1000, 99999)}` : `F${r.int(100000, 999999)}/2026`,
      invoiceDate: isoDay(invoiceDate),
      dueDate: r.chance(0.9) ? isoDay(invoiceDate + 30 * DAY) : null,
      paymentDate: isoDay(dateMs),
      status: type === 'invoice' && r.chance(0.2) ? 'marked_as_paid' : 'paid',
      supplierBankAccount: bank && { ...bank },
    };
  }

  #paidBy(invoice: InvoiceInformation, spec: ItemSpec, dateMs: number): InvoiceInformation {
    return {
      ...invoice,
      paymentDate: isoDay(dateMs),
      status: spec.subType === 'invoice_payment_returned' ? 'failed_payment' : 'paid',
    };
  }

  #servicePeriod(plans: LinePlan[], dateMs: number): ExportItem['servicePeriod'] {
    if (!plans.some((p) => p.account === CATEGORIES.software) || this.r.chance(0.4)) return null;
    const d = new Date(dateMs);
    const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0);
    return { from: isoSeconds(from), to: isoSeconds(to) };
  }

  #files(profile: TypeProfile, fault: FaultKind | undefined, id: string): ReceiptFile[] | null {
    const { r } = this;
    const base = this.options.fileBaseUrl;
    const receiptFault = fault && RECEIPT_FAULTS[fault];
    if (!receiptFault && !r.chance(profile.receipts)) return r.chance(0.5) ? null : [];
    const count = receiptFault
      ? r.int(0, 2)
      : r.weighted([
          [1, 70],
          [2, 20],
          [3, 10],
        ] as const);
    const files = Array.from({ length: count }, (_, i) =>
      validReceipt(
        base,
        r.weighted<ValidReceiptKind>([
          ['pdf', 4],
          ['jpeg', 4],
          ['png', 2],
        ]),
        `${id}-${i + 1}`,
      ),
    );
    if (receiptFault) files.splice(r.int(0, files.length), 0, faultyReceipt(base, receiptFault, `${id}-x`));
    return files;
  }

  #note(type: ExportItemType, merchant: Merchant | undefined): string | null {
    const { r } = this;
    if (type === 'mileage')
      return `${r.pick(['København → Aarhus', 'Malmö → Lund', 'Køge ↔ Roskilde', 'Göteborg → Borås'])}, ${r.int(12, 320)} km`;
    if (type === 'per_diem')
      return `Dagpenge: ${r.int(1, 5)} dage, ${r.pick(['Stockholm', 'Zürich', 'Kraków', 'Reykjavík'])}`;
    if (type === 'refund' && merchant) return `Refund from ${merchant.name}`;
    return r.chance(0.45) ? r.pick(NOTES) : null;
  }

  #remember(
    item: ExportItem,
    spec: ItemSpec,
    walletCurrency: string,
    supplierCurrency: string,
    supplierTotal: number,
    walletTotal: number,
  ): void {
    if (
      (spec.type === 'out_of_pocket' || spec.type === 'mileage' || spec.type === 'per_diem') &&
      walletCurrency === this.options.walletCurrency
    ) {
      this.#expenses.push({ reconciliationId: item.additionalInformation.reconciliationId, walletTotal });
      if (this.#expenses.length > 50) this.#expenses.shift();
    }
    if (spec.type === 'invoice' && item.additionalInformation.invoiceInformation) {
      this.#invoices.push({
        supplierCurrency,
        supplierTotal,
        invoiceInformation: item.additionalInformation.invoiceInformation,
        supplier: item.supplier ?? null,
        vendor: item.vendor ?? null,
      });
      if (this.#invoices.length > 50) this.#invoices.shift();
    }
  }
}
