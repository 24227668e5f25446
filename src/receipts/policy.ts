// How receipts are fetched and what a receipt problem does to its item (configured per company).

export interface ReceiptPolicy {
  /**
   * 'fail_item' (default; Pleo asks that files are never dropped silently): a receipt problem fails the
   * item and nothing is booked. 'book_and_report': the entry is booked with the receipts that could be
   * stored, and the item is reported failed with the receipt's reason, so the gap is visible in Pleo.
   */
  onFailure: 'fail_item' | 'book_and_report';
  /** Largest receipt downloaded (Pleo's limit is 30 MB per file); the target's own limit applies too. */
  maxBytes: number;
  /** Deadline for one download attempt, headers and body together. */
  timeoutMs: number;
  /** Further attempts after a transient failure (network error, timeout, HTTP 408/429/5xx). */
  retries: number;
  /** Pause before the first retry; doubled for each further one. */
  retryDelayMs: number;
  /** Exact hosts (`host[:port]`) receipts may be fetched from, over https only… */
  allowedHosts: string[];
  /**
   * …except these loopback hosts, explicitly allowed as local (the demo sandbox): they may use plain
   * http and resolve to internal addresses. Every other host must resolve to public addresses only.
   */
  allowInsecureHosts?: string[];
}

export const DEFAULT_RECEIPT_POLICY: ReceiptPolicy = {
  onFailure: 'fail_item',
  maxBytes: 30 * 1024 * 1024,
  timeoutMs: 60_000,
  retries: 2,
  retryDelayMs: 500,
  allowedHosts: [],
};
