import { createCRC64, type IHasher } from 'hash-wasm';
import { Crc64, crc64Combine } from '../../client/crc64.js';

/**
 * From this size on a body's CRC-64 is computed by hash-wasm's WebAssembly, about twice as fast
 * as our table-driven JavaScript. It starts from zero, so the result is joined to the seed with
 * crc64Combine (2–75 µs, by the bits of the length); below this size the JavaScript code, which
 * takes the seed directly, costs less than that.
 */
export const WASM_FROM_BYTES = 128 * 1024;
/** Hashers kept for reuse: making one takes ~0.4 ms. More are made when more bodies run at once. */
const MAX_IDLE_HASHERS = 16;
const idleHashers: IHasher[] = [];

/** The CRC-64 of `seed`'s bytes followed by a body, fed piece by piece. */
export interface BodyCrc64 {
  update(piece: Uint8Array): void;
  /** CRC of the seed's bytes and the whole body. Call once, then `release`. */
  digest(): bigint;
  /** Gives back what the checksum holds; call it whether or not the body was read to the end. */
  release(): void;
}

/**
 * A checksum for a body of `expectedBytes` (its Content-Length; undefined when chunked, which
 * is treated as large) that continues the object whose CRC is `seed`.
 */
export async function bodyCrc64(seed: bigint, expectedBytes: number | undefined): Promise<BodyCrc64> {
  if (expectedBytes !== undefined && expectedBytes < WASM_FROM_BYTES) return jsCrc64(seed);
  const hasher = idleHashers.pop() ?? (await createCRC64());
  hasher.init();
  let length = 0;
  let released = false;
  return {
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

function jsCrc64(seed: bigint): BodyCrc64 {
  const crc = new Crc64(seed);
  return {
    update: (piece) => void crc.update(piece),
    digest: () => crc.digest(),
    release: () => {},
  };
}
