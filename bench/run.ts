// `npm run bench [-- --size smoke|full] [--only throughput,limit,…]`: speed, scale and cost of the
// pipeline (issue 7, scenarios 1–7), plus the receipts-memory benchmark. Starts everything it needs on
// loopback, writes results/bench-<time>.json and .md (with SVG charts) and exits non-zero when a
// scenario breaks one of its conditions (a duplicate, a lost item, a limit violation).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs, selected, type RunOptions } from './lib/args';
import { startBenchEnv } from './lib/env';
import { writeResults } from './lib/report';
import type { ScenarioResult } from './scenarios/common';
import { apiEconomy, throughput } from './scenarios/throughput';
import { limit } from './scenarios/limit';
import { baseline } from './scenarios/baseline';
import { scale } from './scenarios/scale';
import { latency } from './scenarios/latency';
import { itemLatency } from './scenarios/item-latency';
import { tryton } from './scenarios/tryton';
import { runReceiptsMemoryBench } from './receipts-memory';
import { cliStart } from './scenarios/cli';
import { xeroBench } from './xero';

export const BENCH_SCENARIOS = [
  'throughput',
  'limit',
  'baseline',
  'scale',
  'api',
  'latency',
  'item-latency',
  'tryton',
  'receipts',
  'cli',
  'xero',
] as const;

export interface BenchReport {
  size: RunOptions['size'];
  at: string;
  node: string;
  scenarios: ScenarioResult[];
  failures: string[];
  files: { json: string; markdown: string };
}

export async function runBench(options: RunOptions): Promise<BenchReport> {
  const at = new Date().toISOString();
  const scenarios: ScenarioResult[] = [];
  // Results are written after every scenario, so a long run that is stopped still leaves its figures.
  const write = (finished: boolean) => {
    const failures = scenarios.flatMap((s) => s.failures);
    const markdown = [
      `# npm run bench — ${options.size} size${finished ? '' : ' (in progress)'}`,
      '',
      `${at}, Node ${process.version}, ${cpus().length} CPUs. Timings are from a shared, loaded machine: read ratios rather than absolute seconds.`,
      '',
      ...scenarios.flatMap((s) => [
        `## ${s.title}`,
        '',
        s.markdown,
        '',
        ...(s.charts ?? []).map((c) => `![${c.title}](${c.file})\n`),
      ]),
      failures.length
        ? `## Failures\n\n${failures.map((f) => `- ${f.split('\n')[0]}`).join('\n')}\n`
        : '**All conditions met** (0 duplicates, 0 lost items, 0 limit violations).\n',
    ].join('\n');
    const data = { size: options.size, at, node: process.version, finished, scenarios, failures };
    const charts = scenarios.flatMap((s) => s.charts ?? []);
    return { failures, files: writeResults('bench', data, markdown, charts, options.resultsDir, at) };
  };
  const log = (s: ScenarioResult) => {
    scenarios.push(s);
    write(false);
    process.stderr.write(
      `bench: ${s.title} done${s.failures.length ? ` — FAILED: ${s.failures.join('; ')}` : ''}\n`,
    );
  };
  const attempt = async (name: string, run: () => Promise<ScenarioResult>) => {
    if (!selected(options, name)) return;
    try {
      log(await run());
    } catch (err) {
      log({
        name,
        title: name,
        data: {},
        markdown: 'threw',
        failures: [`${name} threw: ${(err as Error).stack ?? String(err)}`],
      });
    }
  };
  // First, in a fresh process: its memory baseline is not inflated by the large jobs that follow.
  await attempt('receipts', async () => {
    const r = await runReceiptsMemoryBench(
      options.size === 'smoke'
        ? { items: 5, megabytes: 5, resultsDir: options.resultsDir }
        : { resultsDir: options.resultsDir },
    );
    return {
      name: 'receipts',
      title: `Receipts memory (${r.items} receipts × ${r.receiptMegabytes} MB)`,
      data: r,
      markdown: `RSS baseline ${r.baselineRssMb} MB, peak ${r.peakRssMb} MB (growth ${r.rssGrowthMb} MB) over ${r.totalMegabytes} MB of receipts in ${r.seconds} s; ${r.attachmentsStored} attachments stored.`,
      failures:
        r.attachmentsStored !== r.items ? [`${r.attachmentsStored} of ${r.items} receipts stored`] : [],
    };
  });
  const env = await startBenchEnv('bench');
  try {
    let ledgerItemsPerSecond: number | undefined;
    if (selected(options, 'throughput') || selected(options, 'api')) {
      const { result, runs } = await throughput(env, options.size);
      if (selected(options, 'throughput')) log(result);
      if (selected(options, 'api')) log(apiEconomy(runs[0]!));
      ledgerItemsPerSecond = runs[0]!.itemsPerSecond;
    }
    await attempt('limit', () => limit(env, options.size));
    await attempt('baseline', () => baseline(env, options.size));
    await attempt('latency', () => latency(env, options.size));
    await attempt('item-latency', () => itemLatency(env, options.size));
    await attempt('tryton', () => tryton(env, options.size, ledgerItemsPerSecond));
    await attempt('scale', () => scale(env, options.size));
    await attempt('cli', () => cliStart(env));
    await attempt('xero', () => xeroBench(env, options.size));
  } finally {
    await env.close();
  }
  const { failures, files } = write(true);
  return { size: options.size, at, node: process.version, scenarios, failures, files };
}

if (require.main === module) {
  runBench(parseArgs(process.argv.slice(2), BENCH_SCENARIOS))
    .then((report) => {
      process.stdout.write(
        `${readFileSync(report.files.markdown, 'utf8')}\nResults: ${report.files.markdown}\n`,
      );
      process.exit(report.failures.length ? 1 : 0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
}
