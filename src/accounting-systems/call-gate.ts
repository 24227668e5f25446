// The gate an accounting system's rate-limited calls pass through. The item activity that runs an export
// sets it (a slot from the job workflow, shared by every worker); an adapter whose limit counts every
// request wraps each one in `gated()`, so the pacing reaches the HTTP call without threading a parameter
// through every port method.
import { AsyncLocalStorage } from 'node:async_hooks';

export type CallGate = <T>(call: () => Promise<T>) => Promise<T>;

const current = new AsyncLocalStorage<CallGate>();

/** Runs `work` with `gate` applied to every `gated()` call inside it (no gate: calls go straight through). */
export function withCallGate<T>(gate: CallGate | undefined, work: () => Promise<T>): Promise<T> {
  return gate ? current.run(gate, work) : work();
}

/** One call counted against the system's limit: waits for the current gate, if any. */
export function gated<T>(call: () => Promise<T>): Promise<T> {
  const gate = current.getStore();
  return gate ? gate(call) : call();
}
