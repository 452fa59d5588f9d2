import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import { OssError } from '../errors/oss-error.js';
import { WRITE_BUFFER_BYTES } from './bytes.js';
import { commitStaged, ingestBody, type StagedBody } from './ingest.js';
import { Store } from './store.js';
import type { ObjectAttributes, ObjectRecord } from './types.js';
import { readBack } from './read-back.test-support.js';

/** The schema this ossemu writes (the number of migrations in schema.ts): a new migration must update it, and the tests below. */
const SCHEMA_VERSION = 12;
/** The bucket the schema tests write before taking a database back to an older schema. */
const bucket = { name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' } as const;
const scratch = mkdtempSync(join(tmpdir(), 'ossemu-store-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;

/** A download's destination: keeps copies (the store reuses its buffers), acknowledging each write a tick later. */
function collector(): { out: Writable; bytes: () => Buffer; pieces: Buffer[] } {
  const pieces: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pieces.push(Buffer.from(chunk));
      setImmediate(done);
    },
  });
  return { out, pieces, bytes: () => Buffer.concat(pieces) };
}

async function download(store: Store, blobId: number, start: number, end: number): Promise<Buffer> {
  const sink = collector();
  await store.blobs.writeTo(sink.out, blobId, start, end);
  return sink.bytes();
}

const attributes: ObjectAttributes = { acl: 'default', storageClass: 'Standard', httpHeaders: {}, userMeta: [['k', 'v']], tags: [] };
const tooLarge = (): OssError => new OssError('EntityTooLarge');

