import { Wildcard } from '../access/wildcard.js';
import { OssError } from '../errors/oss-error.js';
import type { RefererConfiguration } from '../store/types.js';
import type { XmlElement } from '../util/xml.js';
import { booleanText, elementOf, textOf, textsOf } from '../util/xml-fields.js';
import { invalidArgument, type ConfigurationKind } from './kind.js';

/**
 * A bucket's hotlink protection (PutBucketReferer): which `Referer` values may read it. OSS has no
 * DeleteBucketReferer; a PUT that allows an empty Referer with an empty list switches it off (ali-oss's
 * deleteBucketReferer does just that), and GET then shows what a new bucket shows.
 */
export const bucketReferer: ConfigurationKind<'referer'> = {
  key: 'referer',
  subresource: 'referer',
  root: 'RefererConfiguration',
  names: { put: 'PutBucketReferer', get: 'GetBucketReferer' },
  actions: { put: 'oss:PutBucketReferer', get: 'oss:GetBucketReferer' },
  // Hotlink protection is off: an empty Referer allowed, no list.
  none: { document: { AllowEmptyReferer: 'true', RefererList: {} } },

  read(root) {
    const allowEmptyReferer = readBoolean(root, 'AllowEmptyReferer');
    if (allowEmptyReferer === undefined) throw new OssError('MalformedXML');
    const allowTruncateQueryString = readBoolean(root, 'AllowTruncateQueryString');
    const truncatePath = readBoolean(root, 'TruncatePath');
    if (truncatePath === true && allowTruncateQueryString === false) {
      throw invalidArgument('TruncatePath needs AllowTruncateQueryString to be true.', undefined, 'TruncatePath', 'true');
    }
    const blocked = root['RefererBlacklist'] === undefined ? undefined : referersOf(root['RefererBlacklist']);
    return {
      allowEmptyReferer,
      ...(allowTruncateQueryString !== undefined ? { allowTruncateQueryString } : {}),
      ...(truncatePath !== undefined ? { truncatePath } : {}),
      allowed: referersOf(root['RefererList']),
      ...(blocked !== undefined ? { blocked } : {}),
    } satisfies RefererConfiguration;
  },

  render(referer) {
    const document: XmlElement = { AllowEmptyReferer: String(referer.allowEmptyReferer) };
    if (referer.allowTruncateQueryString !== undefined) document['AllowTruncateQueryString'] = String(referer.allowTruncateQueryString);
    if (referer.truncatePath !== undefined) document['TruncatePath'] = String(referer.truncatePath);
    document['RefererList'] = listOf(referer.allowed);
    if (referer.blocked !== undefined) document['RefererBlacklist'] = listOf(referer.blocked);
    return document;
  },
};

const listOf = (referers: string[]): XmlElement => (referers.length > 0 ? { Referer: referers } : {});

function readBoolean(root: Record<string, unknown>, name: string): boolean | undefined {
  const text = textOf(root[name]);
  return text === undefined ? undefined : booleanText(text, () => invalidArgument(`${name} must be true or false.`, undefined, name, text));
}

/** A RefererList's (or RefererBlacklist's) Referer values; an empty one (the Go SDK sends `<Referer></Referer>` for none) is dropped. */
function referersOf(list: unknown): string[] {
  const element = elementOf(list);
  if (element === undefined) return [];
  return textsOf(element['Referer']).filter((referer) => referer !== '');
}

/**
 * Hotlink protection as OSS applies it: to requests without an `Authorization` header (anonymous
 * ones and presigned URLs), whatever the ACL. A Referer on the blacklist is refused; with a
 * whitelist, a Referer must be on it, or be empty (absent) where the configuration allows that. An
 * empty whitelist checks nothing else. `*` stands for any run of characters and `?` for one, and
 * the comparison ignores case (host names do). Refusals are 403 AccessDenied with OSS's ECs.
 */
export function checkReferer(referer: RefererConfiguration, headers: Record<string, string | undefined>): void {
  if (headers['authorization'] !== undefined) return;
  const sent = headers['referer'] ?? '';
  const compared = comparedPart(sent, referer);
  const { allowed, blocked } = patternsOf(referer);
  if (sent !== '' && blocked.some((pattern) => pattern.matches(compared))) throw refused('0003-00000502');
  if (allowed.length === 0) return;
  if (sent === '') {
    if (!referer.allowEmptyReferer) throw refused('0003-00000501');
    return;
  }
  if (!allowed.some((pattern) => pattern.matches(compared))) throw refused('0003-00000503');
}

/** The Referer without its query string (unless AllowTruncateQueryString is false), and with TruncatePath without its path too. */
function comparedPart(sent: string, referer: RefererConfiguration): string {
  if (referer.allowTruncateQueryString === false) return sent;
  const withoutQuery = sent.split('?')[0]!;
  if (referer.truncatePath !== true) return withoutQuery;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(withoutQuery);
  return origin ? origin[0] : withoutQuery;
}

/** The patterns of a configuration, ready to match (the store replaces the object whenever the rules change). */
const compiled = new WeakMap<RefererConfiguration, { allowed: Wildcard[]; blocked: Wildcard[] }>();

function patternsOf(referer: RefererConfiguration): { allowed: Wildcard[]; blocked: Wildcard[] } {
  let patterns = compiled.get(referer);
  if (!patterns) {
    // A linear-time matcher: a regular expression of many `.*` can backtrack for minutes on a Referer that nearly matches.
    const compile = (list: string[]): Wildcard[] => list.map((pattern) => new Wildcard(pattern, { ignoreCase: true }));
    patterns = { allowed: compile(referer.allowed), blocked: compile(referer.blocked ?? []) };
    compiled.set(referer, patterns);
  }
  return patterns;
}

function refused(ec: string): OssError {
  return new OssError('AccessDenied', { message: 'You are denied by bucket referer policy.', ec });
}
