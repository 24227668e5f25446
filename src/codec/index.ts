// The data converter clients, workers and replay use: the encryption codec when `codec` is configured,
// Temporal's default otherwise. With the codec, failure messages are encoded too (failure-converter.ts).
import type { DataConverter } from '@temporalio/common';
import type { CodecConfig } from '../config/schema';
import { KeyRing, parseAesKey } from './aes';
import { EncryptionCodec } from './payload-codec';

export function keyRingFrom(codec: CodecConfig): KeyRing {
  return new KeyRing(codec.keys.map((k) => parseAesKey(k.id, k.key)));
}

export function createDataConverter(codec: CodecConfig | undefined): DataConverter | undefined {
  return codec
    ? {
        payloadCodecs: [new EncryptionCodec(keyRingFrom(codec))],
        failureConverterPath: require.resolve('./failure-converter'),
      }
    : undefined;
}

export { EncryptionCodec } from './payload-codec';
