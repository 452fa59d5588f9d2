import { randomUUID } from 'node:crypto';
import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import type { XmlTree } from '../store/types.js';
import type { XmlElement } from '../util/xml.js';
import { booleanText, elementOf, elementsOf, textOf } from '../util/xml-fields.js';
import { invalidArgument, type ConfigurationKind } from './kind.js';

/**
 * A bucket's lifecycle rules (PutBucketLifecycle). The emulator checks them as OSS documents
 * checking them (its 0014-000000NN error pages, and the SDKs' tests against OSS), keeps them and
 * returns them, each rule's elements in one fixed order; it does not apply them: nothing expires
 * or changes storage class. The SDKs put a rule's elements in every order, and some send elements
 * OSS ignores directly under `<Rule>` (ali-oss's old call shape): those are ignored here too.
 */
export const bucketLifecycle: ConfigurationKind<'lifecycle'> = {
  key: 'lifecycle',
  subresource: 'lifecycle',
  root: 'LifecycleConfiguration',
  names: { put: 'PutBucketLifecycle', get: 'GetBucketLifecycle', delete: 'DeleteBucketLifecycle' },
  actions: { put: 'oss:PutBucketLifecycle', get: 'oss:GetBucketLifecycle', delete: 'oss:DeleteBucketLifecycle' },
  none: { error: 'NoSuchLifecycle' },

  read(root, ctx) {
    const elements = elementsOf(root['Rule']);
    if (elements.length === 0) throw new OssError('MalformedXML', { ec: '0014-00000013' });
    if (elements.length > MAX_RULES) throw invalidArgument(`A bucket may have at most ${MAX_RULES} lifecycle rules.`, '0014-00000014');
    const rules = elements.map(readRule);
    checkIds(rules);
    checkOverlaps(rules, allowsSameActionOverlap(ctx));
    return rules.map(ruleTree);
  },

  render: (rules) => ({ Rule: rules as XmlElement[] }),
};