describe.each([
  ['in memory', () => new Store()],
  ['on disk', () => new Store({ dataDir: join(scratch, `db${dirs++}`) })],
])('store %s', (mode, open) => {
  let store: Store;
  beforeEach(() => {
    store = open();
    store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
  });
  afterEach(() => store.close());

  const stage = (content: string | Buffer | Buffer[], seedCrc = 0n): Promise<StagedBody> =>
    ingestBody(store.blobs.bytes, Readable.from(Array.isArray(content) ? content : [Buffer.from(content)]), { seedCrc, maxBytes: 1 << 30, tooLarge, wantMd5: true });

  const appendText = (key: string, position: number, content: string): Promise<void> => appendTo(store, key, position, content);

  const read = async (key: string, start = 0, end?: number): Promise<string> => {
    const object = store.getObject('b', key)!;
    return (await download(store, object.blobId, start, end ?? object.size)).toString();
  };

  const committedBytes = (): number => (store.db.prepare('SELECT COALESCE(SUM(length), 0) AS n FROM extents').get() as { n: number }).n;
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  describe('bucket configurations', () => {
    test('set one, replace it, remove it; the others stay; a missing bucket is refused in the same transaction', () => {
      store.setBucketConfiguration('b', 'logging', { targetBucket: 'b', targetPrefix: 'log/' });
      store.setBucketConfiguration('b', 'tags', [['k', 'v']]);
      store.setBucketConfiguration('b', 'logging', { targetBucket: 'b', targetPrefix: 'other/' });
      expect(store.getBucket('b')!.configurations).toEqual({ logging: { targetBucket: 'b', targetPrefix: 'other/' }, tags: [['k', 'v']] });
      store.setBucketConfiguration('b', 'logging', undefined);
      expect(store.getBucket('b')!.configurations).toEqual({ tags: [['k', 'v']] });
      expect(() => store.setBucketConfiguration('gone', 'tags', [['k', 'v']])).toThrow(expect.objectContaining({ code: 'NoSuchBucket' }));
    });

    test('text in the column that is not an object of configurations counts as none, rather than failing the bucket', () => {
      for (const text of ['{not json', '[1,2]', '"text"', 'null']) {
        store.db.prepare('UPDATE buckets SET configurations = ? WHERE name = ?').run(text, 'b');
        store.setBucketAcl('b', 'private'); // which drops the cached record, so the row is read again
        expect(store.getBucket('b')!.configurations).toEqual({});
      }
      store.setBucketConfiguration('b', 'tags', [['k', 'v']]);
      expect(store.getBucket('b')!.configurations).toEqual({ tags: [['k', 'v']] });
    });
  });

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
      expect(committedBytes()).toBe(3);
      expect(store.blobs.bytes.usage().bytes).toBe(3);
    });

    test('the commit re-checks the position: of two appends staged at one position only the first commits', async () => {
      const a = await stage('AAA');
      const b = await stage('BB');
      commitStaged(a, () => store.appendObject({ bucket: 'b', key: 'k', position: 0, staged: a, seed: { crc64: 0n }, attributes: () => attributes, now: 1 }));
      expect(() => commitStaged(b, () => store.appendObject({ bucket: 'b', key: 'k', position: 0, staged: b, seed: { crc64: 0n }, attributes: () => attributes, now: 2 }))).toThrow(
        expect.objectContaining({ code: 'PositionNotEqualToLength' }),
      );
      expect(await read('k')).toBe('AAA');
      expect(store.blobs.bytes.usage().bytes).toBe(3);
    });

    test('two appends checked against the same object: the second fails its in-place commit and gets the new length', async () => {
      await appendText('k', 0, 'abc');
      const seen = store.checkAppendable('b', 'k', 3)!;
      const seed = { crc64: seen.crc64, blobId: seen.blobId };
      const first = await stage('1', seen.crc64);
      const second = await stage('22', seen.crc64);
      commitStaged(first, () => store.appendObject({ bucket: 'b', key: 'k', position: 3, staged: first, seed: seed, attributes: () => attributes, now: 2 }));
      expect(() => commitStaged(second, () => store.appendObject({ bucket: 'b', key: 'k', position: 3, staged: second, seed: seed, attributes: () => attributes, now: 3 }))).toThrow(
        expect.objectContaining({ code: 'PositionNotEqualToLength', headers: { 'x-oss-next-append-position': '4' } }),
      );
      expect(await read('k')).toBe('abc1');
      expect(store.getObject('b', 'k')!.crc64).toBe(crc64(Buffer.from('abc1')));
      expect(store.blobs.bytes.usage().bytes).toBe(4);
    });

    test('an object replaced by another of the same length between check and commit is appended to, not its ghost', async () => {
      await appendText('k', 0, 'old');
      const seen = store.checkAppendable('b', 'k', 3)!;
      const staged = await stage('+', seen.crc64);
      store.deleteObject('b', 'k');
      await appendText('k', 0, 'new');
      commitStaged(staged, () => store.appendObject({ bucket: 'b', key: 'k', position: 3, staged: staged, seed: { crc64: seen.crc64, blobId: seen.blobId }, attributes: () => attributes, now: 4 }));
      expect(await read('k')).toBe('new+');
      expect(store.getObject('b', 'k')!.crc64).toBe(crc64(Buffer.from('new+')));
    });

    test('what an append remembers of its object goes with every write that replaces or removes it', async () => {
      await appendText('replaced', 0, 'abc');
      await put(store, 'b', 'replaced', 'xyz');
      await expect(appendText('replaced', 3, '!')).rejects.toMatchObject({ code: 'ObjectNotAppendable' });
      await appendText('deleted', 0, 'abc');
      store.deleteObject('b', 'deleted');
      await expect(appendText('deleted', 3, '!')).rejects.toMatchObject({ code: 'PositionNotEqualToLength', headers: { 'x-oss-next-append-position': '0' } });
      await appendText('purged', 0, 'abc');
      store.purge('b');
      store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
      await expect(appendText('purged', 3, '!')).rejects.toMatchObject({ code: 'PositionNotEqualToLength', headers: { 'x-oss-next-append-position': '0' } });
      await appendText('purged', 0, 'new');
      expect(await read('purged')).toBe('new');
    });

    test('a CRC streamed against a stale prefix is re-based on the current bytes', async () => {
      await appendText('k', 0, 'abc');
      const stale = await stage('tail', crc64(Buffer.from('xyz')));
      commitStaged(stale, () => store.appendObject({ bucket: 'b', key: 'k', position: 3, staged: stale, seed: { crc64: crc64(Buffer.from('xyz')) }, attributes: () => attributes, now: 1 }));
      expect(store.getObject('b', 'k')!.crc64).toBe(crc64(Buffer.from('abctail')));
    });

    test('Normal objects are not appendable', async () => {
      const staged = await stage('x');
      commitStaged(staged, () => store.putObject('b', 'n', staged, attributes, { etag: 'E', now: 1 }));
      expect(() => store.checkAppendable('b', 'n', 1)).toThrow(expect.objectContaining({ code: 'ObjectNotAppendable' }));
    });

    test('an empty append keeps size, CRC and ETag and bumps the time', async () => {
      await appendText('k', 0, 'foo');
      const before = store.getObject('b', 'k')!;
      const staged = await stage('', before.crc64);
      commitStaged(staged, () => store.appendObject({ bucket: 'b', key: 'k', position: 3, staged: staged, seed: { crc64: before.crc64, blobId: before.blobId }, attributes: () => attributes, now: 5000 }));
      const after = store.getObject('b', 'k')!;
      expect([after.size, after.crc64, after.etag, after.lastModified]).toEqual([3, before.crc64, before.etag, 5000]);
    });

    test('many appends read back whole and from any offset', async () => {
      let expected = '';
      for (let i = 0; i < 50; i++) {
        const part = `<${i}>`.repeat(i + 1);
        await appendText('many', expected.length, part);
        expected += part;
      }
      expect(await read('many')).toBe(expected);
      expect(await read('many', 17, 1003)).toBe(expected.slice(17, 1003));
      // On disk, consecutive appends land next to each other in one extent file: one growing extent.
      const rows = (store.db.prepare('SELECT COUNT(*) AS n FROM extents').get() as { n: number }).n;
      expect(rows).toBe(mode === 'on disk' ? 1 : 50);
    });

    test("appends interleaved with another object's (one short extent each) read back whole and from ranges across 1 MiB pieces", async () => {
      const expected: Record<string, string> = { x: '', y: '' };
      for (let i = 0; expected['x']!.length < 2.5 * 1024 * 1024; i++) {
        for (const key of ['x', 'y']) {
          const part = String.fromCharCode(97 + ((i * 7 + key.length) % 26)).repeat(1 + ((i * 7919) % 9000));
          await appendText(key, expected[key]!.length, part);
          expected[key] += part;
        }
      }
      const x = expected['x']!;
      store.getObject('b', 'x'); // applies the deferred appends, so the extents table is current
      const rows = (store.db.prepare("SELECT COUNT(*) AS n FROM extents e JOIN objects o ON o.blob_id = e.blob_id WHERE o.key = 'x'").get() as { n: number }).n;
      expect(rows).toBeGreaterThan(500);
      expect(await read('x')).toBe(x);
      expect(await read('y')).toBe(expected['y']);
      for (const [from, to] of [[1, 1024 * 1024 + 5], [1024 * 1024 - 3, 2 * 1024 * 1024 + 3], [777_777, 777_778], [x.length - 10, x.length]]) {
        expect(await read('x', from, to)).toBe(x.slice(from, to));
      }
    });
  });

  describe('seal', () => {
    test('a sealed object keeps its bytes, CRC, ETag and time, and takes no append at any position', async () => {
      await appendText('log', 0, 'abc');
      const before = store.getObject('b', 'log')!;
      expect(store.sealObject('b', 'log', 3, 7000)).toMatchObject({ type: 'Appendable', size: 3, sealedAt: 7000 });
      const after = store.getObject('b', 'log')!;
      expect(after).toEqual({ ...before, sealedAt: 7000 });
      for (const position of [3, 0, 4]) {
        expect(() => store.checkAppendable('b', 'log', position)).toThrow(expect.objectContaining({ code: 'AppendSealedObjectNotAllowed' }));
      }
      expect(await read('log')).toBe('abc');
    });

    test('sealing again keeps the first time; the position is still checked', async () => {
      await appendText('log', 0, 'abc');
      store.sealObject('b', 'log', 3, 7000);
      expect(store.sealObject('b', 'log', 3, 9000).sealedAt).toBe(7000);
      expect(() => store.sealObject('b', 'log', 0, 9000)).toThrow(expect.objectContaining({ code: 'PositionNotEqualToLength' }));
      expect(store.getObject('b', 'log')!.sealedAt).toBe(7000);
    });

    test('the length checked includes appends still deferred, and the remembered append state is dropped', async () => {
      let expected = '';
      for (let i = 0; i < 20; i++) {
        await appendText('log', expected.length, `<${i}>`);
        expected += `<${i}>`;
      }
      expect(() => store.sealObject('b', 'log', expected.length - 1, 1)).toThrow(expect.objectContaining({ code: 'PositionNotEqualToLength' }));
      store.sealObject('b', 'log', expected.length, 1);
      // The pre-check must not answer from what it remembered of the last append.
      expect(() => store.checkAppendable('b', 'log', expected.length)).toThrow(expect.objectContaining({ code: 'AppendSealedObjectNotAllowed' }));
      expect(await read('log')).toBe(expected);
    });

    test('an append that passed its pre-check before the seal is refused at its commit, and leaves no bytes', async () => {
      await appendText('log', 0, 'abc');
      const seen = store.checkAppendable('b', 'log', 3)!;
      const staged = await stage('def', seen.crc64);
      store.sealObject('b', 'log', 3, 1);
      const extentsBefore = committedBytes();
      const seed = { crc64: seen.crc64, blobId: seen.blobId };
      expect(() => commitStaged(staged, () => store.appendObject({ bucket: 'b', key: 'log', position: 3, staged, seed, attributes: () => attributes, now: 2 }))).toThrow(
        expect.objectContaining({ code: 'AppendSealedObjectNotAllowed' }),
      );
      expect(committedBytes()).toBe(extentsBefore);
      expect(await read('log')).toBe('abc');
    });

    test('only appendable objects can be sealed: NoSuchKey, AppendSealedObjectNotAllowed', async () => {
      expect(() => store.sealObject('b', 'absent', 0, 1)).toThrow(expect.objectContaining({ code: 'NoSuchKey' }));
      await put(store, 'b', 'normal', 'xyz');
      expect(() => store.sealObject('b', 'normal', 3, 1)).toThrow(expect.objectContaining({ code: 'AppendSealedObjectNotAllowed' }));
      expect(store.getObject('b', 'normal')!.sealedAt).toBeUndefined();
      expect(() => store.sealObject('nobucket', 'log', 0, 1)).toThrow(expect.objectContaining({ code: 'NoSuchBucket' }));
    });

    test('writing the key anew drops the seal', async () => {
      await appendText('log', 0, 'abc');
      store.sealObject('b', 'log', 3, 1);
      await put(store, 'b', 'log', 'new');
      expect(store.getObject('b', 'log')).toMatchObject({ type: 'Normal' });
      expect(store.getObject('b', 'log')!.sealedAt).toBeUndefined();
      store.deleteObject('b', 'log');
      await appendText('log', 0, 'again');
      expect(store.getObject('b', 'log')!.sealedAt).toBeUndefined();
    });
  });

  describe('bytes', () => {
    test('large bodies are written in bounded pieces and read back across piece edges', async () => {
      const big = Buffer.alloc(WRITE_BUFFER_BYTES * 2 + 123);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
      const staged = await stage([big.subarray(0, 1000), big.subarray(1000)]);
      commitStaged(staged, () => store.putObject('b', 'big', staged, attributes, { etag: 'E', now: 1 }));
      const object = store.getObject('b', 'big')!;
      const start = WRITE_BUFFER_BYTES - 5;
      expect((await download(store, object.blobId, start, start + 10)).equals(big.subarray(start, start + 10))).toBe(true);
      const whole = collector();
      await store.blobs.writeTo(whole.out, object.blobId, 0, object.size);
      expect(whole.bytes().equals(big)).toBe(true);
      expect(Math.max(...whole.pieces.map((p) => p.length))).toBeLessThanOrEqual(WRITE_BUFFER_BYTES);
    });

    test('a body over the limit is rejected while streaming and its bytes removed', async () => {
      await expect(ingestBody(store.blobs.bytes, Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), { maxBytes: 15, tooLarge })).rejects.toMatchObject({
        code: 'EntityTooLarge',
      });
      expect(store.blobs.bytes.usage().bytes).toBe(0);
    });

    test('a large body cut off midway (writes still in flight) leaves nothing, and the next body takes its place', async () => {
      const slice = Buffer.alloc(64 * 1024, 0x61);
      // 2.5 MiB offered in one go, 1.5 MiB allowed: the limit is hit in the tick that started the writes.
      const body = new Readable({
        read() {
          for (let i = 0; i < 40; i++) this.push(slice);
          this.push(null);
        },
      });
      await expect(ingestBody(store.blobs.bytes, body, { maxBytes: 1.5 * 1024 * 1024, tooLarge })).rejects.toMatchObject({
        code: 'EntityTooLarge',
      });
      // The bytes go once the writes already started have landed.
      for (let i = 0; i < 100 && store.blobs.bytes.usage().bytes > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(store.blobs.bytes.usage().bytes).toBe(0);
      const next = Buffer.concat(Array.from({ length: 4 }, (_, i) => Buffer.alloc(64 * 1024, i))); // shorter than what was in flight
      const staged = await stage([next]);
      commitStaged(staged, () => store.putObject('b', 'k', staged, attributes, { etag: 'E', now: 1 }));
      const object = store.getObject('b', 'k')!;
      expect((await download(store, object.blobId, 0, object.size)).equals(next)).toBe(true);
      expect(store.blobs.bytes.usage().bytes).toBe(next.length);
      if (mode === 'on disk') {
        // Nothing of the cut-off body landed after the cut: the files hold exactly the new body.
        const extents = join(dirname(store.location), 'extents');
        expect(readdirSync(extents).reduce((sum, name) => sum + statSync(join(extents, name)).size, 0)).toBe(next.length);
      }
    });

    test('replacing an object while it is read finishes the read, then reclaims the old bytes', async () => {
      // More than the two 1 MiB pieces a download reads ahead, so most of it is read after the replacement.
      const content = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 5 }, (_, i) => i % 251));
      const one = await stage([content]);
      commitStaged(one, () => store.putObject('b', 'k', one, attributes, { etag: 'E1', now: 1 }));
      const old = store.getObject('b', 'k')!;
      // A client that acknowledges nothing until the object has been replaced and its garbage collected.
      let resume!: () => void;
      const replaced = new Promise<void>((resolve) => (resume = resolve));
      const pieces: Buffer[] = [];
      const slowClient = new Writable({
        write(chunk: Buffer, _encoding, done) {
          pieces.push(Buffer.from(chunk));
          void replaced.then(() => setImmediate(done));
        },
      });
      const reading = store.blobs.writeTo(slowClient, old.blobId, 0, old.size);
      // Of known small size, the new body goes to a file of small bodies (on disk): the old file is left to the old bytes.
      const two = await ingestBody(store.blobs.bytes, Readable.from([Buffer.from('new')]), { maxBytes: 1 << 30, tooLarge, expectedBytes: 3 });
      commitStaged(two, () => store.putObject('b', 'k', two, attributes, { etag: 'E2', now: 2 }));
      await settle(); // garbage collection runs now: the old bytes must outlive the read
      resume();
      await reading;
      expect(Buffer.concat(pieces).equals(content)).toBe(true);
      await settle();
      expect(committedBytes()).toBe(3);
      // Once the read has let go, the old bytes are freed (on disk, with their file).
      for (let i = 0; i < 100 && store.blobs.bytes.usage().bytes > 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(store.blobs.bytes.usage().bytes).toBe(3);
    });

    test('a file whose last object is deleted while a refused upload writes into it is freed once that upload lets go', async () => {
      const first = await stage('a'.repeat(1000));
      commitStaged(first, () => store.putObject('b', 'gone', first, attributes, { etag: 'E', now: 1 }));
      // An upload takes the same (idle) file, and stalls there.
      const body = new Readable({ read() {} });
      body.push(Buffer.alloc(300 * 1024, 1));
      const refused = ingestBody(store.blobs.bytes, body, { maxBytes: 1 << 30, tooLarge });
      await settle();
      store.deleteObject('b', 'gone');
      await settle();
      // The client goes away: the upload fails and its bytes are cut. Nothing refers to the file any more.
      body.destroy(new Error('client went away'));
      await expect(refused).rejects.toThrow('client went away');
      for (let i = 0; i < 100 && store.blobs.bytes.usage().sources > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(store.blobs.bytes.usage()).toEqual({ sources: 0, bytes: 0 });
    });

    test('deleting every object gives all byte storage back', async () => {
      for (const key of ['a', 'b', 'c']) await appendText(key, 0, key.repeat(1000));
      for (const key of ['a', 'b', 'c']) store.deleteObject('b', key);
      await settle();
      expect(store.blobs.bytes.usage()).toEqual({ sources: 0, bytes: 0 });
    });
  });

  describe('remembered records', () => {
    /** Reads `key` twice: the second read is answered from memory, if anything is. */
    const readTwice = (key: string) => {
      store.getObject('b', key);
      return store.getObject('b', key);
    };

    test('every write is seen by the next read, though the object was read just before it', async () => {
      await put(store, 'b', 'k', 'one', {}, 'E1');
      expect(readTwice('k')).toMatchObject({ etag: 'E1', acl: 'default', tags: [] });
      store.setObjectAcl('b', 'k', 'private');
      expect(readTwice('k')!.acl).toBe('private');
      store.setObjectTags('b', 'k', [['t', '1']]);
      expect(readTwice('k')!.tags).toEqual([['t', '1']]);
      store.setObjectRestore('b', 'k', { readyAt: 7, expiresAt: 8 });
      expect(readTwice('k')!.restore).toEqual({ readyAt: 7, expiresAt: 8 });
      await put(store, 'b', 'k', 'two', {}, 'E2');
      expect(readTwice('k')).toMatchObject({ etag: 'E2', size: 3, tags: [] });
      await put(store, 'b', 'src', 'source', {}, 'E3');
      store.copyObject({ bucket: 'b', key: 'src' }, { bucket: 'b', key: 'k' }, () => ({ attributes, etag: 'E4' }), { now: 5 });
      expect(readTwice('k')).toMatchObject({ etag: 'E4', size: 6 });
      const upload = store.atomically(() => store.uploads.initiate('b', 'k', attributes, 1));
      store.completeUpload({ bucket: 'b', key: 'k', id: upload.id }, () => ({ parts: [], etag: 'E5' }), { now: 6 });
      expect(readTwice('k')).toMatchObject({ type: 'Multipart', etag: 'E5', size: 0 });
      store.deleteObject('b', 'k');
      expect(readTwice('k')).toBeUndefined();
      expect(readTwice('src')!.etag).toBe('E3');
      store.purge('b');
      store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
      expect(readTwice('src')).toBeUndefined();
    });

    test('appends, deferred or checked in full, are seen by the next read', async () => {
      await appendText('a', 0, 'abc');
      store.flush(); // on disk, reads while a batch is open are not remembered: this one is
      expect(readTwice('a')!.size).toBe(3);
      await appendText('a', 3, 'def'); // the in-place (deferred, on disk) path
      expect(readTwice('a')!.size).toBe(6);
      store.flush();
      expect(readTwice('a')!.lastModified).toBe(1000);
      // An empty append takes the general path and only moves the time.
      const empty = await stage('', readTwice('a')!.crc64);
      const seed = { crc64: readTwice('a')!.crc64, blobId: readTwice('a')!.blobId };
      commitStaged(empty, () => store.appendObject({ bucket: 'b', key: 'a', position: 6, staged: empty, seed, attributes: () => attributes, now: 2000 }));
      expect(readTwice('a')).toMatchObject({ size: 6, lastModified: 2000 });
      expect(await read('a')).toBe('abcdef');
    });

    test('a read inside a write that is rolled back leaves nothing remembered', async () => {
      await put(store, 'b', 'k', 'one', {}, 'E1');
      expect(readTwice('k')!.acl).toBe('default');
      expect(() =>
        store.atomically(() => {
          store.setObjectAcl('b', 'k', 'private');
          expect(store.getObject('b', 'k')!.acl).toBe('private');
          throw new Error('rolled back');
        }),
      ).toThrow('rolled back');
      expect(readTwice('k')!.acl).toBe('default');
    });

    test('a record read is frozen: no caller can change what later reads are told', async () => {
      await put(store, 'b', 'k', 'one', {}, 'E1');
      const record = readTwice('k')!;
      expect(() => Object.assign(record, { acl: 'private' })).toThrow(TypeError);
      expect(() => record.userMeta.push(['x', 'y'])).toThrow(TypeError);
      expect(() => Object.assign(record.httpHeaders, { contentType: 'text/plain' })).toThrow(TypeError);
      expect(store.getObject('b', 'k')).toMatchObject({ acl: 'default', userMeta: [['k', 'v']], httpHeaders: {} });
    });
  });

  describe('copy', () => {
    const copy = (from: string, to: string): void => {
      store.copyObject({ bucket: 'b', key: from }, { bucket: 'b', key: to }, (source) => ({ attributes: { ...attributes, userMeta: source.userMeta }, etag: source.etag }), { now: 5 });
    };

    test('the copy shares the stored bytes: no byte is written, and they go only when neither object needs them', async () => {
      await appendText('src', 0, 'abc');
      await appendText('src', 3, 'def');
      const before = store.blobs.bytes.usage();
      copy('src', 'dst');
      expect(store.blobs.bytes.usage()).toEqual(before);
      expect(store.getObject('b', 'dst')).toMatchObject({ type: 'Normal', size: 6, crc64: crc64(Buffer.from('abcdef')), etag: store.getObject('b', 'src')!.etag });

      await appendText('src', 6, 'ghi'); // the source grows; the copy does not
      expect(await read('dst')).toBe('abcdef');
      store.deleteObject('b', 'src');
      await settle();
      expect(await read('dst')).toBe('abcdef');
      expect(store.blobs.bytes.usage().bytes).toBeGreaterThan(0);
      store.deleteObject('b', 'dst');
      await settle();
      expect(committedBytes()).toBe(0);
      expect(store.blobs.bytes.usage()).toEqual({ sources: 0, bytes: 0 });
    });

    test('onto itself: the same bytes under a new record, the old one reclaimed', async () => {
      await appendText('self', 0, 'same');
      copy('self', 'self');
      await settle();
      expect(store.getObject('b', 'self')).toMatchObject({ type: 'Normal', size: 4 });
      expect(await read('self')).toBe('same');
      expect(committedBytes()).toBe(4);
    });

    test('a plan that returns nothing copies nothing; one that throws leaves the destination alone', async () => {
      await appendText('src', 0, 'abc');
      await appendText('dst', 0, 'old');
      expect(store.copyObject({ bucket: 'b', key: 'src' }, { bucket: 'b', key: 'dst' }, () => undefined, { now: 5 })).toBeUndefined();
      expect(() =>
        store.copyObject({ bucket: 'b', key: 'src' }, { bucket: 'b', key: 'dst' }, () => {
          throw new OssError('PreconditionFailed');
        }, { now: 5 }),
      ).toThrow(expect.objectContaining({ code: 'PreconditionFailed' }));
      expect(await read('dst')).toBe('old');
      expect(store.getObject('b', 'dst')!.type).toBe('Appendable');
    });
  });

  test('forbid-overwrite refuses an existing key and leaves it alone', async () => {
    const one = await stage('one');
    commitStaged(one, () => store.putObject('b', 'k', one, attributes, { etag: 'E1', now: 1 }));
    const two = await stage('two');
    expect(() => commitStaged(two, () => store.putObject('b', 'k', two, attributes, { etag: 'E2', forbidOverwrite: true, now: 2 }))).toThrow(
      expect.objectContaining({ code: 'FileAlreadyExists' }),
    );
    expect(await read('k')).toBe('one');
    expect(store.blobs.bytes.usage().bytes).toBe(3);
  });

  test('listing walks keys in byte order after a cursor, and can skip every key with a prefix', async () => {
    for (const key of ['a/1', 'a/2', 'a/\u{10FFFF}', 'b', 'c/1', 'é']) {
      const staged = await stage(key);
      commitStaged(staged, () => store.putObject('b', key, staged, attributes, { etag: 'E', now: 1 }));
    }
    expect([...store.iterateObjects('b', '', 'a/1')].map((o) => o.key)).toEqual(['a/2', 'a/\u{10FFFF}', 'b', 'c/1', 'é']);
    const iterator = store.iterateObjects('b', '', '');
    expect(iterator.next().value?.key).toBe('a/1');
    // Answering with a prefix skips every key that starts with it, U+10FFFF after it included.
    expect(iterator.next('a/').value?.key).toBe('b');
  });

  test('deleting a bucket with objects is BucketNotEmpty; purge empties it', async () => {
    await appendText('k', 0, 'x');
    expect(() => store.deleteBucket('b')).toThrow(expect.objectContaining({ code: 'BucketNotEmpty' }));
    store.purge('b');
    expect(store.getBucket('b')).toBeUndefined();
    await settle();
    expect(store.blobs.bytes.usage().bytes).toBe(0);
  });
});

