// `check-config`: everything the configuration references must exist where it points. The schema is
// checked when the file loads; this also asks each company's accounting system whether the accounts,
// tax codes and vendors its mappings name exist, so a typo shows up here and not as failed exports.
import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { AppConfig, CompanyConfig } from '../../config/schema';
import { companyLabel, ConfigError, isConfigOverride } from '../../config/load';
import type { AccountingSystem } from '../../accounting-systems/port';
import type { JournalEntry, Posting } from '../../accounting/core/documents';
import type { CliContext } from '../context';

export function registerCheckConfig(program: Command, ctx: CliContext): void {
  program
    .command('check-config')
    .description(
      "Validate the configuration, incl. that referenced accounts, tax codes and vendors exist in each company's accounting system",
    )
    .action(async () => {
      let findings: Finding[];
      try {
        findings = nothingConfigured(ctx) ?? (await checkConfig(ctx.config(), ctx.logger));
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        findings =
          err.issues.length > 0
            ? err.issues.map((i) => ({ key: i.path, message: i.message }))
            : [{ key: '(file)', message: err.message }];
      }
      ctx.emit(
        { ok: findings.length === 0, findings },
        findings.length === 0 ? 'configuration OK' : findings.map(formatFinding),
      );
      if (findings.length > 0) ctx.exitCode = 1;
    });
}

/** Defaults alone configure no company: "configuration OK" would mislead an operator who forgot --config. */
function nothingConfigured(ctx: CliContext): Finding[] | undefined {
  const fromEnv = Object.keys(ctx.io.env).some((name) => isConfigOverride(name));
  if (!ctx.configFile && !fromEnv)
    return [
      {
        key: '(configuration)',
        message: 'no configuration found: give --config <file> or set PLEO_EXPORT_CONFIG',
      },
    ];
  if (ctx.config().companies.length === 0)
    return [{ key: 'companies', message: 'no company is configured, so nothing would be exported' }];
  return undefined;
}

export interface Finding {
  company?: string;
  /** The configuration key, relative to the company entry when `company` is set. */
  key: string;
  /** The configured value the finding is about (an account number, a tax code). */
  value?: string;
  message: string;
}

/** `company "Acme" (…): accounting.walletAccounts.EUR = 1999 does not exist in the accounting system` */
export const formatFinding = (f: Finding): string =>
  `${f.company ? `${f.company}: ` : ''}${f.key}${f.value !== undefined ? ` = ${f.value} ` : ': '}${f.message}`;

interface Reference {
  key: string;
  kind: 'account' | 'taxCode' | 'vendor';
  code: string;
  /** For a tax code: the account it books to, so the probe posting is otherwise valid. */
  account?: string;
}

/** Every account, tax code and vendor a company's accounting mapping names, with its key. */
export function referencesOf(accounting: CompanyConfig['accounting']): Reference[] {
  const refs: Reference[] = [];
  for (const [key, value] of Object.entries(accounting)) {
    if (typeof value === 'string' && key.endsWith('Account'))
      refs.push({ key: `accounting.${key}`, kind: 'account', code: value });
    if (key.endsWith('Accounts') && value && typeof value === 'object') {
      for (const [sub, code] of Object.entries(value as Record<string, string>)) {
        refs.push({ key: `accounting.${key}.${sub}`, kind: 'account', code });
      }
    }
  }
  for (const [taxCode, account] of Object.entries(accounting.taxAccounts)) {
    refs.push({ key: `accounting.taxAccounts.${taxCode}`, kind: 'taxCode', code: taxCode, account });
  }
  for (const vendor of Object.keys(accounting.vendorPayableAccounts)) {
    refs.push({ key: `accounting.vendorPayableAccounts.${vendor}`, kind: 'vendor', code: vendor });
  }
  return refs;
}

// The port's existence checks work on documents: a zero-amount draft with one posting asks about one code.
function probe(posting: Pick<Posting, 'account' | 'taxCode'>): JournalEntry {
  const id = 'pleo-export-check-config';
  return {
    kind: 'journal_entry',
    reference: id,
    date: new Date().toISOString().slice(0, 10),
    description: id,
    references: { accountingEntryId: id, reconciliationId: id, reconciledEntries: [] },
    attendees: [],
    status: 'draft',
    currency: 'EUR',
    postings: [{ role: 'expense', amount: 0, dimensions: [], ...posting }],
    receipts: [],
  };
}

async function missing(system: AccountingSystem, ref: Reference): Promise<string | undefined> {
  if (ref.kind === 'vendor') {
    return (await system.resolveVendor({ name: ref.code, code: ref.code }))
      ? undefined
      : 'is not a vendor in the accounting system';
  }
  const failure = await system.validate(
    probe(
      ref.kind === 'account'
        ? { account: { code: ref.code } }
        : { account: { code: ref.account ?? '' }, taxCode: ref.code },
    ),
  );
  const expected = ref.kind === 'account' ? 'account_unknown' : 'tax_code_unknown';
  return failure?.reasonType === expected ? 'does not exist in the accounting system' : undefined;
}

export async function checkCompany(
  config: AppConfig,
  company: CompanyConfig,
  logger: Logger,
): Promise<Finding[]> {
  // Loaded when a check runs: the adapters and the Pleo client are not needed for `--help`.
  const { pleoAuthFor } = await import('../../connections/from-config');
  const { createAccountingSystem } = await import('../../accounting-systems/registry');
  const label = companyLabel(company.name, company.pleoCompanyId);
  const findings: Finding[] = [];
  try {
    await pleoAuthFor(config, company);
  } catch (err) {
    findings.push({ company: label, key: 'pleo', message: (err as Error).message.replace(`${label}: `, '') });
  }
  let system: AccountingSystem;
  try {
    system = await createAccountingSystem(company.accountingSystem, { logger });
  } catch (err) {
    return [
      ...findings,
      { company: label, key: 'accountingSystem', message: `cannot connect: ${(err as Error).message}` },
    ];
  }
  try {
    for (const ref of referencesOf(company.accounting)) {
      const problem = await missing(system, ref).catch(
        (err: Error) => `could not be checked: ${err.message}`,
      );
      if (problem) findings.push({ company: label, key: ref.key, value: ref.code, message: problem });
    }
  } finally {
    await system.close();
  }
  return findings;
}

export async function checkConfig(config: AppConfig, logger: Logger): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const company of config.companies) findings.push(...(await checkCompany(config, company, logger)));
  return findings;
}
