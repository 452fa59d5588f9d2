import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { answerWithCallback } from '../callbacks/answer.js';
import { requestedCallback } from '../callbacks/parse.js';
import { OssError } from '../errors/oss-error.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { objectAddress } from '../http/context.js';
import { bucketDefaults, checkTrafficLimit, readContentLength, readContentMd5, readForbidOverwrite, readObjectAcl, readObjectAttributes } from '../http/object-input.js';
import { objectLocation, quoteEtag, setEncryptionHeaders, setWrittenHeaders } from '../http/object-output.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import { bodyCrc64 } from '../store/body-crc64.js';
import { commitStaged, ingestBody } from '../store/ingest.js';
import type { PartRecord, UploadRecord } from '../store/uploads.js';
import { md5ToEtag } from '../util/etag.js';
import { isoDate, toSecond } from '../util/http-date.js';
import { decodeXmlBody, parseXmlBody } from '../util/xml.js';
import { commonPrefixOf, encoder, readMaxKeys } from './bucket.js';
import { authorizedCopySource, checkCopySource, sendSourceUnchanged } from './copy.js';
import { MAX_PUT_SIZE } from './object.js';

/** OSS's EC for NoSuchUpload differs by operation: UploadPart and UploadPartCopy have their own (Abort, ListParts and ours elsewhere: 0042-00000002). */
const UPLOAD_PART_NO_SUCH_UPLOAD = '0042-00000104';
const UPLOAD_PART_COPY_NO_SUCH_UPLOAD = '0042-00000311';
/** Part numbers OSS accepts. */
const MAX_PART_NUMBER = 10_000;
/** Every part but the last must be at least this large when the upload is completed. */
const MIN_PART_BYTES = 100 * 1024;

/**
 * InitiateMultipartUpload: `POST /<key>?uploads`. The headers are what the completed object will
 * have, but for its ACL, which CompleteMultipartUpload sets (an `x-oss-object-acl` here is
 * validated, then not kept: the Go SDK 1.5.0's TestUploadFile, run against OSS, sends it with
 * Initiate only and finds the ACL `default`, the metadata sent alongside kept; later SDKs send it
 * with Complete too).
 */
export function initiateMultipartUpload(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  const { store, headers } = ctx;
  // An x-oss-callback here is not OSS's business until CompleteMultipartUpload (where the SDKs send it).
  const attributes = readObjectAttributes(headers, key, bucketDefaults(store.requireBucket(bucket)));
  const { encode, encodingType } = encoder(ctx);
  const upload = store.atomically(() => store.uploads.initiate(bucket, key, { ...attributes, acl: 'default' }, Date.now()));
  setEncryptionHeaders(ctx.koa, attributes.encryption);
  sendXml(ctx.koa, 'InitiateMultipartUploadResult', { Bucket: bucket, Key: encode(key), UploadId: upload.id, EncodingType: encodingType });
}

/** UploadPart: `PUT /<key>?partNumber=N&uploadId=ID`, the part's bytes streamed like a PutObject's. */
export async function uploadPart(ctx: OssContext): Promise<void> {
  const { bucket, key } = objectAddress(ctx);
  const { store, headers } = ctx;
  if (headers['x-oss-copy-source'] !== undefined) return uploadPartCopy(ctx);
  const partNumber = readPartNumber(ctx.params.get('partNumber'));
  const uploadId = readUploadId(ctx, UPLOAD_PART_NO_SUCH_UPLOAD);
  checkTrafficLimit(headers, ctx.params);
  const md5 = readContentMd5(headers);
  const length = readContentLength(headers);
  if (length !== undefined && length > MAX_PUT_SIZE) throw new OssError('EntityTooLarge');
  if (headers['x-oss-storage-class'] !== undefined) throw storageClassRefused('UploadPart', '0042-00000101');
  store.requireBucket(bucket);
  const { encryption } = store.uploads.require(bucket, key, uploadId, UPLOAD_PART_NO_SUCH_UPLOAD).attributes; // fail fast, before the body

  const staged = await ingestBody(store.blobs.bytes, ctx.koa.req, {
    wantMd5: true,
    expectedBytes: length,
    maxBytes: MAX_PUT_SIZE,
    tooLarge: () => new OssError('EntityTooLarge'),
    idle: bodyIdleLimit(ctx.config),
  });
  const part = commitStaged(staged, () => {
    if (md5 !== undefined && md5 !== staged.md5) throw new OssError('InvalidDigest', { ec: '0017-00000503' });
    return store.atomically(() => {
      // Checked again: the upload may have been completed or aborted while the part streamed in.
      const upload = store.uploads.require(bucket, key, uploadId, UPLOAD_PART_NO_SUCH_UPLOAD);
      const blobId = store.blobs.newBlob();
      store.blobs.attach(blobId, 0, staged.extents);
      return store.uploads.putPart(upload, partNumber, blobId, { size: staged.size, etag: md5ToEtag(staged.md5!), crc64: staged.crc64, lastModified: toSecond(Date.now()) });
    });
  });
  const koa = ctx.koa;
  koa.set('ETag', quoteEtag(part.etag));
  koa.set('Content-MD5', staged.md5!);
  koa.set('x-oss-hash-crc64ecma', part.crc64.toString());
  setEncryptionHeaders(koa, encryption);
  sendEmpty(koa);
}