describe('extent files after a crash', () => {
  test('bytes written but never committed are cut off at the next start; committed ones stay', async () => {
    const dataDir = join(scratch, 'crashed');
    const store = new Store({ dataDir });
    store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
    const kept = await ingestBody(store.blobs.bytes, Readable.from([Buffer.from('committed')]), { maxBytes: 100, tooLarge });
    commitStaged(kept, () => store.appendObject({ bucket: 'b', key: 'k', position: 0, staged: kept, seed: { crc64: 0n }, attributes: () => attributes, now: 1 }));
    // A second body is written but the process "dies" before committing it.
    await ingestBody(store.blobs.bytes, Readable.from([Buffer.alloc(5000, 1)]), { maxBytes: 1 << 20, tooLarge });
    expect(store.blobs.bytes.usage().bytes).toBe(9 + 5000);
    store.db.close();
    const reopened = new Store({ dataDir });
    try {
      expect(reopened.blobs.bytes.usage().bytes).toBe(9);
      const object = reopened.getObject('b', 'k')!;
      expect((await download(reopened, object.blobId, 0, object.size)).toString()).toBe('committed');
      expect(readdirSync(join(dataDir, 'extents')).length).toBeGreaterThan(0);
    } finally {
      reopened.close();
    }
  });
});

describe('a copy after a restart', () => {
  test('keeps its bytes when its source was deleted before the restart, and recovery cuts nothing it needs', async () => {
    const dataDir = join(scratch, 'copied');
    const store = new Store({ dataDir });
    store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
    await put(store, 'b', 'src', 'shared bytes');
    store.copyObject({ bucket: 'b', key: 'src' }, { bucket: 'b', key: 'dst' }, (source) => ({ attributes, etag: source.etag }), { now: 2 });
    store.deleteObject('b', 'src');
    store.db.close(); // a crash before the garbage was collected
    const reopened = new Store({ dataDir });
    try {
      const object = reopened.getObject('b', 'dst')!;
      expect((await download(reopened, object.blobId, 0, object.size)).toString()).toBe('shared bytes');
      expect(reopened.blobs.bytes.usage().bytes).toBe(12);
    } finally {
      reopened.close();
    }
  });
});

