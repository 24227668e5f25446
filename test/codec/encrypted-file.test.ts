// The encrypted-file store behind OAuth tokens and Pleo credentials: files written by the first token and
// credential stores (test/fixtures/encrypted-files) are read and rewritten in the current format on first
// use; keys rotate through the ring; a wrong key, a tampered file or a file moved to another name is an
// error that names the file.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { fingerprintedKey, KeyRing, parseAesKey } from '../../src/codec/aes';
import { EncryptedFileStore } from '../../src/codec/encrypted-file';
import { FileTokenStore } from '../../src/pleo/auth';
import { CredentialStore } from '../../src/connections/credential-store';

const FIXTURES = join(__dirname, '..', 'fixtures', 'encrypted-files');
const COMPANY = '5f0a9b7e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
/** The key the fixtures were written with: 32 bytes of 0x07. */
const LEGACY_KEY = Buffer.alloc(32, 7).toString('base64');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'encrypted-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const fixture = async (name: string, as = name) => {
  await copyFile(join(FIXTURES, name), join(dir, as));
  return join(dir, as);
};
const onDisk = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

describe('migration from the first formats', () => {
  it('reads a token file of the first format and rewrites it sealed with the ring, naming the key', async () => {
    const file = await fixture(`${COMPANY}.tokens.json`);
    const store = new FileTokenStore({ dir, key: LEGACY_KEY });
    const expected = {
      status: 'connected',
      accessToken: 'legacy-access-token',
      refreshToken: 'legacy-refresh-token',
      expiresAt: 1_800_000_000_000,
      scope: 'export-jobs:read export-jobs:write',
      updatedAt: '2026-04-22T10:00:00.000Z',
    };
    expect(await onDisk(file)).toMatchObject({ v: 1 });
    expect(await store.load(COMPANY)).toEqual(expected);

    const rewritten = await onDisk(file);
    expect(rewritten).toEqual({ v: 2, keyId: fingerprintedKey(LEGACY_KEY).id, data: expect.any(String) });
    expect(JSON.stringify(rewritten)).not.toContain('legacy-');
    // The rewritten file is read as the current format, also by a fresh store.
    expect(await new FileTokenStore({ dir, key: LEGACY_KEY }).load(COMPANY)).toEqual(expected);
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toEqual([`${COMPANY}.tokens.json`]);
  });

  it('reads a credentials file of the first format and rewrites it bound to its company', async () => {
    const file = await fixture(`${COMPANY}.credentials.json`);
    const keys = new KeyRing([parseAesKey('credentials', LEGACY_KEY)]);
    const stored = await new CredentialStore(dir, keys).load(COMPANY);
    expect(stored).toMatchObject({
      companyId: COMPANY,
      apiKey: 'pk_legacy_api_key',
      webhookSecret: 'whsec_legacy',
    });
    expect(await onDisk(file)).toEqual({ v: 2, keyId: 'credentials', data: expect.any(String) });
    expect(await new CredentialStore(dir, keys).load(COMPANY)).toEqual(stored);

    // Bound now: the rewritten file copied to another company's name does not open.
    const other = '0b7a4c2e-9d8f-4e6a-b1c3-d5e7f9a1b3c5';
    await copyFile(file, join(dir, `${other}.credentials.json`));
    await expect(new CredentialStore(dir, keys).load(other)).rejects.toThrow(
      `credentials file ${join(dir, `${other}.credentials.json`)} cannot be decrypted: wrong key or tampered file`,
    );
  });

  it('refuses a first-format credentials file copied to another company, naming the file', async () => {
    const other = '0b7a4c2e-9d8f-4e6a-b1c3-d5e7f9a1b3c5';
    const file = await fixture(`${COMPANY}.credentials.json`, `${other}.credentials.json`);
    const store = new CredentialStore(dir, new KeyRing([parseAesKey('credentials', LEGACY_KEY)]));
    await expect(store.load(other)).rejects.toThrow(`${file} holds the credentials of company ${COMPANY}`);
  });

  it('refuses a first-format file under the wrong key or tampered with, naming it and leaving it as it was', async () => {
    const file = await fixture(`${COMPANY}.tokens.json`);
    const original = await readFile(file, 'utf8');
    await expect(new FileTokenStore({ dir, key: randomBytes(32) }).load(COMPANY)).rejects.toThrow(
      `token file ${file} cannot be decrypted: wrong key or tampered file`,
    );
    expect(await readFile(file, 'utf8')).toBe(original);
    const envelope = JSON.parse(original) as { data: string };
    const bytes = Buffer.from(envelope.data, 'base64');
    bytes[3] = bytes[3]! ^ 1;
    await writeFile(file, JSON.stringify({ ...envelope, data: bytes.toString('base64') }));
    await expect(new FileTokenStore({ dir, key: LEGACY_KEY }).load(COMPANY)).rejects.toThrow(
      `token file ${file} cannot be decrypted: wrong key or tampered file`,
    );
  });

  it('migrates inside an exclusive section without waiting for its own lock', async () => {
    await fixture(`${COMPANY}.tokens.json`);
    const store = new FileTokenStore({ dir, key: LEGACY_KEY });
    const loaded = await store.exclusive(COMPANY, () => store.load(COMPANY));
    expect(loaded).toMatchObject({ refreshToken: 'legacy-refresh-token' });
    expect(await onDisk(join(dir, `${COMPANY}.tokens.json`))).toMatchObject({ v: 2 });
  });
});

