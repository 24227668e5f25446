// Secrets at rest, one encrypted JSON file per record (a connection's OAuth tokens, a company's Pleo
// credentials), sealed with a key ring: the first key encrypts, the file records which key did, and
// every key in the ring opens. The record's name and kind are bound into the ciphertext, so a file
// copied to another name does not open. Writes are atomic (temp file, fsync, rename, fsync of the
// folder): a crash leaves the old record or the new one, never half of one. A file in a format this
// store replaced is read once and rewritten in the current one, under the record's lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { mkdir, open as openFile, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { withFileLock } from '../util/file-lock';
import { open, seal, type AesKey, type KeyRing } from './aes';

const envelopeSchema = z.object({ v: z.literal(2), keyId: z.string().min(1), data: z.string() });

/** A format files were written in before this store: readable, and rewritten on first use. */
export interface LegacyFormat {
  /** Whether the parsed file is in this format. */
  is(file: unknown): boolean;
  /** Its plaintext; throws when `key` does not open it. */
  open(file: unknown, name: string, key: AesKey): Buffer;
}

export interface EncryptedFileStoreOptions<T> {
  dir: string;
  keys: KeyRing;
  /** What the files hold, e.g. `tokens`: the file names end in `.<kind>.json`. */
  kind: string;
  /** How errors name a file, e.g. `token file`. */
  label: string;
  schema: z.ZodType<T>;
  legacy?: LegacyFormat[];
}

export class EncryptedFileStore<T> {
  /** The lock files this async context holds, so a load inside `exclusive` can migrate without re-locking. */
  readonly #held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(private readonly options: EncryptedFileStoreOptions<T>) {}

  async load(name: string): Promise<T | undefined> {
    const file = this.file(name);
    const raw = await readIfExists(file);
    if (raw === undefined) return undefined;
    const { record, legacy } = this.#decode(name, file, raw);
    if (legacy) await this.#migrate(name, file, raw, record);
    return record;
  }

  async save(name: string, record: T): Promise<void> {
    const key = this.options.keys.current;
    const plain = Buffer.from(JSON.stringify(this.options.schema.parse(record)), 'utf8');
    const envelope = { v: 2, keyId: key.id, data: seal(key, plain, this.#context(name)).toString('base64') };
    await writeAtomically(this.options.dir, this.file(name), JSON.stringify(envelope));
  }

  /** Runs `body` while no other holder, in any process, works on this record (re-entrant). */
  async exclusive<R>(name: string, body: () => Promise<R>): Promise<R> {
    const lock = `${this.file(name)}.lock`;
    const held = this.#held.getStore() ?? new Set<string>();
    if (held.has(lock)) return body();
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    return withFileLock(lock, () => this.#held.run(new Set([...held, lock]), body));
  }

  file(name: string): string {
    return join(this.options.dir, `${encodeURIComponent(name)}.${this.options.kind}.json`);
  }

  #context(name: string): string {
    return `${this.options.kind}/${name}`;
  }

  #decode(name: string, file: string, raw: string): { record: T; legacy: boolean } {
    const { keys, label, schema, legacy = [] } = this.options;
    const parsed = parseJson(raw);
    const envelope = envelopeSchema.safeParse(parsed);
    let plain: Buffer;
    if (envelope.success) {
      const key = keys.keys.find((k) => k.id === envelope.data.keyId);
      if (!key)
        throw new Error(
          `${label} ${file} cannot be decrypted: wrong key (it was encrypted with key "${envelope.data.keyId}", which is not configured; keep a retired key configured until its files are rewritten)`,
        );
      plain = this.#open(file, () =>
        open(key, Buffer.from(envelope.data.data, 'base64'), this.#context(name)),
      );
    } else {
      const format = legacy.find((f) => f.is(parsed));
      if (!format) throw new Error(`${label} ${file} is not an encrypted file this version can read`);
      plain = this.#open(file, () => firstThatOpens(keys.keys, (key) => format.open(parsed, name, key)));
    }
    const record = schema.safeParse(parseJson(plain.toString('utf8')));
    if (!record.success) throw new Error(`${label} ${file} holds an unexpected record`);
    return { record: record.data, legacy: !envelope.success };
  }

  #open(file: string, decrypt: () => Buffer): Buffer {
    try {
      return decrypt();
    } catch {
      throw new Error(`${this.options.label} ${file} cannot be decrypted: wrong key or tampered file`);
    }
  }

  /** Rewrites a legacy file unless someone replaced it meanwhile (a save by a lock holder wins). */
  async #migrate(name: string, file: string, raw: string, record: T): Promise<void> {
    await this.exclusive(name, async () => {
      if ((await readIfExists(file)) === raw) await this.save(name, record);
    });
  }
}

function firstThatOpens(keys: readonly AesKey[], decrypt: (key: AesKey) => Buffer): Buffer {
  let failure: unknown;
  for (const key of keys) {
    try {
      return decrypt(key);
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writeAtomically(dir: string, target: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await openFile(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  // The rename itself must survive a crash too.
  const folder = await openFile(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
