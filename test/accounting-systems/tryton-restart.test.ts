// Tryton dies between booking a document and answering: the adapter sees an outage (retryable), the
// server comes back, the retry finds the booked draft and posts it — one entry, never two.
import { AccountingSystemError } from '../../src/accounting-systems/port';
import { TrytonAccountingSystem } from '../../src/accounting-systems/tryton/tryton';
import { TrytonRpc } from '../../src/accounting-systems/tryton/json-rpc';
import { startTryton, type TrytonServer } from '../support/tryton';
import { dropNextReply, startLossyProxy, type LossyProxy } from '../support/lossy-proxy';
import { bill, journalEntry } from '../support/documents';

let server: TrytonServer;
let proxy: LossyProxy;

beforeAll(async () => {
  server = await startTryton();
  proxy = await startLossyProxy(() => server.config.url);
}, 180_000);

afterAll(async () => {
  await proxy.close();
  await server.stop();
});

async function count(reference: string): Promise<number> {
  const admin = new TrytonRpc(server.config);
  const moves = await admin.call<unknown[]>('model.account.move.search', [[['number', '=', reference]]]);
  const invoices = await admin.call<unknown[]>('model.account.invoice.search', [
    [['comment', 'like', `pleo-ref: ${reference}%`]],
  ]);
  return moves.length + invoices.length;
}

it.each([
  ['journal entry', journalEntry()],
  ['bill', bill()],
])('a %s booked just before trytond was killed is posted once after the restart', async (_kind, document) => {
  const create =
    document.kind === 'journal_entry' ? 'model.account.move.create' : 'model.account.invoice.create';
  // trytond is killed after committing the create, before its reply leaves.
  dropNextReply(proxy, create, () => server.stop({ keepData: true, signal: 'SIGKILL' }));
  const adapter = new TrytonAccountingSystem({ ...server.config, url: proxy.url });
  const error = await adapter.post(document).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(AccountingSystemError);
  expect((error as AccountingSystemError).kind.retryable).toBe(true);

  await server.start();
  const retried = await adapter.post(document);
  expect(await count(document.reference)).toBe(1);
  expect(
    (await new TrytonAccountingSystem(server.config).findByReference(document.reference))?.externalId,
  ).toBe(retried.externalId);
});
