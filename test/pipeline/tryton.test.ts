// The happy path into a real Tryton ERP: the same pipeline, the Tryton adapter instead of the ledger.
import { generateExportItems } from '../../src/sandbox/seed/export-items';
import { createAccountingSystem } from '../../src/accounting-systems/registry';
import { documentReference } from '../../src/accounting/core';
import { startTryton, type TrytonServer } from '../support/tryton';
import { startHarness, logger, type Harness } from './harness';

let h: Harness;
let tryton: TrytonServer;
beforeAll(async () => {
  tryton = await startTryton();
  h = await startHarness();
}, 300_000);
afterAll(async () => {
  await h?.close();
  await tryton?.stop();
});

test('a job mixing every export item type is booked in Tryton once per item and completed', async () => {
  const companyId = h.addCompany(tryton.config);
  const items = generateExportItems({
    seed: 'tryton',
    count: 40,
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
  });
  const job = h.sandbox.createJob(companyId, items);

  await h.exportNow(companyId);

  const jobItems = h.sandbox.jobItems(job.id);
  expect(
    jobItems
      .filter((i) => i.status !== 'successful')
      .map((i) => `${i.failureReasonType}: ${i.failureReason}`),
  ).toEqual([]);
  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  expect(jobItems.filter((i) => i.status === 'successful')).toHaveLength(items.length);
  expect([...h.sandbox.itemUpdateCounts(job.id).values()].every((n) => n === 1)).toBe(true);
  const erp = await createAccountingSystem(tryton.config, { logger });
  try {
    const externalIds = new Map(jobItems.map((i) => [i.accountingEntryId, i.externalId]));
    for (const item of items) {
      const posted = await erp.findByReference(documentReference(item.accountingEntryId, 'main'));
      // What Pleo was told is the Tryton record that holds the item.
      expect({ id: item.accountingEntryId, externalId: posted?.externalId }).toEqual({
        id: item.accountingEntryId,
        externalId: externalIds.get(item.accountingEntryId),
      });
    }
  } finally {
    await erp.close();
  }
}, 600_000);
