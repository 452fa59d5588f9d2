import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../client/crc64.js';
import { bodyCrc64, makeHasher, WASM_FROM_BYTES, type BodyCrc64 } from './body-crc64.js';

/** Feeds `body` in pieces of the given sizes (cycled), as a socket would deliver it. */
function checksum(seed: bigint, body: Buffer, expectedBytes: number | undefined, pieces: number[]): { crc: bigint; engine: BodyCrc64['engine'] } {
  const crc = bodyCrc64(seed, expectedBytes);
  try {
    for (let at = 0, i = 0; at < body.length; i++) {
      const size = pieces[i % pieces.length]!;
      crc.update(body.subarray(at, at + size));
      at += size;
    }
    return { crc: crc.digest(), engine: crc.engine };
  } finally {
    crc.release();
  }
}

describe('bodyCrc64', () => {
  beforeAll(() => makeHasher()); // as the emulator does at start
  const seedBytes = randomBytes(1000);
  const seed = crc64(seedBytes);

  // Both sides of the WebAssembly threshold, chunked (no length), odd lengths that exercise the combine.
  const cases: Array<[string, number, number | undefined]> = [
    ['an empty body', 0, 0],
    ['one byte', 1, 1],
    ['just under the threshold', WASM_FROM_BYTES - 1, WASM_FROM_BYTES - 1],
    ['at the threshold', WASM_FROM_BYTES, WASM_FROM_BYTES],
    ['1 MiB and 3 bytes', (1 << 20) + 3, (1 << 20) + 3],
    ['a chunked body', 300_001, undefined],
    ['a chunked empty body', 0, undefined],
  ];
  for (const [name, size, expected] of cases) {
    it(`continues the seed's CRC over ${name}`, () => {
      const body = randomBytes(size);
      const whole = crc64(Buffer.concat([seedBytes, body]));
      const engine = expected !== undefined && expected < WASM_FROM_BYTES ? 'js' : 'wasm';
      expect(checksum(seed, body, expected, [65_536, 7, 16_384, 1])).toEqual({ crc: whole, engine });
      expect(checksum(0n, body, expected, [size || 1])).toEqual({ crc: crc64(body), engine });
    });
  }

  it('keeps bodies apart when several are checksummed at once', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => randomBytes(WASM_FROM_BYTES + i * 977));
    const crcs = bodies.map((body) => bodyCrc64(seed, body.length));
    // Interleaved, as concurrent requests feed them.
    for (let at = 0; at < bodies.at(-1)!.length; at += 4096) {
      bodies.forEach((body, i) => crcs[i]!.update(body.subarray(at, at + 4096)));
    }
    const results = crcs.map((crc) => crc.digest());
    crcs.forEach((crc) => crc.release());
    expect(results).toEqual(bodies.map((body) => crc64(Buffer.concat([seedBytes, body]))));
    // More bodies than free hashers: the rest went to JavaScript at once, not waiting for one.
    expect(crcs[0]!.engine).toBe('wasm');
    expect(crcs.at(-1)!.engine).toBe('js');
  });

  it('with no hasher free, a large body is checksummed in JavaScript at once, and one is made for the next', async () => {
    const held: BodyCrc64[] = [];
    let crc = bodyCrc64(0n, undefined);
    while (crc.engine === 'wasm') {
      held.push(crc);
      crc = bodyCrc64(0n, undefined);
    }
    crc.update(Buffer.from('123456789'));
    expect(crc.digest()).toBe(0x995dc9bbdf1939fan);
    crc.release();
    for (const h of held) h.release();
    await makeHasher();
    expect(bodyCrc64(0n, undefined).engine).toBe('wasm');
  });

  it('starts a reused checksum from scratch, even after a body that was never finished', async () => {
    const abandoned = bodyCrc64(seed, undefined);
    abandoned.update(randomBytes(5000));
    abandoned.release();
    abandoned.release(); // twice is harmless: it is not pooled twice
    const body = randomBytes(WASM_FROM_BYTES);
    await makeHasher();
    const [a, b] = [bodyCrc64(0n, body.length), bodyCrc64(0n, body.length)];
    expect([a.engine, b.engine]).toEqual(['wasm', 'wasm']);
    a.update(body);
    b.update(body);
    expect([a.digest(), b.digest()]).toEqual([crc64(body), crc64(body)]);
    a.release();
    b.release();
  });
});
