import { afterAll, beforeAll, expect, test } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { append, signedRequest } from '../support/signed-request.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ buckets: ['race'] });
});
afterAll(() => emulator.close());

const CLIENTS = 50;
const ROUNDS = 8;

test(`${CLIENTS} appenders at one position: exactly one wins each round, the rest get 409 with the new length`, async () => {
  const key = 'contended.log';
  let length = 0;
  const winners: Buffer[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Bodies of different sizes so a wrongly interleaved write would show in the final bytes.
    const bodies = Array.from({ length: CLIENTS }, (_, client) => Buffer.from(`[round ${round} client ${client}]`.padEnd(40 + client, '.')));
    const responses = await Promise.all(bodies.map((body) => append(emulator.endpoint, 'race', key, length, body)));
    const won = responses.flatMap((r, i) => (r.status === 200 ? [i] : []));
    expect(won).toHaveLength(1);
    const winner = bodies[won[0]!]!;
    winners.push(winner);
    length += winner.length;
    for (const [i, response] of responses.entries()) {
      if (i === won[0]) {
        expect(response.headers['x-oss-next-append-position']).toBe(String(length));
        continue;
      }
      expect(response.status).toBe(409);
      expect(response.body.toString()).toContain('<Code>PositionNotEqualToLength</Code>');
      expect(response.headers['x-oss-next-append-position']).toBe(String(length));
    }
  }
  const expected = Buffer.concat(winners);
  const got = await signedRequest(emulator.endpoint, { method: 'GET', bucket: 'race', key });
  expect(got.status).toBe(200);
  expect(got.body.equals(expected)).toBe(true);
  expect(got.headers['x-oss-hash-crc64ecma']).toBe(crc64(expected).toString());
  // Every losing append's staged bytes were discarded: only the winners' bytes remain stored.
  await new Promise((resolve) => setImmediate(resolve));
  const stored = emulator.store.db.prepare('SELECT COALESCE(SUM(length), 0) AS bytes FROM extents').get() as { bytes: number };
  expect(stored.bytes).toBe(expected.length);
});