describe('symlinks in the store', () => {
  test('a link keeps its target across a restart, is not appendable, and a copy of it is a link', async () => {
    const dataDir = join(scratch, 'symlinks');
    const store = new Store({ dataDir });
    store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
    await put(store, 'b', 'target', 'bytes');
    const link = store.putSymlink('b', 'link', '目标', attributes, { etag: 'L', now: 3 });
    expect(link).toMatchObject({ type: 'Symlink', symlinkTarget: '目标', size: 6, etag: 'L' });
    store.copyObject({ bucket: 'b', key: 'link' }, { bucket: 'b', key: 'copy' }, (source) => ({ attributes, etag: source.etag, type: source.type }), { now: 4 });
    expect(() => store.checkAppendable('b', 'link', 6)).toThrow(expect.objectContaining({ code: 'ObjectNotAppendable' }));
    store.close();
    const reopened = new Store({ dataDir });
    try {
      expect(reopened.getObject('b', 'link')).toMatchObject({ type: 'Symlink', symlinkTarget: '目标', size: 6, userMeta: [['k', 'v']] });
      expect(reopened.getObject('b', 'copy')).toMatchObject({ type: 'Symlink', symlinkTarget: '目标' });
      expect(reopened.getObject('b', 'target')!.symlinkTarget).toBeUndefined();
      // A PutObject over the link makes it an ordinary object again.
      await put(reopened, 'b', 'link', 'own');
      expect(reopened.getObject('b', 'link')).toMatchObject({ type: 'Normal', size: 3 });
      expect(reopened.getObject('b', 'link')!.symlinkTarget).toBeUndefined();
    } finally {
      reopened.close();
    }
  });

  test('x-oss-forbid-overwrite keeps an existing object', async () => {
    const store = new Store();
    store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
    await put(store, 'b', 'taken', 'x');
    expect(() => store.putSymlink('b', 'taken', 't', attributes, { forbidOverwrite: true, etag: 'L', now: 1 })).toThrow(expect.objectContaining({ code: 'FileAlreadyExists' }));
    expect(store.getObject('b', 'taken')!.type).toBe('Normal');
    store.close();
  });
});

