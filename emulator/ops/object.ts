import { createHash } from 'node:crypto';
import { answerWithCallback } from '../callbacks/answer.js';
import { requestedCallback } from '../callbacks/parse.js';
import { authorizeAction, mayDo } from '../http/authorize.js';
import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import { objectAddress } from '../http/context.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import { answersCompressed, describeCompressed, gzipInto } from '../http/gzip-download.js';
import { bucketDefaults, checkTrafficLimit, readContentLength, readContentMd5, readForbidOverwrite, readObjectAcl, readObjectAttributes, readTagSet, refuseConditionalHeaders, validateTags } from '../http/object-input.js';
import { evaluateConditions, quoteEtag, requireReadable, resolveRange, responseOverrides, setObjectHeaders, setWrittenHeaders } from '../http/object-output.js';
import { sendEmpty, sendXml, stampServerTime } from '../http/respond.js';
import { commitStaged, ingestBody } from '../store/ingest.js';
import type { ObjectRecord } from '../store/types.js';
import { md5ToEtag } from '../util/etag.js';
import { httpDate, toSecond } from '../util/http-date.js';
import { decodeXmlBody, parseXmlBody } from '../util/xml.js';
import { checkDocumentText } from '../util/xml-fields.js';
import { validateTarget } from '../http/validate.js';
import { readVersion, readVersionId, requestedVersion, setVersionHeader } from './versions.js';
import { ownerOf } from './owner.js';
import { followSymlink } from './symlink.js';

/** The largest single PutObject body: 5 GiB. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

const entityTooLarge = (): OssError => new OssError('EntityTooLarge');

/**
 * PutObject: streams the body to staging, checks Content-MD5, then swaps it in atomically. With an
 * upload callback (checked before the body is read), the application server's answer is the answer.
 */
export async function putObject(ctx: OssContext): Promise<void> {
  const { bucket, key } = objectAddress(ctx);
  const { store, headers } = ctx;
  refuseConditionalHeaders(headers);
  const callback = requestedCallback(headers, ctx.params);
  checkTrafficLimit(headers, ctx.params);
  const md5 = readContentMd5(headers);
  const length = readContentLength(headers);
  if (length !== undefined && length > MAX_PUT_SIZE) throw entityTooLarge();
  const attributes = readObjectAttributes(headers, key, bucketDefaults(store.getBucket(bucket)));
  const forbidOverwrite = readForbidOverwrite(headers);
  store.requireBucket(bucket);
  store.objectToReplace(bucket, key, forbidOverwrite);

  const staged = await ingestBody(store.blobs.bytes, ctx.koa.req, { wantMd5: true, expectedBytes: length, maxBytes: MAX_PUT_SIZE, tooLarge: entityTooLarge, idle: bodyIdleLimit(ctx.config) });
  const record = commitStaged(staged, () => {
    if (md5 !== undefined && md5 !== staged.md5) throw new OssError('InvalidDigest', { ec: '0017-00000503' });
    return store.putObject(bucket, key, staged, attributes, { forbidOverwrite, etag: md5ToEtag(staged.md5!), now: toSecond(Date.now()) });
  });
  const koa = ctx.koa;
  setWrittenHeaders(koa, record);
  koa.set('Content-MD5', record.contentMd5!);
  if (callback) return answerWithCallback(ctx, callback, record, 'PutObject');
  sendEmpty(koa);
}

