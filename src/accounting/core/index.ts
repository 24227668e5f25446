// The pure accounting core: export item + configuration → balanced, accounting-system-neutral documents.
export { buildDocuments, assertBalanced } from './build';
export type { BuildContext, BuildResult } from './build';
export { documentReference } from './header';
export { vendorToResolve } from './vendor';
export { applyClosedPeriod } from './closed-period';
export { currencyExponent, formatMinor, deriveRate } from './currency';
export { MAPPING_RULES, findRule } from './mapping';
export type { MappingRule } from './mapping';
export type * from './documents';
export type { BookingCapabilities, ResolvedVendor } from './target';
