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
  ])('%j against %j: %s', (pattern, text, expected) => {
    expect(new Wildcard(pattern).matches(text)).toBe(expected);
  });

  it('can ignore case (actions)', () => {
    expect(new Wildcard('oss:Get*', { ignoreCase: true }).matches('OSS:getobject')).toBe(true);
  });

  it('stays fast where a regular expression backtracks: ten stars against a 1023-character key that does not match', () => {
    const pattern = new Wildcard(`acs:oss:*:*:bkt/${'a*'.repeat(10)}b`);
    const key = `acs:oss:cn-hangzhou:1:bkt/${'a'.repeat(1023)}`;
    const started = performance.now();
    for (let i = 0; i < 10; i++) expect(pattern.matches(key)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