/**
 * UploadPartCopy: an UploadPart whose bytes are `x-oss-copy-source`'s, all of them or the
 * inclusive `x-oss-copy-source-range: bytes=a-b`. The part names the source's stored bytes (none
 * is written); they are read once, for the part's MD5 (its ETag) and CRC-64. What is copied is the
 * source as it was when the request began, whatever happens to it meanwhile. The caller needs
 * oss:GetObject on the source too; the `x-oss-copy-source-if-*` conditions hold as for CopyObject.
 */
async function uploadPartCopy(ctx: OssContext): Promise<void> {
  const { bucket, key } = objectAddress(ctx);
  const { store, headers } = ctx;
  const partNumber = readPartNumber(ctx.params.get('partNumber'));
  const uploadId = readUploadId(ctx, UPLOAD_PART_COPY_NO_SUCH_UPLOAD);
  const from = authorizedCopySource(ctx);
  store.requireBucket(bucket);
  const { encryption } = store.uploads.require(bucket, key, uploadId, UPLOAD_PART_COPY_NO_SUCH_UPLOAD).attributes;
  const source = store.requireVersion(from.bucket, from.key, from.versionId, { asCopySource: true });
  // OSS refuses a link as the source of a part (EC page 0042-00000308; the code and message are ours).
  if (source.type === 'Symlink') {
    throw new OssError('InvalidArgument', { message: 'UploadPartCopy cannot copy from a symbolic link.', ec: '0042-00000308', details: [['ArgumentName', 'x-oss-copy-source']] });
  }
  if (checkCopySource(headers, source) === 304) return sendSourceUnchanged(ctx.koa, source);
  const { start, end } = readCopySourceRange(headers['x-oss-copy-source-range'], source.size);
  if (end - start > MAX_PUT_SIZE) throw new OssError('EntityTooLarge'); // a part is at most 5 GiB, copied or sent

  // Read once for the part's MD5 and CRC-64. The source's blob is held until the part names its
  // bytes, so a source replaced or deleted meanwhile is still copied as it was.
  const md5 = createHash('md5');
  const crc = bodyCrc64(0n, end - start);
  const release = store.blobs.hold(source.blobId);
  try {
    const sink = new Writable({
      write(piece: Buffer, _encoding, done) {
        md5.update(piece);
        crc.update(piece);
        // The reads are synchronous: without a turn of the event loop per piece (1 MiB), a 5 GiB copy would hold up every other request.
        setImmediate(done);
      },
    });
    await store.blobs.writeTo(sink, source.blobId, start, end);
    const etag = md5.digest('hex').toUpperCase();
    const crc64 = crc.digest();
    const part = store.atomically(() => {
      const upload = store.uploads.require(bucket, key, uploadId, UPLOAD_PART_COPY_NO_SUCH_UPLOAD);
      const blobId = store.blobs.cloneRange(source.blobId, start, end);
      return store.uploads.putPart(upload, partNumber, blobId, { size: end - start, etag, crc64, lastModified: toSecond(Date.now()) });
    });
    const koa = ctx.koa;
    koa.set('ETag', quoteEtag(part.etag));
    koa.set('x-oss-hash-crc64ecma', part.crc64.toString());
    setEncryptionHeaders(koa, encryption);
    if (source.versionId !== undefined) koa.set('x-oss-copy-source-version-id', source.versionId);
    sendXml(koa, 'CopyPartResult', { LastModified: isoDate(part.lastModified), ETag: quoteEtag(part.etag) });
  } finally {
    release();
    crc.release();
  }
}

