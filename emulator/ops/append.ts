import { OssError } from '../errors/oss-error.js';
import { bodyIdleLimit } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { objectAddress } from '../http/context.js';
import { bucketDefaults, checkTrafficLimit, readContentLength, readContentMd5, readObjectAcl, readObjectAttributes, type ObjectDefaults } from '../http/object-input.js';
import { setWrittenHeaders } from '../http/object-output.js';
import { sendEmpty } from '../http/respond.js';
import { commitStaged, ingestBody } from '../store/ingest.js';
import { appendTooLarge, MAX_APPENDABLE_SIZE } from '../store/store.js';
import type { ObjectAttributes } from '../store/types.js';
import { httpDate, toSecond } from '../util/http-date.js';

/**
 * AppendObject (`POST /<key>?append&position=N`), facts §1:
 * - absent key + position 0 creates an Appendable object, with the request's metadata, tags,
 *   storage class and content headers; later appends ignore those silently, except the ACL;
 * - an existing Normal or Multipart object is ObjectNotAppendable (409), a sealed one
 *   (SealAppendObject, below) AppendSealedObjectNotAllowed (409);
 * - any position other than the current length is PositionNotEqualToLength (409) carrying
 *   x-oss-next-append-position; position 0 never resets a non-empty object;
 * - Content-MD5 covers this request's body; the CRC-64 returned covers the whole object.
 * The position is checked before the body is read (fail fast) and again atomically with the
 * commit (so of concurrent appenders at one position exactly one wins).
 */
export async function appendObject(ctx: OssContext): Promise<void> {
  const { bucket, key } = objectAddress(ctx);
  const { store, headers } = ctx;
  const position = readPosition(ctx.params);
  checkTrafficLimit(headers, ctx.params);
  const length = readContentLength(headers);
  const existing = store.checkAppendable(bucket, key, position);
  // After the bucket, the object's type and the position (facts §10): a malformed Content-MD5 to a
  // Normal object is ObjectNotAppendable.
  const md5 = readContentMd5(headers);
  // Validated now when this append creates the object; for a later append read only if the
  // object vanishes before the commit and this append creates it after all.
  const defaults = bucketDefaults(store.getBucket(bucket));
  const creating = existing ? undefined : readCreatingAttributes(headers, key, defaults);
  const attributes = (): ObjectAttributes => creating ?? lenientAttributes(headers, key, defaults);
  const aclChange = existing ? readObjectAcl(headers) : undefined;
  if (length !== undefined && position + length > MAX_APPENDABLE_SIZE) throw appendTooLarge();

  const staged = await ingestBody(store.blobs.bytes, ctx.koa.req, {
    seedCrc: existing?.crc64 ?? 0n,
    wantMd5: md5 !== undefined,
    expectedBytes: length,
    maxBytes: MAX_APPENDABLE_SIZE - position,
    tooLarge: appendTooLarge,
    holdSmallBody: true,
    idle: bodyIdleLimit(ctx.config),
  });
  const record = commitStaged(staged, () => {
    if (md5 !== undefined && md5 !== staged.md5) throw new OssError('InvalidDigest', { ec: '0017-00000503' });
    const seed = { crc64: existing?.crc64 ?? 0n, blobId: existing?.blobId };
    return store.appendObject({ bucket, key, position, staged, seed, attributes, aclChange, now: toSecond(Date.now()) });
  });
  const koa = ctx.koa;
  // The encryption shown is the creating append's, whatever a later one asks for (the Java SDK's ObjectEncryptionTest against OSS).
  setWrittenHeaders(koa, record);
  koa.set('x-oss-next-append-position', String(record.size));
  sendEmpty(koa);
}

/**
 * SealAppendObject (`POST /<key>?seal&position=N`): the appendable object, `position` bytes long,
 * takes no more appends. Answers 200 with `x-oss-sealed-time`, the time of the first seal, which
 * GET and HEAD show from then on. Errors: NoSuchKey; AppendSealedObjectNotAllowed (409) for an
 * object that is not appendable; PositionNotEqualToLength (409) for any other length, sealed or not.
 * No SDK sends a body (they send Content-MD5 of an empty one); one that is sent is not read.
 */
export function sealAppendObject(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  const position = readPosition(ctx.params);
  const sealed = ctx.store.sealObject(bucket, key, position, toSecond(Date.now()));
  ctx.koa.set('x-oss-sealed-time', httpDate(sealed.sealedAt!));
  sendEmpty(ctx.koa);
}

/** A later append never fails on metadata headers (OSS ignores them); fall back to defaults. */
function lenientAttributes(headers: Record<string, string | undefined>, key: string, defaults: ObjectDefaults): ObjectAttributes {
  try {
    return readCreatingAttributes(headers, key, defaults);
  } catch {
    return readObjectAttributes({ 'content-type': headers['content-type'] }, key, defaults);
  }
}

function readCreatingAttributes(headers: Record<string, string | undefined>, key: string, defaults: ObjectDefaults): ObjectAttributes {
  const attributes = readObjectAttributes(headers, key, defaults);
  // OSS's AppendObject "Limits": an appendable object cannot be encrypted with a KMS key of one's choosing.
  if (attributes.encryption?.keyId !== undefined) {
    const byBucket = headers['x-oss-server-side-encryption'] === undefined;
    throw new OssError('InvalidArgument', {
      message: byBucket
        ? "AppendObject cannot use the bucket's default encryption, which names a KMS key (KMSMasterKeyID): an appendable object cannot be encrypted with a specified KMS key."
        : 'AppendObject does not take x-oss-server-side-encryption-key-id: an appendable object cannot be encrypted with a specified KMS key.',
      details: [['ArgumentName', byBucket ? 'KMSMasterKeyID' : 'x-oss-server-side-encryption-key-id'], ['ArgumentValue', attributes.encryption.keyId]],
    });
  }
  if (attributes.storageClass === 'ColdArchive' || attributes.storageClass === 'DeepColdArchive') {
    throw new OssError('InvalidArgument', {
      message: `The storage class ${attributes.storageClass} cannot be used by AppendObject.`,
      ec: '0016-00000503',
    });
  }
  return attributes;
}

function readPosition(params: Map<string, string | null>): number {
  const raw = params.get('position');
  if (raw === undefined || raw === null || raw === '') {
    throw new OssError('MissingArgument', { details: [['ArgumentName', 'position']] });
  }
  if (!/^\d{1,16}$/.test(raw)) {
    throw new OssError('InvalidArgument', {
      message: 'Position must be a valid positive integer.',
      ec: '0016-00000502',
      details: [['ArgumentName', 'position'], ['ArgumentValue', raw]],
    });
  }
  return Number(raw);
}
