import { randomBytes } from 'node:crypto';
import { MAX_RETENTION_DAYS, WORM_LOCK_WITHIN_MS, wormInForce } from '../access/worm.js';
import { OssError } from '../errors/oss-error.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import type { WormPolicy } from '../store/types.js';
import { isoDate, toSecond } from '../util/http-date.js';
import { decodeXmlBody, parseXmlBody } from '../util/xml.js';
import { checkDocumentText, textOf } from '../util/xml-fields.js';

/**
 * A bucket's WORM retention policy (OSS's InitiateBucketWorm, AbortBucketWorm, CompleteBucketWorm,
 * ExtendBucketWorm, GetBucketWorm): made InProgress, then locked for good within 24 hours or
 * lapsed; while in force, objects cannot be deleted or overwritten for RetentionPeriodInDays after
 * their last change (access/worm.ts; the store enforces it). Sources and choices: docs/divergences.md.
 */

/** InitiateBucketWorm: `POST /?worm` → 200, `x-oss-worm-id`. One policy at a time. */
export async function initiateBucketWorm(ctx: OssContext): Promise<void> {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  const days = await readRetentionDays(ctx, 'InitiateWormConfiguration');
  // OSS allows a policy with versioning Enabled or never set, not Suspended (its InitiateBucketWorm page; the EC is OSS's, the code ours).
  if (ctx.store.requireBucket(name).configurations.versioning === 'Suspended') {
    throw new OssError('InvalidArgument', { message: 'A retention policy cannot be set while the bucket\'s versioning is suspended.', ec: '0027-00000003' });
  }
  const now = Date.now();
  const id = randomBytes(16).toString('hex').toUpperCase();
  ctx.store.updateBucketConfiguration(name, 'worm', (current) => {
    if (wormInForce(current, now)) throw new OssError('InvalidWORMConfiguration', { message: 'The bucket already has a WORM configuration.' });
    return { id, state: 'InProgress', days, createdAt: toSecond(now) };
  });
  ctx.koa.set('x-oss-worm-id', id);
  sendEmpty(ctx.koa);
}

/** AbortBucketWorm: `DELETE /?worm` → 204; only an InProgress policy can be dropped. */
export function abortBucketWorm(ctx: OssContext): void {
  const now = Date.now();
  ctx.store.updateBucketConfiguration(ctx.target.bucket!, 'worm', (current) => {
    const policy = requireWorm(current, now);
    if (policy.state === 'Locked') throw new OssError('WORMConfigurationLocked');
    return undefined;
  });
  sendEmpty(ctx.koa, 204);
}

/** CompleteBucketWorm: `POST /?wormId=ID` → 200: the policy is Locked for good. */
export function completeBucketWorm(ctx: OssContext): void {
  const id = ctx.params.get('wormId') ?? '';
  const now = Date.now();
  ctx.store.updateBucketConfiguration(ctx.target.bucket!, 'worm', (current) => {
    const policy = requireWorm(current, now, id);
    return { ...policy, state: 'Locked' };
  });
  sendEmpty(ctx.koa);
}

/** ExtendBucketWorm: `POST /?wormExtend&wormId=ID` → 200: a Locked policy's period, only ever longer. */
export async function extendBucketWorm(ctx: OssContext): Promise<void> {
  const name = ctx.target.bucket!;
  const id = ctx.params.get('wormId') ?? '';
  ctx.store.requireBucket(name);
  const days = await readRetentionDays(ctx, 'ExtendWormConfiguration');
  const now = Date.now();
  ctx.store.updateBucketConfiguration(name, 'worm', (current) => {
    const policy = requireWorm(current, now, id);
    if (policy.state !== 'Locked') throw new OssError('InvalidWORMConfiguration', { message: 'Only a locked WORM configuration can be extended.' });
    if (days <= policy.days) throw new OssError('InvalidWORMConfiguration', { message: 'A WORM configuration can only be extended to a longer retention period.' });
    return { ...policy, days };
  });
  sendEmpty(ctx.koa);
}

/** GetBucketWorm: `GET /?worm` → the policy in force, or 404 NoSuchWORMConfiguration. */
export function getBucketWorm(ctx: OssContext): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  const policy = wormInForce(bucket.configurations.worm, Date.now());
  if (!policy) throw new OssError('NoSuchWORMConfiguration', { details: [['BucketName', bucket.name]] });
  sendXml(ctx.koa, 'WormConfiguration', {
    WormId: policy.id,
    State: policy.state,
    RetentionPeriodInDays: policy.days,
    CreationDate: isoDate(policy.createdAt),
    // When an InProgress policy lapses unless locked.
    ExpirationDate: policy.state === 'InProgress' ? isoDate(policy.createdAt + WORM_LOCK_WITHIN_MS) : undefined,
  });
}

/** The policy in force (with this id, when one is named), else 404 NoSuchWORMConfiguration. */
function requireWorm(current: WormPolicy | undefined, now: number, id?: string): WormPolicy {
  const policy = wormInForce(current, now);
  if (!policy) throw new OssError('NoSuchWORMConfiguration');
  if (id !== undefined && id !== policy.id) throw new OssError('NoSuchWORMConfiguration', { message: 'The specified WORM ID does not exist.' });
  return policy;
}

/**
 * RetentionPeriodInDays of an Initiate or Extend body: missing is MalformedXML (EC 0027-00000004;
 * a body that is no such document at all has the general MalformedXML EC), not a whole number or
 * outside 1..25550 InvalidArgument (0027-00000005, 0027-00000002).
 */
async function readRetentionDays(ctx: OssContext, root: string): Promise<number> {
  const document = parseXmlBody(decodeXmlBody(await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config))), root);
  checkDocumentText(document, () => new OssError('MalformedXML', { ec: '0027-00000004' }));
  const text = textOf(document['RetentionPeriodInDays']);
  if (text === undefined) throw new OssError('MalformedXML', { ec: '0027-00000004' });
  const invalid = (message: string, ec: string): OssError =>
    new OssError('InvalidArgument', { message, ec, details: [['ArgumentName', 'RetentionPeriodInDays'], ['ArgumentValue', text]] });
  if (!/^-?\d+$/.test(text.trim())) throw invalid('RetentionPeriodInDays must be a whole number of days.', '0027-00000005');
  const days = Number(text.trim());
  if (days < 1 || days > MAX_RETENTION_DAYS) throw invalid(`RetentionPeriodInDays must be from 1 to ${MAX_RETENTION_DAYS}.`, '0027-00000002');
  return days;
}
