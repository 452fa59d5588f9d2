import { createRequire } from 'node:module';
import { OssError } from '../errors/oss-error.js';
import type { BucketRecord, Encryption, ObjectAcl, ObjectAttributes, StoredHttpHeaders } from '../store/types.js';

/** mime-types parses a large database when loaded: load it on the first object without a Content-Type. */
const require = createRequire(import.meta.url);
let mimeTypes: typeof import('mime-types') | undefined;
/**
 * The type for the key's extension, if it has one. mime-types takes a name without a dot for an
 * extension (`pdf` → application/pdf), but a key named `pdf` has none.
 */
const mimeLookup = (key: string): string | false =>
  key.slice(key.lastIndexOf('/') + 1).includes('.') && (mimeTypes ??= require('mime-types') as typeof import('mime-types')).lookup(key);

const CONDITIONAL_HEADERS = ['If-Modified-Since', 'If-Unmodified-Since', 'If-Match', 'If-None-Match'];

/** OSS refuses a PutObject carrying a conditional header, naming it (EC page 0017-00000245); PutSymlink too (ours). */
export function refuseConditionalHeaders(headers: Record<string, string | undefined>): void {
  const sent = CONDITIONAL_HEADERS.find((name) => headers[name.toLowerCase()] !== undefined);
  if (sent !== undefined) throw new OssError('NotImplemented', { status: 400, ec: '0017-00000245', details: [['Header', sent]] });
}

/** What an object written to a bucket takes from it when the request does not say. */
export interface ObjectDefaults {
  storageClass?: string;
  encryption?: Encryption;
}

/** A bucket's defaults for the objects written to it: its storage class and its default encryption (PutBucketEncryption). */
export function bucketDefaults(bucket: Pick<BucketRecord, 'storageClass' | 'configurations'> | undefined): ObjectDefaults {
  return { storageClass: bucket?.storageClass, ...(bucket?.configurations.encryption ? { encryption: bucket.configurations.encryption } : {}) };
}

/**
 * Reads what a write request (PutObject, a creating AppendObject) says about the object it makes:
 * standard HTTP headers, x-oss-meta-*, x-oss-tagging, ACL, storage class and encryption, validated as
 * OSS does. Without `x-oss-storage-class` the object takes its bucket's storage class, and without
 * `x-oss-server-side-encryption` its bucket's default encryption, as in OSS.
 */
export function readObjectAttributes(headers: Record<string, string | undefined>, key: string, defaults: ObjectDefaults = {}): ObjectAttributes {
  const encryption = readEncryption(headers) ?? defaults.encryption;
  return {
    acl: readObjectAcl(headers) ?? 'default',
    storageClass: readStorageClass(headers) ?? defaults.storageClass ?? 'Standard',
    httpHeaders: readHttpHeaders(headers, key),
    userMeta: readUserMeta(headers),
    tags: headers['x-oss-tagging'] === undefined ? [] : parseTaggingHeader(headers['x-oss-tagging']),
    ...(encryption ? { encryption } : {}),
  };
}

const ENCRYPTION_ALGORITHMS: ReadonlyArray<Encryption['algorithm']> = ['AES256', 'KMS', 'SM4'];

/**
 * The server-side encryption a write asks for: `x-oss-server-side-encryption` (AES256, KMS or SM4),
 * with KMS optionally `x-oss-server-side-data-encryption: SM4` and the key's id. The old OSS error
 * table gives 400 InvalidEncryptionAlgorithmError for an algorithm it does not have; the two KMS-only
 * headers elsewhere are refused with the ECs OSS documents for the same mistakes in a bucket's
 * encryption rule (0005-00000203: a data encryption other than SM4, 0005-00000204: a key id without KMS).
 */