export async function getObject(ctx: OssContext): Promise<void> {
  const { key } = objectAddress(ctx);
  checkTrafficLimit(ctx.headers, ctx.params);
  const object = followSymlink(ctx, readVersion(ctx));
  requireReadable(object, Date.now());
  const koa = ctx.koa;
  if (evaluateConditions(ctx.headers, object) === 304) return notModified(ctx, object);
  const range = resolveRange(ctx.headers['range'], object.size, ctx.headers['x-oss-range-behavior'] === 'standard');
  const overrides = responseOverrides(ctx.params);
  // Served as stored where OSS does not say how it would compress: a range (Go asks for gzip only
  // without one), and a response-content-encoding naming the coding itself.
  const overridesEncoding = overrides.some(([header]) => header === 'Content-Encoding');
  const compressed = !range && !overridesEncoding && answersCompressed(ctx.headers['accept-encoding'], object);
  setObjectHeaders(koa, object, () => mayDo(ctx, 'owner', 'oss:GetObjectTagging', key));
  setVersionHeader(ctx, object);
  for (const [header, value] of overrides) koa.set(header, value);
  const { start, end } = range ?? { start: 0, end: object.size };
  if (range) koa.set('Content-Range', `bytes ${start}-${end - 1}/${object.size}`);
  koa.status = range ? 206 : 200;
  if (compressed) describeCompressed(koa);
  else koa.length = end - start;
  // The body is written here rather than through Koa, so the download can reuse its buffers.
  koa.respond = false;
  stampServerTime(koa);
  // No flushHeaders(): it would send header text as UTF-8; the first body write sends it as Latin-1 bytes.
  const res = koa.res;
  const compressor = compressed ? gzipInto(res) : undefined;
  const sink = compressor?.sink ?? res;
  try {
    // A client that stops reading is cut after the same time as a stalled request body.
    await ctx.store.blobs.writeTo(sink, object.blobId, start, end, { idleMs: ctx.config.bodyIdleTimeoutMs, connection: koa.req.socket });
    sink.end();
  } catch (error) {
    compressor?.abandon();
    // Nothing sent yet (the bytes could not be read): answer with an error document as usual,
    // without the object's headers (a stored Content-Encoding would make clients decode the XML).
    if (!res.headersSent && !res.destroyed) {
      koa.respond = true; // first: should anything below throw, Koa must still answer
      const bucketVaries = String(res.getHeader('vary') ?? '').includes('Origin'); // the bucket's ResponseVary, not the compression's
      for (const name of res.getHeaderNames()) if (!keptOnError(name)) res.removeHeader(name);
      if (bucketVaries) koa.set('Vary', 'Origin');
      throw error;
    }
    // Mid-body (or the client went away): the status line is gone, so cut the connection.
    res.destroy();
  }
}

/**
 * The headers an error document keeps from an answer that was being prepared: those every answer
 * has, and the bucket's CORS headers (set before any handler runs), without which a page cannot
 * read the error.
 */
const keptOnError = (name: string): boolean => name === 'x-oss-request-id' || name === 'server' || name.startsWith('access-control-');

export function headObject(ctx: OssContext): void {
  const { key } = objectAddress(ctx);
  const object = followSymlink(ctx, readVersion(ctx));
  if (evaluateConditions(ctx.headers, object) === 304) return notModified(ctx, object);
  setObjectHeaders(ctx.koa, object, () => mayDo(ctx, 'owner', 'oss:GetObjectTagging', key));
  setVersionHeader(ctx, object);
  ctx.koa.status = 200;
  // OSS describes the object as a GET would send it: compressed, it has no length (ali-oss warns browser users of this).
  if (answersCompressed(ctx.headers['accept-encoding'], object)) describeCompressed(ctx.koa);
  else ctx.koa.set('Content-Length', String(object.size));
}

function notModified(ctx: OssContext, object: ObjectRecord): void {
  ctx.koa.set('ETag', quoteEtag(object.etag));
  ctx.koa.set('Last-Modified', httpDate(object.lastModified));
  ctx.koa.status = 304;
}

/** GetObjectMeta (`HEAD` or the older `GET ?objectMeta`): a lighter HEAD without content headers. */
export function getObjectMeta(ctx: OssContext): void {
  const object = readVersion(ctx);
  const koa = ctx.koa;
  koa.set('ETag', quoteEtag(object.etag));
  koa.set('Last-Modified', httpDate(object.lastModified));
  koa.set('x-oss-hash-crc64ecma', object.crc64.toString());
  setVersionHeader(ctx, object);
  if (ctx.method === 'HEAD') {
    koa.status = 200;
    koa.set('Content-Length', String(object.size));
  } else {
    sendEmpty(koa);
  }
}

