// What the core needs to know about the accounting system it builds for: the answers that change which
// documents it produces. The port extends these; the core never imports the port.

/** The capabilities that decide the documents (the port's Capabilities adds what adapters need). */
export interface BookingCapabilities {
  /** Native bills / credit notes / payments; when false, AP documents are booked as their postings. */
  accountsPayable: boolean;
  /** Bills may be issued in the supplier's currency; when false, every document is in the wallet currency. */
  foreignCurrencyDocuments: boolean;
}

/** The accounting system's own record of an item's vendor, found before building. */
export interface ResolvedVendor {
  externalId: string;
  name: string;
  /** Vendor-specific AP account, when the AS has one. */
  payableAccountCode?: string;
}