export function readEncryption(headers: Record<string, string | undefined>): Encryption | undefined {
  const algorithm = headers['x-oss-server-side-encryption'];
  const dataEncryption = headers['x-oss-server-side-data-encryption'];
  const keyId = headers['x-oss-server-side-encryption-key-id'];
  if (algorithm === undefined) {
    if (dataEncryption !== undefined) throw kmsOnly('x-oss-server-side-data-encryption', dataEncryption, '0005-00000203');
    if (keyId !== undefined) throw kmsOnly('x-oss-server-side-encryption-key-id', keyId, '0005-00000204');
    return undefined;
  }
  if (!(ENCRYPTION_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new OssError('InvalidEncryptionAlgorithmError', { details: [['ArgumentName', 'x-oss-server-side-encryption'], ['ArgumentValue', algorithm]] });
  }
  if (dataEncryption !== undefined && (algorithm !== 'KMS' || dataEncryption !== 'SM4')) {
    throw kmsOnly('x-oss-server-side-data-encryption', dataEncryption, '0005-00000203');
  }
  if (keyId !== undefined && algorithm !== 'KMS') throw kmsOnly('x-oss-server-side-encryption-key-id', keyId, '0005-00000204');
  return { algorithm: algorithm as Encryption['algorithm'], ...(dataEncryption ? { dataEncryption: 'SM4' } : {}), ...(keyId !== undefined ? { keyId } : {}) };
}

/**
 * OSS takes `x-oss-server-side-encryption` only on the writes that make an object (PutObject,
 * PostObject, CopyObject, InitiateMultipartUpload, AppendObject: the operations marked
 * `takesEncryption`) and refuses it on any other request, EC 0005-00000002. ali-oss drops it from
 * UploadPart and CompleteMultipartUpload for that reason; the Go SDK 1.5.0's CopyFile sends its
 * options with every UploadPartCopy, so CopyFile with ServerSideEncryption fails here as there.
 */
export function refuseMisplacedEncryption(headers: Record<string, string | undefined>, takesEncryption: boolean): void {
  const value = headers['x-oss-server-side-encryption'];
  if (value === undefined || takesEncryption) return;
  throw new OssError('InvalidArgument', {
    message: 'Only PutObject, CopyObject, InitiateMultipartUpload and AppendObject take x-oss-server-side-encryption: an object is encrypted by the write that makes it.',
    ec: '0005-00000002',
    details: [['ArgumentName', 'x-oss-server-side-encryption'], ['ArgumentValue', value]],
  });
}

function kmsOnly(header: string, value: string, ec: string): OssError {
  return new OssError('InvalidArgument', {
    message: `${header} may only be sent with x-oss-server-side-encryption: KMS${header.endsWith('data-encryption') ? ', and only as SM4' : ''}.`,
    ec,
    details: [['ArgumentName', header], ['ArgumentValue', value]],
  });
}

/** `x-oss-forbid-overwrite: true` (any case): a write must not replace an existing object. */
export function readForbidOverwrite(headers: Record<string, string | undefined>): boolean {
  return headers['x-oss-forbid-overwrite']?.toLowerCase() === 'true';
}

export const OBJECT_ACLS: readonly ObjectAcl[] = ['default', 'private', 'public-read', 'public-read-write'];
export const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;

export function readObjectAcl(headers: Record<string, string | undefined>): ObjectAcl | undefined {
  const value = headers['x-oss-object-acl'];
  if (value === undefined) return undefined;
  if (!(OBJECT_ACLS as readonly string[]).includes(value)) {
    throw new OssError('InvalidArgument', { message: 'no such object access control exists', ec: '0017-00000104', details: [['ArgumentName', 'x-oss-object-acl'], ['ArgumentValue', value]] });
  }
  return value as ObjectAcl;
}

/** The storage class a value names, in OSS's spelling, matched case-insensitively. */
export const matchStorageClass = (value: string): string | undefined => STORAGE_CLASSES.find((c) => c.toLowerCase() === value.toLowerCase());

function readStorageClass(headers: Record<string, string | undefined>): string | undefined {
  const value = headers['x-oss-storage-class'];
  if (value === undefined) return undefined;
  const match = matchStorageClass(value);
  if (!match) {
    // OSS documents one EC for an empty value and another for an unknown one.
    const ec = value === '' ? '0017-00000131' : '0017-00000132';
    throw new OssError('InvalidArgument', { message: 'Invalid storage class.', ec, details: [['ArgumentName', 'x-oss-storage-class'], ['ArgumentValue', value]] });
  }
  return match;
}

/** The standard HTTP headers an object keeps, and where: what a write reads, and a copy onto itself sends over. */
export const STANDARD_HEADERS: ReadonlyArray<readonly [header: string, field: keyof StoredHttpHeaders]> = [
  ['content-type', 'contentType'],
  ['cache-control', 'cacheControl'],
  ['content-disposition', 'contentDisposition'],
  ['content-encoding', 'contentEncoding'],
  ['content-language', 'contentLanguage'],
  ['expires', 'expires'],
];

function readHttpHeaders(headers: Record<string, string | undefined>, key: string): StoredHttpHeaders {
  const stored: StoredHttpHeaders = {};
  for (const [header, field] of STANDARD_HEADERS) stored[field] = headers[header];
  // Like OSS, an object sent without Content-Type gets one from its key's extension.
  stored.contentType = headers['content-type'] || mimeLookup(key) || 'application/octet-stream';
  return stored;
}

/** User metadata may total 8 KB (names and values). */
const MAX_USER_META_BYTES = 8 * 1024;

function readUserMeta(headers: Record<string, string | undefined>): Array<[string, string]> {
  const meta: Array<[string, string]> = [];
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-oss-meta-') || value === undefined) continue;
    const metaName = name.slice('x-oss-meta-'.length);
    if (!/^[a-z0-9-]+$/.test(metaName)) {
      throw new OssError('InvalidArgument', {
        message: 'The user metadata name may contain only letters, digits and hyphens.',
        ec: '0011-00000004',
        details: [['ArgumentName', name], ['ArgumentValue', value]],
      });
    }
    bytes += Buffer.byteLength(metaName) + Buffer.byteLength(value);
    meta.push([metaName, value]);
  }
  if (bytes > MAX_USER_META_BYTES) throw new OssError('MetadataTooLarge');
  return meta;
}

