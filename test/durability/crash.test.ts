import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import { startChildEmulator } from '../support/child-emulator.js';
import { append, signedRequest } from '../support/signed-request.js';
import { storedBytes } from '../support/stored-bytes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ossemu-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const BUCKET = 'crash';

/** After a crash and restart: no garbage blobs remain, and the extent files hold exactly the object bytes. */
function expectNoLeftovers(expectedBytes: number): void {
  expect(storedBytes(dataDir)).toEqual({ files: expectedBytes, committed: expectedBytes, notLive: 0 });
}

test('SIGKILL in the middle of a large append keeps every acknowledged append and none of the partial one', async () => {
  let emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', BUCKET]);
  const key = 'big.log';
  const acknowledged: Buffer[] = [];
  let length = 0;
  for (let i = 0; i < 20; i++) {
    const body = Buffer.from(`acknowledged append ${i}\n`.repeat(1 + i * 50));
    const response = await append(emulator.endpoint, BUCKET, key, length, body);
    expect(response.status).toBe(200);
    acknowledged.push(body);
    length += body.length;
  }

  // Start a 64 MiB chunked append and kill the server once well over half of it has been sent.
  let sent = 0;
  let killed = false;
  const slice = Buffer.alloc(1024 * 1024, 0x61);
  const body = (async function* () {
    for (let i = 0; i < 64; i++) {
      sent += slice.length;
      if (sent === 40 * 1024 * 1024) {
        emulator.process.kill('SIGKILL');
        killed = true;
      }
      yield slice;
    }
  })();
  const outcome = await signedRequest(emulator.endpoint, {
    method: 'POST',
    bucket: BUCKET,
    key,
    query: [['append', null], ['position', String(length)]],
    headers: { 'transfer-encoding': 'chunked' },
    body,
  }).then(
    () => 'answered',
    () => 'connection lost',
  );
  expect(killed).toBe(true);
  expect(outcome).toBe('connection lost');
  expect((await emulator.exited).signal).toBe('SIGKILL');

  emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', BUCKET]);
  try {
    const expected = Buffer.concat(acknowledged);
    const got = await signedRequest(emulator.endpoint, { method: 'GET', bucket: BUCKET, key });
    expect(got.status).toBe(200);
    expect(got.headers['x-oss-next-append-position']).toBe(String(expected.length));
    expect(got.body.equals(expected)).toBe(true);
    expect(got.headers['x-oss-hash-crc64ecma']).toBe(crc64(expected).toString());
    // And appending continues at the acknowledged length.
    const next = await append(emulator.endpoint, BUCKET, key, expected.length, Buffer.from('after restart'));
    expect(next.status).toBe(200);
  } finally {
    emulator.process.kill('SIGTERM');
    expect((await emulator.exited).code).toBe(0);
  }
  expectNoLeftovers(Buffer.concat(acknowledged).length + 'after restart'.length);
});

test('SIGKILL at random moments during a stream of appends never loses an acknowledged one', async () => {
  const key = 'stream.log';
  const sentBodies: Buffer[] = [];
  let acknowledgedCount = 0;
  for (let run = 0; run < 5; run++) {
    const emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', BUCKET]);
    const head = await signedRequest(emulator.endpoint, { method: 'HEAD', bucket: BUCKET, key });
    let length = head.status === 200 ? Number(head.headers['x-oss-next-append-position']) : 0;
    // The object holds the first n sent appends: all acknowledged ones, plus possibly the one in
    // flight at the kill (committed, but its answer was lost).
    const present = sentBodies.filter((_, i) => Buffer.concat(sentBodies.slice(0, i + 1)).length <= length).length;
    expect(present).toBeGreaterThanOrEqual(acknowledgedCount);
    expect(Buffer.concat(sentBodies.slice(0, present)).length).toBe(length);
    sentBodies.length = present;
    acknowledgedCount = present;

    setTimeout(() => emulator.process.kill('SIGKILL'), 150 + Math.random() * 300);
    try {
      for (;;) {
        const body = Buffer.from(`run ${run} append ${sentBodies.length} `.repeat(1 + Math.floor(Math.random() * 2000)));
        sentBodies.push(body);
        const response = await append(emulator.endpoint, BUCKET, key, length, body);
        expect(response.status).toBe(200);
        acknowledgedCount = sentBodies.length;
        length += body.length;
      }
    } catch {
      // The server died mid-stream, as intended.
    }
    await emulator.exited;
  }
  const emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', BUCKET]);
  try {
    const got = await signedRequest(emulator.endpoint, { method: 'GET', bucket: BUCKET, key });
    const present = Buffer.concat(sentBodies.slice(0, acknowledgedCount));
    expect(got.body.subarray(0, present.length).equals(present)).toBe(true);
    expect(got.headers['x-oss-hash-crc64ecma']).toBe(crc64(got.body).toString());
  } finally {
    emulator.process.kill('SIGTERM');
    await emulator.exited;
  }
});

test('SIGKILL right after the last answer keeps appends that only the journal holds yet, with their bytes', async () => {
  // Appends to an existing object are committed to SQLite in batches; until then the journal
  // (which carries small bodies too) is all that holds them. Kill before a batch can commit.
  const key = 'journaled.log';
  let emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', BUCKET]);
  const bodies = Array.from({ length: 30 }, (_, i) => Buffer.from(`journaled append ${i};`.repeat(1 + (i % 5))));
  let length = 0;
  for (const body of bodies) {
    expect((await append(emulator.endpoint, BUCKET, key, length, body)).status).toBe(200);
    length += body.length;
  }
  emulator.process.kill('SIGKILL');
  await emulator.exited;

  emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', BUCKET]);
  try {
    const expected = Buffer.concat(bodies);
    const got = await signedRequest(emulator.endpoint, { method: 'GET', bucket: BUCKET, key });
    expect(got.status).toBe(200);
    expect(got.body.equals(expected)).toBe(true);
    expect(got.headers['x-oss-hash-crc64ecma']).toBe(crc64(expected).toString());
    expect(got.headers['x-oss-next-append-position']).toBe(String(expected.length));
  } finally {
    emulator.process.kill('SIGTERM');
    await emulator.exited;
  }
});
