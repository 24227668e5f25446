// Which account each posting goes to: Pleo's own account when the item carries one, else the
// company's configured account. A missing account fails the item with the setting to fill in.
import type { ExportItem, ExportItemLine } from '@pleo-export/pleo-api/types';
import { PLEO_MESSAGES } from '../../shared/failure-reasons';
import type { CompanyAccountingConfig } from './config';
import type { AccountRef } from './documents';
import { fail, own } from './failure';
import type { Funding, LineSide } from './mapping';
import type { ResolvedVendor } from './target';

export interface Accounts {
  configured(code: string | undefined, what: string): AccountRef;
  /** The wallet the money moved through: Pleo's contra account for the item (multi-currency wallets), else the configured one. */
  wallet(): AccountRef;
  payable(): AccountRef;
  funding(funding: Funding): AccountRef;
  config: CompanyAccountingConfig;
}

/** Accounts are resolved only when a document needs them, so a missing account fails only the items that use it. */
export function accountsFor(
  item: ExportItem,
  config: CompanyAccountingConfig,
  vendor: ResolvedVendor | undefined,
  currency: string,
): Accounts {
  const configured = (code: string | undefined, what: string): AccountRef => {
    if (!code) fail('missing_configuration', PLEO_MESSAGES.accountMissingInConfig(what));
    return { code: code as string };
  };
  const wallet = (): AccountRef => {
    const contra = item.contraAccount;
    if (contra?.code)
      return { code: contra.code, name: contra.name, identifier: contra.identifier ?? undefined };
    return configured(own(config.walletAccounts, currency), `Pleo wallet ${currency}`);
  };
  // A vendor object, when present, replaces the legacy supplier entirely (Pleo's AP guide).
  const payable = (): AccountRef =>
    configured(
      vendor?.payableAccountCode ??
        own(config.vendorPayableAccounts, item.vendor ? item.vendor.code : item.supplier?.code) ??
        config.accountsPayableAccount,
      'accounts payable',
    );
  const funding = (kind: Funding): AccountRef => {
    switch (kind) {
      case 'wallet':
        return wallet();
      case 'out_of_pocket':
        return configured(config.outOfPocketAccount, 'Pleo out-of-pocket');
      case 'external_reimbursement':
        return configured(config.externalReimbursementAccount, 'external reimbursement');
      case 'bank':
        return configured(config.contraAccount, 'Pleo contra (bank)');
      default:
        return payable();
    }
  };
  return { configured, wallet, payable, funding, config };
}

/** The configured account a `lines_or_<x>` side falls back to when Pleo's line has no account. */
function fallbackAccount(side: LineSide, config: CompanyAccountingConfig): [string | undefined, string] {
  switch (side) {
    case 'lines_or_reimbursement':
      return [config.reimbursementAccount ?? config.outOfPocketAccount, 'Pleo reimbursement'];
    case 'lines_or_cashback':
      return [config.cashbackAccount, 'cashback'];
    case 'lines_or_fee':
      return [config.feeAccount, 'Pleo fees'];
    case 'lines_or_interest':
      return [config.interestAccount ?? config.feeAccount, 'interest'];
    case 'lines_or_personal_spend':
      return [config.personalSpendAccount, 'personal spend receivable'];
    default:
      return [config.cashAccount, 'cash (ATM withdrawals)'];
  }
}

/** The account a line is booked on, by the item type's line side. */
export function lineAccountOf(
  line: ExportItemLine,
  index: number,
  side: LineSide,
  accounts: Accounts,
): AccountRef {
  const fromPleo = line.account?.code
    ? { code: line.account.code, name: line.account.name, identifier: line.account.identifier ?? undefined }
    : undefined;
  switch (side) {
    case 'lines': {
      if (fromPleo) return fromPleo;
      const category = line.account?.name
        ? `for category "${line.account.name}"`
        : 'for the expense category';
      return fail(
        'missing_configuration',
        `${PLEO_MESSAGES.accountMissingInConfig(`${category} (line ${index + 1})`)}. Set the category's account code in Pleo (Settings → Accounting → Categories) or choose a category on the expense.`,
      );
    }
    case 'reimbursement':
      return accounts.configured(
        accounts.config.reimbursementAccount ?? accounts.config.outOfPocketAccount,
        'Pleo reimbursement',
      );
    case 'payable':
      return accounts.payable();
    case 'bank':
      return accounts.funding('bank');
    default: {
      const [code, what] = fallbackAccount(side, accounts.config);
      return fromPleo ?? accounts.configured(code, what);
    }
  }
}
