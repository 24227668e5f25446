// How requests to Pleo are authenticated. Credentials live only inside these objects: they are never
// part of errors, logs or workflow inputs.
export interface PleoAuth {
  /** The value of the Authorization header for the next request. */
  authorizationHeader(): Promise<string>;
  /** Called after a 401, so a token-based auth can refresh once before the request is retried. */
  onUnauthorized?(): Promise<boolean>;
}

/** Pleo API keys: HTTP Basic with the key as the user name and an empty password. */
export class ApiKeyAuth implements PleoAuth {
  readonly #header: string;
  constructor(apiKey: string) {
    if (!apiKey) throw new Error('Pleo API key is empty');
    this.#header = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  }
  async authorizationHeader(): Promise<string> {
    return this.#header;
  }
  toJSON(): string {
    return '[ApiKeyAuth]';
  }
}
