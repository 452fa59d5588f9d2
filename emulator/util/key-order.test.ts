import { describe, expect, it } from 'vitest';
import { compareKeys, prefixSuccessor } from './key-order.js';

const utf8Order = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('compareKeys: the UTF-8 byte order OSS and SQLite list keys in', () => {
  it('puts a character above U+FFFF after one in U+E000–U+FFFF, unlike JavaScript <', () => {
    expect('😀/x' < '！').toBe(true); // UTF-16 code units: 0xD83D < 0xFF01
    expect(compareKeys('😀/x', '！')).toBe(1);
    expect(compareKeys('！', '😀/x')).toBe(-1);
  });

  it('orders a prefix before its extensions and equal keys as equal', () => {
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
    expect(compareKeys('ab', 'a')).toBeGreaterThan(0);
    expect(compareKeys('😀', '😀')).toBe(0);
  });

  it('agrees with Buffer.compare of the UTF-8 encodings on random keys', () => {
    // Characters chosen around every boundary that matters: ASCII, 2- and 3-byte, the private use
    // area and the last BMP characters, and astral ones.
    const alphabet = ['a', 'z', '/', '~', '\u007f', 'é', '\u07ff', '\u0800', '中', '\ud7ff', '\ue000', '！', '\uffff', '😀', '\u{10000}', '\u{10ffff}'];
    let seed = 42;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const key = (): string => Array.from({ length: 1 + random(4) }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const a = key();
      const b = key();
      expect(Math.sign(compareKeys(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(utf8Order(a, b));
    }
  });
});

describe('prefixSuccessor: where a listing carries on after skipping a common prefix', () => {
  it('increments the last code point; trailing U+10FFFF carries into the one before; U+D7FF jumps the surrogates', () => {
    expect(prefixSuccessor('a/')).toBe('a0');
    expect(prefixSuccessor('a\u{10FFFF}')).toBe('b');
    expect(prefixSuccessor('😀')).toBe('\u{1F601}');
    expect(prefixSuccessor('\uD7FF')).toBe('\uE000');
    expect(prefixSuccessor('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });

  it('sorts after every key with the prefix and before or at every key without it (UTF-8 byte order)', () => {
    const prefix = 'a/';
    const next = prefixSuccessor(prefix)!;
    for (const withPrefix of ['a/', 'a/\u{10FFFF}x', 'a/\uFFFF', 'a/😀']) expect(compareKeys(withPrefix, next)).toBeLessThan(0);
    for (const without of ['a0', 'a1', 'b', 'a\u{10FFFF}']) expect(compareKeys(without, next)).toBeGreaterThanOrEqual(0);
  });
});