/**
 * `bytes=a-b` (inclusive, within the source), `bytes=a-` (from a to the end: oss2's
 * `upload_part_copy` sends it, and its test against OSS copies the rest), or the whole source
 * when absent.
 */
function readCopySourceRange(header: string | undefined, size: number): { start: number; end: number } {
  if (header === undefined) return { start: 0, end: size };
  const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  const start = match ? Number(match[1]) : NaN;
  const last = !match ? NaN : match[2] === '' ? size - 1 : Number(match[2]);
  if (!match || start >= size || last < start || last >= size) {
    throw new OssError('InvalidArgument', {
      message: 'x-oss-copy-source-range must be bytes=<first>-<last> or bytes=<first>-, within the source object.',
      ec: '0042-00000306',
      details: [['ArgumentName', 'x-oss-copy-source-range'], ['ArgumentValue', header]],
    });
  }
  return { start, end: last + 1 };
}

/**
 * CompleteMultipartUpload: `POST /<key>?uploadId=ID` with the parts to join, in ascending order
 * with their ETags, or `x-oss-complete-all: yes` and no body for all of them. The object's ETag
 * is the MD5 of the listed parts' ETags (upper-case hex, joined) and `-<count>`; its CRC-64 is
 * the parts' combined.
 */
export async function completeMultipartUpload(ctx: OssContext): Promise<void> {
  const { bucket, key } = objectAddress(ctx);
  const { store, headers } = ctx;
  // Checked before anything is read or committed.
  const callback = requestedCallback(headers, ctx.params);
  const uploadId = readUploadId(ctx);
  const { encode, encodingType } = encoder(ctx);
  const completeAll = headers['x-oss-complete-all']?.toLowerCase() === 'yes';
  // The storage class is chosen at Initiate (ali-oss leaves it out of Complete for this reason).
  if (headers['x-oss-storage-class'] !== undefined) throw storageClassRefused('CompleteMultipartUpload', '0042-00000202');
  // Any object write may set the ACL with this header, as PutObjectACL would (OSS's PutObjectACL
  // page lists CompleteMultipartUpload among them); without it the object's ACL is `default`.
  const acl = readObjectAcl(headers);
  store.requireBucket(bucket);
  store.uploads.require(bucket, key, uploadId);
  const body = await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config));
  if (completeAll && body.toString('latin1').trim() !== '') {
    // The typo is OSS's own.
    throw new OssError('InvalidArgument', {
      message: 'Should not speficy both complete all header and http body.',
      ec: '0042-00000216',
      details: [['ArgumentName', 'x-oss-complete-all'], ['ArgumentValue', headers['x-oss-complete-all']!]],
    });
  }
  const listed = completeAll ? undefined : readCompleteBody(body);
  const forbidOverwrite = readForbidOverwrite(headers);
  const record = store.completeUpload(
    { bucket, key, id: uploadId },
    (upload) => {
      const parts = listed === undefined ? store.uploads.parts(upload, 0, MAX_PART_NUMBER) : partsListed(upload, listed, (n) => store.uploads.getPart(upload, n));
      if (parts.length === 0) throw new OssError('InvalidPart', { message: 'The upload has no parts to complete.' });
      checkPartSizes(parts);
      return { parts, etag: multipartEtag(parts) };
    },
    { forbidOverwrite, acl, now: toSecond(Date.now()) },
  );
  const koa = ctx.koa;
  setWrittenHeaders(koa, record);
  // The application server's answer takes the place of the XML.
  if (callback) return answerWithCallback(ctx, callback, record, 'CompleteMultipartUpload');
  const location = objectLocation(ctx.headers['host'] ?? `oss-${ctx.config.region}.aliyuncs.com`, ctx.target.style, bucket, key);
  sendXml(koa, 'CompleteMultipartUploadResult', { EncodingType: encodingType, Location: location, Bucket: bucket, Key: encode(key), ETag: quoteEtag(record.etag) });
}

