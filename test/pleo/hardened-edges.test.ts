// End to end on real parts (Temporal dev server, the Pleo sandbox over HTTP, the embedded ledger): items
// carrying null where Pleo's OpenAPI says optional book; a webhook signed with one company's secret that
// names another starts no workflow; a company that is not configured gets a workflow that ends at once.
import { WorkflowNotFoundError } from '@temporalio/client';
import { createAccountingSystem } from '../../src/accounting-systems/registry';
import { documentReference } from '../../src/accounting/core';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { companyWorkflowId } from '../../src/shared/workflow-api';
import { logger, startHarness, type Harness } from '../pipeline/harness';
import { deliverSigned } from './support/deliver';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

test('a job whose items send absent optional fields as null books every item', async () => {
  const companyId = h.addCompany();
  const items = generateExportItems({
    seed: 'null-laden',
    count: 30,
    companyId,
    fileBaseUrl: h.sandbox.url,
    mix: 'valid',
    absentAsNull: 1,
  });
  expect(JSON.stringify(items)).toContain('"registrationNumber":null');
  // Through the admin API, as JSON: what the integration reads is what Pleo would send.
  const response = await fetch(`${h.sandbox.url}/admin/companies/${companyId}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  expect(response.status).toBe(201);
  const { data: job } = (await response.json()) as { data: { id: string } };

  await h.exportNow(companyId);

  expect(h.sandbox.getJob(job.id).status).toBe('completed');
  const statuses = h.sandbox.jobItems(job.id).map((i) => [i.status, i.failureReason ?? '']);
  expect(statuses).toEqual(items.map(() => ['successful', '']));
  const ledger = await createAccountingSystem(h.ledgerConfig(companyId), { logger });
  try {
    for (const item of items)
      expect(await ledger.findByReference(documentReference(item.accountingEntryId, 'main'))).toBeTruthy();
  } finally {
    await ledger.close();
  }
}, 240_000);

async function companyWorkflowExists(companyId: string): Promise<boolean> {
  try {
    await h.env.client.workflow.getHandle(companyWorkflowId(companyId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

test("a webhook signed with company A's secret naming company B is refused and starts no workflow", async () => {
  const receiver = await h.startReceiver();
  const a = h.addCompany();
  const b = h.addCompany();
  const secretA = h.sandbox.addSubscription(a, receiver.url, ['v1.export-job.created']).secret;
  receiver.trust(a, secretA);
  receiver.trust(b, h.sandbox.addSubscription(b, receiver.url, ['v1.export-job.created']).secret);

  const response = await deliverSigned(
    receiver.url,
    {
      companyId: a,
      eventId: 'evt-forged-1',
      eventType: 'v1.export-job.created',
      data: { id: 'job-of-b', companyId: b, status: 'pending' },
    },
    secretA,
  );
  expect(response.status).toBe(403);
  expect(await companyWorkflowExists(b)).toBe(false);
  expect(await companyWorkflowExists(a)).toBe(false);
}, 120_000);

test('a company that is not configured: its workflow ends at once, after one attempt', async () => {
  const stranger = 'c0ffee00-0000-4000-8000-00000000dead';
  await h.trigger(stranger);
  const handle = h.env.client.workflow.getHandle(companyWorkflowId(stranger));
  await expect(handle.result()).resolves.toMatchObject({ companyId: stranger, jobsProcessed: 0 });
  const history = await handle.fetchHistory();
  const failed = history.events?.filter((e) => e.activityTaskFailedEventAttributes) ?? [];
  expect(failed).toHaveLength(1);
  expect(failed[0]!.activityTaskFailedEventAttributes!.failure!.message).toBe(
    `Company ${stranger} is not configured: add it to "companies" in the configuration`,
  );
}, 120_000);
