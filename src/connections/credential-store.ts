// Pleo credentials that `connect` and `webhooks subscribe` obtain (API key, webhook signing secret),
// one encrypted file per company (AES-256-GCM, src/codec/aes.ts). OAuth tokens live next to them in the
// Pleo client's own token store (src/pleo/auth/token-store.ts), encrypted with the same key.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { open, seal, type KeyRing } from '../codec/aes';

const credentialsSchema = z.object({
  companyId: z.string(),
  apiKey: z.string().optional(),
  webhookSecret: z.string().optional(),
  webhookSubscriptionId: z.string().optional(),
  updatedAt: z.string(),
});
export type StoredCredentials = z.infer<typeof credentialsSchema>;

const envelopeSchema = z.object({ keyId: z.string(), data: z.string() });

export class CredentialStore {
  constructor(
    readonly dir: string,
    private readonly keys: KeyRing,
  ) {}

  async load(companyId: string): Promise<StoredCredentials | undefined> {
    let raw: string;
    try {
      raw = await readFile(this.#file(companyId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const envelope = envelopeSchema.parse(JSON.parse(raw));
    let plain: Buffer;
    try {
      plain = open(this.keys.get(envelope.keyId), Buffer.from(envelope.data, 'base64'));
    } catch {
      throw new Error(
        `credentials of company ${companyId} cannot be decrypted: wrong credentials.key or a tampered file`,
      );
    }
    const stored = credentialsSchema.parse(JSON.parse(plain.toString('utf8')));
    // A file copied to another company's name must not lend it its credentials.
    if (stored.companyId !== companyId)
      throw new Error(`credentials file of company ${companyId} belongs to ${stored.companyId}`);
    return stored;
  }

  /** Merges `changes` into the company's stored credentials (written atomically: temp file, rename). */
  async update(
    companyId: string,
    changes: Partial<Omit<StoredCredentials, 'companyId' | 'updatedAt'>>,
  ): Promise<void> {
    const next = {
      ...(await this.load(companyId)),
      ...changes,
      companyId,
      updatedAt: new Date().toISOString(),
    };
    const key = this.keys.current;
    const envelope = { keyId: key.id, data: seal(key, Buffer.from(JSON.stringify(next))).toString('base64') };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = `${this.#file(companyId)}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(envelope), { mode: 0o600 });
    await rename(temp, this.#file(companyId));
  }

  #file(companyId: string): string {
    return join(this.dir, `${encodeURIComponent(companyId)}.credentials.json`);
  }
}
