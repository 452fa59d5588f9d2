import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Crc64, crc64, crc64Combine, crc64ToString } from './crc64.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Bit-at-a-time BigInt reference (slow, obviously correct), independent of the tables. */
function referenceCrc64(data: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

describe('crc64 (CRC-64/ECMA-182, OSS x-oss-hash-crc64ecma)', () => {
  it.each([
    ['', 0n],
    ['123456789', 11051210869376104954n],
    ['abc', 3231342946509354535n],
    ['foo', 10965392271467943256n],
    ['foobar', 6001682485122215966n],
    ['foobarbaz', 9240600635424475731n],
  ])('crc64(%j) = %s', (input, expected) => {
    expect(crc64(enc(input))).toBe(expected);
    expect(new Crc64().update(enc(input)).digest()).toBe(expected);
  });

  it('matches the bitwise reference for every length 0..100 and odd offsets', () => {
    const buf = randomBytes(200);
    for (let len = 0; len <= 100; len++) {
      for (const off of [0, 1, 3, 7]) {
        const view = buf.subarray(off, off + len);
        expect(crc64(view)).toBe(referenceCrc64(view));
      }
    }
  });

  it('matches the bitwise reference on a larger random buffer', () => {
    const buf = randomBytes(64 * 1024 + 13);
    expect(crc64(buf)).toBe(referenceCrc64(buf));
  });

  it('continues from a previous CRC', () => {
    expect(crc64(enc('bar'), crc64(enc('foo')))).toBe(crc64(enc('foobar')));
    expect(crc64(enc(''), crc64(enc('foo')))).toBe(crc64(enc('foo')));
    expect(new Crc64(crc64(enc('foo'))).update(enc('barbaz')).digest()).toBe(9240600635424475731n);
  });

  it('Crc64 fed in odd-sized, unaligned pieces equals the one-shot CRC', () => {
    const buf = randomBytes(3 * 1024 * 1024 + 5);
    const expected = crc64(buf);
    const sizes = [1, 3, 7, 1000, 16, 17, 65536];
    const h = new Crc64();
    let off = 0;
    for (let i = 0; off < buf.length; i++) {
      const end = Math.min(buf.length, off + sizes[i % sizes.length]!);
      h.update(buf.subarray(off, end));
      off = end;
    }
    expect(h.digest()).toBe(expected);
  });

  it('digest() does not reset and can be called mid-stream', () => {
    const h = new Crc64();
    expect(h.digest()).toBe(0n);
    h.update(enc('foo'));
    expect(h.digest()).toBe(10965392271467943256n);
    expect(h.digest()).toBe(10965392271467943256n);
    expect(h.update(enc('bar')).update(enc('baz')).digest()).toBe(9240600635424475731n);
  });

  it('crc64Combine', () => {
    expect(crc64Combine(crc64(enc('foo')), crc64(enc('barbaz')), 6)).toBe(crc64(enc('foobarbaz')));
    expect(crc64Combine(crc64(enc('foobar')), crc64(enc('')), 0)).toBe(crc64(enc('foobar')));
    expect(crc64Combine(0n, crc64(enc('foobar')), 6)).toBe(crc64(enc('foobar')));
  });

  it('crc64Combine on random larger buffers (multipart)', () => {
    const parts = [randomBytes(1024 * 1024 + 3), randomBytes(1), randomBytes(777_777), randomBytes(2 * 1024 * 1024)];
    let combined = 0n;
    for (const p of parts) combined = crc64Combine(combined, crc64(p), p.length);
    expect(combined).toBe(crc64(Buffer.concat(parts)));
  });

  it('crc64Combine rejects bad lengths', () => {
    expect(() => crc64Combine(1n, 2n, -1)).toThrow(RangeError);
    expect(() => crc64Combine(1n, 2n, 1.5)).toThrow(RangeError);
  });

  it('crc64ToString formats as unsigned decimal', () => {
    // "123456789" → 0x995DC9BBDF1939FA, above 2^63.
    const crc = crc64(enc('123456789'));
    expect(crc > 2n ** 63n).toBe(true);
    expect(crc64ToString(crc)).toBe('11051210869376104954');
    expect(crc64ToString(0n)).toBe('0');
    expect(crc64ToString(0xffffffffffffffffn)).toBe('18446744073709551615');
  });
});