/**
 * DeleteObject: the object goes; in a versioned bucket a delete marker takes its place (its id in
 * the answer), and with a versionId that version goes for good (saying whether it was a marker).
 */
export function deleteObject(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  const versionId = requestedVersion(ctx);
  const koa = ctx.koa;
  if (versionId !== undefined) {
    const { deleteMarker } = ctx.store.deleteVersion(bucket, key, versionId);
    if (deleteMarker) koa.set('x-oss-delete-marker', 'true');
    koa.set('x-oss-version-id', versionId);
  } else {
    const { deleteMarker } = ctx.store.deleteObject(bucket, key, toSecond(Date.now()));
    if (deleteMarker !== undefined) {
      koa.set('x-oss-delete-marker', 'true');
      koa.set('x-oss-version-id', deleteMarker);
    }
  }
  sendEmpty(koa, 204);
}

export function getObjectAcl(ctx: OssContext): void {
  const object = readVersion(ctx);
  setVersionHeader(ctx, object);
  sendXml(ctx.koa, 'AccessControlPolicy', {
    Owner: ownerOf(ctx.config.accessKeyId),
    AccessControlList: { Grant: object.acl },
  });
}

export function putObjectAcl(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  // A missing or empty header has its own documented EC; an unknown value is 0017-00000104.
  if (!ctx.headers['x-oss-object-acl']) throw new OssError('MissingArgument', { ec: '0017-00000105', details: [['ArgumentName', 'x-oss-object-acl']] });
  const acl = readObjectAcl(ctx.headers)!;
  const object = readVersion(ctx);
  ctx.store.setObjectAcl(bucket, key, acl, requestedVersion(ctx));
  setVersionHeader(ctx, object);
  sendEmpty(ctx.koa);
}

export function getObjectTagging(ctx: OssContext): void {
  const object = readVersion(ctx);
  setVersionHeader(ctx, object);
  sendXml(ctx.koa, 'Tagging', { TagSet: { Tag: object.tags.map(([Key, Value]) => ({ Key, Value })) } });
}

export async function putObjectTagging(ctx: OssContext): Promise<void> {
  const { bucket, key } = objectAddress(ctx);
  const object = readVersion(ctx);
  const body = parseXmlBody(decodeXmlBody(await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config))), 'Tagging');
  // `<Tagging>junk</Tagging>` is no empty tag set; a control character is refused below as any character tags may not hold.
  checkDocumentText(body, () => new OssError('InvalidArgument', { message: 'A tag contains a character that is not allowed.', ec: '0010-00000212' }));
  const tags = readTagSet(body['TagSet']);
  validateTags(tags);
  ctx.store.setObjectTags(bucket, key, tags, requestedVersion(ctx));
  setVersionHeader(ctx, object);
  sendEmpty(ctx.koa);
}

export function deleteObjectTagging(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  const object = readVersion(ctx);
  ctx.store.setObjectTags(bucket, key, [], requestedVersion(ctx));
  setVersionHeader(ctx, object);
  sendEmpty(ctx.koa, 204);
}

/** `<Quiet>true</Quiet>` or false (any case); absent is false. Anything else (repeated, nested) is MalformedXML. */
function readQuiet(quiet: unknown): boolean {
  if (quiet === undefined) return false;
  const value = typeof quiet === 'string' ? quiet.toLowerCase() : undefined;
  if (value !== 'true' && value !== 'false') throw new OssError('MalformedXML', { message: 'Quiet must be true or false.' });
  return value === 'true';
}

/** At most 1000 keys per DeleteMultipleObjects request. */
const MAX_DELETE_KEYS = 1000;

