/**
 * Commits when a commit fails, as on a full disk: a deferred write that was journaled (and so
 * acknowledged) must still reach SQLite once commits work again, exactly once, and in order.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BATCH_MAX_WRITES, Commits } from './commits.js';
import { Journal } from './journal.js';
import { migrate } from './schema.js';

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-commits-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A store of numbered writes: each deferred write inserts its number, so SQLite shows what was applied and committed. */
function open(name: string, failNextCommits: { rollBack: number; keepOpen: number }) {
  const db = new Database(join(scratch, `${name}.db`));
  migrate(db);
  db.exec('CREATE TABLE writes (n INTEGER PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO writes (n) VALUES (?)');
  const journal = new Journal<number>(join(scratch, `${name}.journal`), false);
  const commits = new Commits<number>(db, journal, {
    apply: (writes) => {
      for (const n of writes) insert.run(n);
      return true;
    },
    beforeCommit: () => {
      if (!db.inTransaction) return;
      // A full disk: SQLite either rolls the transaction back itself, or leaves it open.
      if (failNextCommits.rollBack > 0) {
        failNextCommits.rollBack--;
        db.exec('ROLLBACK');
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }
      if (failNextCommits.keepOpen > 0) {
        failNextCommits.keepOpen--;
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      }
    },
  });
  const committed = (): number[] => (db.prepare('SELECT n FROM writes ORDER BY n').all() as Array<{ n: number }>).map((r) => r.n);
  return { db, commits, committed, close: () => (commits.close(), db.close()) };
}

test('a batch whose commit is rolled back is applied again at the next flush: nothing lost, nothing twice', () => {
  const store = open('rollback', { rollBack: 1, keepOpen: 0 });
  for (const n of [1, 2, 3]) store.commits.defer(n);
  expect(() => store.commits.flush()).toThrow('database or disk is full');
  store.commits.defer(4);
  store.commits.flush();
  expect(store.committed()).toEqual([1, 2, 3, 4]);
  store.close();
});

test('a commit that fails with the transaction still open is committed at the next flush', () => {
  const store = open('kept-open', { rollBack: 0, keepOpen: 1 });
  for (const n of [1, 2]) store.commits.defer(n);
  expect(() => store.commits.flush()).toThrow('no space left on device');
  store.commits.defer(3);
  store.commits.flush();
  expect(store.committed()).toEqual([1, 2, 3]);
  store.close();
});

test('defer never throws for a failed commit once its write is journaled: the batch-size flush failing is retried', () => {
  const store = open('full-batch', { rollBack: 1, keepOpen: 0 });
  // The BATCH_MAX_WRITES-th write triggers a flush, which fails; defer must still return normally.
  for (let n = 1; n <= BATCH_MAX_WRITES; n++) store.commits.defer(n);
  store.commits.flush();
  const committed = store.committed();
  expect(committed.length).toBe(BATCH_MAX_WRITES);
  expect(committed.at(-1)).toBe(BATCH_MAX_WRITES);
  store.close();
});
