import { OssError } from '../errors/oss-error.js';
import type { OssContext } from './context.js';
import type { Operation } from './dispatch.js';

/**
 * The owner may do anything. Anonymous requests are allowed only where the ACL grants them:
 * the object's own ACL unless it is `default`, else the bucket's; `public-read` grants reads,
 * `public-read-write` reads and writes. Bucket configuration is never anonymous.
 */
export function authorize(ctx: OssContext, operation: Operation): void {
  if (ctx.principal.kind === 'owner') return;
  const denied = new OssError('AccessDenied', { message: 'You have no right to access this object because of bucket acl.' });
  if (operation.access === 'owner' || operation.level === 'service') throw denied;
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  let acl: string = bucket.acl;
  if (ctx.target.key !== undefined) {
    const objectAcl = ctx.store.getObject(bucket.name, ctx.target.key)?.acl;
    if (objectAcl !== undefined && objectAcl !== 'default') acl = objectAcl;
  }
  const allowed = operation.access === 'read' ? acl === 'public-read' || acl === 'public-read-write' : acl === 'public-read-write';
  if (!allowed) throw denied;
}
