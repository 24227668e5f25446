// The embedded ledger shared by several worker processes: posts from two processes at once never
// duplicate or interleave an entry, a process killed mid-write leaves nothing acknowledged missing and
// nothing half-written behind, and a torn tail is cut off by the next writer only. Read from the file
// itself and checked by bean-check.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AccountingDocument } from '../../src/accounting/core/documents';
import { LedgerAccountingSystem } from '../../src/accounting-systems/ledger/ledger';
import { renderTransaction } from '../../src/accounting-systems/ledger/render';
import { bill, expectedPostings, journalEntry } from '../support/documents';
import { ledgerFixture } from '../support/adapter-fixtures';
import type { PosterSpec } from '../support/ledger-poster';
import { killAll, spawnTypeScript } from '../support/processes';

jest.setTimeout(300_000);

const fixture = ledgerFixture();
let dir: string;
let specCount = 0;
const children: ChildProcess[] = [];
beforeEach(async () => {
  await fixture.start();
  dir = dirname((fixture.system() as LedgerAccountingSystem).file);
});
afterEach(async () => {
  killAll(children);
  await fixture.stop();
});

const documents = (count: number): AccountingDocument[] =>
  Array.from({ length: count }, (_, i) => (i % 3 === 2 ? bill() : journalEntry()));

/** A poster process; `acked` fills with its acknowledged posts (reference → external id). */
function poster(docs: AccountingDocument[]) {
  const specFile = join(dir, `poster-${++specCount}.json`);
  writeFileSync(specFile, JSON.stringify({ dir, documents: docs, concurrency: 8 } satisfies PosterSpec));
  const child = spawnTypeScript('test/support/ledger-poster.ts', [specFile], ['pipe', 'pipe', 'inherit']);
  children.push(child);
  const acked = new Map<string, string>();
  const listeners: (() => void)[] = [];
  let buffered = '';
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [word, reference, externalId] = line.split(' ');
      if (word === 'ready') onReady();
      else acked.set(reference!, externalId!);
    }
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return {
    acked,
    exited,
    ready,
    go: () => child.stdin!.end('go\n'),
    /** SIGKILLs the process once it has acknowledged `count` posts; resolves when it is gone. */
    killAfter(count: number): Promise<unknown> {
      const check = () => {
        if (acked.size >= count && child.exitCode === null) child.kill('SIGKILL');
      };
      listeners.push(check);
      check();
      return exited;
    },
  };
}

const ledgerText = () => readFileSync(join(dir, 'ledger.beancount'), 'utf8');

/** How often each reference is booked as a transaction, from the file. */
function bookedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const block of ledgerText().split('\n\n')) {
    if (!/^\d{4}-\d{2}-\d{2} [*!] /.test(block)) continue;
    const reference = /pleo-ref: "([^"]*)"/.exec(block)![1]!;
    counts.set(reference, (counts.get(reference) ?? 0) + 1);
  }
  return counts;
}

async function expectEachBookedOnceAndWhole(docs: AccountingDocument[]): Promise<void> {
  const counts = bookedCounts();
  expect(docs.filter((d) => counts.get(d.reference) !== 1).map((d) => d.reference)).toEqual([]);
  expect(counts.size).toBe(docs.length);
  for (const document of docs) {
    expect(await fixture.entries(document.reference)).toEqual([
      { status: 'posted', postings: expectedPostings(document) },
    ]);
  }
  expect(ledgerText().endsWith('\n\n')).toBe(true);
  expect(await fixture.verifyBooks()).toEqual([]);
}

test('two processes posting the same documents at once, in opposite orders, book each once and whole', async () => {
  const docs = documents(400);
  const a = poster(docs);
  const b = poster([...docs].reverse());
  await Promise.all([a.ready, b.ready]);
  a.go();
  b.go();
  expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);

  expect([a.acked.size, b.acked.size]).toEqual([docs.length, docs.length]);
  expect(docs.filter((d) => a.acked.get(d.reference) !== b.acked.get(d.reference))).toEqual([]);
  await expectEachBookedOnceAndWhole(docs);
});

test('a process killed mid-write, again and again: every acknowledged post is in the file, nothing twice', async () => {
  const docs = documents(200);
  // Fixed kill points (after so many acknowledged posts), each followed by a fresh process that posts
  // the whole list again, as a restarted worker retries.
  for (const killAt of [15, 40, 90]) {
    const run = poster(docs);
    await run.ready;
    run.go();
    expect(await run.killAfter(killAt)).toBe('SIGKILL');
    const counts = bookedCounts();
    expect([...run.acked.keys()].filter((reference) => counts.get(reference) !== 1)).toEqual([]);
  }
  const last = poster(docs);
  await last.ready;
  last.go();
  expect(await last.exited).toBe(0);
  await expectEachBookedOnceAndWhole(docs);
  // The killed processes' lock files were taken over and their pid files swept: nothing is left.
  expect(readdirSync(dir).filter((name) => name.startsWith('ledger.beancount.lock'))).toEqual([]);
});

test('a torn tail is left alone by readers and cut off by the next writer', async () => {
  const [first, second] = documents(2);
  const ledger = fixture.system();
  await ledger.post(first!);
  // A crash in the middle of an append: half of a transaction, never acknowledged.
  const torn = renderTransaction(second!, { createdAt: '2026-06-15T00:00:00.000Z' });
  appendFileSync(join(dir, 'ledger.beancount'), torn.slice(0, torn.length / 2));
  const sizeWithTornTail = statSync(join(dir, 'ledger.beancount')).size;

  const reader = fixture.system(); // another process reading: the tail may be an append in progress
  expect(await reader.findByReference(second!.reference)).toBeUndefined();
  expect((await reader.findByReference(first!.reference))?.externalId).toBe(first!.reference);
  expect(statSync(join(dir, 'ledger.beancount')).size).toBe(sizeWithTornTail);

  await fixture.system().post(second!);
  await expectEachBookedOnceAndWhole([first!, second!]);
});
