// Test code in child Node processes: a TypeScript entry run through ts-node (so a test can SIGKILL a
// worker or a writer mid-way), and the clean-up that kills whatever a test left running.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs a TypeScript file of this repository (path from its root) in its own Node process. */
export function spawnTypeScript(entry: string, args: string[], stdio: StdioOptions): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, entry), ...args], {
    stdio,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
  });
}

/** SIGKILLs every process of the list still running. */
export function killAll(children: ChildProcess[]): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
