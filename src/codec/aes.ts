// AES-256-GCM sealing shared by the payload codec and the encrypted files (tokens, credentials): a fresh
// 96-bit nonce per message, the key id bound as additional authenticated data so a ciphertext cannot be
// relabelled, and optionally what the message is (a file's record) so it cannot be moved to another.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface AesKey {
  id: string;
  /** 32 bytes. */
  material: Buffer;
}

const decodeKey = (encoded: string): Buffer => {
  const text = encoded.trim();
  return /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
};

export const isAes256Key = (encoded: string): boolean => decodeKey(encoded).length === 32;

function checkedMaterial(name: string, material: Buffer): Buffer {
  if (material.length !== 32) {
    throw new Error(
      `${name} must be 32 bytes (base64 or hex), got ${material.length}: generate one with \`openssl rand -base64 32\``,
    );
  }
  return material;
}

/** Parses a base64 (or hex) key and insists on 256 bits: a short key is a configuration error, not a weaker cipher. */
export function parseAesKey(id: string, encoded: string): AesKey {
  return { id, material: checkedMaterial(`key "${id}"`, decodeKey(encoded)) };
}

/**
 * A key configured without an id, named by its fingerprint (SHA-256, first 8 bytes in hex). What it
 * sealed records that name, so a replaced key is reported as such rather than as a tampered file, and
 * a ring holding the old key beside the new one still opens it.
 */
export function fingerprintedKey(key: string | Uint8Array): AesKey {
  const material = checkedMaterial('the key', typeof key === 'string' ? decodeKey(key) : Buffer.from(key));
  return { id: createHash('sha256').update(material).digest('hex').slice(0, 16), material };
}

const aad = (key: AesKey, context: string | undefined): Buffer =>
  Buffer.from(context === undefined ? key.id : JSON.stringify([key.id, context]), 'utf8');

/** nonce ‖ ciphertext ‖ tag; `context`, when given, must be given again to open it. */
export function seal(key: AesKey, plaintext: Uint8Array, context?: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.material, nonce);
  cipher.setAAD(aad(key, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Throws when the data was not sealed with this key and context (wrong key, tampered bytes, relabelled). */
export function open(key: AesKey, sealed: Uint8Array, context?: string): Buffer {
  const bytes = Buffer.from(sealed);
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('encrypted data is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key.material, bytes.subarray(0, NONCE_BYTES));
  decipher.setAAD(aad(key, context));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]);
}

/** A key ring: the first key encrypts, every key decrypts (rotation: prepend the new key, keep the old ones). */
export class KeyRing {
  readonly #byId: Map<string, AesKey>;
  constructor(readonly keys: AesKey[]) {
    if (keys.length === 0) throw new Error('a key ring needs at least one key');
    this.#byId = new Map(keys.map((k) => [k.id, k]));
    if (this.#byId.size !== keys.length) throw new Error('key ids must be unique');
  }
  get current(): AesKey {
    return this.keys[0]!;
  }
  get(id: string): AesKey {
    const key = this.#byId.get(id);
    if (!key)
      throw new Error(
        `no key with id "${id}" is configured: keep retired keys in the list until nothing encrypted with them is read any more`,
      );
    return key;
  }
}
