// 2. Against the limit: the target declares a write limit R per second / minute (posts and
// attachments), refuses writes beyond it (like Xero's 429s) and counts them as violations; the job
// workflow paces every write to R with slots shared by all workers. The figure is elapsed time over the
// ideal writes / R, and the violations (must be 0). Items that book as one document each, so an item is
// one post and, with receipts, one attachment.
import { buildDocuments, vendorToResolve } from '../../src/accounting/core';
import { demoAccountingConfig } from '../../src/accounting/core/config';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import type { ExportItem } from '../../src/pleo/types';
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

const LIMITS: Record<Size, Limit[]> = {
  smoke: [{ perSecond: 20, items: 40 }],
  full: [
    { perSecond: 20, items: 1_000 },
    { perMinute: 60, items: 120 },
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
    const run = await measuredJob(env, company, items);
    const perSecond = l.perSecond ?? (l.perMinute ?? 60) / 60;
    const events = company.targetEvents();
    const writes = events.filter((e) => e.kind === 'write' || e.kind === 'attach').length;
    const ideal = writes / perSecond;
    rows.push({
      limit: l.perSecond ? `${l.perSecond}/s` : `${l.perMinute}/min`,
      items: items.length,
      seconds: run.seconds,
      idealSeconds: round(ideal, 1),
      ratioToIdeal: round(run.seconds / ideal),
      posts: events.filter((e) => e.kind === 'write' && e.created).length,
      writes,
      violations: events.filter((e) => e.kind === 'violation').length,
      check: run.check,
    });
  }
  return {
    name: 'limit',
    title: '2. Against the limit (target declares R writes and refuses writes over it; the job paces to R)',
    data: rows,
    markdown: table(
      [
        'target limit',
        'items',
        'seconds',
        'ideal writes/R (s)',
        'elapsed / ideal',
        'posts created',
        'writes (posts + attachments)',
        'limit violations',
      ],
      rows.map((r) => [
        r.limit,
        r.items,
        r.seconds,
        r.idealSeconds,
        r.ratioToIdeal,
        r.posts,
        r.writes,
        r.violations,
      ]),
    ),
    failures: rows.flatMap((r) => [
      ...(r.violations > 0 ? [`${r.limit}: ${r.violations} limit violations`] : []),
      ...(r.posts === 0 ? [`${r.limit}: no writes recorded`] : []),
      ...integrityFailures(`${r.limit} job`, r.check),
    ]),
  };
}