/**
 * One `<Object>` of a Delete document: `<Object><Key>text</Key></Object>`, with at most a
 * `<VersionId>` naming one version of it (`null` for an object written while the bucket was never versioned).
 */
function deleteEntryOf(entry: unknown): { key: string; versionId?: string } {
  const fields = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
  const versionId = fields['VersionId'];
  const key = fields['Key'];
  const others = Object.keys(fields).filter((name) => name !== 'Key' && name !== 'VersionId');
  if (typeof key !== 'string' || key === '' || others.length > 0) throw new OssError('MalformedXML', { message: 'Each Object must hold a Key with the object name as text, and nothing else.' });
  if (versionId === undefined) return { key };
  if (typeof versionId !== 'string') throw new OssError('MalformedXML', { message: 'A VersionId must hold a version id as text.' });
  return { key, versionId: readVersionId(versionId) };
}

export async function deleteMultipleObjects(ctx: OssContext): Promise<void> {
  const bucket = ctx.target.bucket!;
  ctx.store.requireBucket(bucket);
  const raw = await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config), 2 * 1024 * 1024);
  const md5 = readContentMd5(ctx.headers);
  if (md5 === undefined) {
    throw new OssError('MissingArgument', { message: 'Missing required header Content-MD5.', ec: '0016-00000606' });
  }
  if (createHash('md5').update(raw).digest('base64') !== md5) throw new OssError('InvalidDigest', { ec: '0017-00000503' });
  const body = parseXmlBody(decodeXmlBody(raw), 'Delete');
  const entries = (body['Object'] as unknown[] | undefined) ?? [];
  if (entries.length > MAX_DELETE_KEYS) {
    throw new OssError('MalformedXML', { message: `At most ${MAX_DELETE_KEYS} keys may be deleted per request.`, ec: '0016-00000609' });
  }
  const named = entries.map(deleteEntryOf);
  const keys = named.map((entry) => entry.key);
  if (keys.length === 0) throw new OssError('MalformedXML', { message: 'The Delete element lists no Object.' });
  // A name no object can have is refused, not reported as deleted.
  for (const key of keys) validateTarget({ bucket, key, query: [], style: 'path' });
  const quiet = readQuiet(body['Quiet']);
  // Every key is checked before any is deleted: a refused request deletes nothing.
  for (const { key, versionId } of named) {
    authorizeAction(ctx, 'write', 'oss:DeleteObject', key, true);
    if (versionId !== undefined) authorizeAction(ctx, 'write', 'oss:DeleteObjectVersion', key, true);
  }
  // One object a retention policy protects refuses the whole request before anything is deleted (docs/divergences.md).
  for (const { key, versionId } of named) ctx.store.checkDeletable(bucket, key, versionId);
  const now = toSecond(Date.now());
  // What each deletion did, as OSS reports it: the version deleted, and the delete marker deleted or made.
  const deleted = named.map(({ key, versionId }): { key: string; versionId?: string; markerId?: string } => {
    if (versionId !== undefined) {
      const { deleteMarker } = ctx.store.deleteVersion(bucket, key, versionId);
      return { key, versionId, ...(deleteMarker ? { markerId: versionId } : {}) };
    }
    const { deleteMarker } = ctx.store.deleteObject(bucket, key, now);
    return { key, ...(deleteMarker !== undefined ? { markerId: deleteMarker } : {}) };
  });
  const encode = ctx.params.get('encoding-type') === 'url';
  sendXml(ctx.koa, 'DeleteResult', {
    EncodingType: encode ? 'url' : undefined,
    Deleted: quiet
      ? undefined
      : deleted.map(({ key, versionId, markerId }) => ({
          Key: encode ? encodeURIComponent(key) : key,
          VersionId: versionId,
          DeleteMarker: markerId !== undefined ? true : undefined,
          DeleteMarkerVersionId: markerId,
        })),
  });
}
