import { BlockList, isIP } from 'node:net';
import { Wildcard } from './wildcard.js';

/**
 * Alibaba Cloud access policies (RAM policies and bucket policies share one language): parsed
 * once when they are configured, then matched against each request.
 *
 * A statement applies when its Action (or NotAction), Resource (or NotResource), Principal (bucket
 * policies only) and every Condition match. Actions match case-insensitively, resources
 * case-sensitively; both take `*` (any run of characters, `/` included) and `?` (one character).
 */

/** Why a policy document was refused: the message says which part and why. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  /** What OSS distinguishes (each has its own EC): the Version, doubled wildcards, anything else. */
  constructor(message: string, readonly reason: 'version' | 'wildcards' | 'invalid' = 'invalid') {
    super(message);
  }
}

export type Effect = 'Allow' | 'Deny';

export interface Statement {
  effect: Effect;
  /** Exactly one of actions / notActions is set. */
  actions?: Wildcard[];
  notActions?: Wildcard[];
  /** Exactly one of resources / notResources is set. */
  resources?: Wildcard[];
  notResources?: Wildcard[];
  /** Bucket policies: the principals (account or RAM user ids, or `*`) it applies to. */
  principals?: string[];
  conditions: Condition[];
}

export interface Policy {
  /** The document as it was given (shown by /_ossemu/config and /_ossemu/ram-users). */
  source: unknown;
  statements: Statement[];
}

/** What a request asks for, as the policy language sees it. */
export interface AccessQuestion {
  /** e.g. `oss:PutObject` */
  action: string;
  /** e.g. `acs:oss:cn-hangzhou:1234:bucket/key` */
  resource: string;
  /** The requester's id, for bucket-policy principals; undefined when anonymous. */
  principalId?: string;
  /**
   * The account itself (the bucket owner's own key pair). A bucket policy's `*` reaches it only
   * in statements with a Condition: a policy cannot lock the owner out by accident.
   */
  isOwner?: boolean;
  /** Condition keys, lower-case (`acs:sourceip`, `oss:prefix`…), and their values. */
  context: ReadonlyMap<string, string>;
}

interface Condition {
  operator: Operator;
  /** Lower-case: condition keys are case-insensitive. */
  key: string;
  values: string[];
  /** For IpAddress / NotIpAddress: the values as one list of subnets. */
  subnets?: BlockList;
  /** For StringLike / StringNotLike: the values as wildcards. */
  patterns?: Wildcard[];
}

const STRING_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'] as const;
const NUMERIC_OPERATORS = ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'] as const;
const DATE_OPERATORS = ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'] as const;
const OTHER_OPERATORS = ['Bool', 'IpAddress', 'NotIpAddress'] as const;
type Operator = (typeof STRING_OPERATORS | typeof NUMERIC_OPERATORS | typeof DATE_OPERATORS | typeof OTHER_OPERATORS)[number];
const OPERATORS: ReadonlySet<string> = new Set([...STRING_OPERATORS, ...NUMERIC_OPERATORS, ...DATE_OPERATORS, ...OTHER_OPERATORS]);
/** The operators that hold when the request lacks the key: "not one of these values". */
const NEGATED_OPERATORS: ReadonlySet<string> = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress']);

/** The elements a document and a statement may have; anything else (a typo such as `Conditions`) is refused, never ignored. */
const DOCUMENT_ELEMENTS = new Set(['Version', 'Statement', 'Id']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/** Parses and checks a policy document; only `bucket` policies may name a Principal (none means everybody). */
export function parsePolicy(document: unknown, kind: 'ram' | 'bucket'): Policy {
  const doc = asObject(document, 'the policy');
  onlyKnown(doc, DOCUMENT_ELEMENTS, 'the policy');
  const version = doc['Version'];
  if (typeof version !== 'string') throw new PolicyError('the policy\'s "Version" must be the string "1"');
  if (version !== '1') throw new PolicyError('the policy\'s "Version" must be "1"', 'version');
  const raw = doc['Statement'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw new PolicyError('the policy has no "Statement"');
  return { source: document, statements: list.map((s, i) => parseStatement(s, `statement ${i + 1}`, kind)) };
}

/**
 * A bucket policy as PutBucketPolicy receives it: UTF-8 JSON text (a byte-order mark is not JSON,
 * so it is refused rather than stored and tripped over later).
 */
export function parseBucketPolicyText(text: string): Policy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`not JSON: ${(error as Error).message}`);
  }
  return parsePolicy(document, 'bucket');
}

