// The independent check: 10,000 generated items of every type, sub-type and method, rendered to
// beancount and handed to beancount's own bean-check, which must accept the ledger with zero errors.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocuments, vendorToResolve } from '../../src/accounting/core';
import { runBeanCheck } from '../../src/accounting-systems/ledger/bean-check';
import { renderBeancount } from '../../src/accounting-systems/ledger/render';
import { validItem, WALLET_CURRENCIES } from './arbitraries';
import { RESOLVED_VENDOR, testConfig } from './items';

const ITEMS = 10_000;
const config = testConfig({
  walletAccounts: Object.fromEntries(WALLET_CURRENCIES.map((c) => [c, `WALLET-${c}`])),
});

it(`bean-check accepts a ledger built from ${ITEMS} generated items with zero errors`, async () => {
  // A fixed seed: the same ledger on every run (the property tests explore new items each run).
  const samples = fc.sample(fc.tuple(validItem, fc.boolean()), { numRuns: ITEMS, seed: 20261124 });
  const documents = samples.flatMap(([item, foreignCurrencyDocuments]) => {
    const vendor = vendorToResolve(item, config) ? RESOLVED_VENDOR : undefined;
    const result = buildDocuments(item, config, {
      vendor,
      target: { accountsPayable: true, foreignCurrencyDocuments },
    });
    if (!result.ok) throw new Error(`${item.type}: ${result.failure.message}`);
    return result.documents;
  });
  expect(new Set(samples.map(([item]) => `${item.type}/${item.subType}`)).size).toBeGreaterThanOrEqual(25);

  const dir = mkdtempSync(join(tmpdir(), 'bean-check-'));
  try {
    const file = join(dir, 'generated.beancount');
    writeFileSync(file, renderBeancount(documents));
    expect(await runBeanCheck(file)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
