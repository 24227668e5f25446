// CLI start time: wall time of whole `pleo-export` processes (the bin, running the compiled CLI),
// median of 5 runs each: `--help` (nothing to connect to) and `jobs list --json` (config, Temporal
// client, one visibility call against the bench's server).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { round, table } from '../lib/report';
import type { BenchEnv } from '../lib/env';
import type { ScenarioResult } from './common';
import { percentile } from './latency';

const RUNS = 5;
const BIN = join(__dirname, '..', '..', 'bin', 'pleo-export.js');

function timedRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code }));
  });
}

export async function cliStart(env: BenchEnv): Promise<ScenarioResult> {
  // No configuration file: the defaults, pointed at the bench's Temporal server.
  const { PLEO_EXPORT_CONFIG: _file, ...inherited } = process.env;
  const cliEnv = { ...inherited, TEMPORAL_ADDRESS: env.server.address };
  const commands = [['--help'], ['jobs', 'list', '--json']];
  const failures: string[] = [];
  const rows = [];
  for (const args of commands) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timedRun(args, cliEnv));
    const failed = runs.filter((r) => r.code !== 0);
    if (failed.length) failures.push(`pleo-export ${args.join(' ')} exited ${failed[0]!.code}`);
    const ms = runs.map((r) => r.ms);
    rows.push({
      command: `pleo-export ${args.join(' ')}`,
      medianMs: round(percentile(ms, 50), 0),
      minMs: round(Math.min(...ms), 0),
      maxMs: round(Math.max(...ms), 0),
    });
  }
  return {
    name: 'cli',
    title: `CLI start time (whole process, median of ${RUNS} runs)`,
    data: rows,
    markdown: table(
      ['command', 'median ms', 'min ms', 'max ms'],
      rows.map((r) => [`\`${r.command}\``, r.medianMs, r.minMs, r.maxMs]),
    ),
    failures,
  };
}
