// The encrypted token store: tokens are unreadable at rest, bound to their connection, replaced
// atomically, and a wrong key or tampering is an error rather than garbage tokens.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileTokenStore, type StoredConnection } from '../../src/pleo/auth';

const connected = (n: number): StoredConnection => ({
  status: 'connected',
  accessToken: `access-secret-${n}`,
  refreshToken: `refresh-secret-${n}`,
  expiresAt: 1_800_000_000_000 + n,
  scope: 'export-jobs:read',
  updatedAt: '2026-04-22T10:00:00.000Z',
});

let dir: string;
const key = randomBytes(32);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pleo-tokens-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('round-trips a connection and keeps no token in plain text on disk', async () => {
  const store = new FileTokenStore({ dir, key });
  await store.save('company-a', connected(1));
  expect(await store.load('company-a')).toEqual(connected(1));
  const files = await readdir(dir);
  expect(files).toHaveLength(1);
  const raw = await readFile(join(dir, files[0]!), 'utf8');
  expect(raw).not.toContain('secret');
  expect(raw).not.toContain('access');
});

it('answers undefined for a connection never stored', async () => {
  expect(await new FileTokenStore({ dir, key }).load('nobody')).toBeUndefined();
});

it('replaces the record whole and leaves no temporary files', async () => {
  const store = new FileTokenStore({ dir, key });
  for (let n = 1; n <= 5; n++) await store.save('company-a', connected(n));
  expect(await store.load('company-a')).toEqual(connected(5));
  expect(await readdir(dir)).toEqual(['company-a.tokens.json']);
});

it('refuses a wrong key, a tampered file and a file copied from another connection', async () => {
  const store = new FileTokenStore({ dir, key });
  await store.save('company-a', connected(1));
  const file = join(dir, 'company-a.tokens.json');
  const original = await readFile(file, 'utf8');

  await expect(new FileTokenStore({ dir, key: randomBytes(32) }).load('company-a')).rejects.toThrow(
    /company-a\.tokens\.json cannot be decrypted: wrong key/,
  );

  const envelope = JSON.parse(original) as { data: string };
  const bytes = Buffer.from(envelope.data, 'base64');
  bytes[0] = bytes[0]! ^ 1;
  await writeFile(file, JSON.stringify({ ...envelope, data: bytes.toString('base64') }));
  await expect(store.load('company-a')).rejects.toThrow(/wrong key or tampered/);

  await writeFile(join(dir, 'company-b.tokens.json'), original);
  await expect(store.load('company-b')).rejects.toThrow(/wrong key or tampered/);
});

it('accepts the key as 64 hex or base64 characters and rejects other lengths', async () => {
  const hex = randomBytes(32).toString('hex');
  const a = new FileTokenStore({ dir, key: hex });
  await a.save('c', connected(1));
  expect(
    await new FileTokenStore({ dir, key: Buffer.from(hex, 'hex').toString('base64') }).load('c'),
  ).toEqual(connected(1));
  expect(() => new FileTokenStore({ dir, key: randomBytes(16) })).toThrow(/32 bytes/);
});

it('stores the re-connect state with its reason', async () => {
  const store = new FileTokenStore({ dir, key });
  const record: StoredConnection = {
    status: 'reconnect_required',
    reason: 'refresh token reused',
    updatedAt: '2026-04-22T10:00:00.000Z',
  };
  await store.save('company-a', record);
  expect(await store.load('company-a')).toEqual(record);
});

it('runs exclusive sections for one connection one at a time', async () => {
  const store = new FileTokenStore({ dir, key });
  const log: string[] = [];
  const section = (name: string) =>
    store.exclusive('company-a', async () => {
      log.push(`${name}:in`);
      await new Promise((r) => setImmediate(r));
      log.push(`${name}:out`);
    });
  await Promise.all([section('a'), section('b'), section('c')]);
  for (let i = 0; i < log.length; i += 2) expect(log[i]!.split(':')[0]).toBe(log[i + 1]!.split(':')[0]);
  expect(log).toHaveLength(6);
});

it('never shows keys or tokens through JSON', () => {
  expect(JSON.stringify({ store: new FileTokenStore({ dir, key }) })).toBe('{"store":"[FileTokenStore]"}');
});
