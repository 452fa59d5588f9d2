/**
 * Policy wildcards: `*` matches any run of characters (`/` included), `?` exactly one character
 * (a code point, so one emoji). Matched by the classic greedy scan that remembers only the last
 * `*`: O(pattern × text) at worst, where a regular expression built from a pattern with several
 * `*` backtracks exponentially on a long key that does not match. Patterns and keys both come from
 * callers (a bucket policy, an object key), so this must never be slow.
 */
export class Wildcard {
  readonly text: string;
  private readonly units: readonly string[];
  private readonly ignoreCase: boolean;

  constructor(text: string, options: { ignoreCase?: boolean } = {}) {
    this.text = text;
    this.ignoreCase = options.ignoreCase ?? false;
    this.units = Array.from(this.ignoreCase ? text.toLowerCase() : text);
  }

  matches(candidate: string): boolean {
    const p = this.units;
    const s = Array.from(this.ignoreCase ? candidate.toLowerCase() : candidate);
    let pi = 0;
    let si = 0;
    let star = -1;
    let resume = 0;
    while (si < s.length) {
      // `*` first: a key may hold a literal `*`, which must not use up the pattern's wildcard.
      if (pi < p.length && p[pi] === '*') {
        star = pi++;
        resume = si;
      } else if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) {
        pi++;
        si++;
      } else if (star >= 0) {
        // Let the last `*` swallow one more character and retry from there.
        pi = star + 1;
        si = ++resume;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] === '*') pi++;
    return pi === p.length;
  }
}
