// A process that books documents into an embedded ledger, several at a time, for the cross-process
// ledger tests: argv[2] is a JSON file { dir, documents, concurrency }. Prints "ready", starts posting
// when a line arrives on stdin (so two processes start together), and prints one line per acknowledged
// post ("posted <reference> <externalId>"), so the parent knows what was acknowledged before a kill.
import { readFileSync } from 'node:fs';
import type { AccountingDocument } from '../../src/accounting/core/documents';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';

export interface PosterSpec {
  dir: string;
  documents: AccountingDocument[];
  concurrency: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PosterSpec;
  const ledger = new LedgerAccountingSystem({
    type: 'ledger',
    dir: spec.dir,
    fileName: 'ledger.beancount',
    chart: 'demo',
  });
  const ready = await ledger.checkReady();
  if (!ready.ok) throw new Error(ready.message);
  process.stdout.write('ready\n');
  await new Promise((go) => process.stdin.once('data', go));
  process.stdin.destroy();
  let next = 0;
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (next < spec.documents.length) {
        const document = spec.documents[next++]!;
        const posted = await ledger.post(document);
        process.stdout.write(`posted ${document.reference} ${posted.externalId}\n`);
      }
    }),
  );
  await ledger.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
