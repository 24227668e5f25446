// The summary after an export, as a bookkeeper reads it: per failed item the merchant or vendor, date,
// amount with currency, reason and Pleo's message, every reason counted. Read back from the Pleo
// sandbox over HTTP after the items' outcomes were reported to it.
import { PleoClient } from '../../src/pleo/client';
import { ApiKeyAuth } from '../../src/pleo/auth';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import {
  describeItem,
  formatSummary,
  summarizeCompanyJobs,
  type ItemDescription,
} from '../../src/app/summary';
import type { PleoSandbox } from '@pleo-export/pleo-sandbox/server';
import { logger, start } from '../support/sandbox';

let sandbox: PleoSandbox;
let pleo: PleoClient;
beforeAll(async () => {
  sandbox = await start({ seed: 'demo' });
  pleo = new PleoClient({ baseUrl: sandbox.url, auth: new ApiKeyAuth(sandbox.credentials.apiKey), logger });
});
afterAll(() => sandbox.close());

async function exportItems(jobId: string): Promise<ExportItem[]> {
  const items: ExportItem[] = [];
  for await (const r of pleo.listExportItems(jobId)) if (r.ok) items.push(r.item);
  return items;
}

test('failed items are named by merchant or vendor, date and amount, with reason and message', async () => {
  const companyId = sandbox.credentials.companyId;
  const jobs = [];
  for await (const job of pleo.listExportJobs({ companyId, statuses: ['pending'] })) jobs.push(job);
  const job = jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0]!;
  const items = await exportItems(job.id);
  const described = new Map<string, ItemDescription>(
    items.map((i) => [i.accountingEntryId, describeItem(i)]),
  );
  const foreign = items.find(
    (i) =>
      !i.vendor &&
      i.supplier?.name &&
      i.amount.inSupplierCurrency.currency !== i.amount.inWalletCurrency.currency,
  );
  const bill = items.find((i) => i.vendor?.name);
  const card = items.find((i) => !i.vendor && i.supplier?.name && i !== foreign);
  expect([foreign, bill, card].every(Boolean)).toBe(true);
  const [unknownAccount, unknownVendor, undescribed] = [foreign!, bill!, card!];

  await pleo.postJobEvent({ jobId: job.id, event: 'started' });
  await pleo.updateJobItems(
    job.id,
    items.map((i) =>
      i === unknownAccount
        ? {
            accountingEntryId: i.accountingEntryId,
            status: 'failed',
            failureReasonType: 'account_unknown',
            failureReason: 'Account No. 9999 does not exist in the Accounting System. Check Category.',
          }
        : i === unknownVendor
          ? {
              accountingEntryId: i.accountingEntryId,
              status: 'failed',
              failureReasonType: 'vendor_unknown',
              failureReason: 'Selected vendor cannot be processed.',
            }
          : i === undescribed
            ? {
                accountingEntryId: i.accountingEntryId,
                status: 'failed',
                failureReasonType: 'account_unknown',
                failureReason: 'Account No. 8888 does not exist.',
              }
            : {
                accountingEntryId: i.accountingEntryId,
                status: 'successful',
                externalId: `x-${i.accountingEntryId}`,
                exportedAt: '2026-11-30T10:00:00Z',
              },
    ),
  );
  await pleo.postJobEvent({ jobId: job.id, event: 'completed_with_errors' });
  described.delete(undescribed.accountingEntryId);

  const summary = (
    await summarizeCompanyJobs(pleo, companyId, {
      described,
      alreadyBooked: new Map([[job.id, 4]]),
    })
  ).find((s) => s.jobId === job.id)!;
  expect(summary).toMatchObject({ status: 'completed_with_errors', successful: items.length - 3, failed: 3 });
  expect(summary.failureReasons).toEqual({ account_unknown: 2, vendor_unknown: 1 });

  const text = formatSummary([summary]);
  const wallet = unknownAccount.amount.inWalletCurrency;
  const paid = unknownAccount.amount.inSupplierCurrency;
  expect(text).toContain(
    `completed with errors: ${items.length - 3} booked (4 already in the books, found by reference; ${items.length - 7} new), 3 failed`,
  );
  expect(text).toContain('failed by reason: account_unknown 2, vendor_unknown 1');
  const line = text.split('\n').find((l) => l.includes(unknownAccount.supplier!.name!))!;
  expect(line).toContain(unknownAccount.date.slice(0, 10));
  expect(line).toContain(`${wallet.currency} ${(wallet.value / 100).toFixed(2)}`);
  expect(line).toContain(`(${paid.currency} `);
  expect(text).toContain(
    'account_unknown: Account No. 9999 does not exist in the Accounting System. Check Category.',
  );
  expect(text).toMatch(
    new RegExp(
      `✗ \\d{4}-\\d\\d-\\d\\d  ${unknownVendor.vendor!.name.replace(/[()]/g, '\\$&')}.*\\n      vendor_unknown: Selected vendor cannot be processed\\.`,
    ),
  );
  // An item Pleo no longer describes (its job finished first) is still listed, saying what is missing.
  expect(text).toMatch(
    /✗ \(merchant, date and amount unknown[^\n]*\n {6}account_unknown: Account No\. 8888 does not exist\.\n {6}Pleo accounting entry /,
  );
  expect(text).toContain(undescribed.accountingEntryId);
});

test('a failed job says why', () => {
  const text = formatSummary([
    {
      jobId: 'j1',
      createdAt: '2026-11-02T08:15:00Z',
      status: 'failed',
      failureReasonType: 'accounting_system_unreachable',
      failureReason: 'The ledger is locked',
      successful: 0,
      failed: 0,
      failureReasons: {},
      failedItems: [],
    },
  ]);
  expect(text).toContain(
    'Job 1 of 1 (j1, created 2026-11-02T08:15:00Z)\n  failed: 0 booked\n  job failed: accounting_system_unreachable: The ledger is locked',
  );
});
