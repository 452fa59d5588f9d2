import { OssError } from '../errors/oss-error.js';

/**
 * The policy of a form upload (PostObject): a base64 JSON document with an `expiration` and the
 * `conditions` the form must meet. OSS checks only the conditions it has: unlike S3, a field the
 * policy does not mention is not refused (its own samples send such fields). Errors and messages
 * are OSS's (its PostObject troubleshooting table and EC pages 0006-00000213, -227).
 */
export interface PostPolicy {
  /** Epoch ms after which the form is refused. */
  expiration: number;
  conditions: PolicyCondition[];
}

export type PolicyCondition =
  | { kind: 'eq'; field: string; value: string }
  | { kind: 'starts-with'; field: string; value: string }
  | { kind: 'in'; field: string; values: string[] }
  | { kind: 'not-in'; field: string; values: string[] }
  | { kind: 'content-length-range'; min: number; max: number };

const invalidPolicy = (message: string, ec?: string): OssError =>
  new OssError('InvalidPolicyDocument', { message: `Invalid Policy: ${message}`, ...(ec !== undefined ? { ec } : {}) });

/** Decodes and checks the shape of the `policy` field; what it asks of the form is checked by `checkPostPolicy`. */
export function parsePostPolicy(field: string): PostPolicy {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(field, 'base64').toString('utf8'));
  } catch (error) {
    throw invalidPolicy(`Invalid JSON: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidPolicy('Invalid JSON: the policy is not an object.');
  const { expiration, conditions } = document as { expiration?: unknown; conditions?: unknown };
  // UTC, in ISO 8601 with T and Z (EC 0006-00000212): without the Z, Date.parse would read the server's local time.
  const utc = typeof expiration === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(expiration);
  const time = utc ? Date.parse(expiration as string) : NaN;
  if (Number.isNaN(time)) {
    throw invalidPolicy('Invalid expiration: the policy needs an expiration in ISO 8601, in UTC (2030-01-01T00:00:00.000Z).', '0006-00000212');
  }
  if (!Array.isArray(conditions) || conditions.length === 0) throw invalidPolicy('Invalid conditions: the policy needs a list of conditions, not empty.', '0006-00000215');
  return { expiration: time, conditions: conditions.map(readCondition) };
}

/** `{"field": "value"}` (exact match), or `[operator, "$field", …]`; field names without `$` and case. */
function readCondition(condition: unknown): PolicyCondition {
  if (Array.isArray(condition)) {
    const [operator, ...args] = condition as unknown[];
    const op = typeof operator === 'string' ? operator.toLowerCase() : '';
    if (op === 'content-length-range') {
      const [min, max] = args;
      if (args.length !== 2 || !isSize(min) || !isSize(max) || min > max) throw invalidPolicy('Invalid content-length-range: it needs a minimum and a maximum, in order.');
      return { kind: 'content-length-range', min, max };
    }
    const [field, value] = args;
    if ((op === 'eq' || op === 'starts-with') && args.length === 2 && typeof field === 'string' && typeof value === 'string') {
      return { kind: op, field: fieldName(field), value } as PolicyCondition;
    }
    if ((op === 'in' || op === 'not-in') && args.length === 2 && typeof field === 'string' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      return { kind: op, field: fieldName(field), values: value as string[] } as PolicyCondition;
    }
    throw invalidPolicy(`Invalid Condition: ${JSON.stringify(condition)}`);
  }
  if (typeof condition === 'object' && condition !== null) {
    const entries = Object.entries(condition);
    if (entries.length !== 1) throw invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [[field, value]] = entries as [[string, unknown]];
    if (typeof value !== 'string') throw invalidPolicy(`Invalid Simple-Condition: the value of ${field} must be a string.`);
    return { kind: 'eq', field: fieldName(field), value };
  }
  throw invalidPolicy(`Invalid Condition: ${JSON.stringify(condition)}`);
}

const isSize = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const fieldName = (name: string): string => (name.startsWith('$') ? name.slice(1) : name).toLowerCase();

/**
 * Checks the form against the policy, before any byte of the file is read: its expiration, then
 * each condition in order, the field values as sent (a `${filename}` in the key is not replaced yet).
 * `bucket` is the bucket the form was posted to. The content-length-range is the caller's, once the
 * file's size is known (`lengthRange`).
 */
export function checkPostPolicy(policy: PostPolicy, fields: ReadonlyMap<string, string>, bucket: string, now: number): void {
  if (now > policy.expiration) throw new OssError('AccessDenied', { message: 'Invalid according to Policy: Policy expired.', ec: '0006-00000213' });
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') continue;
    const actual = condition.field === 'bucket' ? bucket : fields.get(condition.field);
    const met = meets(condition, actual);
    if (!met) {
      const expected = condition.kind === 'in' || condition.kind === 'not-in' ? condition.values : condition.value;
      throw new OssError('AccessDenied', {
        message: `Invalid according to Policy: Policy Condition failed: [${[condition.kind, `$${condition.field}`, expected].map((part) => JSON.stringify(part)).join(', ')}]`,
        ec: '0006-00000227',
      });
    }
  }
}

/** Whether a field's value (undefined: the form does not send it) meets a condition. */
function meets(condition: Exclude<PolicyCondition, { kind: 'content-length-range' }>, actual: string | undefined): boolean {
  // A field the form does not send meets only `not-in` (ali-oss's README: not-in $cache-control no-cache, on forms without it).
  if (actual === undefined) return condition.kind === 'not-in';
  switch (condition.kind) {
    case 'eq':
      return actual === condition.value;
    case 'starts-with':
      return actual.startsWith(condition.value);
    case 'in':
      return condition.values.includes(actual);
    case 'not-in':
      return !condition.values.includes(actual);
  }
}

/** The sizes the policy allows the file, if it says (the narrowest of its content-length-range conditions). */
export function lengthRange(policy: PostPolicy): { min: number; max: number } | undefined {
  let range: { min: number; max: number } | undefined;
  for (const condition of policy.conditions) {
    if (condition.kind !== 'content-length-range') continue;
    range = range ? { min: Math.max(range.min, condition.min), max: Math.min(range.max, condition.max) } : { min: condition.min, max: condition.max };
  }
  return range;
}
