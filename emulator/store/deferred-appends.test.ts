import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, test } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import { OssError } from '../errors/oss-error.js';
import { MAX_PENDING_BODY_BYTES } from './bytes.js';
import { BATCH_INTERVAL_MS } from './commits.js';
import { commitStaged, ingestBody } from './ingest.js';
import { readBack } from './read-back.test-support.js';
import { Store } from './store.js';
import type { ObjectAcl, ObjectAttributes } from './types.js';

/*
 * Appends to an existing object commit in batches: each is journaled (with its body, when small)
 * and SQLite commits the batch later. These tests "crash" a store by closing its database without
 * committing (SQLite rolls the open batch back, as a killed process's would be) and without
 * writing the bodies held back, then reopen the folder.
 */

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-deferred-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;

const attributes: ObjectAttributes = { acl: 'default', storageClass: 'Standard', httpHeaders: {}, userMeta: [], tags: [] };
const tooLarge = (): OssError => new OssError('EntityTooLarge');

function openStore(dataDir = join(scratch, `store-${dirs++}`), sync: 'normal' | 'full' = 'normal'): { store: Store; dataDir: string } {
  const store = new Store({ dataDir, sync });
  if (!store.getBucket('b')) store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
  return { store, dataDir };
}

/** Opens the folder again (after a crash or a close), runs `check` on the new store, and closes it. */
async function withReopened(dataDir: string, check: (store: Store) => Promise<void>, sync: 'normal' | 'full' = 'normal'): Promise<void> {
  const { store } = openStore(dataDir, sync);
  try {
    await check(store);
  } finally {
    store.close();
  }
}

/** What a kill -9 leaves: no commit, no pending byte written, nothing closed cleanly. */
function crash(store: Store): void {
  store.db.close();
  store.blobs.bytes.close();
}

/** An append as the server makes it: pre-check, body held back when small, commit. */
async function append(store: Store, key: string, body: Buffer | string, md5?: string, aclChange?: ObjectAcl): Promise<void> {
  const bytes = Buffer.from(body);
  const position = store.getObject('b', key)?.size ?? 0;
  const existing = store.checkAppendable('b', key, position);
  const staged = await ingestBody(store.blobs.bytes, Readable.from([bytes]), {
    seedCrc: existing?.crc64 ?? 0n,
    maxBytes: 1 << 30,
    tooLarge,
    wantMd5: md5 !== undefined,
    holdSmallBody: true,
  });
  commitStaged(staged, () => {
    if (md5 !== undefined && md5 !== staged.md5) throw new OssError('InvalidDigest');
    const seed = { crc64: existing?.crc64 ?? 0n, blobId: existing?.blobId };
    return store.appendObject({ bucket: 'b', key, position, staged, seed, attributes: () => attributes, aclChange, now: 1000 });
  });
}

function extentFileBytes(dataDir: string): number {
  const dir = join(dataDir, 'extents');
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

const bodies = Array.from({ length: 40 }, (_, i) => Buffer.from(`append ${i} `.repeat(1 + (i % 7))));

test.each(['normal', 'full'] as const)('appends still in the open batch survive a crash: the journal brings back their metadata and their bytes (sync %s)', async (sync) => {
  const { store, dataDir } = openStore(undefined, sync);
  await append(store, 'log', 'first ');
  for (const body of bodies) await append(store, 'log', body);
  const expected = Buffer.concat([Buffer.from('first '), ...bodies]);
  // Readable before anything is committed, though most of these bytes are not in any file yet.
  expect((await readBack(store, 'log')).equals(expected)).toBe(true);
  expect(extentFileBytes(dataDir)).toBeLessThan(expected.length);
  const before = store.getObject('b', 'log')!;
  crash(store);

  await withReopened(
    dataDir,
    async (reopened) => {
      const after = reopened.getObject('b', 'log')!;
      expect(after).toMatchObject({ size: expected.length, crc64: crc64(expected), etag: before.etag, type: 'Appendable' });
      expect((await readBack(reopened, 'log')).equals(expected)).toBe(true);
      expect(extentFileBytes(dataDir)).toBe(expected.length);
      await append(reopened, 'log', 'after restart');
      expect((await readBack(reopened, 'log')).toString()).toBe(expected.toString() + 'after restart');
    },
    sync,
  );
});

test('a seal between journaled appends survives a crash: the appends before it are kept, it stays sealed, and later appends elsewhere replay', async () => {
  const { store, dataDir } = openStore();
  await append(store, 'sealed', 'first ');
  for (const body of bodies.slice(0, 10)) await append(store, 'sealed', body);
  const expected = Buffer.concat([Buffer.from('first '), ...bodies.slice(0, 10)]);
  store.sealObject('b', 'sealed', expected.length, 7000);
  await append(store, 'other', 'one ');
  for (const body of bodies.slice(10, 20)) await append(store, 'other', body);
  const other = Buffer.concat([Buffer.from('one '), ...bodies.slice(10, 20)]);
  crash(store);

  await withReopened(dataDir, async (reopened) => {
    expect(reopened.getObject('b', 'sealed')).toMatchObject({ size: expected.length, crc64: crc64(expected), sealedAt: 7000 });
    expect((await readBack(reopened, 'sealed')).equals(expected)).toBe(true);
    expect(() => reopened.checkAppendable('b', 'sealed', expected.length)).toThrow(expect.objectContaining({ code: 'AppendSealedObjectNotAllowed' }));
    expect((await readBack(reopened, 'other')).equals(other)).toBe(true);
  });
});

test('a crash after the batch committed replays nothing and loses nothing', async () => {
  const { store, dataDir } = openStore();
  await append(store, 'k', 'a');
  await append(store, 'k', 'b');
  await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS * 5));
  expect(extentFileBytes(dataDir)).toBe(2);
  crash(store);
  await withReopened(dataDir, async (reopened) => {
    expect((await readBack(reopened, 'k')).toString()).toBe('ab');
  });
});

