import { decide, parseBucketPolicyText, type AccessQuestion, type Effect, type Policy } from '../access/policy.js';
import { checkReferer } from '../configs/referer.js';
import { OssError } from '../errors/oss-error.js';
import { accountIdOf } from '../ops/owner.js';
import type { BucketRecord, ObjectRecord } from '../store/types.js';
import type { OssContext } from './context.js';
import type { Access, Operation } from './dispatch.js';

/**
 * Decides whether the caller may run the operation, the way OSS evaluates access:
 * 1. the caller's RAM policies (RAM users only: the account's own key pair has none) and the
 *    bucket's policy are matched separately; an explicit Deny in either refuses;
 * 2. otherwise an Allow in either grants;
 * 3. otherwise the account itself may do anything, and anyone else only object reads and writes
 *    the ACL grants: the object's own ACL unless it is `default`, else the bucket's; `public-read`
 *    grants reads, `public-read-write` reads and writes. Bucket and service operations are never
 *    granted by an ACL.
 * Every action the request needs (the operation's, plus e.g. oss:PutObjectTagging when it sends
 * tags) must pass. Two choices where OSS is undocumented (docs/divergences.md): the account may
 * always run its bucket's policy operations, and anonymous callers never run configuration ones.
 */
export function authorize(ctx: OssContext, operation: Operation): void {
  if (operation.access === 'anyone') return;
  const { principal } = ctx;
  const bucket = bucketOf(ctx);
  // Hotlink protection comes first, whoever asks: it looks only at how the request is signed.
  if (bucket?.configurations.referer !== undefined) checkReferer(bucket.configurations.referer, ctx.headers);
  if (principal.kind === 'owner') {
    // The account is refused only by its bucket's policy, and never the policy's own operations:
    // a policy that refuses the owner everything must stay removable (a choice; S3 does the same).
    if (bucket?.policy === undefined || POLICY_ACTIONS.has(operation.action)) return;
  }
  if (neverAnonymous(ctx, operation.access)) throw anonymousForbidden();
  if (operation.authorizesEachKey) {
    // The handler checks each key; an anonymous caller the bucket's ACL cannot let write is refused
    // before its body is read, as before there were policies.
    if (principal.kind === 'anonymous' && bucket?.policy === undefined && !aclGrants(ctx, operation.access, undefined)) throw anonymousDenied();
    return;
  }
  for (const action of [operation.action, ...(operation.alsoNeeds?.(ctx) ?? [])]) authorizeAction(ctx, operation.access, action, ctx.target.key);
}

const POLICY_ACTIONS: ReadonlySet<string> = new Set(['oss:PutBucketPolicy', 'oss:GetBucketPolicy', 'oss:DeleteBucketPolicy']);

/**
 * One action on one resource (`key` undefined: the bucket, or the service when there is no bucket
 * either). DeleteMultipleObjects calls this for each key it is asked to delete, with `batch`.
 */
export function authorizeAction(ctx: OssContext, access: Access, action: string, key: string | undefined, batch = false): void {
  const { principal } = ctx;
  const bucket = bucketOf(ctx);
  if (principal.kind === 'owner' && bucket?.policy === undefined) return;
  const question = questionFor(ctx, action, key);
  const byRam = principal.kind === 'ram-user' ? decide(principal.user.policies, question) : undefined;
  const policy = bucket === undefined ? undefined : bucketPolicy(bucket);
  if (policy === UNREADABLE) {
    throw new OssError('AccessDenied', { ec: '0003-00000101', message: 'The bucket policy stored for this bucket is no longer valid: replace or delete it (PutBucketPolicy, DeleteBucketPolicy).' });
  }
  const byBucket = policy === undefined ? undefined : decide([policy], question);
  if (byRam === 'Deny' || byBucket === 'Deny') throw explicitlyDenied(ctx, action, key, byRam, byBucket, batch);
  if (byRam === 'Allow' || byBucket === 'Allow' || principal.kind === 'owner') return;
  if (aclGrants(ctx, access, key)) return;
  if (principal.kind === 'anonymous') throw anonymousDenied();
  // An object operation, or a listing, fell through to the ACL and failed there (a real OSS
  // capture shows this EC and message); a bucket or service configuration call had no Allow.
  throw key === undefined && access === 'owner'
    ? accessDenied(ctx, action, key, 'ImplicitDeny', { ec: '0003-00000202', message: 'You are not authorized to do this action. You should be authorized by RAM.' })
    : accessDenied(ctx, action, key, 'ImplicitDeny', { ec: '0003-00000001', message: 'You have no right to access this object because of bucket acl.' });
}

