// How requests to Pleo are authenticated. Credentials live only inside these objects: they are never
// part of errors, logs, toJSON or workflow inputs.
export interface PleoAuth {
  /** The value of the Authorization header for the next request. */
  authorizationHeader(): Promise<string>;
  /**
   * Called after a 401 for the header that was rejected, so a token-based auth can refresh once before
   * the request is retried. Resolves true when retrying makes sense.
   */
  onUnauthorized?(rejectedHeader: string): Promise<boolean>;
}
