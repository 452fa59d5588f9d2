import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { accountIdOf } from '../ops/owner.js';
import { parsePolicy, PolicyError, type Policy } from './policy.js';

/**
 * RAM users: further key pairs of the emulated account, each limited to what its RAM policies
 * allow (a RAM user has no permission until a policy grants one). They let a test suite check that
 * its code, run with a narrowly-scoped key, gets AccessDenied where real OSS would refuse it.
 */
export interface RamUser {
  name: string;
  /** The user's UID: what a bucket policy's Principal names. */
  id: string;
  accessKeyId: string;
  accessKeySecret: string;
  /**
   * Set for STS temporary credentials (a role session): every request signed with this key pair
   * must carry this token, and no other, as OSS requires of an STS AccessKey ID.
   */
  securityToken?: string;
  policies: Policy[];
}

/**
 * How users are written in `--ram-users` / OSSEMU_RAM_USERS (JSON, or a path to a JSON file) and
 * in the programmatic API: `[{ "name", "accessKeyId", "accessKeySecret", "securityToken"?, "id"?,
 * "policies": [...] }]`, `policy` being accepted for a single document.
 */
export interface RamUserSpec {
  name: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  id?: string;
  policies?: unknown[];
  policy?: unknown;
}

/** Reads the `--ram-users` value: inline JSON when it starts with `[` or `{`, else a file path. */
export function readRamUsersOption(value: string, ownerAccessKeyId?: string): RamUser[] {
  const trimmed = value.trim();
  if (trimmed === '') return [];
  let text = trimmed;
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
    try {
      text = readFileSync(trimmed, 'utf8');
    } catch (error) {
      throw new PolicyError(`--ram-users: cannot read ${trimmed}: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`--ram-users: not JSON: ${(error as Error).message}`);
  }
  return parseRamUsers(parsed, ownerAccessKeyId);
}

/** Checks user specs (one object or a list) and parses their policies; throws PolicyError. */
export function parseRamUsers(value: unknown, ownerAccessKeyId?: string): RamUser[] {
  const list = Array.isArray(value) ? value : [value];
  const users = list.map((spec, i) => parseRamUser(spec, `RAM user ${i + 1}`));
  const keys = new Set<string>(ownerAccessKeyId === undefined ? [] : [ownerAccessKeyId]);
  // A token names one set of STS credentials: shared, a request could not tell which key it goes with.
  const tokens = new Set<string>();
  // A UID names one principal in bucket policies: two users, or a user and the account, must not share one.
  const ids = new Set<string>(ownerAccessKeyId === undefined ? [] : [accountIdOf(ownerAccessKeyId)]);
  for (const user of users) {
    if (keys.has(user.accessKeyId)) throw new PolicyError(`RAM user "${user.name}": AccessKey ID ${user.accessKeyId} is already in use`);
    if (ids.has(user.id)) throw new PolicyError(`RAM user "${user.name}": id ${user.id} is already in use`);
    if (user.securityToken !== undefined && tokens.has(user.securityToken)) throw new PolicyError(`RAM user "${user.name}": its securityToken is already in use`);
    keys.add(user.accessKeyId);
    ids.add(user.id);
    if (user.securityToken !== undefined) tokens.add(user.securityToken);
  }
  return users;
}

const SPEC_FIELDS: ReadonlySet<string> = new Set(['name', 'accessKeyId', 'accessKeySecret', 'securityToken', 'id', 'policies', 'policy']);

export function parseRamUser(value: unknown, where = 'the RAM user'): RamUser {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyError(`${where} must be a JSON object`);
  const spec = value as Partial<Record<keyof RamUserSpec, unknown>>;
  // A misspelt field (`polices`) would silently leave the user without the rights meant for it.
  const unknown = Object.keys(spec).filter((field) => !SPEC_FIELDS.has(field));
  if (unknown.length > 0) throw new PolicyError(`${where}: unknown field ${unknown.map((f) => `"${f}"`).join(', ')}`);
  for (const field of ['name', 'accessKeyId', 'accessKeySecret'] as const) {
    if (typeof spec[field] !== 'string' || spec[field] === '') throw new PolicyError(`${where}: "${field}" must be a non-empty string`);
  }
  const name = spec.name as string;
  if (spec.id !== undefined && (typeof spec.id !== 'string' || !/^\d{1,32}$/.test(spec.id))) throw new PolicyError(`RAM user "${name}": "id" must be a string of digits`);
  if (spec.securityToken !== undefined && (typeof spec.securityToken !== 'string' || spec.securityToken === '')) {
    throw new PolicyError(`RAM user "${name}": "securityToken" must be a non-empty string`);
  }
  if (spec.policies !== undefined && !Array.isArray(spec.policies)) throw new PolicyError(`RAM user "${name}": "policies" must be a list of policy documents`);
  const documents = [...((spec.policies as unknown[] | undefined) ?? []), ...(spec.policy === undefined ? [] : [spec.policy])];
  const policies = documents.map((doc, i) => {
    try {
      return parsePolicy(doc, 'ram');
    } catch (error) {
      throw new PolicyError(`RAM user "${name}", policy ${i + 1}: ${(error as Error).message}`);
    }
  });
  const user: RamUser = { name, id: (spec.id as string | undefined) ?? uidOf(name), accessKeyId: spec.accessKeyId as string, accessKeySecret: spec.accessKeySecret as string, policies };
  if (spec.securityToken !== undefined) user.securityToken = spec.securityToken as string;
  return user;
}

/** The spec a user was made from (policies as given), secret and token masked unless asked: for /_ossemu/config. */
export function describeRamUser(user: RamUser, mask: (secret: string) => string | undefined): RamUserSpec {
  const spec: RamUserSpec = { name: user.name, id: user.id, accessKeyId: user.accessKeyId, accessKeySecret: mask(user.accessKeySecret) ?? '', policies: user.policies.map((p) => p.source) };
  if (user.securityToken !== undefined) spec.securityToken = mask(user.securityToken) ?? '';
  return spec;
}

/** A stable 18-digit UID per name, the length of real RAM user ids. */
function uidOf(name: string): string {
  return ('2' + BigInt('0x' + createHash('sha256').update(`ram-user:${name}`).digest('hex').slice(0, 16)).toString()).padEnd(18, '0').slice(0, 18);
}
