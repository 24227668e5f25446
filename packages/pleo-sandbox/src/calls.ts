// Counts of Pleo API calls per endpoint, for benchmarks ("Pleo API calls per 1,000 items by endpoint").
export class CallCounter {
  readonly #counts = new Map<string, number>();

  count(endpoint: string): void {
    this.#counts.set(endpoint, (this.#counts.get(endpoint) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.#counts.clear();
  }
}
