// Where a Pleo OAuth connection's tokens live between refreshes. Refresh tokens rotate on every use, so
// the store is the single source of truth: the new refresh token is written (atomically) before the new
// access token is used. The files are the encrypted-file store's (src/codec/encrypted-file.ts): sealed
// with the key ring, bound to their connection, one per connection.
import { z } from 'zod';
import { fingerprintedKey, KeyRing, open } from '../../codec/aes';
import { EncryptedFileStore, type LegacyFormat } from '../../codec/encrypted-file';

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

/**
 * The first token files: `{ v: 1, iv, tag, data }`, AES-256-GCM under the configured key with the
 * connection id as associated data, and no record of which key.
 */
const tokenFileV1Schema = z.object({ v: z.literal(1), iv: z.string(), tag: z.string(), data: z.string() });
const TOKEN_FILE_V1: LegacyFormat = {
  is: (file) => tokenFileV1Schema.safeParse(file).success,
  open(file, connectionId, key) {
    const { iv, data, tag } = tokenFileV1Schema.parse(file);
    const sealed = Buffer.concat([iv, data, tag].map((part) => Buffer.from(part, 'base64')));
    return open({ id: connectionId, material: key.material }, sealed);
  },
};

/**
 * One encrypted file per connection in `dir`. `key` is 32 bytes (or 64 hex / 44 base64 characters),
 * named by its fingerprint; a key ring instead rotates keys (the first encrypts, all decrypt).
 */
export class FileTokenStore implements TokenStore {
  readonly #files: EncryptedFileStore<StoredConnection>;

  constructor(options: { dir: string; key: Buffer | string | KeyRing }) {
    const keys = options.key instanceof KeyRing ? options.key : new KeyRing([fingerprintedKey(options.key)]);
    this.#files = new EncryptedFileStore({
      dir: options.dir,
      keys,
      kind: 'tokens',
      label: 'token file',
      schema: storedConnectionSchema,
      legacy: [TOKEN_FILE_V1],
    });
  }

  load(connectionId: string): Promise<StoredConnection | undefined> {
    return this.#files.load(connectionId);
  }

  save(connectionId: string, record: StoredConnection): Promise<void> {
    return this.#files.save(connectionId, record);
  }

  exclusive<T>(connectionId: string, body: () => Promise<T>): Promise<T> {
    return this.#files.exclusive(connectionId, body);
  }

  toJSON(): string {
    return '[FileTokenStore]';
  }
}
