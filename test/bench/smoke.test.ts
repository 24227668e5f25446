// The smoke sizes of `npm run bench` and `npm run drill`, so both keep working: every drill must pass
// (no duplicate, no lost item, no leaked secret) and the bench must produce its figures. No timing is
// asserted: speed is what the full-size commands report.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench, type BenchReport } from '../../bench/run';
import { runDrills } from '../../bench/drill';

const resultsDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

// Figures are typed per scenario in bench/scenarios; the test reads them as the JSON file holds them.
type Figures = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const scenario = (report: BenchReport, name: string): Figures => {
  const found = report.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`scenario ${name} missing from the bench report`);
  return found.data as Figures;
};

test('npm run drill (smoke): every drill passes', async () => {
  const report = await runDrills({ size: 'smoke', resultsDir });
  expect(report.drills.map((d) => [d.name, d.failures])).toEqual(
    [
      'worker-crash',
      'server-restart',
      'pleo-faults',
      'accounting-faults',
      'long-outage',
      'bad-input',
      'receipt-isolation',
      'xero-faults',
      'secrets',
    ].map((name) => [name, []]),
  );
  const crash = report.drills.find((d) => d.name === 'worker-crash')!.figures;
  expect(crash.kills).toBeGreaterThan(0);
  expect(crash.duplicates).toBe(0);
  const xero = report.drills.find((d) => d.name === 'xero-faults')!.figures;
  expect(xero.documents).toBeGreaterThan(0);
  expect([xero.duplicateReferences, xero.duplicateKeys, xero.missingInXero]).toEqual([0, 0, 0]);
  const secrets = report.drills.find((d) => d.name === 'secrets')!.figures;
  expect(secrets.historiesSearched).toBeGreaterThan(0);
  expect(secrets.leaks).toBe(0);
  expect(readFileSync(report.files.markdown, 'utf8')).toContain('All drills passed');
}, 900_000);

test('npm run bench (smoke): every scenario reports its figures', async () => {
  const report = await runBench({ size: 'smoke', resultsDir });
  expect(report.failures).toEqual([]);

  const [throughput] = scenario(report, 'throughput') as Figures[];
  expect(throughput!.items).toBeGreaterThan(0);
  expect(throughput!.check.successful).toBe(throughput!.items);
  expect(throughput!.itemsPerSecond).toBeGreaterThan(0);
  expect(throughput!.workerCpuSecondsPerItem).toBeGreaterThan(0);
  expect(throughput!.peakWorkerRssMb).toBeGreaterThan(0);
  expect(throughput!.history.largestEvents).toBeGreaterThan(0);
  expect(throughput!.history.largestBytes).toBeGreaterThan(0);

  for (const row of scenario(report, 'limit') as Figures[]) {
    expect(row.writes).toBeGreaterThan(0);
    expect(row.violations).toBe(0);
    expect(row.ratioToIdeal).toBeGreaterThan(0);
  }
  expect(scenario(report, 'baseline').ratio).toBeGreaterThan(0);
  const scale = scenario(report, 'scale');
  expect(scale.check.jobStatus).toBe('completed');
  expect(scale.history.runs).toBeGreaterThan(1);
  const api = scenario(report, 'api');
  expect(api.perThousandItems['GET /v3/export-items']).toBeGreaterThan(0);
  expect(api.perThousandItems['PUT /v3/export-jobs/{jobId}/items']).toBeGreaterThan(0);
  const latency = scenario(report, 'latency');
  expect(latency.jobs).toBeGreaterThan(0);
  expect(latency.toFirstBookedMs.p95).toBeGreaterThan(0);
  const itemLatency = scenario(report, 'item-latency');
  expect(itemLatency.speedUp).toBeGreaterThan(0);
  expect(itemLatency.writesPerItem).toBeGreaterThan(0);
  expect(scenario(report, 'tryton').check.successful).toBeGreaterThan(0);
  expect(scenario(report, 'receipts').attachmentsStored).toBeGreaterThan(0);
  for (const run of scenario(report, 'xero').runs as Figures[]) {
    expect(run.jobStatus).toBe('completed');
    expect(run.successful).toBe(run.items);
    expect(run.calls).toBeGreaterThan(0);
    expect(run.limited).toBe(0);
  }
  expect(readFileSync(report.files.markdown, 'utf8')).toContain('1. Throughput');
}, 900_000);
