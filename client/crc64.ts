/**
 * CRC-64/ECMA-182 as used by Alibaba Cloud OSS (`x-oss-hash-crc64ecma`).
 *
 * This is Go's `hash/crc64` with the ECMA table, a.k.a. CRC-64/XZ:
 * reflected polynomial 0xC96C5795D7870F42, init all ones, reflected in/out,
 * xorout all ones. Check value ("123456789") = 0x995DC9BBDF1939FA.
 *
 * JavaScript has no native 64-bit integers outside BigInt, and BigInt
 * arithmetic allocates, so the hot path keeps the 64-bit register as two
 * 32-bit halves (lo = bits 0..31, hi = bits 32..63) and uses slicing-by-16
 * tables split into the same halves. BigInt only appears at the API boundary.
 */

const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

/** Slices: table k maps byte n to the CRC contribution of n followed by k zero bytes. */
const SLICES = 16;

/**
 * Interleaved table: entry (k, n) lives at T[(k*256 + n) * 2] (lo half) and
 * T[(k*256 + n) * 2 + 1] (hi half), so both halves share a cache line.
 * Int32Array (not Uint32Array) keeps every value a small int in V8.
 */
const T = new Int32Array(SLICES * 256 * 2);

for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const lsb = lo & 1;
    // 64-bit logical shift right by one across the halves.
    lo = (lo >>> 1) | (hi << 31);
    hi = hi >>> 1;
    if (lsb) {
      lo ^= POLY_LO;
      hi ^= POLY_HI;
    }
  }
  T[n * 2] = lo;
  T[n * 2 + 1] = hi;
}
for (let k = 1; k < SLICES; k++) {
  for (let n = 0; n < 256; n++) {
    const prev = ((k - 1) * 256 + n) * 2;
    const lo = T[prev]!;
    const hi = T[prev + 1]!;
    // Feed one more zero byte: crc = T0[crc & 0xff] ^ (crc >> 8).
    const j = (lo & 0xff) * 2;
    const cur = (k * 256 + n) * 2;
    T[cur] = T[j]! ^ ((lo >>> 8) | (hi << 24));
    T[cur + 1] = T[j + 1]! ^ (hi >>> 8);
  }
}

/** Offsets (in Int32 elements) of slice k inside T. */
const S = (k: number): number => k * 512;

/**
 * Advance the (pre-inverted) register in `state` over `data`.
 * Reads and writes state.lo / state.hi once; everything in between is int32.
 */
function advance(state: { lo: number; hi: number }, d: Uint8Array): void {
  let lo = state.lo;
  let hi = state.hi;
  let i = 0;
  const n = d.length;
  const end16 = n - (n % 16);

  // Slicing-by-16: XOR the register into the first 8 bytes; the whole
  // 16-byte block then collapses into 16 independent table lookups per half.
  for (; i < end16; i += 16) {
    const a = lo ^ (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24));
    const b = hi ^ (d[i + 4]! | (d[i + 5]! << 8) | (d[i + 6]! << 16) | (d[i + 7]! << 24));
    // Table index for byte j of the block is slice (15 - j); *2 for interleaving.
    const p0 = S(15) + ((a & 0xff) << 1);
    const p1 = S(14) + (((a >>> 8) & 0xff) << 1);
    const p2 = S(13) + (((a >>> 16) & 0xff) << 1);
    const p3 = S(12) + ((a >>> 24) << 1);
    const p4 = S(11) + ((b & 0xff) << 1);
    const p5 = S(10) + (((b >>> 8) & 0xff) << 1);
    const p6 = S(9) + (((b >>> 16) & 0xff) << 1);
    const p7 = S(8) + ((b >>> 24) << 1);
    const p8 = S(7) + (d[i + 8]! << 1);
    const p9 = S(6) + (d[i + 9]! << 1);
    const p10 = S(5) + (d[i + 10]! << 1);
    const p11 = S(4) + (d[i + 11]! << 1);
    const p12 = S(3) + (d[i + 12]! << 1);
    const p13 = S(2) + (d[i + 13]! << 1);
    const p14 = S(1) + (d[i + 14]! << 1);
    const p15 = d[i + 15]! << 1;
    lo =
      T[p0]! ^ T[p1]! ^ T[p2]! ^ T[p3]! ^ T[p4]! ^ T[p5]! ^ T[p6]! ^ T[p7]! ^
      T[p8]! ^ T[p9]! ^ T[p10]! ^ T[p11]! ^ T[p12]! ^ T[p13]! ^ T[p14]! ^ T[p15]!;
    hi =
      T[p0 + 1]! ^ T[p1 + 1]! ^ T[p2 + 1]! ^ T[p3 + 1]! ^ T[p4 + 1]! ^ T[p5 + 1]! ^ T[p6 + 1]! ^ T[p7 + 1]! ^
      T[p8 + 1]! ^ T[p9 + 1]! ^ T[p10 + 1]! ^ T[p11 + 1]! ^ T[p12 + 1]! ^ T[p13 + 1]! ^ T[p14 + 1]! ^ T[p15 + 1]!;
  }

  // Tail: classic byte-at-a-time.
  for (; i < n; i++) {
    const j = ((lo ^ d[i]!) & 0xff) << 1;
    lo = T[j]! ^ ((lo >>> 8) | (hi << 24));
    hi = T[j + 1]! ^ (hi >>> 8);
  }

  state.lo = lo;
  state.hi = hi;
}