/** Configuration is never anonymous, whatever a bucket policy for `*` says. */
function neverAnonymous(ctx: OssContext, access: Access): boolean {
  return ctx.principal.kind === 'anonymous' && access === 'owner';
}

/** Whether the caller may do `action` (as authorize would decide it), for what a response shows rather than what it does. */
export function mayDo(ctx: OssContext, access: Access, action: string, key: string | undefined): boolean {
  if (neverAnonymous(ctx, access)) return false;
  try {
    authorizeAction(ctx, access, action, key);
    return true;
  } catch (error) {
    if (error instanceof OssError && error.code === 'AccessDenied') return false;
    throw error;
  }
}

/** An operation no anonymous caller may run: OSS's documented EC, and the message of a captured response. */
function anonymousForbidden(): OssError {
  return new OssError('AccessDenied', { ec: '0003-00001201', message: 'Anonymous access is forbidden for this operation.' });
}

function anonymousDenied(): OssError {
  return new OssError('AccessDenied', { message: 'You have no right to access this object because of bucket acl.' });
}

function bucketOf(ctx: OssContext): BucketRecord | undefined {
  return ctx.target.bucket === undefined ? undefined : ctx.store.getBucket(ctx.target.bucket);
}

/** A stored policy that no longer parses. */
const UNREADABLE = Symbol('unreadable bucket policy');

/** Parsed bucket policies, per bucket record (the store replaces a record whenever it changes). */
const parsedPolicies = new WeakMap<BucketRecord, Policy | typeof UNREADABLE>();

/**
 * The bucket's policy, parsed. PutBucketPolicy stores only text that parses; one that no longer
 * does (a database edited by hand, or rules tightened by a later ossemu) refuses everything but
 * the account's own policy operations: dropping its Deny statements silently would open the bucket.
 */
function bucketPolicy(bucket: BucketRecord): Policy | typeof UNREADABLE | undefined {
  if (bucket.policy === undefined) return undefined;
  let policy = parsedPolicies.get(bucket);
  if (policy === undefined) {
    try {
      policy = parseBucketPolicyText(bucket.policy);
    } catch {
      policy = UNREADABLE;
    }
    parsedPolicies.set(bucket, policy);
  }
  return policy;
}

function aclGrants(ctx: OssContext, access: Access, key: string | undefined): boolean {
  if (access === 'owner' || ctx.target.bucket === undefined) return false;
  const bucket = ctx.store.requireBucket(ctx.target.bucket);
  let acl: string = bucket.acl;
  if (key !== undefined) {
    const objectAcl = objectNamed(ctx, bucket.name, key)?.acl;
    if (objectAcl !== undefined && objectAcl !== 'default') acl = objectAcl;
  }
  return access === 'read' ? acl === 'public-read' || acl === 'public-read-write' : acl === 'public-read-write';
}

/**
 * The object whose ACL decides: the version the request names (a delete marker has no ACL: the
 * bucket's decides), else the current object. A copy's source is asked about as its own request.
 */
function objectNamed(ctx: OssContext, bucket: string, key: string): ObjectRecord | undefined {
  const versionId = key === ctx.target.key ? ctx.params.get('versionId') : undefined;
  if (typeof versionId !== 'string' || versionId === '') return ctx.store.getObject(bucket, key);
  const found = ctx.store.findVersion(bucket, key, versionId);
  return found && !found.deleteMarker ? found.record : undefined;
}

