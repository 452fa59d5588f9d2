/**
 * Many clients at once, doing everything to the same few keys: puts, appends at the length a HEAD
 * reported, copies, deletes, multipart uploads, while others read. Nobody can say which write
 * wins, but every answer must describe one version of the object whole: a GET's bytes match its
 * own Content-Length and CRC-64, a HEAD of an appendable object gives a next position equal to its
 * length, and nothing is a 500. It runs in memory and on disk (where appends are deferred); on
 * disk the store then restarts and every object must still be whole. Which interleavings happen is up to the
 * scheduler; `store.test.ts` pins down the one that matters most, a download outliving its
 * object's replacement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { crcOf, startTestEmulator, type OssClient, type OssResponse } from '../http/helpers.js';

const B = 'busy-bkt';
const KEYS = ['a', 'b', 'c'];
const WORKERS = 8;
const STEPS_PER_WORKER = 120;

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-busy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Large enough that a download is still streaming while other requests change the object. */
const body = (next: () => number): Buffer => {
  const size = next() < 0.3 ? 512 * 1024 + Math.floor(next() * 1024 * 1024) : Math.floor(next() * 2000);
  return Buffer.alloc(size, Math.floor(next() * 256));
};

/** What any answer about an object must be, whichever version it describes. */
function expectWhole(res: OssResponse, method: 'GET' | 'HEAD'): void {
  if (res.status === 404) return;
  expect(res.status, res.text).toBe(200);
  const length = res.headers['content-length'];
  if (method === 'GET') {
    expect(String(res.body.length)).toBe(length);
    expect(crcOf(res.body), 'the bytes read match the CRC-64 sent with them').toBe(res.headers['x-oss-hash-crc64ecma']);
  }
  if (res.headers['x-oss-object-type'] === 'Appendable') expect(res.headers['x-oss-next-append-position']).toBe(length);
}

async function worker(oss: OssClient, seed: number): Promise<Map<number, number>> {
  const next = random(seed);
  const statuses = new Map<number, number>();
  const count = (res: OssResponse): void => void statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  for (let step = 0; step < STEPS_PER_WORKER; step++) {
    const key = KEYS[Math.floor(next() * KEYS.length)]!;
    const choice = next();
    let res: OssResponse;
    if (choice < 0.25) {
      res = await oss.get(B, key);
      expectWhole(res, 'GET');
    } else if (choice < 0.35) {
      res = await oss.head(B, key);
      expectWhole(res, 'HEAD');
    } else if (choice < 0.6) {
      const head = await oss.head(B, key);
      const position = head.status === 200 ? Number(head.headers['content-length']) : 0;
      res = await oss.append(B, key, position, body(next));
      // Another worker may have written in between: only these answers are possible.
      expect([200, 409], res.text).toContain(res.status);
    } else if (choice < 0.72) {
      res = await oss.put(B, key, body(next));
      expect(res.status, res.text).toBe(200);
    } else if (choice < 0.82) {
      res = await oss.send({ method: 'PUT', bucket: B, key, headers: { 'x-oss-copy-source': `/${B}/${KEYS[Math.floor(next() * KEYS.length)]}` } });
      expect([200, 404], res.text).toContain(res.status);
    } else if (choice < 0.95) {
      res = await oss.delete(B, key);
      expect(res.status).toBe(204);
    } else {
      res = await oss.multipartUpload(B, key, [Buffer.alloc(100 * 1024, 1), body(next)]);
      expect(res.status, res.text).toBe(200); // every upload is its worker's own
    }
    count(res);
  }
  return statuses;
}

describe.each([
  ['on disk', false],
  ['in memory', true],
])('%s', (_name, inMemory) => {
  test(`${WORKERS} clients doing everything to ${KEYS.length} keys at once: every answer describes a whole version${inMemory ? '' : ', and a restart keeps them whole'}`, async () => {
    const dataDir = join(scratch, inMemory ? 'memory' : 'disk');
    const first = await startTestEmulator({ buckets: [B], inMemory, dataDir });
    let final: Map<string, OssResponse>;
    try {
      const results = await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(first.oss, 20261202 + i)));
      const statuses = new Map<number, number>();
      for (const result of results) for (const [status, n] of result) statuses.set(status, (statuses.get(status) ?? 0) + n);
      // The clients did collide: appends were refused for a position another had just taken.
      expect(statuses.get(409) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(WORKERS * STEPS_PER_WORKER * 0.3);
      final = new Map(await Promise.all(KEYS.map(async (key) => [key, await first.oss.get(B, key)] as const)));
      for (const res of final.values()) expectWhole(res, 'GET');
    } finally {
      await first.emu.close();
    }
    if (inMemory) return;
    const second = await startTestEmulator({ buckets: [B], inMemory: false, dataDir });
    try {
      for (const [key, before] of final) {
        const after = await second.oss.get(B, key);
        expect(after.status).toBe(before.status);
        expect(after.body.equals(before.body), `${key} after the restart`).toBe(true);
        expect(after.headers['x-oss-hash-crc64ecma']).toBe(before.headers['x-oss-hash-crc64ecma']);
      }
    } finally {
      await second.emu.close();
    }
  }, 120_000);
});
