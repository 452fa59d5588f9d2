/**
 * OSS lists keys in the byte order of their UTF-8 encoding, which is also what SQLite's BINARY
 * collation gives the store's queries. JavaScript's `<` on strings compares UTF-16 code units
 * instead, and the two disagree once a key holds a character above U+FFFF (a surrogate pair,
 * 0xD800–0xDFFF) next to one in U+E000–U+FFFF: '😀' < '！' in UTF-16, '！' < '😀' in UTF-8.
 * Comparing code points agrees with UTF-8 byte order, without encoding either string.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Past the common part, only a surrogate against a unit in U+E000–U+FFFF orders differently
    // by code point than by code unit: a surrogate starts a code point above U+FFFF.
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    if (xHigh !== yHigh && (xHigh ? y >= 0xe000 : x >= 0xe000)) return xHigh ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Whether `a` sorts after `b` in OSS's (UTF-8 byte) key order. */
export const keyAfter = (a: string, b: string): boolean => compareKeys(a, b) > 0;

/**
 * The first string, in UTF-8 byte order, after every string that starts with `prefix`: the prefix
 * with its last code point incremented (past the surrogate range), dropping trailing U+10FFFF.
 * Undefined when nothing sorts after them all (a prefix made only of U+10FFFF). A listing skips a
 * common prefix by carrying on from here; `prefix + '\u{10FFFF}'` would not do, since a key may
 * hold U+10FFFF right after the prefix.
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const codePoints = [...prefix];
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last === 0x10ffff) continue;
    const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
    return codePoints.join('') + String.fromCodePoint(next);
  }
  return undefined;
}
