// Encrypted workflow payloads on a real Temporal server: nothing the workflow carries is stored in
// plain text, results still decode, replay works with the codec, and keys rotate.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { Worker, DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Payload } from '@temporalio/common';
import { startTemporal } from '../support/temporal';
import { createDataConverter, EncryptionCodec } from '../../src/codec';
import { KeyRing, parseAesKey } from '../../src/codec/aes';
import { replayHistories } from '../../src/cli/commands/replay';
import type { Expense } from './codec-workflows';

const newKey = (id: string) => ({ id, key: randomBytes(32).toString('base64') });
const payload = (text: string): Payload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(text)),
});

describe('payload encryption codec', () => {
  test('encrypts with the newest key; after rotation the old key still decrypts', async () => {
    const old = newKey('2026-05');
    const fresh = newKey('2026-11');
    const before = new EncryptionCodec(new KeyRing([parseAesKey(old.id, old.key)]));
    const rotated = new EncryptionCodec(new KeyRing([fresh, old].map((k) => parseAesKey(k.id, k.key))));
    const [sealed] = await before.encode([payload('Jens Hansen, Kaffebar Nørrebro')]);

    const [reopened] = await rotated.decode([sealed!]);
    expect(Buffer.from(reopened!.data!).toString()).toBe(JSON.stringify('Jens Hansen, Kaffebar Nørrebro'));
    const [resealed] = await rotated.encode([reopened!]);
    expect(Buffer.from(resealed!.metadata!['encryption-key-id']!).toString()).toBe('2026-11');
    // Dropping the old key too early is reported with the key id.
    const withoutOld = new EncryptionCodec(new KeyRing([parseAesKey(fresh.id, fresh.key)]));
    await expect(withoutOld.decode([sealed!])).rejects.toThrow('no key with id "2026-05"');
  });

  test('refuses tampered ciphertext and relabelled key ids', async () => {
    const a = newKey('a');
    const b = { id: 'b', key: a.key };
    const codec = new EncryptionCodec(new KeyRing([a, b].map((k) => parseAesKey(k.id, k.key))));
    const [sealed] = await codec.encode([payload('secret')]);
    const tampered = Buffer.from(sealed!.data!);
    tampered[20] = tampered[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data: tampered }])).rejects.toThrow();
    // Same key material under another id: the id is authenticated, so this fails too.
    const relabelled = {
      ...sealed!,
      metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('b') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow();
  });

  test('leaves unencrypted payloads (written before the codec was on) readable', async () => {
    const codec = new EncryptionCodec(new KeyRing([parseAesKey('k', newKey('k').key)]));
    const plain = payload('old history');
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('a workflow run with the codec on a real Temporal server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTemporal();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('history holds no plaintext, the result decodes, replay passes only with the codec', async () => {
    const dataConverter = createDataConverter({ keys: [newKey('ops-test')] })!;
    const taskQueue = `codec-${randomUUID()}`;
    const marker = `Kaffebar-${randomUUID()}`;
    const expense: Expense = { merchant: marker, employee: 'Jens Hansen', note: 'team lunch, 4 people' };
    const workflowsPath = require.resolve('./codec-workflows');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      dataConverter,
      activities: { describeExpense: async (e: Expense) => `${e.employee} at ${e.merchant}: ${e.note}` },
    });
    const client = new Client({ connection: env.connection, dataConverter });
    const workflowId = `codec-${randomUUID()}`;

    const result = await worker.runUntil(
      client.workflow.execute('expenseNoteWorkflow', { taskQueue, workflowId, args: [expense] }),
    );
    expect(result).toBe(`Jens Hansen at ${marker}: team lunch, 4 people`);

    // The history as the server stores it, without any decoding.
    const { history } = await env.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
    });
    const stored = Buffer.from(temporal.api.history.v1.History.encode(history!).finish());
    expect(stored.includes(Buffer.from(marker))).toBe(false);
    expect(stored.includes(Buffer.from('Jens Hansen'))).toBe(false);

    // The marker is in the history's payloads: decoding the workflow input with the codec reveals it.
    const started = history!.events![0]!.workflowExecutionStartedEventAttributes!;
    const [input] = await dataConverter.payloadCodecs![0]!.decode(started.input!.payloads! as Payload[]);
    expect(Buffer.from(input!.data!).toString()).toContain(marker);

    const histories = [{ workflowId, history: history! }];
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    const withCodec = await replayHistories(histories, { workflowBundle, dataConverter });
    expect(withCodec).toEqual([expect.objectContaining({ workflowId, ok: true })]);
    const withoutCodec = await replayHistories(histories, { workflowBundle });
    expect(withoutCodec[0]).toEqual(expect.objectContaining({ ok: false }));
  });
});
