// Command-line options shared by `npm run bench` and `npm run drill`.
export type Size = 'smoke' | 'full';

export interface RunOptions {
  size: Size;
  /** Scenario names to run (all when absent). */
  only?: string[];
  /** Where results go (default results/). */
  resultsDir?: string;
}

export function parseArgs(argv: string[], names: readonly string[]): RunOptions {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const size = value('--size') ?? 'full';
  if (size !== 'smoke' && size !== 'full') throw new Error(`--size must be smoke or full, got ${size}`);
  const only = value('--only')
    ?.split(',')
    .map((s) => s.trim());
  const unknown = only?.filter((n) => !names.includes(n)) ?? [];
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${names.join(', ')}`);
  return { size, only, resultsDir: value('--results') };
}

export const selected = (options: RunOptions, name: string): boolean =>
  !options.only || options.only.includes(name);
