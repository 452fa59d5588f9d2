/**
 * Extent files whose objects were deleted while an upload wrote into them are looked at again when
 * that upload lets go. The second look must see appends that are journaled but not yet applied to
 * SQLite: a file one of them lives in is not free, however empty the extents table says it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, test } from 'vitest';
import { OssError } from '../errors/oss-error.js';
import { commitStaged, ingestBody } from './ingest.js';
import { readBack } from './read-back.test-support.js';
import { Store } from './store.js';
import type { ObjectAttributes } from './types.js';

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-reclaim-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const attributes: ObjectAttributes = { acl: 'default', storageClass: 'Standard', httpHeaders: {}, userMeta: [], tags: [] };
const tooLarge = (): OssError => new OssError('EntityTooLarge');
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('a deferred append into a file waiting to be reclaimed keeps its bytes, across a restart too', async () => {
  const dir = join(scratch, 'store');
  let store = new Store({ dataDir: dir });
  store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
  const doomed = await ingestBody(store.blobs.bytes, Readable.from([Buffer.from('g'.repeat(1000))]), { maxBytes: 1 << 30, tooLarge, wantMd5: true });
  commitStaged(doomed, () => store.putObject('b', 'gone', doomed, attributes, { etag: 'E', now: 1 })); // file 1

  // An upload takes file 1 and stalls; meanwhile an appendable object is created in file 2.
  const stalled = new Readable({ read() {} });
  stalled.push(Buffer.alloc(100, 1));
  const refused = ingestBody(store.blobs.bytes, stalled, { maxBytes: 1 << 30, tooLarge });
  refused.catch(() => undefined);
  await settle();
  const first = await ingestBody(store.blobs.bytes, Readable.from([Buffer.from('hello')]), { maxBytes: 1 << 30, tooLarge, holdSmallBody: true });
  commitStaged(first, () => store.appendObject({ bucket: 'b', key: 'app', position: 0, staged: first, seed: { crc64: 0n, blobId: undefined }, attributes: () => attributes, now: 1 }));
  store.flush();
  store.deleteObject('b', 'gone');
  await settle();
  await settle(); // file 1 is unreferenced but busy: kept for a second look
  expect(store.blobs.bytes.usage().sources).toBe(2);

  // The upload is refused; before the second look runs, a small append takes file 1 and is journaled (deferred).
  stalled.destroy(new Error('client went away'));
  await expect(refused).rejects.toThrow('client went away');
  const existing = store.checkAppendable('b', 'app', 5)!;
  const body = new Readable({ read() {} });
  const appending = ingestBody(store.blobs.bytes, body, { seedCrc: existing.crc64, maxBytes: 1 << 30, tooLarge, holdSmallBody: true });
  await settle();
  await settle(); // the second look runs while this append holds file 1
  body.push(Buffer.from(' world'));
  body.push(null);
  const second = await appending;
  expect(second.extents[0]!.source).toBe(1);
  commitStaged(second, () =>
    store.appendObject({ bucket: 'b', key: 'app', position: 5, staged: second, seed: { crc64: existing.crc64, blobId: existing.blobId }, attributes: () => attributes, now: 2 }),
  );
  for (let i = 0; i < 5; i++) await settle(); // the look the append's release asks for
  expect((await readBack(store, 'app')).toString()).toBe('hello world');
  store.close();
  store = new Store({ dataDir: dir });
  expect((await readBack(store, 'app')).toString()).toBe('hello world');
  store.close();
});
