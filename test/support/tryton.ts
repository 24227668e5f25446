// A real Tryton server for tests: the golden demo database (built once, ~10–25 s) copied per caller and
// served by `trytond` on a free loopback port. Call stop() in afterAll.
import { startTrytonServer, type TrytonServer } from '../../scripts/tryton/demo-server';

export type { TrytonServer };

export function startTryton(options: { timeoutMs?: number } = {}): Promise<TrytonServer> {
  return startTrytonServer(options);
}
