// Where a Pleo OAuth connection's tokens live between refreshes. Refresh tokens rotate on every use, so
// the store is the single source of truth: the new refresh token is written (atomically: temp file,
// fsync, rename) before the new access token is used, and a crash can never leave a half-written file.
// The file store encrypts at rest with AES-256-GCM; the connection id is bound in as associated data so
// one connection's file cannot be swapped in for another's.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { withFileLock } from '../../util/file-lock';

export const storedConnectionSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('connected'),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1),
    /** Epoch milliseconds when the access token expires. */
    expiresAt: z.number().int(),
    scope: z.string().optional(),
    updatedAt: z.string(),
  }),
  z.object({
    status: z.literal('reconnect_required'),
    /** Why, in words a bookkeeper can act on; never contains a token. */
    reason: z.string(),
    updatedAt: z.string(),
  }),
]);
export type StoredConnection = z.infer<typeof storedConnectionSchema>;

export interface TokenStore {
  load(connectionId: string): Promise<StoredConnection | undefined>;
  save(connectionId: string, record: StoredConnection): Promise<void>;
  /** Runs `body` while no other holder (in any process) works on this connection's tokens. */
  exclusive<T>(connectionId: string, body: () => Promise<T>): Promise<T>;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;

const envelopeSchema = z.object({ v: z.literal(1), iv: z.string(), tag: z.string(), data: z.string() });

/** One encrypted file per connection in `dir`; `key` is 32 bytes (e.g. from a 64-hex-char secret). */
export class FileTokenStore implements TokenStore {
  readonly #dir: string;
  readonly #key: Buffer;

  constructor(options: { dir: string; key: Buffer | string }) {
    const key = typeof options.key === 'string' ? decodeKey(options.key) : options.key;
    if (key.length !== KEY_BYTES)
      throw new Error(`token encryption key must be ${KEY_BYTES} bytes (64 hex or 44 base64 characters)`);
    this.#dir = options.dir;
    this.#key = Buffer.from(key);
  }

  async load(connectionId: string): Promise<StoredConnection | undefined> {
    let raw: string;
    try {
      raw = await readFile(this.#file(connectionId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const envelope = envelopeSchema.safeParse(safeJson(raw));
    if (!envelope.success)
      throw new Error(`token file for connection "${connectionId}" is not a token envelope`);
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(envelope.data.iv, 'base64'));
      decipher.setAAD(Buffer.from(connectionId));
      decipher.setAuthTag(Buffer.from(envelope.data.tag, 'base64'));
      plain = Buffer.concat([
        decipher.update(Buffer.from(envelope.data.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        `token file for connection "${connectionId}" cannot be decrypted: wrong key or tampered file`,
      );
    }
    const record = storedConnectionSchema.safeParse(safeJson(plain));
    if (!record.success)
      throw new Error(`token file for connection "${connectionId}" holds an unexpected record`);
    return record.data;
  }

  async save(connectionId: string, record: StoredConnection): Promise<void> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(connectionId));
    const data = Buffer.concat([
      cipher.update(JSON.stringify(storedConnectionSchema.parse(record)), 'utf8'),
      cipher.final(),
    ]);
    const envelope = {
      v: 1,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const target = this.#file(connectionId);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(envelope));
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
    const dir = await open(this.#dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async exclusive<T>(connectionId: string, body: () => Promise<T>): Promise<T> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    return withFileLock(`${this.#file(connectionId)}.lock`, body);
  }

  #file(connectionId: string): string {
    return join(this.#dir, `${encodeURIComponent(connectionId)}.tokens.json`);
  }

  toJSON(): string {
    return '[FileTokenStore]';
  }
}

function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