const MAX_RULES = 1000;
const MAX_ID_CHARS = 255;
const TRANSITION_CLASSES = ['IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;

/** When an action takes effect: after a number of days, or for objects last modified before a date. */
type When = { days: number } | { createdBeforeDate: string } | { date: string };

interface Transition {
  when: When;
  storageClass: string;
  isAccessTime?: boolean;
  returnToStdWhenVisit?: boolean;
  allowSmallFile?: boolean;
}

interface NoncurrentTransition extends Omit<Transition, 'when'> {
  noncurrentDays: number;
}

interface Rule {
  /** Undefined when the request had none (or an empty one): OSS makes one up. */
  id?: string;
  prefix: string;
  status: string;
  expiration?: When | { expiredObjectDeleteMarker: true };
  transitions: Transition[];
  abortMultipartUpload?: When;
  tags: Array<[string, string]>;
  noncurrentExpirationDays?: number;
  noncurrentTransitions: NoncurrentTransition[];
  filter?: { greaterThan?: number; lessThan?: number; not: Array<{ prefix: string; tag?: [string, string] }> };
}

function readRule(element: Record<string, unknown>): Rule {
  const id = textOf(element['ID']) || undefined;
  if (id !== undefined && id.length > MAX_ID_CHARS) throw invalidArgument(`A rule ID may be at most ${MAX_ID_CHARS} characters long.`, '0014-00000019', 'ID', id);
  const status = textOf(element['Status']);
  if (status === undefined) throw new OssError('MalformedXML', { ec: '0014-00000025' });
  if (status !== 'Enabled' && status !== 'Disabled') throw invalidArgument('Status must be Enabled or Disabled.', '0014-00000024', 'Status', status);
  const rule: Rule = {
    ...(id !== undefined ? { id } : {}),
    prefix: textOf(element['Prefix']) ?? '',
    status,
    transitions: elementsOf(element['Transition']).map(readTransition),
    tags: elementsOf(element['Tag']).map(readTag),
    noncurrentTransitions: elementsOf(element['NoncurrentVersionTransition']).map(readNoncurrentTransition),
  };
  const expiration = elementOf(element['Expiration']);
  if (expiration !== undefined) rule.expiration = readExpiration(expiration);
  const abort = elementOf(element['AbortMultipartUpload']);
  if (abort !== undefined) rule.abortMultipartUpload = readWhen(abort, 'AbortMultipartUpload', ['Days', 'CreatedBeforeDate', 'Date']);
  const noncurrentExpiration = elementOf(element['NoncurrentVersionExpiration']);
  if (noncurrentExpiration !== undefined) {
    onlyChildren(noncurrentExpiration, ['NoncurrentDays']);
    rule.noncurrentExpirationDays = readDays(noncurrentExpiration['NoncurrentDays'], 'NoncurrentDays');
  }
  const filter = elementOf(element['Filter']);
  if (filter !== undefined) rule.filter = readFilter(filter);
  checkRule(rule);
  return rule;
}

/** Days, CreatedBeforeDate or (OSS's older element, which the Go SDK and oss2 still send) Date: exactly one. */
function readWhen(element: Record<string, unknown>, action: 'Expiration' | 'Transition' | 'AbortMultipartUpload', allowed: readonly string[], extra: readonly string[] = []): When {
  onlyChildren(element, [...allowed, ...extra]);
  const given = allowed.filter((name) => element[name] !== undefined);
  // OSS documents the ECs of Expiration's (-60, -61) and Transition's (-50) cases; for AbortMultipartUpload none.
  const ec = action === 'Expiration' ? ['0014-00000060', '0014-00000061'] : action === 'Transition' ? ['0014-00000050', '0014-00000050'] : [undefined, undefined];
  if (given.length === 0) throw invalidArgument(`${action} must have Days or CreatedBeforeDate.`, ec[0]);
  if (given.length > 1) throw invalidArgument(`${action} may have only one of Days and CreatedBeforeDate.`, ec[1]);
  const name = given[0]!;
  if (name === 'Days') return { days: readDays(element['Days'], 'Days') };
  const date = readDate(element[name], name);
  return name === 'Date' ? { date } : { createdBeforeDate: date };
}

/**
 * Days, CreatedBeforeDate or Date, or ExpiredObjectDeleteMarker true alone ("Only one expiration property
 * should be specified", the Java SDK's test against OSS). A false marker beside a time is no property:
 * the Go SDK v2 sends `<Days>40</Days><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker>`.
 */
function readExpiration(element: Record<string, unknown>): Rule['expiration'] {
  const text = textOf(element['ExpiredObjectDeleteMarker']);
  const marker = text === undefined ? undefined : readBoolean(text, 'ExpiredObjectDeleteMarker');
  const timed = ['Days', 'CreatedBeforeDate', 'Date'].some((name) => element[name] !== undefined);
  if (marker !== true) {
    if (marker === false && !timed) throw invalidArgument('Expiration must have Days, CreatedBeforeDate or ExpiredObjectDeleteMarker set to true.', '0014-00000060');
    return readWhen(element, 'Expiration', ['Days', 'CreatedBeforeDate', 'Date'], ['ExpiredObjectDeleteMarker']);
  }
  if (timed) throw invalidArgument('Only one expiration property should be specified.', '0014-00000061');
  onlyChildren(element, ['ExpiredObjectDeleteMarker']);
  return { expiredObjectDeleteMarker: true };
}

const ACCESS_TIME_FIELDS = ['IsAccessTime', 'ReturnToStdWhenVisit', 'AllowSmallFile'] as const;

function readTransitionClass(element: Record<string, unknown>): Omit<Transition, 'when'> {
  const storageClass = textOf(element['StorageClass']) ?? '';
  if (!(TRANSITION_CLASSES as readonly string[]).includes(storageClass)) {
    throw invalidArgument('A transition must be to IA, Archive, ColdArchive or DeepColdArchive.', undefined, 'StorageClass', storageClass);
  }
  const transition: Omit<Transition, 'when'> = { storageClass };
  const [isAccessTime, returnToStdWhenVisit, allowSmallFile] = ACCESS_TIME_FIELDS.map((name) => {
    const text = textOf(element[name]);
    return text === undefined ? undefined : readBoolean(text, name);
  });
  if (isAccessTime !== undefined) transition.isAccessTime = isAccessTime;
  if (returnToStdWhenVisit !== undefined) transition.returnToStdWhenVisit = returnToStdWhenVisit;
  if (allowSmallFile !== undefined) transition.allowSmallFile = allowSmallFile;
  // By last access time, an object may go back to Standard when read; the two come together.
  if ((isAccessTime === true) !== (returnToStdWhenVisit !== undefined)) {
    throw invalidArgument('ReturnToStdWhenVisit is set exactly when IsAccessTime is true.', '0014-00000052');
  }
  return transition;
}

function readTransition(element: Record<string, unknown>): Transition {
  return { when: readWhen(element, 'Transition', ['Days', 'CreatedBeforeDate'], ['StorageClass', ...ACCESS_TIME_FIELDS]), ...readTransitionClass(element) };
}

function readNoncurrentTransition(element: Record<string, unknown>): NoncurrentTransition {
  onlyChildren(element, ['NoncurrentDays', 'StorageClass', ...ACCESS_TIME_FIELDS]);
  return { noncurrentDays: readDays(element['NoncurrentDays'], 'NoncurrentDays'), ...readTransitionClass(element) };
}

function readTag(element: Record<string, unknown>): [string, string] {
  onlyChildren(element, ['Key', 'Value']);
  const key = textOf(element['Key']);
  if (key === undefined || key === '') throw invalidArgument('A lifecycle rule Tag must have a Key.', undefined, 'Key', '');
  return [key, textOf(element['Value']) ?? ''];
}

function readFilter(element: Record<string, unknown>): NonNullable<Rule['filter']> {
  onlyChildren(element, ['Not', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan']);
  const nots = elementsOf(element['Not']);
  // A filter has one Not at most (0014-00000089: a node that may occur once occurs twice).
  if (nots.length > 1) throw new OssError('MalformedXML', { ec: '0014-00000089' });
  const filter: NonNullable<Rule['filter']> = {
    not: nots.map((not) => {
      onlyChildren(not, ['Prefix', 'Tag']);
      const tag = elementOf(not['Tag']);
      return { prefix: textOf(not['Prefix']) ?? '', ...(tag !== undefined ? { tag: readTag(tag) } : {}) };
    }),
  };
  const greater = textOf(element['ObjectSizeGreaterThan']);
  const less = textOf(element['ObjectSizeLessThan']);
  if (greater !== undefined) filter.greaterThan = readSize(greater, 'ObjectSizeGreaterThan');
  if (less !== undefined) filter.lessThan = readSize(less, 'ObjectSizeLessThan');
  if (filter.greaterThan !== undefined && filter.lessThan !== undefined && filter.greaterThan >= filter.lessThan) {
    throw invalidArgument('ObjectSizeGreaterThan must be less than ObjectSizeLessThan.', '0014-00000041');
  }
  return filter;
}

/** What a rule's actions must agree on, beyond each being well formed. */
function checkRule(rule: Rule): void {
  const hasAction =
    rule.expiration !== undefined || rule.transitions.length > 0 || rule.abortMultipartUpload !== undefined || rule.noncurrentExpirationDays !== undefined || rule.noncurrentTransitions.length > 0;
  if (!hasAction) throw invalidArgument('A lifecycle rule must have at least one action.', '0014-00000026');
  const markerExpiration = rule.expiration !== undefined && 'expiredObjectDeleteMarker' in rule.expiration;
  if (rule.tags.length > 0 && (rule.abortMultipartUpload !== undefined || markerExpiration)) {
    throw invalidArgument('Could not specify a tag-based filter with AbortMultipartUpload or DeleteBucket or ExpiredObjectDeleteMarker in lifecycle rule', undefined);
  }
  if (rule.filter && (rule.filter.greaterThan !== undefined || rule.filter.lessThan !== undefined) && [...rule.transitions, ...rule.noncurrentTransitions].some((t) => t.allowSmallFile !== undefined)) {
    throw invalidArgument('AllowSmallFile may not be used with an object size filter.', undefined);
  }
  // Expiration and transitions all by days, or all by date (oss2's test against OSS: InvalidRequest).
  const bases = [...(rule.expiration && !markerExpiration ? [rule.expiration as When] : []), ...rule.transitions.map((t) => t.when)].map((when) => 'days' in when);
  if (bases.includes(true) && bases.includes(false)) {
    const storageClass = rule.transitions[0]?.storageClass ?? 'IA';
    throw new OssError('InvalidRequest', {
      message: `Found mixed CreatedBeforeDate and Days based Expiration and Transition for StorageClass ${storageClass} actions`,
      ec: '0014-00000080',
    });
  }
  checkDayOrder(
    rule.transitions.flatMap((t) => ('days' in t.when ? [{ days: t.when.days, storageClass: t.storageClass }] : [])),
    rule.expiration && 'days' in rule.expiration ? rule.expiration.days : undefined,
    'Days',
  );
  checkDayOrder(rule.noncurrentTransitions.map((t) => ({ days: t.noncurrentDays, storageClass: t.storageClass })), rule.noncurrentExpirationDays, 'NoncurrentDays');
}

/** Colder classes come later, and expiration after every transition (oss2's tests against OSS). */
function checkDayOrder(transitions: Array<{ days: number; storageClass: string }>, expirationDays: number | undefined, field: string): void {
  const sorted = [...transitions].sort((a, b) => TRANSITION_CLASSES.indexOf(a.storageClass as never) - TRANSITION_CLASSES.indexOf(b.storageClass as never));
  for (let i = 1; i < sorted.length; i++) {
    const [warmer, colder] = [sorted[i - 1]!, sorted[i]!];
    if (warmer.storageClass === colder.storageClass) throw invalidArgument(`A rule may transition to ${colder.storageClass} only once.`, undefined);
    if (colder.days <= warmer.days) {
      throw invalidArgument(`${field} in the Transition action for StorageClass ${colder.storageClass} must be later than for StorageClass ${warmer.storageClass}.`, undefined);
    }
  }
  const last = sorted.at(-1);
  if (expirationDays !== undefined && last !== undefined && expirationDays <= last.days) {
    throw invalidArgument(`${field} in the Expiration action must be later than the Transition action for StorageClass ${last.storageClass}.`, undefined);
  }
}

/** Rule IDs are unique; missing ones are made up, as OSS does (the Java SDK's tests send rules without). */
function checkIds(rules: Rule[]): void {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.id === undefined) continue;
    if (seen.has(rule.id)) throw invalidArgument('Rule IDs must be unique.', '0014-00000020', 'ID', rule.id);
    seen.add(rule.id);
  }
  for (const rule of rules) rule.id ??= randomUUID();
}

/** The actions two rules on overlapping prefixes may not share (0014-00000084), besides a transition to one class (0014-00000079). */
function sharedActions(a: Rule, b: Rule): string[] {
  const actions = (rule: Rule): string[] => [
    ...(rule.expiration ? ['Expiration'] : []),
    ...(rule.abortMultipartUpload ? ['AbortMultipartUpload'] : []),
    ...(rule.noncurrentExpirationDays !== undefined ? ['NoncurrentVersionExpiration'] : []),
    ...rule.transitions.map((t) => `Transition to ${t.storageClass}`),
  ];
  const theirs = new Set(actions(b));
  return actions(a).filter((action) => theirs.has(action));
}

/**
 * Two rules whose prefixes overlap (one starts with the other) may not do the same thing: the same
 * prefix is 0014-00000085, a longer one 0014-00000084 (or 0014-00000079 for a transition to the same
 * class), unless the request sends `x-oss-allow-same-action-overlap: true`. Only rules that select by
 * prefix alone are compared: tags and filters may make overlapping rules select different objects.
 */
function checkOverlaps(rules: Rule[], allowOverlap: boolean): void {
  const byPrefix = rules.filter((rule) => rule.tags.length === 0 && rule.filter === undefined);
  for (let i = 0; i < byPrefix.length; i++) {
    for (let j = i + 1; j < byPrefix.length; j++) {
      const [a, b] = [byPrefix[i]!, byPrefix[j]!];
      if (!a.prefix.startsWith(b.prefix) && !b.prefix.startsWith(a.prefix)) continue;
      const shared = sharedActions(a, b);
      if (shared.length === 0) continue;
      if (a.prefix === b.prefix) throw invalidArgument(`Rules ${a.id} and ${b.id} have the same prefix and the same action (${shared[0]}).`, '0014-00000085');
      if (allowOverlap) continue;
      const ec = shared[0]!.startsWith('Transition') ? '0014-00000079' : '0014-00000084';
      throw invalidArgument(`Rules ${a.id} and ${b.id} have overlapping prefixes and the same action (${shared[0]}).`, ec);
    }
  }
}

function allowsSameActionOverlap(ctx: OssContext): boolean {
  return ctx.headers['x-oss-allow-same-action-overlap']?.toLowerCase() === 'true';
}

/** A rule as GetBucketLifecycle shows it: ID, Prefix and Status always (oss2 needs the three), then its actions. */
function ruleTree(rule: Rule): XmlTree {
  const tree: { [name: string]: XmlTree | XmlTree[] } = { ID: rule.id!, Prefix: rule.prefix, Status: rule.status };
  if (rule.expiration) tree['Expiration'] = 'expiredObjectDeleteMarker' in rule.expiration ? { ExpiredObjectDeleteMarker: 'true' } : whenTree(rule.expiration);
  if (rule.transitions.length > 0) tree['Transition'] = rule.transitions.map((t) => ({ ...whenTree(t.when), ...classTree(t) }));
  if (rule.abortMultipartUpload) tree['AbortMultipartUpload'] = whenTree(rule.abortMultipartUpload);
  if (rule.tags.length > 0) tree['Tag'] = rule.tags.map(([Key, Value]) => ({ Key, Value }));
  if (rule.noncurrentExpirationDays !== undefined) tree['NoncurrentVersionExpiration'] = { NoncurrentDays: String(rule.noncurrentExpirationDays) };
  if (rule.noncurrentTransitions.length > 0) {
    tree['NoncurrentVersionTransition'] = rule.noncurrentTransitions.map((t) => ({ NoncurrentDays: String(t.noncurrentDays), ...classTree(t) }));
  }
  if (rule.filter) {
    const filter: { [name: string]: XmlTree | XmlTree[] } = {};
    if (rule.filter.greaterThan !== undefined) filter['ObjectSizeGreaterThan'] = String(rule.filter.greaterThan);
    if (rule.filter.lessThan !== undefined) filter['ObjectSizeLessThan'] = String(rule.filter.lessThan);
    if (rule.filter.not.length > 0) filter['Not'] = rule.filter.not.map((n) => ({ Prefix: n.prefix, ...(n.tag ? { Tag: { Key: n.tag[0], Value: n.tag[1] } } : {}) }));
    tree['Filter'] = filter;
  }
  return tree;
}

function whenTree(when: When): { [name: string]: string } {
  if ('days' in when) return { Days: String(when.days) };
  return 'date' in when ? { Date: when.date } : { CreatedBeforeDate: when.createdBeforeDate };
}

function classTree(t: Omit<Transition, 'when'>): { [name: string]: string } {
  const tree: { [name: string]: string } = { StorageClass: t.storageClass };
  if (t.isAccessTime !== undefined) tree['IsAccessTime'] = String(t.isAccessTime);
  if (t.returnToStdWhenVisit !== undefined) tree['ReturnToStdWhenVisit'] = String(t.returnToStdWhenVisit);
  if (t.allowSmallFile !== undefined) tree['AllowSmallFile'] = String(t.allowSmallFile);
  return tree;
}

/** Elements inside an action other than its own are refused (0014-00000017: AtimeBase, which only GET shows, in a Transition). */
function onlyChildren(element: Record<string, unknown>, allowed: readonly string[]): void {
  const unexpected = Object.keys(element).find((name) => !allowed.includes(name));
  if (unexpected !== undefined) throw new OssError('MalformedXML', { ec: '0014-00000017', message: `The element ${unexpected} is not supported here.` });
}

/** A whole number of days above 0 (0014-00000086). */
function readDays(value: unknown, name: string): number {
  const text = textOf(value) ?? '';
  if (!/^[1-9]\d{0,8}$/.test(text)) throw invalidArgument(`${name} must be a whole number above 0.`, '0014-00000086', name, text);
  return Number(text);
}

/** Midnight UTC, in exactly this form (0014-00000087). */
function readDate(value: unknown, name: string): string {
  const text = textOf(value) ?? '';
  // A day that does not exist (2015-02-30) reads as another day, or (month 13) as no time at all.
  const time = /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/.test(text) ? Date.parse(text) : NaN;
  const valid = !Number.isNaN(time) && new Date(time).toISOString() === text;
  if (!valid) throw invalidArgument(`${name} must be a date at midnight UTC, as in 2015-11-11T00:00:00.000Z.`, '0014-00000087', name, text);
  return text;
}

function readSize(text: string, name: string): number {
  if (!/^\d{1,15}$/.test(text)) throw invalidArgument(`${name} must be a number of bytes.`, undefined, name, text);
  return Number(text);
}

/** `true` or `false` in any case (oss2 writes Python's True and False); else 0014-00000090. */
function readBoolean(text: string, name: string): boolean {
  return booleanText(text, () => invalidArgument(`${name} must be true or false.`, '0014-00000090', name, text));
}
