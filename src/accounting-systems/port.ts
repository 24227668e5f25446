// The one port every accounting system (AS) adapter implements. Adapters translate; they decide no
// accounting: the core has already produced balanced documents.
import type { AccountingDocument, VendorRef } from '../accounting/core/documents';
import type { BookingCapabilities, ResolvedVendor } from '../accounting/core/target';
import type { ItemFailure, JobFailureReasonType } from '../shared/failure-reasons';
import type { AccountingSystemLimits } from '../shared/pacing';

export type { BookingCapabilities, ResolvedVendor } from '../accounting/core/target';
export type { AccountingSystemLimits } from '../shared/pacing';

export interface Capabilities extends BookingCapabilities {
  attachments: {
    /** 'many': every receipt separately; 'one': merge into one file; 'none': cannot store files. */
    mode: 'many' | 'one' | 'none';
    maxBytes: number;
    /** MIME types the AS accepts as they are. */
    types: string[];
  };
  drafts: boolean;
  dimensions: boolean;
  /** What the system allows per company (tenant); the job's window and pacing keep under it across workers. */
  limits?: AccountingSystemLimits;
}

export interface ReadinessRequest {
  /** The job carries vendor-based bookkeeping data (accounts payable may be needed). */
  vendorBasedBookkeeping: boolean;
  /** What the company's accounting configuration relies on, for systems that can check it up front. */
  accounting?: {
    /** The wallet currencies the company books from. */
    currencies: string[];
    /** Where realised FX differences go (needed when a currency differs from the system's company currency). */
    fxDifferenceAccount?: string;
  };
  /**
   * What the job will write, as far as known at readiness (items, and receipts when counted): a system
   * with a call budget checks it lasts.
   */
  expectedWrites?: { documents: number; receipts?: number };
}

export type Readiness = { ok: true } | { ok: false; reasonType: JobFailureReasonType; message: string };

/** What the AS holds for a document, found by its deterministic reference. */
export interface PostedDocument {
  reference: string;
  externalId: string;
  externalUrl?: string;
  /** When the AS created it, ISO-8601 (reported to Pleo as `exportedAt`). */
  createdAt: string;
  /** post() found the document by its reference instead of creating it (booked by an earlier export). */
  alreadyBooked?: boolean;
}

/** A receipt ready to store: a file on local disk (streamed, never held whole in memory or history). */
export interface AttachmentFile {
  /** Deterministic key (`accountingEntryId` + file index + content hash) so a retry never uploads twice. */
  key: string;
  fileName: string;
  contentType: string;
  path: string;
  size: number;
}

/** Errors an adapter throws. Retryable ones are retried by Temporal; permanent ones fail the item. */
export class AccountingSystemError extends Error {
  constructor(
    message: string,
    readonly kind:
      | { retryable: true; reason: 'unreachable' | 'timeout' | 'rate_limited'; retryAfterMs?: number }
      | { retryable: false; failure: ItemFailure },
  ) {
    super(message);
    this.name = 'AccountingSystemError';
  }
}

/** The document's date falls in a closed period; the core's closed-period rule decides what happens. */
export class PeriodClosedError extends Error {
  constructor(
    readonly date: string,
    /** First date the AS would accept, when it can tell. */
    readonly nextOpenDate?: string,
  ) {
    super(`The accounting period for ${date} is closed`);
    this.name = 'PeriodClosedError';
  }
}

/** One document's outcome in a batch: what the AS holds for it, or why it is not booked. */
export type PostOutcome =
  { ok: true; posted: PostedDocument } | { ok: false; error: AccountingSystemError | PeriodClosedError };

export interface AccountingSystem {
  readonly name: string;
  readonly capabilities: Capabilities;
  checkReady(request: ReadinessRequest): Promise<Readiness>;
  /** Existence checks (accounts, tax codes, dimensions, vendor) → the most specific item failure, or undefined. */
  validate(document: AccountingDocument): Promise<ItemFailure | undefined>;
  resolveVendor(vendor: VendorRef): Promise<ResolvedVendor | undefined>;
  findByReference(reference: string): Promise<PostedDocument | undefined>;
  /**
   * Creates the document once. Posting a document whose reference already exists returns the existing
   * one instead of creating a second. Throws PeriodClosedError or AccountingSystemError.
   */
  post(document: AccountingDocument): Promise<PostedDocument>;
  /**
   * Optional, for systems that take many documents per call: post() for each document, in as few
   * calls as the system allows; outcomes in the documents' order, and one document's refusal or
   * outage never decides another's. Unexpected errors (bugs) still throw.
   */
  postMany?(documents: AccountingDocument[]): Promise<PostOutcome[]>;
  /** Idempotent per attachment key. */
  attach(externalId: string, files: AttachmentFile[]): Promise<void>;
  close(): Promise<void>;
}
