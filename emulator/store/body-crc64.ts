import { createRequire } from 'node:module';
import type { createCRC64 as CreateCRC64, IHasher } from 'hash-wasm';
import { Crc64, crc64Combine } from '../../client/crc64.js';

// hash-wasm's package entry loads every algorithm it has: ~35 ms at start-up, and ~35 more for the
// first hasher. Its CRC-64 bundle alone takes ~7 ms and ~3.5 ms.
const { createCRC64 } = createRequire(import.meta.url)('hash-wasm/dist/crc64.umd.min.js') as { createCRC64: typeof CreateCRC64 };

/**
 * From this size on a body's CRC-64 is computed by hash-wasm's WebAssembly, about twice as fast
 * as our table-driven JavaScript. It starts from zero, so the result is joined to the seed with
 * crc64Combine (2–125 µs, by the bits of the length); below this size the JavaScript code, which
 * takes the seed directly, costs less than that.
 */
export const WASM_FROM_BYTES = 128 * 1024;
/** Hashers kept for reuse: making one takes ~0.4 ms (the first in a process ~3.5). */
const MAX_IDLE_HASHERS = 16;
const idleHashers: IHasher[] = [];
let hashersBeingMade = 0;
/** Hashers are made one after another (hash-wasm serializes it anyway); this settles when the last asked for is made. */
let making: Promise<void> = Promise.resolve();

/** The CRC-64 of `seed`'s bytes followed by a body, fed piece by piece. */
export interface BodyCrc64 {
  /** Which code computes it (for tests and profiles). */
  readonly engine: 'wasm' | 'js';
  update(piece: Uint8Array): void;
  /** CRC of the seed's bytes and the whole body. Call once, then `release`. */
  digest(): bigint;
  /** Gives back what the checksum holds; call it whether or not the body was read to the end. */
  release(): void;
}

/**
 * A checksum for a body of `expectedBytes` (its Content-Length; undefined when chunked, which
 * is treated as large) that continues the object whose CRC is `seed`.
 *
 * It never waits: a request's body must be read (and its listeners attached) at once, or a client
 * that goes away meanwhile is missed. So when no WebAssembly hasher is free, this body is
 * checksummed in JavaScript and another hasher is made in the background for later bodies.
 */
export function bodyCrc64(seed: bigint, expectedBytes: number | undefined): BodyCrc64 {
  if (expectedBytes !== undefined && expectedBytes < WASM_FROM_BYTES) return jsCrc64(seed);
  const hasher = idleHashers.pop();
  if (!hasher) {
    // If none can be made, bodies simply stay with the JavaScript code.
    makeHasher().catch(() => undefined);
    return jsCrc64(seed);
  }
  hasher.init();
  let length = 0;
  let released = false;
  return {
    engine: 'wasm',
    update(piece) {
      hasher.update(piece);
      length += piece.length;
    },
    digest() {
      const own = Buffer.from(hasher.digest('binary')).readBigUInt64BE(0);
      return crc64Combine(seed, own, length);
    },
    release() {
      if (released) return;
      released = true;
      if (idleHashers.length < MAX_IDLE_HASHERS) idleHashers.push(hasher);
    },
  };
}

/**
 * Makes a hasher for the pool (the emulator awaits one at start, so that its first large body is
 * checksummed in WebAssembly too). With the pool full or filling, settles once those being made are.
 */
export function makeHasher(): Promise<void> {
  if (idleHashers.length + hashersBeingMade >= MAX_IDLE_HASHERS) return making.catch(() => undefined);
  hashersBeingMade++;
  making = making
    .catch(() => undefined) // one that failed does not stop the next
    .then(async () => {
      try {
        idleHashers.push(await createCRC64());
      } finally {
        hashersBeingMade--;
      }
    });
  return making;
}

function jsCrc64(seed: bigint): BodyCrc64 {
  const crc = new Crc64(seed);
  return {
    engine: 'js',
    update: (piece) => void crc.update(piece),
    digest: () => crc.digest(),
    release: () => {},
  };
}
