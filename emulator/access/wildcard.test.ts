import { describe, expect, it } from 'vitest';
import { Wildcard } from './wildcard.js';

describe('Wildcard', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything/at/all', true],
    ['a*', 'a', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbcd', false],
    ['a*c*e', 'a/c/e', true],
    ['?', 'x', true],
    ['?', '', false],
    ['??', 'x', false],
    ['b/?', 'b/😀', true],
    ['b/??', 'b/😀', false],
    ['a?c', 'abc', true],
    ['*.log', 'logs/2026/01.log', true],
    ['*.log', 'logs/2026/01.logs', false],
    ['a+b(1).[x]', 'a+b(1).[x]', true],
    ['a+b(1).[x]', 'aab(1).[x]', false],
    ['Case', 'case', false],
    // Keys may hold the wildcard characters themselves.
    ['*', '*\n', true],
    ['a*', 'a*b', true],
    ['secret/*', 'secret/*x', true],
    ['a?c', 'a?c', true],
    ['a*b', 'a*', false],
  ])('%j against %j: %s', (pattern, text, expected) => {
    expect(new Wildcard(pattern).matches(text)).toBe(expected);
  });

  it('can ignore case (actions)', () => {
    expect(new Wildcard('oss:Get*', { ignoreCase: true }).matches('OSS:getobject')).toBe(true);
  });

  it('agrees with a plain dynamic-programming matcher on random patterns and texts', () => {
    const alphabet = ['a', 'b', '*', '?', '/', '😀'];
    let seed = 42;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const word = (max: number): string => Array.from({ length: random(max + 1) }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const pattern = word(6);
      const text = word(8);
      expect(new Wildcard(pattern).matches(text), `${JSON.stringify(pattern)} against ${JSON.stringify(text)}`).toBe(reference(pattern, text));
    }
  });

  it('stays fast where a regular expression backtracks: ten stars against a 1023-character key that does not match', () => {
    const pattern = new Wildcard(`acs:oss:*:*:bkt/${'a*'.repeat(10)}b`);
    const key = `acs:oss:cn-hangzhou:1:bkt/${'a'.repeat(1023)}`;
    const started = performance.now();
    for (let i = 0; i < 10; i++) expect(pattern.matches(key)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

/** matches[i][j]: the first i characters of the pattern match the first j of the text. */
function reference(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  const matches = Array.from({ length: p.length + 1 }, () => new Array<boolean>(t.length + 1).fill(false));
  matches[0]![0] = true;
  for (let i = 1; i <= p.length; i++) {
    for (let j = 0; j <= t.length; j++) {
      matches[i]![j] =
        p[i - 1] === '*' ? matches[i - 1]![j]! || (j > 0 && matches[i]![j - 1]!) : j > 0 && matches[i - 1]![j - 1]! && (p[i - 1] === '?' || p[i - 1] === t[j - 1]);
    }
  }
  return matches[p.length]![t.length]!;
}
