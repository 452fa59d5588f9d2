import type { Context } from 'koa';
import { OssError } from '../errors/oss-error.js';
import { FROZEN_CLASSES, restorePhase } from '../store/restore-state.js';
import type { Encryption, ObjectRecord } from '../store/types.js';
import { httpDate, parseHttpDate, toSecond } from '../util/http-date.js';

export const quoteEtag = (etag: string): string => `"${etag}"`;

/**
 * The headers GET and HEAD return for an object (facts §2.1), in OSS's spelling.
 * `x-oss-tagging-count` only for a caller who may read the tags (`mayReadTags`), as in OSS.
 */
export function setObjectHeaders(koa: Context, object: ObjectRecord, mayReadTags: () => boolean): void {
  const h = object.httpHeaders;
  koa.set('Content-Type', h.contentType ?? 'application/octet-stream');
  koa.set('ETag', quoteEtag(object.etag));
  koa.set('Last-Modified', httpDate(object.lastModified));
  koa.set('Accept-Ranges', 'bytes');
  koa.set('x-oss-object-type', object.type);
  koa.set('x-oss-storage-class', object.storageClass);
  koa.set('x-oss-hash-crc64ecma', object.crc64.toString());
  if (object.type === 'Appendable') koa.set('x-oss-next-append-position', String(object.size));
  if (object.sealedAt !== undefined) koa.set('x-oss-sealed-time', httpDate(object.sealedAt));
  if (object.contentMd5) koa.set('Content-MD5', object.contentMd5);
  if (h.cacheControl) koa.set('Cache-Control', h.cacheControl);
  if (h.contentDisposition) koa.set('Content-Disposition', h.contentDisposition);
  if (h.contentEncoding) koa.set('Content-Encoding', h.contentEncoding);
  if (h.contentLanguage) koa.set('Content-Language', h.contentLanguage);
  if (h.expires) koa.set('Expires', h.expires);
  setEncryptionHeaders(koa, object.encryption);
  if (object.tags.length > 0 && mayReadTags()) koa.set('x-oss-tagging-count', String(object.tags.length));
  const restore = restoreInfo(object, Date.now());
  if (restore !== undefined) koa.set('x-oss-restore', restore);
  for (const [name, value] of object.userMeta) koa.set(`x-oss-meta-${name}`, value);
}

/**
 * What a write that makes or changes an object answers with (PutObject, PostObject, AppendObject,
 * CopyObject, CompleteMultipartUpload): the object's time, ETag, whole-object CRC-64, encryption and version.
 */
export function setWrittenHeaders(koa: Pick<Context, 'set'>, record: Pick<ObjectRecord, 'lastModified' | 'etag' | 'crc64' | 'encryption' | 'versionId'>): void {
  koa.set('Date', httpDate(record.lastModified));
  koa.set('ETag', quoteEtag(record.etag));
  koa.set('x-oss-hash-crc64ecma', record.crc64.toString());
  if (record.versionId !== undefined) koa.set('x-oss-version-id', record.versionId);
  setEncryptionHeaders(koa, record.encryption);
}

/** Where the object is, as OSS says it: `http://<bucket>.<host>/<key>`, or `http://<host>/<bucket>/<key>` for a path-style request. */
export function objectLocation(host: string, style: 'virtual-host' | 'path', bucket: string, key: string): string {
  const path = encodeURIComponent(key).replace(/%2F/g, '/');
  return style === 'path' ? `http://${host}/${bucket}/${path}` : `http://${host}/${path}`;
}

/**
 * How an object (or the object a multipart upload will make) is encrypted, on every response
 * about it that OSS shows it on: writes, GET and HEAD, and each multipart step.
 */
export function setEncryptionHeaders(koa: Pick<Context, 'set'>, encryption: Encryption | undefined): void {
  if (!encryption) return;
  koa.set('x-oss-server-side-encryption', encryption.algorithm);
  if (encryption.dataEncryption) koa.set('x-oss-server-side-data-encryption', encryption.dataEncryption);
  if (encryption.keyId) koa.set('x-oss-server-side-encryption-key-id', encryption.keyId);
}

/**
 * The conditional headers of GET and HEAD, in RFC 7232 order. OSS differs from the RFC in one
 * way the ali-oss tests pin down: an If-Modified-Since in the future still yields 304.
 * Returns 304 when the client's copy is current; throws PreconditionFailed (412).
 */