test('any other write commits the open batch first, so both survive a crash in order', async () => {
  const { store, dataDir } = openStore();
  await append(store, 'log', 'one');
  await append(store, 'log', 'two');
  const staged = await ingestBody(store.blobs.bytes, Readable.from([Buffer.from('normal')]), { maxBytes: 100, tooLarge });
  commitStaged(staged, () => store.putObject('b', 'other', staged, attributes, { etag: 'E', now: 1 }));
  await append(store, 'log', 'three');
  crash(store);
  await withReopened(dataDir, async (reopened) => {
    expect((await readBack(reopened, 'log')).toString()).toBe('onetwothree');
    expect((await readBack(reopened, 'other')).toString()).toBe('normal');
  });
});

test('a rejected append leaves no held bytes; the next one takes their place', async () => {
  const { store, dataDir } = openStore();
  await append(store, 'k', 'start-');
  await append(store, 'k', 'kept-');
  await expect(append(store, 'k', 'rejected', '1B2M2Y8AsgTpgAmY7PhCfg==')).rejects.toMatchObject({ code: 'InvalidDigest' });
  await append(store, 'k', 'next');
  expect((await readBack(store, 'k')).toString()).toBe('start-kept-next');
  store.close();
  expect(extentFileBytes(dataDir)).toBe('start-kept-next'.length);
});

test('reads are right across bytes written out and bytes still held back', async () => {
  const { store } = openStore();
  const large = Buffer.alloc(MAX_PENDING_BODY_BYTES + 10, 0x41); // written straight to its file
  await append(store, 'k', large);
  await append(store, 'k', 'held-1/');
  await append(store, 'k', Buffer.alloc(3000, 0x42)); // small: held back too
  await append(store, 'k', 'held-3');
  const all = Buffer.concat([large, Buffer.from('held-1/'), Buffer.alloc(3000, 0x42), Buffer.from('held-3')]);
  try {
    expect((await readBack(store, 'k')).equals(all)).toBe(true);
    for (const [start, end] of [
      [large.length - 5, large.length + 3],
      [large.length + 2, large.length + 5],
      [large.length + 6, all.length - 2],
      [0, all.length],
    ] as const) {
      expect((await readBack(store, 'k', start, end)).equals(all.subarray(start, end))).toBe(true);
    }
  } finally {
    store.close();
  }
});

test('a journal that does not fit the database stops the start instead of guessing', async () => {
  const { store, dataDir } = openStore();
  await append(store, 'k', 'committed');
  store.flush();
  await append(store, 'k', '+journaled');
  crash(store);
  const db = new Database(join(dataDir, 'ossemu.sqlite'));
  db.prepare("DELETE FROM objects WHERE key = 'k'").run();
  db.close();
  expect(() => new Store({ dataDir })).toThrow(/does not fit the database/);
});

test("a batch applies each object's run of appends as one: same bytes, CRC and last ACL as one by one", async () => {
  const { store, dataDir } = openStore();
  await append(store, 'a', 'a0,');
  await append(store, 'b', 'b0,');
  store.flush();
  const rowsBefore = (store.db.prepare('SELECT COUNT(*) AS n FROM extents').get() as { n: number }).n;
  await append(store, 'a', 'a1,');
  await append(store, 'a', 'a2,', undefined, 'public-read');
  await append(store, 'b', 'b1,');
  await append(store, 'a', 'a3,');
  await append(store, 'a', 'a4,', undefined, 'private');
  await append(store, 'a', 'a5,');
  store.flush();
  const a = store.getObject('b', 'a')!;
  expect((await readBack(store, 'a')).toString()).toBe('a0,a1,a2,a3,a4,a5,');
  expect(a).toMatchObject({ size: 18, crc64: crc64(Buffer.from('a0,a1,a2,a3,a4,a5,')), acl: 'private' });
  expect((await readBack(store, 'b')).toString()).toBe('b0,b1,');
  expect(store.getObject('b', 'b')!.acl).toBe('default');
  // Bytes held back for one file are written out together and each object's run joins its last extent.
  const rowsAfter = (store.db.prepare('SELECT COUNT(*) AS n FROM extents').get() as { n: number }).n;
  expect(rowsAfter - rowsBefore).toBeLessThanOrEqual(3);
  store.close();
  await withReopened(dataDir, async (reopened) => {
    expect((await readBack(reopened, 'a')).toString()).toBe('a0,a1,a2,a3,a4,a5,');
    expect(reopened.getObject('b', 'a')!.acl).toBe('private');
  });
});

test('a read between appends sees each one', async () => {
  const { store } = openStore();
  try {
    await append(store, 'k', 'one');
    for (const next of ['two', 'three', 'four']) {
      const before = store.getObject('b', 'k')!;
      await append(store, 'k', next);
      const after = store.getObject('b', 'k')!;
      expect(after.size).toBe(before.size + next.length);
      expect(after.etag).not.toBe(before.etag);
    }
    expect((await readBack(store, 'k')).toString()).toBe('onetwothreefour');
  } finally {
    store.close();
  }
});
