import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import { OssError } from '../errors/oss-error.js';
import { BlobStore } from './blob-store.js';
import { ingestBody, type StagedBody } from './ingest.js';
import { Store } from './store.js';
import type { ObjectAttributes } from './types.js';

let store: Store;
beforeEach(() => {
  store = new Store();
  store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
});
afterEach(() => store.close());

const attributes: ObjectAttributes = { acl: 'default', storageClass: 'Standard', httpHeaders: {}, userMeta: [['k', 'v']], tags: [] };
const tooLarge = (): OssError => new OssError('EntityTooLarge');

function stage(content: string | Buffer, seedCrc = 0n): Promise<StagedBody> {
  return ingestBody(store.blobs, Readable.from([Buffer.from(content)]), { seedCrc, maxBytes: 1 << 30, tooLarge, wantMd5: true });
}

async function appendText(key: string, position: number, content: string): Promise<void> {
  const existing = store.checkAppendable('b', key, position);
  const staged = await stage(content, existing?.crc64 ?? 0n);
  try {
    store.appendObject('b', key, position, staged, { crc64: existing?.crc64 ?? 0n }, attributes, { now: 1000 });
  } catch (error) {
    store.blobs.discard(staged.blobId);
    throw error;
  }
}

const read = (key: string): Promise<string> => {
  const object = store.getObject('b', key)!;
  return text(store.blobs.createReadStream(object.blobId, 0, object.size));
};

const storedBytes = (): number => (store.db.prepare('SELECT COALESCE(SUM(length), 0) AS n FROM extents').get() as { n: number }).n;

describe('append', () => {
  test('creates, appends, keeps the whole-object CRC and changes the ETag', async () => {
    await appendText('k', 0, 'foo');
    const first = store.getObject('b', 'k')!;
    await appendText('k', 3, 'bar');
    const second = store.getObject('b', 'k')!;
    expect(await read('k')).toBe('foobar');
    expect(second).toMatchObject({ type: 'Appendable', size: 6, crc64: crc64(Buffer.from('foobar')) });
    expect(second.etag).toMatch(/^[0-9A-F]{24}00000000$/);
    expect(second.etag).not.toBe(first.etag);
    expect(second.userMeta).toEqual([['k', 'v']]);
  });

  test('a wrong position is rejected and leaves no bytes behind', async () => {
    await appendText('k', 0, 'foo');
    await expect(appendText('k', 0, 'xx')).rejects.toMatchObject({ code: 'PositionNotEqualToLength', headers: { 'x-oss-next-append-position': '3' } });
    await expect(appendText('k', 4, 'xx')).rejects.toMatchObject({ code: 'PositionNotEqualToLength' });
    expect(await read('k')).toBe('foo');
    expect(storedBytes()).toBe(3);
  });

  test('the commit re-checks the position: of two appends staged at one position only the first commits', async () => {
    const a = await stage('AAA');
    const b = await stage('BB');
    store.appendObject('b', 'k', 0, a, { crc64: 0n }, attributes, { now: 1 });
    expect(() => store.appendObject('b', 'k', 0, b, { crc64: 0n }, attributes, { now: 2 })).toThrow(
      expect.objectContaining({ code: 'PositionNotEqualToLength' }),
    );
    store.blobs.discard(b.blobId);
    expect(await read('k')).toBe('AAA');
    expect(storedBytes()).toBe(3);
  });

  test('a CRC streamed against a stale prefix is re-based on the current bytes', async () => {
    await appendText('k', 0, 'abc');
    const stale = await stage('tail', crc64(Buffer.from('xyz')));
    store.appendObject('b', 'k', 3, stale, { crc64: crc64(Buffer.from('xyz')) }, attributes, { now: 1 });
    expect(store.getObject('b', 'k')!.crc64).toBe(crc64(Buffer.from('abctail')));
  });

  test('Normal objects are not appendable', async () => {
    store.putObject('b', 'n', await stage('x'), attributes, { etag: 'E', now: 1 });
    expect(() => store.checkAppendable('b', 'n', 1)).toThrow(expect.objectContaining({ code: 'ObjectNotAppendable' }));
  });

  test('an empty append keeps size, CRC and ETag and bumps the time', async () => {
    await appendText('k', 0, 'foo');
    const before = store.getObject('b', 'k')!;
    const staged = await stage('', before.crc64);
    store.appendObject('b', 'k', 3, staged, { crc64: before.crc64 }, attributes, { now: 5000 });
    const after = store.getObject('b', 'k')!;
    expect([after.size, after.crc64, after.etag, after.lastModified]).toEqual([3, before.crc64, before.etag, 5000]);
  });
});