function parseStatement(value: unknown, where: string, kind: 'ram' | 'bucket'): Statement {
  const s = asObject(value, where);
  if (s['NotPrincipal'] !== undefined) throw new PolicyError(`${where}: "NotPrincipal" is not supported`);
  onlyKnown(s, kind === 'bucket' ? new Set([...STATEMENT_ELEMENTS, 'Principal']) : STATEMENT_ELEMENTS, where);
  const effect = s['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyError(`${where}: "Effect" must be "Allow" or "Deny"`);
  const statement: Statement = { effect, conditions: parseConditions(s['Condition'], where) };
  const actions = onlyOne(s, 'Action', 'NotAction', where);
  statement[actions.name === 'Action' ? 'actions' : 'notActions'] = actions.values.map((a) => wildcard(a, true));
  const resources = onlyOne(s, 'Resource', 'NotResource', where);
  statement[resources.name === 'Resource' ? 'resources' : 'notResources'] = resources.values.map((r) => wildcard(r, false));
  if (kind === 'bucket') {
    // OSS accepts a statement without Principal, or with an empty list, as one for everybody.
    const principal = s['Principal'];
    const listed = principal === undefined || (Array.isArray(principal) && principal.length === 0) ? ['*'] : strings(principal, `${where} "Principal"`);
    statement.principals = listed;
  }
  return statement;
}

function parseConditions(value: unknown, where: string): Condition[] {
  if (value === undefined) return [];
  const conditions: Condition[] = [];
  for (const [operator, block] of Object.entries(asObject(value, `${where} "Condition"`))) {
    if (!OPERATORS.has(operator)) throw new PolicyError(`${where}: unknown condition operator "${operator}"`);
    for (const [key, raw] of Object.entries(asObject(block, `${where} "${operator}"`))) {
      const values = strings(raw, `${where} ${operator} "${key}"`, true);
      const condition: Condition = { operator: operator as Operator, key: key.toLowerCase(), values };
      if (operator === 'IpAddress' || operator === 'NotIpAddress') condition.subnets = subnets(values, where);
      if (operator === 'StringLike' || operator === 'StringNotLike') condition.patterns = values.map((v) => new Wildcard(v));
      if (operator.startsWith('Numeric') && values.some((v) => !/^-?\d+(\.\d+)?$/.test(v))) throw new PolicyError(`${where}: ${operator} "${key}" needs numbers`);
      if (operator.startsWith('Date') && values.some((v) => Number.isNaN(Date.parse(v)))) throw new PolicyError(`${where}: ${operator} "${key}" needs dates (ISO 8601)`);
      conditions.push(condition);
    }
  }
  return conditions;
}

function subnets(values: string[], where: string): BlockList {
  const list = new BlockList();
  for (const value of values) {
    const [, address = '', prefix] = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(value) ?? [];
    const type = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : undefined;
    const bits = prefix === undefined ? (type === 'ipv6' ? 128 : 32) : Number(prefix);
    if (type === undefined || bits > (type === 'ipv6' ? 128 : 32)) {
      throw new PolicyError(`${where}: "${value}" is not an IP address or CIDR block`);
    }
    list.addSubnet(address, bits, type);
  }
  return list;
}

/** Does the statement apply to this request? */
export function statementMatches(statement: Statement, question: AccessQuestion): boolean {
  const actionListed = (patterns: Wildcard[]): boolean => patterns.some((p) => p.matches(question.action));
  const resourceListed = (patterns: Wildcard[]): boolean => patterns.some((p) => p.matches(question.resource));
  if (statement.actions ? !actionListed(statement.actions) : actionListed(statement.notActions!)) return false;
  if (statement.resources ? !resourceListed(statement.resources) : resourceListed(statement.notResources!)) return false;
  if (statement.principals && !statement.principals.some((p) => principalMatches(p, statement, question))) return false;
  return statement.conditions.every((c) => conditionHolds(c, question.context.get(c.key)));
}

function principalMatches(principal: string, statement: Statement, question: AccessQuestion): boolean {
  if (principal !== '*') return principal === question.principalId;
  return !question.isOwner || statement.conditions.length > 0;
}

/** What a set of policies says about a request: an explicit Deny beats any Allow. */
export function decide(policies: readonly Policy[], question: AccessQuestion): Effect | undefined {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!statementMatches(statement, question)) continue;
      if (statement.effect === 'Deny') return 'Deny';
      allowed = true;
    }
  }
  return allowed ? 'Allow' : undefined;
}

