import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { Journal } from './journal.js';

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-journal-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
const newPath = (): string => join(scratch, `journal-${files++}`);

interface Entry {
  n: number;
  text: string;
}

function writeAll(path: string, entries: Array<[Entry, Buffer?]>, after = 0): number[] {
  const journal = new Journal<Entry>(path, false);
  journal.restart(after);
  const seqs = entries.map(([entry, attachment]) => journal.write(entry, attachment));
  journal.close();
  return seqs;
}

function reopen(path: string): Journal<Entry> {
  return new Journal<Entry>(path, false);
}

test('records come back in order, numbered, with their attachments', () => {
  const path = newPath();
  const seqs = writeAll(path, [[{ n: 1, text: 'é ünïcode' }], [{ n: 2, text: 'with bytes' }, Buffer.from([0, 1, 2, 255])], [{ n: 3, text: '' }]], 41);
  expect(seqs).toEqual([42, 43, 44]);
  const journal = reopen(path);
  expect(journal.found).toEqual([
    { seq: 42, entry: { n: 1, text: 'é ünïcode' } },
    { seq: 43, entry: { n: 2, text: 'with bytes' }, attachment: Buffer.from([0, 1, 2, 255]) },
    { seq: 44, entry: { n: 3, text: '' } },
  ]);
  journal.close();
});

test('a torn last record (a write a crash cut short) is not read; the ones before it are', () => {
  const path = newPath();
  writeAll(path, [[{ n: 1, text: 'a' }], [{ n: 2, text: 'b' }, Buffer.alloc(100, 7)]]);
  const size = statSync(path).size;
  for (const cut of [size - 1, size - 100, size - 110]) {
    truncateSync(path, cut);
    const journal = reopen(path);
    expect(journal.found.map((r) => r.entry.n)).toEqual([1]);
    journal.close();
  }
});

test('a damaged record ends the journal there', () => {
  const path = newPath();
  writeAll(path, [[{ n: 1, text: 'a' }], [{ n: 2, text: 'b' }], [{ n: 3, text: 'c' }]]);
  const bytes = readFileSync(path);
  const second = bytes.indexOf('"n":2');
  bytes[second + 4] = '9'.charCodeAt(0);
  writeFileSync(path, bytes);
  const journal = reopen(path);
  expect(journal.found.map((r) => r.entry.n)).toEqual([1]);
  journal.close();
});

test('after a restart, records left from before it are not read as new ones', () => {
  const path = newPath();
  // A long batch, then a restart and a shorter one written over its start.
  writeAll(path, Array.from({ length: 10 }, (_, i): [Entry] => [{ n: i, text: 'first batch' }]), 0);
  writeAll(path, [[{ n: 100, text: 'second batch' }], [{ n: 101, text: 'second batch' }]], 10);
  let journal = reopen(path);
  expect(journal.found.map((r) => [r.seq, r.entry.n])).toEqual([
    [11, 100],
    [12, 101],
  ]);
  journal.close();
  // Records of exactly the same size: the next stale frame is whole and valid, but out of sequence.
  const same = newPath();
  writeAll(same, [[{ n: 1, text: 'x' }], [{ n: 2, text: 'x' }], [{ n: 3, text: 'x' }]], 0);
  writeAll(same, [[{ n: 4, text: 'x' }]], 3);
  journal = reopen(same);
  expect(journal.found.map((r) => [r.seq, r.entry.n])).toEqual([[4, 4]]);
  journal.close();
});

test('an empty or missing file has no records', () => {
  const path = newPath();
  const journal = reopen(path);
  expect(journal.found).toEqual([]);
  expect(statSync(path).size).toBe(0);
  journal.close();
});