/** AbortMultipartUpload: `DELETE /<key>?uploadId=ID`: the upload and its parts are gone (204). */
export function abortMultipartUpload(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  const { store } = ctx;
  const uploadId = readUploadId(ctx);
  store.requireBucket(bucket);
  store.atomically(() => store.uploads.end(store.uploads.require(bucket, key, uploadId, '0042-00000002')));
  sendEmpty(ctx.koa, 204);
}

/** ListParts: `GET /<key>?uploadId=ID` (`max-parts`, `part-number-marker`), in part-number order. */
export function listParts(ctx: OssContext): void {
  const { bucket, key } = objectAddress(ctx);
  const { store, params } = ctx;
  const uploadId = readUploadId(ctx);
  const maxParts = readMaxKeys(params.get('max-parts'), 'max-parts', 1000);
  const marker = readPartNumberMarker(params.get('part-number-marker'));
  const { encode, encodingType } = encoder(ctx);
  store.requireBucket(bucket);
  const upload = store.uploads.require(bucket, key, uploadId, '0042-00000002');
  const page = store.uploads.parts(upload, marker, maxParts + 1);
  const truncated = page.length > maxParts;
  const parts = page.slice(0, maxParts);
  sendXml(ctx.koa, 'ListPartsResult', {
    EncodingType: encodingType,
    Bucket: bucket,
    Key: encode(key),
    UploadId: upload.id,
    StorageClass: upload.attributes.storageClass,
    PartNumberMarker: marker,
    NextPartNumberMarker: parts.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: parts.map((part) => ({
      PartNumber: part.partNumber,
      LastModified: isoDate(part.lastModified),
      ETag: quoteEtag(part.etag),
      HashCrc64ecma: part.crc64.toString(),
      Size: part.size,
    })),
  });
}

/**
 * ListMultipartUploads: `GET /?uploads`, the uploads in progress in key order, then upload-id order,
 * which is initiation order (`prefix`, `delimiter`, `key-marker`, `upload-id-marker`, `max-uploads`, `encoding-type`).
 */