describe('multipart uploads in the store', () => {
  const stagePart = (store: Store, content: string): Promise<StagedBody> =>
    ingestBody(store.blobs.bytes, Readable.from([Buffer.from(content)]), { maxBytes: 1 << 30, tooLarge, wantMd5: true });
  const putPart = async (store: Store, id: string, n: number, content: string): Promise<void> => {
    const staged = await stagePart(store, content);
    commitStaged(staged, () =>
      store.atomically(() => {
        const blobId = store.blobs.newBlob();
        store.blobs.attach(blobId, 0, staged.extents);
        return store.uploads.putPart(store.uploads.require('b', 'k', id), n, blobId, { size: staged.size, etag: `E${n}`, crc64: staged.crc64, lastModified: 1 });
      }),
    );
  };

  test('parts survive a restart; Complete joins them without copying, and the parts replaced or left out are reclaimed', async () => {
    const dataDir = join(scratch, 'multipart');
    const store = new Store({ dataDir });
    store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
    const upload = store.atomically(() => store.uploads.initiate('b', 'k', attributes, 1));
    await putPart(store, upload.id, 1, 'replaced part one');
    await putPart(store, upload.id, 1, 'one,');
    await putPart(store, upload.id, 2, 'left out');
    await putPart(store, upload.id, 3, 'three');
    store.db.close(); // a crash
    const reopened = new Store({ dataDir });
    try {
      const before = reopened.blobs.bytes.usage().bytes;
      const record = reopened.completeUpload({ bucket: 'b', key: 'k', id: upload.id }, (u) => ({ parts: [1, 3].map((n) => reopened.uploads.getPart(u, n)!), etag: 'M-2' }), { now: 2 });
      expect(record).toMatchObject({ type: 'Multipart', size: 9, crc64: crc64(Buffer.from('one,three')), etag: 'M-2', userMeta: [['k', 'v']] });
      expect((await download(reopened, record.blobId, 0, record.size)).toString()).toBe('one,three');
      expect(reopened.blobs.bytes.usage().bytes).toBe(before); // nothing copied
      await new Promise((resolve) => setImmediate(resolve));
      // The replaced part and the part left out are garbage now; only the object's 9 bytes are named.
      expect((reopened.db.prepare('SELECT COALESCE(SUM(length), 0) AS n FROM extents').get() as { n: number }).n).toBe(9);
      expect(() => reopened.uploads.require('b', 'k', upload.id)).toThrow(expect.objectContaining({ code: 'NoSuchUpload' }));
    } finally {
      reopened.close();
    }
  });

  test('a reset (purge) ends the uploads of the bucket and frees their parts', async () => {
    const store = new Store();
    try {
      store.createBucket({ name: 'b', createdAt: 0, acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
      const upload = store.atomically(() => store.uploads.initiate('b', 'k', attributes, 1));
      await putPart(store, upload.id, 1, 'part');
      store.purge('b');
      await new Promise((resolve) => setImmediate(resolve));
      expect(store.blobs.bytes.usage()).toEqual({ sources: 0, bytes: 0 });
      expect(() => store.uploads.require('b', 'k', upload.id)).toThrow(expect.objectContaining({ code: 'NoSuchUpload' }));
    } finally {
      store.close();
    }
  });
});

/**
 * A database as the ossemu of schema `version` left it: a store with bucket `b` (and whatever
 * `write` adds), then `undo` of the later migrations, opened again by this ossemu, which must
 * migrate it to the current schema before `check` sees it.
 */
async function withMigrated(
  version: number,
  write: ((store: Store) => unknown) | undefined,
  undo: (store: Store) => void,
  check: (reopened: Store) => void | Promise<void>,
): Promise<void> {
  const dataDir = join(scratch, `schema${version}`);
  const store = new Store({ dataDir });
  store.createBucket({ ...bucket });
  await write?.(store);
  undo(store);
  store.db.pragma(`user_version = ${version}`);
  store.close();
  const reopened = new Store({ dataDir });
  try {
    expect(reopened.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    await check(reopened);
  } finally {
    reopened.close();
  }
}

/** Undoes migration 12 (versions) on an open store, to make a database as an older ossemu left it. */
function undoMigration12(store: Store): void {
  store.db.exec('DROP TABLE object_versions; ALTER TABLE objects DROP COLUMN version_id;');
}

/** Undoes migrations 12 and 11 (seal times). */
function undoMigrationsFrom11(store: Store): void {
  undoMigration12(store);
  store.db.exec('ALTER TABLE objects DROP COLUMN sealed_at');
}

/** Undoes migrations 12 to 10 (CORS rules moved among the configurations). */
function undoMigrationsFrom10(store: Store): void {
  undoMigrationsFrom11(store);
  store.db.exec('ALTER TABLE buckets ADD COLUMN cors TEXT');
}

/** Undoes migrations 12 to 9 (the other bucket configurations). */
function undoMigrationsFrom9(store: Store): void {
  undoMigrationsFrom10(store);
  store.db.exec('ALTER TABLE buckets DROP COLUMN configurations');
}

/** Undoes migrations 11 to 8 (CORS rules). */
function undoMigrationsFrom8(store: Store): void {
  undoMigrationsFrom9(store);
  store.db.exec('ALTER TABLE buckets DROP COLUMN cors');
}

/** Undoes migrations 11 to 7 (symlink targets). */
function undoMigrationsFrom7(store: Store): void {
  undoMigrationsFrom8(store);
  store.db.exec('ALTER TABLE objects DROP COLUMN symlink_target');
}

/** Undoes migrations 11 to 6 (object encryption). */
function undoMigrationsFrom6(store: Store): void {
  undoMigrationsFrom7(store);
  store.db.exec('ALTER TABLE objects DROP COLUMN encryption');
}

/** Undoes migrations 11 to 4 on an open store, to make a database as an older ossemu left it. */
function undoMigrationsFrom4(store: Store): void {
  undoMigrationsFrom6(store);
  store.db.exec('DROP TABLE uploads; DROP TABLE parts;');
  for (const column of ['restore_ready_at', 'restore_expires_at', 'restore_tier']) store.db.exec(`ALTER TABLE objects DROP COLUMN ${column}`);
}

/** An append through the store as AppendObject makes it: the pre-check, the body, the commit. */
async function appendTo(store: Store, key: string, position: number, content: string): Promise<void> {
  const existing = store.checkAppendable('b', key, position);
  const staged = await ingestBody(store.blobs.bytes, Readable.from([Buffer.from(content)]), { seedCrc: existing?.crc64 ?? 0n, maxBytes: 1 << 30, tooLarge });
  const seed = { crc64: existing?.crc64 ?? 0n, blobId: existing?.blobId };
  commitStaged(staged, () => store.appendObject({ bucket: 'b', key, position, staged, seed, attributes: () => attributes, now: 1000 }));
}

async function put(store: Store, bucket: string, key: string, content: string, overrides: Partial<ObjectAttributes> = {}, etag = 'E'): Promise<ObjectRecord> {
  const staged = await ingestBody(store.blobs.bytes, Readable.from([Buffer.from(content)]), { maxBytes: 1 << 30, tooLarge, wantMd5: true });
  return commitStaged(staged, () => store.putObject(bucket, key, staged, { ...attributes, ...overrides }, { etag, now: 1 }));
}

describe('schema migrations and bucket policies', () => {

  test('a policy is kept as text across a restart, and removed', () => {
    const dataDir = join(scratch, 'policies');
    const store = new Store({ dataDir });
    store.createBucket({ ...bucket });
    store.setBucketPolicy('b', '{"Version":"1"}');
    store.close();
    const reopened = new Store({ dataDir });
    try {
      expect(reopened.getBucket('b')!.policy).toBe('{"Version":"1"}');
      reopened.setBucketPolicy('b', undefined);
      expect(reopened.getBucket('b')!.policy).toBeUndefined();
    } finally {
      reopened.close();
    }
  });

  test('a database from a newer ossemu is refused, and left unlocked for the caller to try again', () => {
    const dataDir = join(scratch, 'newer');
    const store = new Store({ dataDir });
    store.createBucket({ ...bucket });
    store.db.pragma('user_version = 99');
    store.close();
    expect(() => new Store({ dataDir })).toThrow(`database schema version 99 is newer than this ossemu (${SCHEMA_VERSION}); upgrade ossemu`);
    // The refused store holds no lock: another connection can write (here, undo the version) and the store opens.
    const other = new Database(join(dataDir, 'ossemu.sqlite'));
    try {
      other.pragma(`user_version = ${SCHEMA_VERSION}`);
    } finally {
      other.close();
    }
    const reopened = new Store({ dataDir });
    try {
      expect(reopened.getBucket('b')).toMatchObject({ name: 'b' });
    } finally {
      reopened.close();
    }
  });

  test.runIf(process.platform === 'linux')('a store that cannot open leaves no file descriptor behind', () => {
    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const foreign = join(scratch, 'foreign');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, 'ossemu.sqlite'), 'not a database, but long enough to be read as one '.repeat(100));
    const badExtent = join(scratch, 'bad-extent');
    new Store({ dataDir: badExtent }).close();
    for (const id of [1, 2, 3]) writeFileSync(join(badExtent, 'extents', `${id}.extent`), 'x');
    mkdirSync(join(badExtent, 'extents', '9.extent')); // a directory where an extent file should be
    const before = openFds();
    for (let i = 0; i < 3; i++) {
      expect(() => new Store({ dataDir: foreign })).toThrow('file is not a database');
      expect(() => new Store({ dataDir: badExtent })).toThrow(/EISDIR/);
    }
    expect(openFds()).toBe(before);
  });

  test('a database from before bucket policies (schema 2) is migrated and keeps its buckets', async () => {
    await withMigrated(2, undefined, (store) => {
      undoMigrationsFrom4(store);
      store.db.exec('ALTER TABLE buckets DROP COLUMN policy');
    }, (reopened) => {
      expect(reopened.getBucket('b')).toMatchObject({ name: 'b', acl: 'private' });
      expect(reopened.getBucket('b')!.policy).toBeUndefined();
    });
  });

  test('a database from before RestoreObject (schema 3) is migrated; its objects have no restore, and can get one', async () => {
    await withMigrated(3, (store) => put(store, 'b', 'frozen', 'bytes', { storageClass: 'Archive' }), undoMigrationsFrom4, (reopened) => {
      const object = reopened.getObject('b', 'frozen')!;
      expect(object).toMatchObject({ storageClass: 'Archive', size: 5 });
      expect(object.restore).toBeUndefined();
      reopened.setObjectRestore('b', 'frozen', { readyAt: 1, expiresAt: 2, tier: 'Standard' });
      expect(reopened.getObject('b', 'frozen')!.restore).toEqual({ readyAt: 1, expiresAt: 2, tier: 'Standard' });
    });
  });

  test('a database from before object encryption (schema 5) is migrated; its objects have none, and new ones keep theirs', async () => {
    await withMigrated(5, (store) => put(store, 'b', 'plain', 'bytes'), undoMigrationsFrom6, async (reopened) => {
      expect(reopened.getObject('b', 'plain')).toMatchObject({ size: 5 });
      expect(reopened.getObject('b', 'plain')!.encryption).toBeUndefined();
      await put(reopened, 'b', 'sealed', 'bytes', { encryption: { algorithm: 'KMS', dataEncryption: 'SM4', keyId: 'key-1' } });
      expect(reopened.getObject('b', 'sealed')!.encryption).toEqual({ algorithm: 'KMS', dataEncryption: 'SM4', keyId: 'key-1' });
    });
  });

  test('a database from before symlinks (schema 6) is migrated; its objects are no links, and new links keep their targets', async () => {
    await withMigrated(6, (store) => put(store, 'b', 'plain', 'bytes'), undoMigrationsFrom7, (reopened) => {
      expect(reopened.getObject('b', 'plain')).toMatchObject({ type: 'Normal', size: 5 });
      expect(reopened.getObject('b', 'plain')!.symlinkTarget).toBeUndefined();
      reopened.putSymlink('b', 'link', 'plain', attributes, { etag: 'L', now: 2 });
      expect(reopened.getObject('b', 'link')).toMatchObject({ type: 'Symlink', symlinkTarget: 'plain' });
    });
  });

  test('a database from before CORS rules (schema 7) is migrated; its buckets have none, and can get some', async () => {
    await withMigrated(7, undefined, undoMigrationsFrom8, (reopened) => {
      expect(reopened.getBucket('b')!.configurations.cors).toBeUndefined();
      reopened.setBucketConfiguration('b', 'cors', CORS);
      expect(reopened.getBucket('b')!.configurations.cors).toEqual(CORS);
    });
  });

  test('a database from before the other bucket configurations (schema 8) is migrated; its buckets have none, and can get some', async () => {
    await withMigrated(8, undefined, undoMigrationsFrom9, (reopened) => {
      expect(reopened.getBucket('b')!.configurations).toEqual({});
      reopened.setBucketConfiguration('b', 'tags', [['team', 'storage']]);
      reopened.setBucketConfiguration('b', 'encryption', { algorithm: 'AES256' });
      expect(reopened.getBucket('b')!.configurations).toEqual({ tags: [['team', 'storage']], encryption: { algorithm: 'AES256' } });
      reopened.setBucketConfiguration('b', 'tags', undefined);
      expect(reopened.getBucket('b')!.configurations).toEqual({ encryption: { algorithm: 'AES256' } });
    });
  });

  test("a database with CORS rules in a column of their own (schema 9) is migrated: the rules join the bucket's configurations", async () => {
    const other = { ...bucket, name: 'unreadable' };
    await withMigrated(
      9,
      (store) => store.createBucket(other),
      (store) => {
        undoMigrationsFrom10(store);
        const set = store.db.prepare('UPDATE buckets SET cors = ?, configurations = ? WHERE name = ?');
        set.run(JSON.stringify(CORS), JSON.stringify({ tags: [['team', 'storage']] }), 'b');
        // Text the store of schema 9 read as no rules stays behind.
        set.run('{not json', null, 'unreadable');
      },
      (reopened) => {
        expect(reopened.getBucket('b')!.configurations).toEqual({ tags: [['team', 'storage']], cors: CORS });
        expect(reopened.getBucket('unreadable')!.configurations).toEqual({});
        const columns = (reopened.db.prepare('PRAGMA table_info(buckets)').all() as Array<{ name: string }>).map((c) => c.name);
        expect(columns).not.toContain('cors');
      },
    );
  });

  test('a database from before seals (schema 10) is migrated: its appendable objects are unsealed and keep growing', async () => {
    await withMigrated(
      10,
      async (store) => {
        await appendTo(store, 'log', 0, 'abc');
        store.flush();
      },
      undoMigrationsFrom11,
      async (reopened) => {
        expect(reopened.getObject('b', 'log')!.sealedAt).toBeUndefined();
        await appendTo(reopened, 'log', 3, 'def');
        expect(reopened.sealObject('b', 'log', 6, 5000).sealedAt).toBe(5000);
        expect(() => reopened.checkAppendable('b', 'log', 6)).toThrow(expect.objectContaining({ code: 'AppendSealedObjectNotAllowed' }));
      },
    );
  });

  test('a database from before versioning (schema 11) is migrated: its objects are version null, kept as such once versioning is on', async () => {
    await withMigrated(
      11,
      (store) => put(store, 'b', 'old', 'before'),
      undoMigration12,
      async (reopened) => {
        expect(reopened.getObject('b', 'old')!.versionId).toBeUndefined();
        reopened.setBucketConfiguration('b', 'versioning', 'Enabled');
        const newer = await put(reopened, 'b', 'old', 'after');
        expect(newer.versionId).toMatch(/^CAEQ/);
        expect((await readBack(reopened, 'old', 0, undefined, 'null')).toString()).toBe('before');
        expect((await readBack(reopened, 'old')).toString()).toBe('after');
      },
    );
  });
});

const CORS = { rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: ['ETag'] }], responseVary: true };