describe('blobs', () => {
  test('large bodies are split into bounded chunks and read back across chunk edges', async () => {
    const big = Buffer.alloc(BlobStore.CHUNK_SIZE * 2 + 123);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const staged = await ingestBody(store.blobs, Readable.from([big.subarray(0, 1000), big.subarray(1000)]), { maxBytes: 1 << 30, tooLarge });
    const sizes = store.db.prepare('SELECT length FROM extents WHERE blob_id = ? ORDER BY offset').all(staged.blobId) as Array<{ length: number }>;
    expect(sizes.map((s) => s.length)).toEqual([BlobStore.CHUNK_SIZE, BlobStore.CHUNK_SIZE, 123]);
    const start = BlobStore.CHUNK_SIZE - 5;
    const pieces: Buffer[] = [];
    for await (const piece of store.blobs.createReadStream(staged.blobId, start, start + 10)) pieces.push(piece as Buffer);
    expect(Buffer.concat(pieces).equals(big.subarray(start, start + 10))).toBe(true);
  });

  test('a body over the limit is rejected while streaming and its bytes discarded', async () => {
    await expect(ingestBody(store.blobs, Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), { maxBytes: 15, tooLarge })).rejects.toMatchObject({ code: 'EntityTooLarge' });
    expect(storedBytes()).toBe(0);
  });

  test('replacing an object while it is read finishes the read, then reclaims the old bytes', async () => {
    store.putObject('b', 'k', await stage('old content'), attributes, { etag: 'E1', now: 1 });
    const old = store.getObject('b', 'k')!;
    const reader = store.blobs.createReadStream(old.blobId, 0, old.size);
    store.putObject('b', 'k', await stage('new'), attributes, { etag: 'E2', now: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await text(reader)).toBe('old content');
    await new Promise((resolve) => setImmediate(resolve));
    expect(storedBytes()).toBe(3);
  });

  test('recover() removes staging blobs a crash left behind', async () => {
    await stage('never committed');
    expect(storedBytes()).toBe(15);
    store.blobs.recover();
    expect(storedBytes()).toBe(0);
  });
});

test('forbid-overwrite refuses an existing key and leaves it alone', async () => {
  store.putObject('b', 'k', await stage('one'), attributes, { etag: 'E1', now: 1 });
  const staged = await stage('two');
  expect(() => store.putObject('b', 'k', staged, attributes, { etag: 'E2', forbidOverwrite: true, now: 2 })).toThrow(
    expect.objectContaining({ code: 'FileAlreadyExists' }),
  );
  expect(await read('k')).toBe('one');
});

test('listing walks keys in byte order after a cursor, and can skip past a prefix', async () => {
  for (const key of ['a/1', 'a/2', 'b', 'c/1', 'é']) store.putObject('b', key, await stage(key), attributes, { etag: 'E', now: 1 });
  const keys = [...store.iterateObjects('b', '', 'a/1')].map((o) => o.key);
  expect(keys).toEqual(['a/2', 'b', 'c/1', 'é']);
  const iterator = store.iterateObjects('b', '', '');
  expect(iterator.next().value?.key).toBe('a/1');
  expect(iterator.next('a/\u{10FFFF}').value?.key).toBe('b');
});

test('deleting a bucket with objects is BucketNotEmpty; purge empties it', async () => {
  store.putObject('b', 'k', await stage('x'), attributes, { etag: 'E', now: 1 });
  expect(() => store.deleteBucket('b')).toThrow(expect.objectContaining({ code: 'BucketNotEmpty' }));
  store.purge('b');
  expect(store.getBucket('b')).toBeUndefined();
  await new Promise((resolve) => setImmediate(resolve));
  expect(storedBytes()).toBe(0);
});