export const MAX_TAGS = 10;
/** The characters OSS allows in tag keys and values: ASCII letters and digits, space and + - = . _ : / */
const TAG_CHARS = /^[A-Za-z0-9 +\-=._:/]*$/;

/** `x-oss-tagging: k1=v1&k2=v2`, URL-encoded; a bare `k` has an empty value. */
export function parseTaggingHeader(header: string): Array<[string, string]> {
  const tags: Array<[string, string]> = [];
  if (header === '') return tags;
  for (const pair of header.split('&')) {
    const parts = pair.split('=');
    if (parts.length > 2) throw invalidTag('The tagging header is not in the form k1=v1&k2=v2.', '0010-00000219');
    const [rawKey = '', rawValue = ''] = parts;
    tags.push([decodeTagPart(rawKey), decodeTagPart(rawValue)]);
  }
  validateTags(tags);
  return tags;
}

/**
 * OSS tag rules: at most 10 tags, unique keys of 1–128 characters, values up to 256. OSS documents
 * EC 0010-00000212 for a key with a character it does not allow, and 0010-00000217 for the rest.
 */
export function validateTags(tags: Array<[string, string]>): void {
  if (tags.length > MAX_TAGS) throw invalidTag(`An object may have at most ${MAX_TAGS} tags.`, '0010-00000217');
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    if (!TAG_CHARS.test(key)) throw invalidTag('A tag key contains a character that is not allowed.', '0010-00000212');
    if (key.length === 0 || key.length > 128) throw invalidTag('A tag key must be 1 to 128 characters long.', '0010-00000217');
    if (value.length > 256) throw invalidTag('A tag value must be at most 256 characters long.', '0010-00000217');
    if (!TAG_CHARS.test(value)) throw invalidTag('A tag value contains a character that is not allowed.', '0010-00000217');
    if (seen.has(key)) throw invalidTag('Tag keys must be unique.', '0010-00000217');
    seen.add(key);
  }
}

