// Temporal payload codec: every payload (workflow and activity inputs and results, signals, queries,
// memos) is encrypted before it leaves the process, so histories at rest hold no export item data or
// personal data. The key id travels in the payload metadata, so keys can be rotated without
// re-encrypting history.
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KeyRing, open, seal } from './aes';

export const ENCODING = 'binary/encrypted';
export const METADATA_ENCODING = 'encoding';
export const METADATA_KEY_ID = 'encryption-key-id';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.current;
    return payloads.map((payload) => ({
      metadata: { [METADATA_ENCODING]: utf8(ENCODING), [METADATA_KEY_ID]: utf8(key.id) },
      data: seal(key, temporal.api.common.v1.Payload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was switched on stay readable.
      if (text(payload.metadata?.[METADATA_ENCODING]) !== ENCODING) return payload;
      const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
      if (!keyId) throw new Error(`encrypted payload without "${METADATA_KEY_ID}" metadata`);
      const plain = open(this.keys.get(keyId), payload.data ?? new Uint8Array());
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