/** Running CRC-64/ECMA for streams. */
export class Crc64 {
  // Internal register = ~crc (the pre/post inversion), as int32 halves.
  // Public only so the module-level hot loop can reach them; not API.
  /** @internal */ lo: number;
  /** @internal */ hi: number;

  /** `initial` is the final CRC of bytes already seen (default: none, i.e. 0n). */
  constructor(initial = 0n) {
    const c = BigInt.asUintN(64, initial);
    this.lo = ~Number(c & 0xffffffffn);
    this.hi = ~Number(c >> 32n);
  }

  update(data: Uint8Array): this {
    advance(this, data);
    return this;
  }

  /** Current CRC; does not reset the state. */
  digest(): bigint {
    return (BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0);
  }
}

/**
 * CRC of `data`. With `previous` (the CRC of some preceding bytes) the result
 * is the CRC of preceding ‖ data: un-inverting the final CRC recovers the
 * register exactly as it was after those bytes.
 */
export function crc64(data: Uint8Array, previous = 0n): bigint {
  return new Crc64(previous).update(data).digest();
}

// ---------------------------------------------------------------------------
// Combine (zlib's crc32_combine construction, widened to 64 bits).
//
// Appending one zero bit to the message is a linear map on the 64-bit
// register (over GF(2)); represent it as 64 column vectors. Appending
// 2^k zero bytes is that map squared 3 + k times. For crc(A‖B):
//   crc(A‖B) = zeros(len(B)) applied to crc(A), XOR crc(B)
// where the init/xorout terms cancel because both CRCs carry them. The
// operators for 2^k bytes are cached, so a combine costs one matrix-vector
// product per set bit of len2.

type Matrix = bigint[]; // 64 columns; column i = image of bit i

const POLY = (BigInt(POLY_HI >>> 0) << 32n) | BigInt(POLY_LO >>> 0);

function matTimesVec(mat: Matrix, vec: bigint): bigint {
  let sum = 0n;
  for (let i = 0; vec !== 0n; i++, vec >>= 1n) {
    if (vec & 1n) sum ^= mat[i]!;
  }
  return sum;
}

function matSquare(mat: Matrix): Matrix {
  return mat.map((col) => matTimesVec(mat, col));
}

/** zeroByteOps[k] = operator for appending 2^k zero bytes. */
const zeroByteOps: Matrix[] = [];

function zeroBytesOp(k: number): Matrix {
  while (zeroByteOps.length <= k) {
    if (zeroByteOps.length === 0) {
      // One zero bit: reflected register shifts right, feeding back the poly.
      let op: Matrix = [POLY];
      for (let i = 1; i < 64; i++) op.push(1n << BigInt(i - 1));
      for (let s = 0; s < 3; s++) op = matSquare(op); // 2 bits, 4 bits, 8 bits
      zeroByteOps.push(op);
    } else {
      zeroByteOps.push(matSquare(zeroByteOps[zeroByteOps.length - 1]!));
    }
  }
  return zeroByteOps[k]!;
}

/** CRC of A‖B given crc1 = crc(A), crc2 = crc(B), len2 = length of B in bytes. */
export function crc64Combine(crc1: bigint, crc2: bigint, len2: number): bigint {
  if (!Number.isSafeInteger(len2) || len2 < 0) {
    throw new RangeError(`crc64Combine: invalid length ${len2}`);
  }
  let c = BigInt.asUintN(64, crc1);
  for (let k = 0; len2 > 0; k++, len2 = Math.floor(len2 / 2)) {
    if (len2 % 2 === 1) c = matTimesVec(zeroBytesOp(k), c);
  }
  return c ^ BigInt.asUintN(64, crc2);
}

/** Unsigned decimal, as sent in `x-oss-hash-crc64ecma`. */
export function crc64ToString(crc: bigint): string {
  return BigInt.asUintN(64, crc).toString(10);
}