export function evaluateConditions(headers: Record<string, string | undefined>, object: ObjectRecord): 304 | undefined {
  const etag = object.etag;
  const lastModified = toSecond(object.lastModified);
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && !etagListMatches(ifMatch, etag)) throw preconditionFailed('If-Match');
  const ifUnmodifiedSince = parseHttpDate(headers['if-unmodified-since']);
  if (ifUnmodifiedSince !== undefined && lastModified > ifUnmodifiedSince) throw preconditionFailed('If-Unmodified-Since');
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagListMatches(ifNoneMatch, etag) ? 304 : undefined;
  const ifModifiedSince = parseHttpDate(headers['if-modified-since']);
  if (ifModifiedSince !== undefined && lastModified <= ifModifiedSince) return 304;
  return undefined;
}

function etagListMatches(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const bare = candidate.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return bare === '*' || bare.toUpperCase() === etag.toUpperCase();
  });
}

function preconditionFailed(condition: string): OssError {
  return new OssError('PreconditionFailed', { details: [['Condition', condition]] });
}

export interface ByteRange {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * OSS Range semantics (facts §3.2). By default an unsatisfiable or malformed range is ignored and
 * the whole object returned with 200; with `x-oss-range-behavior: standard` an end beyond the
 * object is clipped and a start beyond it is 416. Only the first of several ranges is served.
 */
export function resolveRange(header: string | undefined, size: number, standard: boolean): ByteRange | undefined {
  if (header === undefined) return undefined;
  // Each run of spaces has one place in the pattern: `\s*(\d*)\s*` would retry every split of a
  // long run (a 15 KB header of spaces cost 200 ms).
  const m = /^bytes=\s*(?:(\d+)\s*)?-\s*(?:(\d+)\s*)?(?:,.*)?$/.exec(header.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '') {
    const suffix = Number(last);
    // No byte can satisfy a zero suffix, nor any suffix of an empty object (RFC 9110 §14.1.1);
    // clipping `bytes=-N` to the object would otherwise give `Content-Range: bytes 0--1/0`.
    if (suffix === 0 || size === 0) return standard ? unsatisfiable(header, size) : undefined;
    if (suffix > size) return standard ? { start: 0, end: size } : undefined;
    return { start: size - suffix, end: size };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  // Start beyond the object first: for `bytes=<size>-` the implied end (size - 1) is below the
  // start, and that must be 416 in standard mode, not an ignored inverted range.
  if (start >= size) return standard ? unsatisfiable(header, size) : undefined;
  if (end < start) return undefined;
  if (end >= size) return standard ? { start, end: size } : last === '' ? { start, end: size } : undefined;
  return { start, end: end + 1 };
}

function unsatisfiable(rangeRequested: string, size: number): never {
  throw new OssError('InvalidRange', {
    headers: { 'Content-Range': `bytes */${size}` },
    details: [['RangeRequested', rangeRequested], ['ActualObjectSize', String(size)]],
  });
}

/** `response-*` query parameters override response headers on GET. */
export const RESPONSE_OVERRIDES: ReadonlyArray<[string, string]> = [
  ['response-content-type', 'Content-Type'],
  ['response-content-language', 'Content-Language'],
  ['response-expires', 'Expires'],
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding'],
];

/**
 * The header overrides a GET asks for, validated before any header is set (so a rejected one
 * leaves no object headers on the error). Node refuses header text above U+00FF and control
 * characters: non-Latin-1 text (e.g. a UTF-8 file name) goes out as its UTF-8 bytes, as the client
 * percent-encoded it; a line break or other control character is a client error, not a 500.
 */
export function responseOverrides(params: Map<string, string | null>): Array<[header: string, value: string]> {
  const overrides: Array<[string, string]> = [];
  for (const [param, header] of RESPONSE_OVERRIDES) {
    const value = params.get(param);
    if (!value) continue;
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new OssError('InvalidArgument', { message: `The ${param} parameter contains a control character.`, details: [['ArgumentName', param]] });
    }
    overrides.push([header, Buffer.from(value, 'utf8').toString('latin1')]);
  }
  return overrides;
}

/** The `x-oss-restore` header (HEAD and GET) and `<RestoreInfo>` (listings) text, if any. */
export function restoreInfo(object: ObjectRecord, now: number): string | undefined {
  const phase = restorePhase(object.restore, now);
  if (phase === 'none') return undefined;
  if (phase === 'ongoing') return 'ongoing-request="true"';
  return `ongoing-request="false", expiry-date="${httpDate(object.restore!.expiresAt)}"`;
}

/** GetObject of a frozen object without a readable restored copy is InvalidObjectState (403). */
export function requireReadable(object: ObjectRecord, now: number): void {
  if (FROZEN_CLASSES.has(object.storageClass) && restorePhase(object.restore, now) !== 'restored') {
    throw new OssError('InvalidObjectState', { details: [['Key', object.key]] });
  }
}
