// The Xero stand-in as the Xero bench and drill use it: started in the orchestrating process with
// Xero's documented limits (optionally faults from a fixed seed), an organisation connected as
// `pleo-export connect xero` leaves it, a company exporting into it, card expenses with one receipt
// each, and what the organisation holds afterwards: documents per reference and per Idempotency-Key,
// receipts per document, calls answered and 429s the stand-in's own limits gave.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import type { XeroConfig } from '../src/accounting-systems/config';
import { documentReference } from '../src/accounting/core';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { FaultRuleInput } from '@pleo-export/pleo-sandbox/faults';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { startXeroSandbox, type XeroSandbox } from '@pleo-export/xero-sandbox/server';
import { saveStandInTokens, standInConfig } from '../test/support/xero-connection';
import type { BenchCompany, BenchEnv } from './lib/env';

const TAG = /\[([^\]]+)\]$/;
const GONE = new Set(['DELETED', 'VOIDED']);

export interface XeroOrg {
  xero: XeroSandbox;
  company: BenchCompany;
  /** Journal-method card spend in the company's currency, each item with exactly one receipt. */
  items(count: number, seed: string): ExportItem[];
  /** API calls answered so far (429s included), and the 429s the stand-in's limits gave. */
  calls(): { answered: number; limited: number; limitedBy: Record<string, number> };
  held(items: ExportItem[]): XeroHeld;
  close(): Promise<void>;
}

/** What the organisation holds for a job's items. */
export interface XeroHeld {
  /** References with more than one live document. */
  duplicateReferences: number;
  /** Documents made by the same element of the same keyed request more than once. */
  duplicateKeys: number;
  /** Items without their document. */
  missing: number;
  /** Documents whose receipts are not exactly one. */
  receiptsNotOne: number;
  documents: number;
}

export async function startXeroOrg(
  env: BenchEnv,
  options: { faults?: FaultRuleInput[]; faultSeed?: number; adapter?: Partial<XeroConfig> } = {},
): Promise<XeroOrg> {
  const xero = await startXeroSandbox({
    port: 0,
    logger: pino({ level: 'silent' }),
    faults: options.faults,
    faultSeed: options.faultSeed,
  });
  const tokenDir = join(env.dir, 'xero-tokens');
  const tokenKey = randomBytes(32).toString('hex');
  env.secrets.push(tokenKey);
  const connection = { tenantId: xero.demo.tenantId, tokenDir, tokenKey };
  const tokens = await saveStandInTokens(xero, connection);
  env.secrets.push(tokens.accessToken, tokens.refreshToken);
  const accountingSystem = standInConfig(xero, connection, {
    tracking: { DEPT: 'Department', PROJ: 'Project', team: null },
    ...options.adapter,
  });
  const company = env.addCompany({ accountingSystem });
  const live = () => [...xero.demo.documents.values()].filter((d) => !GONE.has(d.status));
  return {
    xero,
    company,
    items(count, seed) {
      const out: ExportItem[] = [];
      for (let batch = 0; out.length < count; batch++)
        for (const item of generateExportItems({
          seed: `${seed}-${batch}`,
          count: 4 * count,
          companyId: company.companyId,
          fileBaseUrl: env.sandbox.url,
          mix: 'valid',
        })) {
          const card =
            item.bookkeeping?.method === 'journal' &&
            item.amount.inWalletCurrency.currency === 'EUR' &&
            (item.files?.length ?? 0) > 0;
          if (card && out.length < count) out.push({ ...item, files: item.files!.slice(0, 1) });
        }
      return out;
    },
    calls() {
      const limitedBy = { ...xero.limiter.refused };
      return {
        answered: Object.values(xero.calls).reduce((t, n) => t + n, 0),
        limited: Object.values(limitedBy).reduce((t, n) => t + n, 0),
        limitedBy,
      };
    },
    held(items) {
      const documents = live();
      const byReference = new Map<string, string[]>();
      const byKey = new Map<string, number>();
      for (const d of documents) {
        const reference = TAG.exec(d.text)?.[1] ?? '';
        byReference.set(reference, [...(byReference.get(reference) ?? []), d.id]);
        if (d.createdBy) byKey.set(d.createdBy, (byKey.get(d.createdBy) ?? 0) + 1);
      }
      let missing = 0;
      let receiptsNotOne = 0;
      for (const item of items) {
        const ids = byReference.get(documentReference(item.accountingEntryId, 'main')) ?? [];
        if (!ids.length) missing++;
        for (const id of ids) if ((xero.demo.attachments.get(id) ?? []).length !== 1) receiptsNotOne++;
      }
      return {
        duplicateReferences: [...byReference.values()].filter((ids) => ids.length > 1).length,
        duplicateKeys: [...byKey.values()].filter((n) => n > 1).length,
        missing,
        receiptsNotOne,
        documents: documents.length,
      };
    },
    close: () => xero.close(),
  };
}