describe('the current format', () => {
  const schema = z.object({ secret: z.string() });
  const storeWith = (...keys: string[]) =>
    new EncryptedFileStore({
      dir,
      keys: new KeyRing(keys.map((k) => fingerprintedKey(k))),
      kind: 'secrets',
      label: 'secret file',
      schema,
    });
  const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];

  it('rotates keys: the new key encrypts, the old one still opens what it sealed', async () => {
    await storeWith(oldKey).save('a', { secret: 'one' });
    const rotated = storeWith(newKey, oldKey);
    expect(await rotated.load('a')).toEqual({ secret: 'one' });
    await rotated.save('a', { secret: 'two' });
    expect(await onDisk(rotated.file('a'))).toMatchObject({ keyId: fingerprintedKey(newKey).id });
    expect(await storeWith(newKey).load('a')).toEqual({ secret: 'two' });
  });

  it('names the file and the missing key when the key that sealed it is not configured', async () => {
    await storeWith(oldKey).save('a', { secret: 'one' });
    const file = join(dir, 'a.secrets.json');
    await expect(storeWith(newKey).load('a')).rejects.toThrow(
      `secret file ${file} cannot be decrypted: wrong key (it was encrypted with key "${fingerprintedKey(oldKey).id}", which is not configured`,
    );
  });

  it('refuses a tampered file, a relabelled key id and a file moved to another name, naming the file', async () => {
    const store = storeWith(newKey, oldKey);
    await store.save('a', { secret: 'one' });
    const envelope = await onDisk(store.file('a'));

    const bytes = Buffer.from(envelope.data as string, 'base64');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    await writeFile(store.file('a'), JSON.stringify({ ...envelope, data: bytes.toString('base64') }));
    await expect(store.load('a')).rejects.toThrow(
      `${store.file('a')} cannot be decrypted: wrong key or tampered`,
    );

    await writeFile(store.file('a'), JSON.stringify({ ...envelope, keyId: fingerprintedKey(oldKey).id }));
    await expect(store.load('a')).rejects.toThrow(
      `${store.file('a')} cannot be decrypted: wrong key or tampered`,
    );

    await writeFile(store.file('b'), JSON.stringify(envelope));
    await expect(store.load('b')).rejects.toThrow(
      `${store.file('b')} cannot be decrypted: wrong key or tampered`,
    );
  });

  it('names a file in no known format', async () => {
    const store = storeWith(newKey);
    await writeFile(store.file('a'), 'not json');
    await expect(store.load('a')).rejects.toThrow(
      `secret file ${store.file('a')} is not an encrypted file this version can read`,
    );
  });
});
