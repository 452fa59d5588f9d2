import { createHash } from 'node:crypto';
import { authorizeAction } from '../http/authorize.js';
import { readVersion, setVersionHeader } from './versions.js';
import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import { objectAddress } from '../http/context.js';
import { readForbidOverwrite, readObjectAttributes, refuseConditionalHeaders } from '../http/object-input.js';
import { quoteEtag } from '../http/object-output.js';
import { sendEmpty } from '../http/respond.js';
import { formDecode } from '../http/target.js';
import { headerText } from '../util/header-text.js';
import { validateObjectKey } from '../http/validate.js';
import type { ObjectRecord } from '../store/types.js';
import { httpDate, toSecond } from '../util/http-date.js';

/**
 * Symlinks (PutSymlink, GetSymlink): an object of type Symlink that names another key of the same
 * bucket and holds no bytes. GET and HEAD of the link serve its target (`followSymlink`); an append
 * to it is ObjectNotAppendable, as to any object that is not Appendable.
 */

/**
 * PutSymlink (`PUT /<key>?symlink`, `x-oss-symlink-target`): makes the key a link to the target,
 * which need not exist: OSS checks only that it is a valid name, and whether it exists, what it is
 * and who may read it only once the link is read. Metadata, content headers, ACL, storage class and
 * tags are the link's own. Conditional headers are refused as on PutObject.
 */
export function putSymlink(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  const { store, headers } = ctx;
  refuseConditionalHeaders(headers);
  const target = readSymlinkTarget(headers['x-oss-symlink-target']);
  const attributes = readObjectAttributes(headers, key, { storageClass: store.getBucket(bucket)?.storageClass });
  const record = store.putSymlink(bucket, key, target, attributes, {
    forbidOverwrite: readForbidOverwrite(headers),
    etag: symlinkEtag(target),
    now: toSecond(Date.now()),
  });
  ctx.koa.set('ETag', quoteEtag(record.etag));
  setVersionHeader(ctx, record);
  sendEmpty(ctx.koa);
}

/** GetSymlink (`GET /<key>?symlink`): the link's target, percent-encoded as the SDKs decode it, and the link's own headers. */
export function getSymlink(ctx: OssContext): void {
  const { key } = objectAddress(ctx);
  const link = readVersion(ctx);
  if (link.type !== 'Symlink') throw new OssError('NotSymlink', { details: [['Key', key]] });
  const koa = ctx.koa;
  koa.set('x-oss-symlink-target', encodeTarget(link.symlinkTarget!));
  koa.set('ETag', quoteEtag(link.etag));
  koa.set('Last-Modified', httpDate(link.lastModified));
  setVersionHeader(ctx, link);
  for (const [name, value] of link.userMeta) koa.set(`x-oss-meta-${name}`, value);
  sendEmpty(koa);
}

/**
 * What GET and HEAD of `object` serve: the object itself, or for a Symlink its target's bytes as
 * the link's object. From the target: length, ETag, storage class and Content-MD5 (facts §2.1), and
 * the CRC-64, encryption and restore state, which describe its bytes (our choice); Last-Modified is
 * the later of the two (facts §2.1); everything else is the link's. Reading through a link needs
 * read access to the target too. A missing target is SymlinkTargetNotExist; a target that is itself
 * a link, InvalidTargetType.
 */
export function followSymlink(ctx: OssContext, object: ObjectRecord): ObjectRecord {
  if (object.type !== 'Symlink') return object;
  const targetKey = object.symlinkTarget!;
  authorizeAction({ ...ctx, target: { ...ctx.target, bucket: object.bucket, key: targetKey } }, 'read', 'oss:GetObject', targetKey);
  const target = ctx.store.getObject(object.bucket, targetKey);
  if (!target) throw new OssError('SymlinkTargetNotExist', { details: [['Key', object.key], ['TargetKey', targetKey]] });
  if (target.type === 'Symlink') throw new OssError('InvalidTargetType', { details: [['Key', object.key], ['TargetKey', targetKey]] });
  // The link's own record, less what describes bytes: those are the target's, as is how they are encrypted.
  const { contentMd5: _contentMd5, restore: _restore, encryption: _encryption, ...link } = object;
  return {
    ...link,
    blobId: target.blobId,
    size: target.size,
    crc64: target.crc64,
    etag: target.etag,
    lastModified: Math.max(object.lastModified, target.lastModified),
    storageClass: target.storageClass,
    ...(target.contentMd5 !== undefined ? { contentMd5: target.contentMd5 } : {}),
    ...(target.restore !== undefined ? { restore: target.restore } : {}),
    ...(target.encryption !== undefined ? { encryption: target.encryption } : {}),
  };
}

/**
 * The target header, percent-decoded (the SDKs encode it: Go with QueryEscape, ali-oss per path
 * segment; a client that sends it unescaped sends UTF-8), checked as a key.
 */
function readSymlinkTarget(sent: string | undefined): string {
  if (sent === undefined || sent === '') {
    throw new OssError('MissingArgument', { ec: '0043-00000001', details: [['ArgumentName', 'x-oss-symlink-target']] });
  }
  const raw = headerText(sent);
  const target = formDecode(raw, () => new OssError('InvalidArgument', { message: 'The x-oss-symlink-target header is not valid percent-encoding.', details: [['ArgumentName', 'x-oss-symlink-target'], ['ArgumentValue', raw]] }));
  validateObjectKey(target);
  return target;
}

/** Space as %20 and plus as %2B (both SDKs decode that right), slashes as they are. */
function encodeTarget(target: string): string {
  return encodeURIComponent(target).replace(/%2F/g, '/');
}

/** A link's own ETag: the MD5 of its target's name, as if that were its content (our choice: docs/divergences.md). */
function symlinkEtag(target: string): string {
  return createHash('md5').update(target, 'utf8').digest('hex').toUpperCase();
}