/**
 * `<TagSet><Tag><Key/><Value/></Tag>…</TagSet>`, or an empty (or no) TagSet for none. Anything
 * else is MalformedXML, never read as something: a repeated TagSet once cleared the tags, and a
 * repeated Key became the key "a,b".
 */
export function readTagSet(tagSet: unknown): Array<[string, string]> {
  if (tagSet === undefined || tagSet === '') return [];
  const element = typeof tagSet === 'object' && tagSet !== null && !Array.isArray(tagSet) ? (tagSet as Record<string, unknown>) : undefined;
  if (!element || Object.keys(element).some((name) => name !== 'Tag')) throw new OssError('MalformedXML');
  return ((element['Tag'] as unknown[] | undefined) ?? []).map((tag) => {
    const fields = typeof tag === 'object' && tag !== null ? (tag as Record<string, unknown>) : undefined;
    const { Key: key, Value: value = '' } = fields ?? {};
    const unexpected = fields === undefined || Object.keys(fields).some((name) => name !== 'Key' && name !== 'Value');
    if (unexpected || typeof key !== 'string' || typeof value !== 'string') throw new OssError('MalformedXML');
    return [key, value];
  });
}

function decodeTagPart(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw invalidTag('The tagging header is not correctly URL-encoded.', '0010-00000219');
  }
}

function invalidTag(message: string, ec: string): OssError {
  return new OssError('InvalidArgument', { message, ec, details: [['ArgumentName', 'x-oss-tagging']] });
}

/** Checks a Content-MD5 header's form (base64 of 16 bytes); its match is checked after the body. */
export function readContentMd5(headers: Record<string, string | undefined>): string | undefined {
  const value = headers['content-md5'];
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(value.trim())) throw new OssError('InvalidDigest', { ec: '0017-00000502' });
  return value.trim();
}

/** Declared body length, or undefined for a chunked body; anything else is a client error. */
export function readContentLength(headers: Record<string, string | undefined>): number | undefined {
  const value = headers['content-length'];
  if (value === undefined) {
    if (headers['transfer-encoding'] === undefined) throw new OssError('MissingContentLength');
    return undefined;
  }
  if (!/^\d+$/.test(value)) throw new OssError('InvalidArgument', { message: 'Content-Length is not a valid number.' });
  return Number(value);
}

/** Single-connection throttling bounds, in bit/s (100 KB/s to 100 MB/s). */
const TRAFFIC_LIMIT_RANGE = [819_200, 838_860_800] as const;

/**
 * `x-oss-traffic-limit`, as a header or a query parameter, is validated as OSS validates it (EC
 * pages 0004-00000501 and …502) and then not enforced: an emulator serves at full speed.
 */
export function checkTrafficLimit(headers: Record<string, string | undefined>, params: Map<string, string | null>): void {
  const header = headers['x-oss-traffic-limit'];
  const query = params.get('x-oss-traffic-limit');
  if (header !== undefined && query !== undefined) {
    throw new OssError('InvalidArgument', { message: 'x-oss-traffic-limit may be given as a header or a query parameter, not both.', ec: '0004-00000501' });
  }
  const value = header ?? query;
  if (value === undefined) return;
  const [min, max] = TRAFFIC_LIMIT_RANGE;
  if (value === null || !/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new OssError('InvalidArgument', {
      message: `x-oss-traffic-limit must be an integer from ${min} to ${max} (bit/s).`,
      ec: '0004-00000502',
      details: [['ArgumentName', 'x-oss-traffic-limit'], ['ArgumentValue', value ?? '']],
    });
  }
}