/** The request as policies see it: `acs:oss:<region>:<account>:<bucket>[/<key>]` and condition keys. */
function questionFor(ctx: OssContext, action: string, key: string | undefined): AccessQuestion {
  const { principal } = ctx;
  const context = new Map<string, string>([
    ['acs:sourceip', ctx.koa.request.ip.replace(/^::ffff:/, '')],
    ['acs:securetransport', String(ctx.koa.secure)],
    ['acs:currenttime', new Date().toISOString()],
  ]);
  const userAgent = ctx.headers['user-agent'];
  if (userAgent !== undefined) context.set('acs:useragent', userAgent);
  if (principal.kind !== 'anonymous') context.set('acs:accessid', principal.accessKeyId);
  for (const name of ['prefix', 'delimiter']) {
    const value = ctx.params.get(name);
    if (typeof value === 'string') context.set(`oss:${name}`, value);
  }
  return {
    action,
    resource: resourceOf(ctx, key),
    principalId: principal.kind === 'ram-user' ? principal.user.id : principal.kind === 'owner' ? accountId(ctx) : undefined,
    isOwner: principal.kind === 'owner',
    context,
  };
}

/** `acs:oss:<region>:<account>:<bucket>[/<key>]`, or `…:*` for the service. */
function resourceOf(ctx: OssContext, key: string | undefined): string {
  const { bucket } = ctx.target;
  const path = bucket === undefined ? '*' : key === undefined ? bucket : `${bucket}/${key}`;
  return `acs:oss:${ctx.config.region}:${accountId(ctx)}:${path}`;
}

function accountId(ctx: OssContext): string {
  return accountIdOf(ctx.config.accessKeyId);
}

/** The EC says which policy refused: the RAM policy, the bucket policy, both, or (batch) either. */
function explicitlyDenied(
  ctx: OssContext,
  action: string,
  key: string | undefined,
  byRam: Effect | undefined,
  byBucket: Effect | undefined,
  batch: boolean,
): OssError {
  const ec = batch ? '0003-00000204' : byRam === 'Deny' && byBucket === 'Deny' ? '0003-00000203' : byRam === 'Deny' ? '0003-00000201' : '0003-00000101';
  // OSS words every explicit deny this way, the RAM policy's included (its documented example).
  const options = { ec, message: 'Access denied by bucket policy.' };
  if (ctx.principal.kind === 'anonymous') return new OssError('AccessDenied', options);
  return accessDenied(ctx, action, key, 'ExplicitDeny', options, byRam === 'Deny' ? 'AccountLevelIdentityBasedPolicy' : 'BucketPolicy');
}

/** AccessDenied for a signed request, with the AccessDeniedDetail real OSS adds to say why. */
function accessDenied(
  ctx: OssContext,
  action: string,
  key: string | undefined,
  why: 'ExplicitDeny' | 'ImplicitDeny',
  options: { ec: string; message: string },
  policyType = 'AccountLevelIdentityBasedPolicy',
): OssError {
  const { principal } = ctx;
  const callerId = principal.kind === 'ram-user' ? principal.user.id : accountId(ctx);
  return new OssError('AccessDenied', {
    ...options,
    details: [
      [
        'AccessDeniedDetail',
        {
          PolicyType: policyType,
          AuthPrincipalOwnerId: accountId(ctx),
          AuthPrincipalType: principal.kind === 'ram-user' ? 'SubUser' : 'Account',
          AuthPrincipalDisplayName: callerId,
          NoPermissionType: why,
          AuthAction: action,
          // Opaque in real OSS; here a readable account of the decision, base64-encoded like theirs.
          EncodedDiagnosticMessage: Buffer.from(JSON.stringify({ action, resource: resourceOf(ctx, key), decision: why, policyType })).toString('base64'),
        },
      ],
      ...(ctx.target.bucket === undefined ? [] : ([['Bucket', ctx.target.bucket]] as const)),
      ['User', callerId],
    ],
  });
}