export function listMultipartUploads(ctx: OssContext): void {
  const bucket = ctx.target.bucket!;
  const { store, params } = ctx;
  store.requireBucket(bucket);
  const maxUploads = readMaxKeys(params.get('max-uploads'), 'max-uploads', 1000);
  const { encode, encodingType } = encoder(ctx);
  const prefix = params.get('prefix') ?? '';
  const delimiter = params.get('delimiter') ?? '';
  const keyMarker = params.get('key-marker') ?? '';
  const uploadIdMarker = params.get('upload-id-marker') ?? '';
  // An upload-id-marker counts only with a key-marker.
  const uploads: UploadRecord[] = [];
  const prefixes: string[] = [];
  let after: { key: string; uploadId?: string } = { key: keyMarker, uploadId: keyMarker !== '' && uploadIdMarker !== '' ? uploadIdMarker : undefined };
  let truncated = false;
  /** The last upload this page took in, itself or under a common prefix: the next page starts after it. */
  let consumed: UploadRecord | undefined;
  pages: for (;;) {
    const batch = store.uploads.list(bucket, prefix, after, 1000);
    if (batch.length === 0) break;
    for (const upload of batch) {
      const commonPrefix = commonPrefixOf(upload.key, prefix, delimiter);
      // Keys are in order, so the uploads under one common prefix come together: it counts once.
      if (commonPrefix === undefined || prefixes.at(-1) !== commonPrefix) {
        if (uploads.length + prefixes.length === maxUploads) {
          truncated = true;
          break pages;
        }
        if (commonPrefix !== undefined) prefixes.push(commonPrefix);
        else uploads.push(upload);
      }
      consumed = upload;
    }
    after = { key: batch.at(-1)!.key, uploadId: batch.at(-1)!.id };
  }
  // The next markers name the last upload taken in, truncated or not (as OSS does); empty when there is none.
  sendXml(ctx.koa, 'ListMultipartUploadsResult', {
    EncodingType: encodingType,
    Bucket: bucket,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: encode(consumed?.key ?? ''),
    NextUploadIdMarker: consumed?.id ?? '',
    Delimiter: encode(delimiter),
    Prefix: encode(prefix),
    MaxUploads: maxUploads,
    IsTruncated: truncated,
    Upload: uploads.map((upload) => ({
      Key: encode(upload.key),
      UploadId: upload.id,
      StorageClass: upload.attributes.storageClass,
      Initiated: isoDate(upload.initiated),
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
  });
}

// ---- request parts ---------------------------------------------------------------------------

function readPartNumber(value: string | null | undefined): number {
  if (value === undefined || value === null || !/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > MAX_PART_NUMBER) {
    throw new OssError('InvalidArgument', {
      message: 'Part number must be an integer between 1 and 10000, inclusive.',
      ec: '0017-00000220',
      details: [['ArgumentName', 'PartNumber'], ['ArgumentValue', value ?? '']],
    });
  }
  return Number(value);
}

function readUploadId(ctx: OssContext, ec?: string): string {
  const value = ctx.params.get('uploadId');
  if (value === undefined || value === null || value === '') throw new OssError('NoSuchUpload', { ec, details: [['UploadId', value ?? '']] });
  return value;
}

function readPartNumberMarker(value: string | null | undefined): number {
  if (value === undefined || value === null || value === '') return 0;
  if (!/^\d{1,5}$/.test(value) || Number(value) > MAX_PART_NUMBER) {
    throw new OssError('InvalidArgument', { message: 'part-number-marker must be an integer between 0 and 10000.', details: [['ArgumentName', 'part-number-marker'], ['ArgumentValue', value]] });
  }
  return Number(value);
}

/** The EC OSS gives a CompleteMultipartUpload body it cannot read (captured in the Go SDK v2's mocks). */
const COMPLETE_MALFORMED = '0042-00000205';

function storageClassRefused(operation: string, ec: string): OssError {
  return new OssError('InvalidArgument', { message: `${operation} does not take x-oss-storage-class: the upload's class is set by InitiateMultipartUpload.`, ec, details: [['ArgumentName', 'x-oss-storage-class']] });
}

interface ListedPart {
  partNumber: number;
  etag: string;
}

/** `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>…`: at least one part, each with both. */
function readCompleteBody(body: Buffer): ListedPart[] {
  const malformed = (): OssError => new OssError('MalformedXML', { ec: COMPLETE_MALFORMED });
  let root: Record<string, unknown>;
  try {
    root = parseXmlBody(decodeXmlBody(body), 'CompleteMultipartUpload');
  } catch {
    throw malformed();
  }
  const entries = (root['Part'] as unknown[] | undefined) ?? []; // always a list: parseXmlBody's REPEATED
  if (entries.length === 0) throw malformed();
  return entries.map((entry) => {
    const part = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const number = part['PartNumber'];
    const etag = part['ETag'];
    if (typeof number !== 'string' || typeof etag !== 'string') throw malformed();
    return { partNumber: readPartNumber(number.trim()), etag: etag.trim().replace(/^"|"$/g, '').toUpperCase() };
  });
}

/** The listed parts, which must ascend and each exist with the ETag given. */
function partsListed(upload: UploadRecord, listed: readonly ListedPart[], get: (n: number) => PartRecord | undefined): PartRecord[] {
  let previous = 0;
  return listed.map(({ partNumber, etag }) => {
    if (partNumber <= previous) throw new OssError('InvalidPartOrder', { details: [['UploadId', upload.id]] });
    previous = partNumber;
    const part = get(partNumber);
    if (!part || part.etag !== etag) throw new OssError('InvalidPart', { details: [['UploadId', upload.id], ['PartNumber', String(partNumber)], ['ETag', etag]] });
    return part;
  });
}

/** Every part but the last must be at least MIN_PART_BYTES (checked only now, as OSS does). */
function checkPartSizes(parts: readonly PartRecord[]): void {
  for (const part of parts.slice(0, -1)) {
    if (part.size < MIN_PART_BYTES) {
      throw new OssError('EntityTooSmall', { ec: '0042-00000213', details: [['PartNumber', String(part.partNumber)], ['ProposedSize', String(part.size)], ['MinSizeAllowed', String(MIN_PART_BYTES)]] });
    }
  }
}

/** OSS's multipart ETag: the MD5 of the parts' ETags as text (upper-case hex, joined), then `-<count>`. */
export function multipartEtag(parts: readonly Pick<PartRecord, 'etag'>[]): string {
  const md5 = createHash('md5').update(parts.map((p) => p.etag).join('')).digest('hex').toUpperCase();
  return `${md5}-${parts.length}`;
}