/**
 * One condition against the request's value for its key. Several values are alternatives. A key
 * the request does not have satisfies only the negated operators (StringNotEquals, NotIpAddress…).
 */
function conditionHolds(condition: Condition, actual: string | undefined): boolean {
  const { operator, values } = condition;
  if (actual === undefined) return NEGATED_OPERATORS.has(operator);
  const any = (test: (expected: string) => boolean): boolean => values.some(test);
  switch (operator) {
    case 'StringEquals': return any((v) => v === actual);
    case 'StringNotEquals': return !any((v) => v === actual);
    case 'StringEqualsIgnoreCase': return any((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringNotEqualsIgnoreCase': return !any((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringLike': return condition.patterns!.some((p) => p.matches(actual));
    case 'StringNotLike': return !condition.patterns!.some((p) => p.matches(actual));
    case 'Bool': return any((v) => v.toLowerCase() === actual.toLowerCase());
    case 'IpAddress': return ipIn(condition.subnets!, actual);
    case 'NotIpAddress': return !ipIn(condition.subnets!, actual);
    default: return compareOrdered(operator, values, actual);
  }
}

function compareOrdered(operator: Operator, values: string[], actual: string): boolean {
  const toNumber = operator.startsWith('Date') ? (s: string) => Date.parse(s) : Number;
  const a = toNumber(actual);
  // A request value that is no number or date equals none of the policy's values.
  if (Number.isNaN(a)) return operator.endsWith('NotEquals');
  const results = values.map((v) => {
    const b = toNumber(v);
    switch (operator.replace(/^(Numeric|Date)/, '')) {
      case 'Equals': return a === b;
      case 'NotEquals': return a !== b;
      case 'LessThan': return a < b;
      case 'LessThanEquals': return a <= b;
      case 'GreaterThan': return a > b;
      default: return a >= b;
    }
  });
  return operator.endsWith('NotEquals') ? results.every(Boolean) : results.some(Boolean);
}

function ipIn(subnets: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && subnets.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Actions match case-insensitively, resources exactly; OSS refuses `**` in either. */
function wildcard(text: string, ignoreCase: boolean): Wildcard {
  if (text.includes('**')) throw new PolicyError(`"${text}": consecutive wildcards are not allowed`, 'wildcards');
  return new Wildcard(text, { ignoreCase });
}

function onlyKnown(element: Record<string, unknown>, known: ReadonlySet<string>, where: string): void {
  const unknown = Object.keys(element).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new PolicyError(`${where}: unknown element ${unknown.map((n) => `"${n}"`).join(', ')}`);
}

function onlyOne(s: Record<string, unknown>, name: string, negated: string, where: string): { name: string; values: string[] } {
  if ((s[name] === undefined) === (s[negated] === undefined)) throw new PolicyError(`${where}: give exactly one of "${name}" and "${negated}"`);
  return s[name] !== undefined ? { name, values: strings(s[name], `${where} "${name}"`) } : { name: negated, values: strings(s[negated], `${where} "${negated}"`) };
}

function strings(value: unknown, where: string, scalars = false): string[] {
  const list = Array.isArray(value) ? value : [value];
  const ok = (v: unknown): boolean => typeof v === 'string' || (scalars && (typeof v === 'number' || typeof v === 'boolean'));
  if (list.length === 0 || !list.every(ok)) throw new PolicyError(`${where} must be a string or a list of strings`);
  return list.map(String);
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyError(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}
