// Pleo credentials that `connect` and `webhooks subscribe` obtain (API key, webhook signing secret),
// one encrypted file per company in the encrypted-file store (src/codec/encrypted-file.ts). OAuth tokens
// live next to them in the Pleo client's token store (src/pleo/auth/token-store.ts), the same kind of file.
import { z } from 'zod';
import { open, type KeyRing } from '../codec/aes';
import { EncryptedFileStore, type LegacyFormat } from '../codec/encrypted-file';

const credentialsSchema = z.object({
  companyId: z.string(),
  apiKey: z.string().optional(),
  webhookSecret: z.string().optional(),
  webhookSubscriptionId: z.string().optional(),
  updatedAt: z.string(),
});
export type StoredCredentials = z.infer<typeof credentialsSchema>;

/** The first credential files: `{ keyId, data }`, sealed with the key id alone as associated data. */
const credentialsFileV1Schema = z.object({ keyId: z.string(), data: z.string() }).strict();
const CREDENTIALS_FILE_V1: LegacyFormat = {
  is: (file) => credentialsFileV1Schema.safeParse(file).success,
  open(file, _companyId, key) {
    const { keyId, data } = credentialsFileV1Schema.parse(file);
    return open({ id: keyId, material: key.material }, Buffer.from(data, 'base64'));
  },
};

export class CredentialStore {
  readonly #files: EncryptedFileStore<StoredCredentials>;

  constructor(
    readonly dir: string,
    keys: KeyRing,
  ) {
    this.#files = new EncryptedFileStore({
      dir,
      keys,
      kind: 'credentials',
      label: 'credentials file',
      schema: credentialsSchema,
      legacy: [CREDENTIALS_FILE_V1],
    });
  }

  async load(companyId: string): Promise<StoredCredentials | undefined> {
    const stored = await this.#files.load(companyId);
    // The first format did not bind a file to its company: one copied to another company's name must
    // not lend it its credentials.
    if (stored && stored.companyId !== companyId)
      throw new Error(`${this.#files.file(companyId)} holds the credentials of company ${stored.companyId}`);
    return stored;
  }

  /** Merges `changes` into the company's stored credentials, under its lock so two commands do not race. */
  async update(
    companyId: string,
    changes: Partial<Omit<StoredCredentials, 'companyId' | 'updatedAt'>>,
  ): Promise<void> {
    await this.#files.exclusive(companyId, async () =>
      this.#files.save(companyId, {
        ...(await this.load(companyId)),
        ...changes,
        companyId,
        updatedAt: new Date().toISOString(),
      }),
    );
  }
}
