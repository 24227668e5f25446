// AES-256-GCM sealing shared by the payload codec and the credential store: a fresh 96-bit nonce per
// message, the key id bound as additional authenticated data so a ciphertext cannot be relabelled.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

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

/** Parses a base64 (or hex) key and insists on 256 bits: a short key is a configuration error, not a weaker cipher. */
export function parseAesKey(id: string, encoded: string): AesKey {
  const material = decodeKey(encoded);
  if (material.length !== 32) {
    throw new Error(
      `key "${id}" must be 32 bytes (base64 or hex), got ${material.length}: generate one with \`openssl rand -base64 32\``,
    );
  }
  return { id, material };
}

/** nonce ‖ ciphertext ‖ tag */
export function seal(key: AesKey, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.material, nonce);
  cipher.setAAD(Buffer.from(key.id, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Throws when the data was not sealed with this key (wrong key, tampered bytes or relabelled key id). */
export function open(key: AesKey, sealed: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed);
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('encrypted data is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key.material, bytes.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(key.id, 'utf8'));
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
