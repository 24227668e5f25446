/** Builds dist/ when a source is newer than the last build; false when no compiler is installed. */
export function ensureDist(): boolean;
