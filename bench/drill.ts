// `npm run drill [-- --size smoke|full] [--only worker-crash,…]`: fault drills (issue 7, drills 1–7).
// Starts everything on loopback (one Temporal dev server with a persistent SQLite file, the sandbox,
// worker processes), runs each drill, asserts its outcome, writes results/drill-<time>.json and .md,
// and exits non-zero when any drill failed. The secrets drill runs last and searches everything the
// earlier drills left behind.
import { readFileSync } from 'node:fs';
import { parseArgs, selected, type RunOptions } from './lib/args';
import { startBenchEnv } from './lib/env';
import { table, writeResults } from './lib/report';
import type { Drill, DrillResult } from './drills/common';
import { workerCrash } from './drills/worker-crash';
import { serverRestart } from './drills/server-restart';
import { pleoFaults } from './drills/pleo-faults';
import { accountingFaults } from './drills/accounting-faults';
import { longOutage } from './drills/long-outage';
import { badInput } from './drills/bad-input';
import { receiptIsolation } from './drills/receipt-isolation';
import { secrets } from './drills/secrets';
import { xeroFaults } from './xero-faults';

const DRILLS: [string, Drill][] = [
  ['worker-crash', workerCrash],
  ['server-restart', serverRestart],
  ['pleo-faults', pleoFaults],
  ['accounting-faults', accountingFaults],
  ['long-outage', longOutage],
  ['bad-input', badInput],
  ['receipt-isolation', receiptIsolation],
  ['xero-faults', xeroFaults],
  ['secrets', secrets],
];
export const DRILL_NAMES = DRILLS.map(([name]) => name);

export interface DrillReport {
  size: RunOptions['size'];
  at: string;
  drills: DrillResult[];
  passed: boolean;
  files: { json: string; markdown: string };
}

function writeDrills(options: RunOptions, at: string, drills: DrillResult[], finished: boolean) {
  const passed = drills.every((d) => d.failures.length === 0);
  const markdown = [
    `# npm run drill — ${options.size} size${finished ? '' : ' (in progress)'}`,
    '',
    `${at}, Node ${process.version}. Each drill asserts its outcome; any duplicate or lost item fails it.`,
    '',
    table(
      ['drill', 'result', 'figures'],
      drills.map((d) => [
        d.title,
        d.failures.length ? '**FAILED**' : 'passed',
        Object.entries(d.figures)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')
          .replace(/\|/g, '/'),
      ]),
    ),
    '',
    ...drills
      .filter((d) => d.failures.length)
      .map(
        (d) => `## ${d.title}: failures\n\n${d.failures.map((f) => `- ${f.split('\n')[0]}`).join('\n')}\n`,
      ),
    ...drills
      .filter((d) => d.findings?.length)
      .map((d) => `## ${d.title}: findings\n\n${d.findings!.map((f) => `- ${f}`).join('\n')}\n`),
    passed ? '**All drills passed.**\n' : '**Some drills failed.**\n',
  ].join('\n');
  const data = { size: options.size, at, node: process.version, finished, drills, passed };
  return { passed, files: writeResults('drill', data, markdown, [], options.resultsDir, at) };
}

export async function runDrills(options: RunOptions): Promise<DrillReport> {
  const at = new Date().toISOString();
  const drills: DrillResult[] = [];
  const env = await startBenchEnv('drill');
  try {
    for (const [name, drill] of DRILLS) {
      if (!selected(options, name)) continue;
      const started = Date.now();
      let result: DrillResult;
      try {
        result = await drill(env, options.size);
      } catch (err) {
        result = {
          name,
          title: name,
          figures: {},
          failures: [`threw: ${(err as Error).stack ?? String(err)}`],
        };
      }
      result.figures.drillSeconds = Math.round((Date.now() - started) / 1000);
      drills.push(result);
      writeDrills(options, at, drills, false);
      process.stderr.write(
        `drill ${name}: ${result.failures.length ? `FAILED — ${result.failures.join('; ')}` : 'passed'}\n`,
      );
    }
  } finally {
    await env.close();
  }
  const { passed, files } = writeDrills(options, at, drills, true);
  return { size: options.size, at, drills, passed, files };
}

if (require.main === module) {
  runDrills(parseArgs(process.argv.slice(2), DRILL_NAMES))
    .then((report) => {
      process.stdout.write(
        `${readFileSync(report.files.markdown, 'utf8')}\nResults: ${report.files.markdown}\n`,
      );
      process.exit(report.passed ? 0 : 1);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
}
