// 2. Against the limit: the target refuses writes beyond R per second / minute (like Xero's 429s) and
// counts them as violations; the worker paces itself with its configured accounting rate limit. The
// figure is elapsed time over the ideal items / R, and the violations (must be 0). Items that book as
// one document each, so one paced item is one write. The worker paces at 90% of R: its limiter admits
// an item before the item's receipts are downloaded, so the writes reach the target with that much
// jitter, and a client pacing at exactly R is over the limit now and then (a retry follows, nothing is
// lost, but a hosted API counts it).
import { buildDocuments, vendorToResolve } from '../../src/accounting/core';
import { demoAccountingConfig } from '../../src/demo/accounting-config';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import { measuredJob } from '../lib/measure';
import { round, table } from '../lib/report';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { integrityFailures, validItems, type ScenarioResult } from './common';

interface Limit {
  perSecond?: number;
  perMinute?: number;
  items: number;
}

const HEADROOM = 0.9;

const LIMITS: Record<Size, Limit[]> = {
  smoke: [{ perSecond: 20, items: 40 }],
  full: [
    { perSecond: 20, items: 1_000 },
    { perMinute: 60, items: 180 },
  ],
};

async function singleDocumentItems(env: BenchEnv, companyId: string, count: number): Promise<ExportItem[]> {
  const ledger = new LedgerAccountingSystem({
    type: 'ledger',
    dir: env.dir,
    fileName: 'unused',
    chart: 'demo',
  });
  const config = demoAccountingConfig();
  const chosen: ExportItem[] = [];
  for (const item of validItems(env, companyId, Math.ceil(count * 1.3) + 10, 'bench-limit')) {
    const ref = vendorToResolve(item, config);
    const vendor = ref ? await ledger.resolveVendor(ref) : undefined;
    const built = buildDocuments(item, config, { vendor, target: ledger.capabilities });
    if (built.ok && built.documents.length === 1) chosen.push(item);
    if (chosen.length === count) break;
  }
  return chosen;
}

export async function limit(env: BenchEnv, size: Size): Promise<ScenarioResult> {
  const rows = [];
  for (const l of LIMITS[size]) {
    const writeLimit = { perSecond: l.perSecond, perMinute: l.perMinute };
    const company = env.addCompany({ faults: { limit: writeLimit } });
    const items = await singleDocumentItems(env, company.companyId, l.items);
    const pacing = {
      perSecond: l.perSecond && l.perSecond * HEADROOM,
      perMinute: l.perMinute && l.perMinute * HEADROOM,
    };
    // One item in flight: the worker's own limiter paces posts that leave in the order they were admitted
    // (items in flight side by side reach the target in another order; the job's write slots pace those).
    const run = await measuredJob(env, company, items, {
      worker: { accountingRateLimit: pacing },
      settings: { itemsInFlight: 1 },
    });
    const perSecond = l.perSecond ?? (l.perMinute ?? 60) / 60;
    const ideal = items.length / perSecond;
    const events = company.targetEvents();
    rows.push({
      limit: l.perSecond ? `${l.perSecond}/s` : `${l.perMinute}/min`,
      workerPacing: pacing,
      items: items.length,
      seconds: run.seconds,
      idealSeconds: round(ideal, 1),
      ratioToIdeal: round(run.seconds / ideal),
      writes: events.filter((e) => e.kind === 'write' && e.created).length,
      violations: events.filter((e) => e.kind === 'violation').length,
      check: run.check,
    });
  }
  return {
    name: 'limit',
    title: '2. Against the limit (target refuses writes over R; worker paces itself)',
    data: rows,
    markdown: table(
      [
        'target limit',
        'worker paces at',
        'items',
        'seconds',
        'ideal items/R (s)',
        'elapsed / ideal',
        'writes',
        'limit violations',
      ],
      rows.map((r) => [
        r.limit,
        `${HEADROOM * 100}%`,
        r.items,
        r.seconds,
        r.idealSeconds,
        r.ratioToIdeal,
        r.writes,
        r.violations,
      ]),
    ),
    failures: rows.flatMap((r) => [
      ...(r.violations > 0 ? [`${r.limit}: ${r.violations} limit violations`] : []),
      ...(r.writes === 0 ? [`${r.limit}: no writes recorded`] : []),
      ...integrityFailures(`${r.limit} job`, r.check),
    ]),
  };
}
