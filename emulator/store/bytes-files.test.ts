/**
 * Extent files: every body reads back exactly as written, wherever the writer rotated to a new
 * file. A write that crossed the rotation point once went to the old file at the new file's
 * offset, overwriting the start of the old file: acknowledged data corrupted without a sound.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { PendingExtent } from './bytes.js';
import { FileByteStore } from './bytes-files.js';

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-extents-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const stores: FileByteStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function open(rotateAtBytes?: number): FileByteStore {
  const store = new FileByteStore(join(scratch, `s${dirs++}`), false, rotateAtBytes);
  stores.push(store);
  return store;
}

/** Writes `body` in pieces of `pieceBytes` and returns its extents; the writer is released as after a commit. */
async function store(bytes: FileByteStore, body: Buffer, pieceBytes = 64 * 1024, expectedBytes?: number): Promise<PendingExtent[]> {
  const writer = bytes.writer(expectedBytes);
  for (let offset = 0; offset < body.length; offset += pieceBytes) writer.write(body.subarray(offset, offset + pieceBytes));
  const extents = await writer.finish();
  writer.release();
  return extents;
}

function readBack(bytes: FileByteStore, extents: PendingExtent[]): Buffer {
  return Buffer.concat(extents.map((e) => Buffer.from(bytes.read(e.source, e.position, e.length))));
}

describe('FileByteStore', () => {
  test('small bodies of known size keep to files of their own, so a live small object never keeps a deleted large one on disk', async () => {
    const MiB = 1024 * 1024;
    const bytes = open(2 * MiB);
    const small: Array<[Buffer, PendingExtent[]]> = [];
    for (let cycle = 0; cycle < 6; cycle++) {
      // A large upload (size unknown: chunked), then a small append, then the large one is deleted.
      const large = await store(bytes, randomBytes(1.5 * MiB));
      const line = randomBytes(1024);
      small.push([line, await store(bytes, line, 64 * 1024, line.length)]);
      const live = new Set(small.flatMap(([, extents]) => extents.map((e) => e.source)));
      bytes.reclaim(new Set(large.map((e) => e.source)), (source) => live.has(source));
    }
    // Sharing files, each small body would have kept one large body's file alive: 6 files, 9 MiB.
    expect(bytes.usage()).toEqual({ sources: 1, bytes: 6 * 1024 });
    for (const [line, extents] of small) expect(readBack(bytes, extents).equals(line)).toBe(true);
    // A body over 1 MiB, or of unknown size, goes with the large ones.
    const known = await store(bytes, randomBytes(MiB + 1), 64 * 1024, MiB + 1);
    expect(known.some((e) => small[0]![1][0]!.source === e.source)).toBe(false);
  });

  test('a restart keeps the two kinds of file apart: a file of small bodies takes small bodies again, and only those', async () => {
    const dir = join(scratch, `s${dirs++}`);
    const first = new FileByteStore(dir, false);
    const line = randomBytes(1024);
    const [smallExtent] = await store(first, line, 64 * 1024, line.length);
    const [largeExtent] = await store(first, randomBytes(300_000));
    first.close();
    const ends = new Map([[smallExtent!.source, smallExtent!.length], [largeExtent!.source, largeExtent!.length]]);
    const again = new FileByteStore(dir, false);
    stores.push(again);
    again.recover((source) => ends.get(source), Math.max(...ends.keys()));
    const [unknownSize] = await store(again, randomBytes(2000));
    const [nextLine] = await store(again, line, 64 * 1024, line.length);
    expect(unknownSize!.source).toBe(largeExtent!.source);
    expect(nextLine!.source).toBe(smallExtent!.source);
    expect(readBack(again, [smallExtent!, nextLine!]).equals(Buffer.concat([line, line]))).toBe(true);
  });

  test('bodies that cross the rotation point, in whole units, in part units and in odd pieces, read back byte-exact', async () => {
    const MiB = 1024 * 1024;
    const bytes = open(MiB);
    // Sizes chosen so that writes end just before, at and just after the 1 MiB rotation point,
    // both for the last (partial) 256 KiB unit and for full units written in the background.
    const bodies = [MiB - 1000, 300_000, 5 * MiB + 17, 256 * 1024, 1, 3 * MiB - 1, 777_777].map((n) => randomBytes(n));
    const written: Array<[Buffer, PendingExtent[]]> = [];
    for (const [i, body] of bodies.entries()) written.push([body, await store(bytes, body, i % 2 === 0 ? 65_536 : 10_007)]);
    for (const [body, extents] of written) expect(readBack(bytes, extents).equals(body)).toBe(true);
    expect(new Set(written.flatMap(([, extents]) => extents.map((e) => e.source))).size).toBeGreaterThan(3);
  });

  test('at the default 64 MiB rotation: a 300 KB body after a body that nearly fills the file (the reported corruption)', async () => {
    const bytes = open();
    const first = randomBytes(67_100_000);
    const second = randomBytes(300_000);
    const firstExtents = await store(bytes, first);
    const secondExtents = await store(bytes, second);
    expect(readBack(bytes, firstExtents).equals(first)).toBe(true);
    expect(readBack(bytes, secondExtents).equals(second)).toBe(true);
  });
});

describe('FileByteStore writer backpressure', () => {
  test('asks the caller to pause while two units are in flight, never blocking on a write itself, and keeps every byte', async () => {
    const bytes = open();
    const unit = 256 * 1024;
    const body = randomBytes(5 * unit + 123);
    const writer = bytes.writer();
    expect(writer.capacity?.()).toBeUndefined();
    let pauses = 0;
    for (let offset = 0; offset < body.length; offset += 65_536) {
      writer.write(body.subarray(offset, offset + 65_536));
      const wait = writer.capacity?.();
      if (wait) {
        pauses++;
        await wait;
        expect(writer.capacity?.()).toBeUndefined(); // room again once it settles
      }
    }
    // Units are handed to the thread pool as they fill: two in flight by the second unit at the latest.
    expect(pauses).toBeGreaterThan(0);
    const extents = await writer.finish();
    writer.release();
    expect(readBack(bytes, extents).equals(body)).toBe(true);
  });

  test('one piece spanning many units (a seed file read whole) is written whole, past two in flight at once', async () => {
    const bytes = open();
    const body = randomBytes(8 * 1024 * 1024 + 3);
    const extents = await store(bytes, body, body.length);
    expect(readBack(bytes, extents).equals(body)).toBe(true);
  });
});
