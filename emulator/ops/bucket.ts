import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import { matchStorageClass } from '../http/object-input.js';
import { quoteEtag, restoreInfo } from '../http/object-output.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import type { BucketAcl, BucketRecord, ObjectRecord } from '../store/types.js';
import { isoDate } from '../util/http-date.js';
import { keyAfter } from '../util/key-order.js';
import { decodeXmlBody, parseXmlBody, type XmlElement } from '../util/xml.js';
import { locationOf } from '../config.js';
import { ownerOf } from './owner.js';
import { parseBucketPolicyText, PolicyError } from '../access/policy.js';
import { hasTag } from '../configs/bucket-tags.js';
import { encryptionElements } from '../configs/encryption.js';

export const BUCKET_ACLS: readonly BucketAcl[] = ['private', 'public-read', 'public-read-write'];
/** OSS allows 100 buckets per account and region. */
const MAX_BUCKETS = 100;

/** 3–63 lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name);
}

function readBucketAcl(headers: Record<string, string | undefined>): BucketAcl | undefined {
  const value = headers['x-oss-acl'];
  if (value === undefined) return undefined;
  if (!(BUCKET_ACLS as readonly string[]).includes(value)) {
    throw new OssError('InvalidArgument', { message: 'no such bucket access control exists', ec: '0015-00000204', details: [['ArgumentName', 'x-oss-acl'], ['ArgumentValue', value]] });
  }
  return value as BucketAcl;
}

const REDUNDANCY_TYPES = ['LRS', 'ZRS'];

/** What a CreateBucketConfiguration body asks for; absent fields stay undefined. */
function readBucketConfiguration(raw: string): { storageClass?: string; redundancy?: string } {
  if (raw.trim() === '') return {};
  const config = parseXmlBody(raw, 'CreateBucketConfiguration');
  const wanted = { storageClass: config['StorageClass'], redundancy: config['DataRedundancyType'] };
  const result: { storageClass?: string; redundancy?: string } = {};
  if (wanted.storageClass !== undefined) {
    const value = String(wanted.storageClass);
    result.storageClass = matchStorageClass(value);
    if (!result.storageClass) throw new OssError('InvalidArgument', { message: 'Invalid storage class.', details: [['ArgumentName', 'StorageClass'], ['ArgumentValue', value]] });
  }
  if (wanted.redundancy !== undefined) {
    const value = String(wanted.redundancy);
    result.redundancy = REDUNDANCY_TYPES.find((r) => r === value.toUpperCase());
    if (!result.redundancy) throw new OssError('InvalidArgument', { message: 'Invalid data redundancy type.', details: [['ArgumentName', 'DataRedundancyType'], ['ArgumentValue', value]] });
  }
  return result;
}

/**
 * PutBucket. Re-creating your own bucket is 200 (and an x-oss-acl on the repeat changes the ACL);
 * asking for a different storage class or data redundancy type on the repeat is
 * BucketAlreadyExists, with the messages of OSS's 409 page.
 */
export async function putBucket(ctx: OssContext): Promise<void> {
  const name = ctx.target.bucket!;
  const acl = readBucketAcl(ctx.headers);
  const raw = decodeXmlBody(await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config)));
  const wanted = readBucketConfiguration(raw);
  const existing = ctx.store.getBucket(name);
  if (existing) {
    if (wanted.storageClass !== undefined && existing.storageClass !== wanted.storageClass) {
      throw new OssError('BucketAlreadyExists', { message: "Cannot modify existing bucket's storage class.", details: [['BucketName', name]] });
    }
    if (wanted.redundancy !== undefined && existing.redundancy !== wanted.redundancy) {
      throw new OssError('BucketAlreadyExists', { message: "Bucket already exists can't modify data redundancy type", details: [['BucketName', name]] });
    }
    if (acl) ctx.store.setBucketAcl(name, acl);
  } else {
    if (ctx.store.counts().buckets >= MAX_BUCKETS) throw new OssError('TooManyBuckets', { details: [['BucketName', name]] });
    const storageClass = wanted.storageClass ?? 'Standard';
    ctx.store.createBucket({ name, createdAt: Date.now(), acl: acl ?? 'private', storageClass, redundancy: wanted.redundancy ?? 'LRS' });
  }
  ctx.koa.set('Location', `/${name}`);
  sendEmpty(ctx.koa);
}

export function deleteBucket(ctx: OssContext): void {
  ctx.store.deleteBucket(ctx.target.bucket!);
  sendEmpty(ctx.koa, 204);
}

function endpoints(ctx: OssContext): { ExtranetEndpoint: string; IntranetEndpoint: string } {
  const location = locationOf(ctx.config.region);
  return { ExtranetEndpoint: `${location}.aliyuncs.com`, IntranetEndpoint: `${location}-internal.aliyuncs.com` };
}

export function getBucketInfo(ctx: OssContext): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  const { encryption, logging } = bucket.configurations;
  sendXml(ctx.koa, 'BucketInfo', {
    Bucket: {
      AccessMonitor: 'Disabled',
      CreationDate: isoDate(bucket.createdAt),
      ...endpoints(ctx),
      Location: locationOf(ctx.config.region),
      StorageClass: bucket.storageClass,
      TransferAcceleration: 'Disabled',
      CrossRegionReplication: 'Disabled',
      DataRedundancyType: bucket.redundancy,
      Name: bucket.name,
      ResourceGroupId: RESOURCE_GROUP_ID,
      Owner: ownerOf(ctx.config.accessKeyId),
      AccessControlList: { Grant: bucket.acl },
      Comment: '',
      // Only once versioning was ever set: OSS's SDKs read an absent element as never versioned.
      Versioning: bucket.configurations.versioning,
      // Always there, `None` without a rule (the Java SDK's test against OSS); the Go SDK v2 reads SseRule without checking for nil.
      ServerSideEncryptionRule: encryption ? encryptionElements(encryption) : { SSEAlgorithm: 'None' },
      BucketPolicy: { LogBucket: logging?.targetBucket ?? '', LogPrefix: logging?.targetPrefix ?? '' },
      // New buckets in OSS block public access; ossemu has no such switch and honours public ACLs.
      BlockPublicAccess: false,
    },
  });
}

/**
 * GetBucketStat (`GET /?stat`): what the bucket holds, counted at the request (OSS's figures lag by
 * up to an hour). Elements in the order of OSS's API reference; `*Storage` outside Standard is the
 * billed size (an object under 64 KiB counts as 64 KiB), `*RealStorage` the bytes. Previous versions
 * count as objects, as OSS bills them; ossemu has no live channels, so that count is 0.
 */
export function getBucketStat(ctx: OssContext): void {
  const stat = ctx.store.bucketStat(ctx.target.bucket!);
  const of = (storageClass: string): { objects: number; bytes: number; billedBytes: number } =>
    stat.byClass.get(storageClass) ?? { objects: 0, bytes: 0, billedBytes: 0 };
  let objects = 0;
  let bytes = 0;
  for (const figures of stat.byClass.values()) {
    objects += figures.objects;
    bytes += figures.bytes;
  }
  const billed = (storageClass: string, prefix: string): XmlElement => ({
    [`${prefix}Storage`]: of(storageClass).billedBytes,
    [`${prefix}RealStorage`]: of(storageClass).bytes,
    [`${prefix}ObjectCount`]: of(storageClass).objects,
  });
  sendXml(ctx.koa, 'BucketStat', {
    Storage: bytes,
    ObjectCount: objects,
    MultipartUploadCount: stat.uploads,
    LiveChannelCount: 0,
    MultipartPartCount: stat.parts,
    MultipartPartStorage: stat.partBytes,
    DeleteMarkerCount: stat.deleteMarkers,
    LastModifiedTime: Math.floor(Date.now() / 1000),
    StandardStorage: of('Standard').bytes,
    StandardObjectCount: of('Standard').objects,
    ...billed('IA', 'InfrequentAccess'),
    ...billed('Archive', 'Archive'),
    ...billed('ColdArchive', 'ColdArchive'),
    ...billed('DeepColdArchive', 'DeepColdArchive'),
  });
}

export function getBucketLocation(ctx: OssContext): void {
  ctx.store.requireBucket(ctx.target.bucket!);
  ctx.koa.status = 200;
  ctx.koa.set('Content-Type', 'application/xml');
  ctx.koa.body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>${locationOf(ctx.config.region)}</LocationConstraint>\n`;
}

export function getBucketAcl(ctx: OssContext): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  sendXml(ctx.koa, 'AccessControlPolicy', { Owner: ownerOf(ctx.config.accessKeyId), AccessControlList: { Grant: bucket.acl } });
}

export function putBucketAcl(ctx: OssContext): void {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  const acl = readBucketAcl(ctx.headers);
  if (acl === undefined) throw new OssError('MissingArgument', { details: [['ArgumentName', 'x-oss-acl']] });
  ctx.store.setBucketAcl(name, acl);
  sendEmpty(ctx.koa);
}

/** Multipart upload is not implemented yet, so there is never an upload in progress to list. */
/** max-keys (and its twins max-uploads, max-parts): 1–1000, default 100 unless the operation has its own. */
export function readMaxKeys(value: string | null | undefined, name = 'max-keys', fallback = 100): number {
  if (value === undefined || value === null || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
    throw new OssError('InvalidArgument', {
      message: `Argument ${name} must be an integer between 1 and 1000.`,
      details: [['ArgumentName', name], ['ArgumentValue', value]],
    });
  }
  return Number(value);
}

interface ListPage {
  objects: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned, where the next page starts after. */
  last?: string;
}

/**
 * One page of a listing: keys after `after` starting with `prefix`; with a delimiter, keys that
 * continue past it roll up into one common prefix. Prefixes count toward max-keys, as in OSS.
 */
function listPage(ctx: OssContext, prefix: string, delimiter: string, after: string, maxKeys: number): ListPage {
  const page: ListPage = { objects: [], prefixes: [], truncated: false };
  const iterator = ctx.store.iterateObjects(ctx.target.bucket!, prefix, after);
  let next = iterator.next();
  while (!next.done) {
    if (page.objects.length + page.prefixes.length === maxKeys) {
      page.truncated = true;
      break;
    }
    const object = next.value;
    const common = commonPrefixOf(object.key, prefix, delimiter);
    if (common === undefined) {
      page.objects.push(object);
      page.last = object.key;
      next = iterator.next();
    } else {
      // A common prefix at or before `after` was already returned: a page that ended on it gave it
      // as NextMarker / continuation token. Listing it again would make paging repeat forever.
      if (keyAfter(common, after)) {
        page.prefixes.push(common);
        page.last = common;
      }
      // Skip every key under this common prefix.
      next = iterator.next(common);
    }
  }
  iterator.return();
  return page;
}

/** The common prefix a key rolls up into in a listing by `prefix` and `delimiter` (ListObjects, ListMultipartUploads), if it continues past the delimiter. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
  return cut === -1 ? undefined : key.slice(0, cut + delimiter.length);
}

function contents(ctx: OssContext, objects: ObjectRecord[], encode: (s: string) => string, withOwner: boolean): XmlElement[] {
  const owner = ownerOf(ctx.config.accessKeyId);
  const now = Date.now();
  return objects.map((o) => ({ Key: encode(o.key), ...listedFields(o), Owner: withOwner ? owner : undefined, RestoreInfo: restoreInfo(o, now) }));
}

/** What every listing says of an object after its key (ListObjects' Contents, ListObjectVersions' Version). */
function listedFields(o: ObjectRecord): XmlElement {
  return { LastModified: isoDate(o.lastModified), ETag: quoteEtag(o.etag), Type: o.type, Size: o.size, StorageClass: o.storageClass };
}

export function encoder(ctx: OssContext): { encode: (s: string) => string; encodingType?: string } {
  const type = ctx.params.get('encoding-type');
  if (type === undefined || type === null || type === '') return { encode: (s) => s };
  if (type !== 'url') throw new OssError('InvalidArgument', { message: 'The encoding-type must be url.', details: [['ArgumentName', 'encoding-type'], ['ArgumentValue', type]] });
  // encodeURIComponent writes a space as %20 and a plus as %2B, which Go's QueryUnescape needs.
  return { encode: encodeURIComponent, encodingType: 'url' };
}

/** What ListObjects v1 and v2 read alike: the bucket must exist, then prefix, delimiter, max-keys, encoding. */
export function readListParams(ctx: OssContext): { prefix: string; delimiter: string; maxKeys: number; encode: (s: string) => string; encodingType?: string } {
  ctx.store.requireBucket(ctx.target.bucket!);
  const p = ctx.params;
  return { prefix: p.get('prefix') ?? '', delimiter: p.get('delimiter') ?? '', maxKeys: readMaxKeys(p.get('max-keys')), ...encoder(ctx) };
}

export function listObjects(ctx: OssContext): void {
  const { prefix, delimiter, maxKeys, encode, encodingType } = readListParams(ctx);
  const marker = ctx.params.get('marker') ?? '';
  const page = listPage(ctx, prefix, delimiter, marker, maxKeys);
  sendXml(ctx.koa, 'ListBucketResult', {
    Name: ctx.target.bucket!,
    Prefix: encode(prefix),
    Marker: encode(marker),
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    EncodingType: encodingType,
    IsTruncated: page.truncated,
    NextMarker: page.truncated ? encode(page.last ?? '') : undefined,
    Contents: contents(ctx, page.objects, encode, true),
    CommonPrefixes: page.prefixes.map((cp) => ({ Prefix: encode(cp) })),
  });
}

/** Continuation tokens are the hex of the key to continue after: opaque and URL-safe. */
const toToken = (key: string): string => Buffer.from(key, 'utf8').toString('hex');
function fromToken(token: string): string {
  if (!/^([0-9a-f]{2})*$/.test(token)) {
    throw new OssError('InvalidArgument', { message: 'The continuation token provided is incorrect.', details: [['ArgumentName', 'continuation-token'], ['ArgumentValue', token]] });
  }
  return Buffer.from(token, 'hex').toString('utf8');
}

export function listObjectsV2(ctx: OssContext): void {
  const { prefix, delimiter, maxKeys, encode, encodingType } = readListParams(ctx);
  const p = ctx.params;
  const startAfter = p.get('start-after') ?? '';
  const token = p.get('continuation-token') ?? undefined;
  const fetchOwner = p.get('fetch-owner') === 'true';
  const after = token ? fromToken(token) : startAfter;
  const page = listPage(ctx, prefix, delimiter, keyAfter(after, startAfter) ? after : startAfter, maxKeys);
  sendXml(ctx.koa, 'ListBucketResult', {
    Name: ctx.target.bucket!,
    Prefix: encode(prefix),
    // Empty, not left out, when not given: Prefix, StartAfter and Delimiter all are in an empty listing (facts §11, row 13).
    StartAfter: encode(startAfter),
    ContinuationToken: token,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    EncodingType: encodingType,
    IsTruncated: page.truncated,
    NextContinuationToken: page.truncated ? toToken(page.last ?? '') : undefined,
    Contents: contents(ctx, page.objects, encode, fetchOwner),
    CommonPrefixes: page.prefixes.map((cp) => ({ Prefix: encode(cp) })),
    KeyCount: page.objects.length + page.prefixes.length,
  });
}

export function listBuckets(ctx: OssContext): void {
  const p = ctx.params;
  const prefix = readBucketPrefix(p.get('prefix') ?? '');
  const marker = p.get('marker') ?? '';
  const maxKeys = readMaxKeys(p.get('max-keys'));
  // Every bucket is in the one resource group: asking for another lists none. The SDKs send the
  // header; the API reference also names a query parameter.
  const group = ctx.headers['x-oss-resource-group-id'] ?? p.get('resourceGroupId');
  const inGroup = group === undefined || group === '' || group === RESOURCE_GROUP_ID;
  // `tag-key` (and with it `tag-value`) lists only the buckets with that tag: oss2's and the Go SDK's tests against OSS.
  const tagKey = p.get('tag-key');
  const found = !inGroup
    ? []
    : tagKey
      ? ctx.store.listBuckets(prefix, marker, Number.MAX_SAFE_INTEGER).filter((b) => hasTag(b, tagKey, p.get('tag-value') ?? undefined)).slice(0, maxKeys + 1)
      : ctx.store.listBuckets(prefix, marker, maxKeys + 1);
  const truncated = found.length > maxKeys;
  const buckets = found.slice(0, maxKeys);
  const paging = p.has('prefix') || p.has('marker') || p.has('max-keys') || truncated;
  sendXml(ctx.koa, 'ListAllMyBucketsResult', {
    Prefix: paging ? prefix : undefined,
    Marker: paging ? marker : undefined,
    MaxKeys: paging ? maxKeys : undefined,
    IsTruncated: paging ? truncated : undefined,
    NextMarker: truncated ? buckets[buckets.length - 1]!.name : undefined,
    Owner: ownerOf(ctx.config.accessKeyId),
    Buckets: { Bucket: buckets.map((b) => bucketEntry(ctx, b)) },
  });
}

/**
 * ListBuckets' `prefix` may hold only what bucket names hold, at most 63 characters: OSS refuses
 * others (EC 0017-00000290). The Go SDK's IsBucketExist lists with the name as prefix, and its
 * test against OSS expects an error for `BucketNameInvalid`; an ali-oss user was refused
 * `/foo/bar`. A leading hyphen, which no name begins with, is let through: whether OSS refuses it
 * is not known.
 */
function readBucketPrefix(prefix: string): string {
  if (/^[a-z0-9-]{0,63}$/.test(prefix)) return prefix;
  throw new OssError('InvalidArgument', {
    message: 'The prefix is not valid: a bucket name has only lower-case letters, digits and hyphens, and at most 63 of them.',
    ec: '0017-00000290',
    details: [['ArgumentName', 'prefix'], ['ArgumentValue', prefix]],
  });
}

function bucketEntry(ctx: OssContext, bucket: BucketRecord): XmlElement {
  return {
    CreationDate: isoDate(bucket.createdAt),
    ...endpoints(ctx),
    Location: locationOf(ctx.config.region),
    Name: bucket.name,
    Region: ctx.config.region,
    StorageClass: bucket.storageClass,
    ResourceGroupId: RESOURCE_GROUP_ID,
  };
}

/**
 * Every bucket is in its account's default resource group, which OSS names by an opaque id
 * (`rg-acfm…`); SDK tests against the service only check that there is one.
 */
const RESOURCE_GROUP_ID = 'rg-ossemu-default';

/** OSS refuses bucket policies over 16 KB. */
const MAX_POLICY_BYTES = 16 * 1024;

/** The EC OSS gives each kind of refused policy document. */
const POLICY_ECS: Record<PolicyError['reason'], string> = { version: '0030-00000002', wildcards: '0030-00000007', invalid: '0030-00000005' };

/** PutBucketPolicy: the JSON is checked, then kept as sent (GetBucketPolicy returns it byte for byte). */
export async function putBucketPolicy(ctx: OssContext): Promise<void> {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  const tooLarge = (): OssError => new OssError('InvalidPolicyDocument', { message: `The policy exceeds ${MAX_POLICY_BYTES} bytes.`, ec: '0030-00000001' });
  const raw = await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config), MAX_POLICY_BYTES, tooLarge);
  let text: string;
  try {
    // ignoreBOM keeps a byte-order mark in the text, where JSON.parse refuses it.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    throw new OssError('InvalidPolicyDocument', { message: 'The policy must be UTF-8.', ec: '0030-00000004' });
  }
  try {
    parseBucketPolicyText(text);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    throw new OssError('InvalidPolicyDocument', { message: `The policy is invalid: ${error.message}.`, ec: POLICY_ECS[error.reason] });
  }
  ctx.store.setBucketPolicy(name, text);
  sendEmpty(ctx.koa);
}

export function getBucketPolicy(ctx: OssContext): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  if (bucket.policy === undefined) throw new OssError('NoSuchBucketPolicy', { details: [['BucketName', bucket.name]] });
  ctx.koa.type = 'application/json';
  ctx.koa.body = bucket.policy;
}

/** DeleteBucketPolicy: 204 whether or not the bucket had one. */
export function deleteBucketPolicy(ctx: OssContext): void {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  ctx.store.setBucketPolicy(name, undefined);
  sendEmpty(ctx.koa, 204);
}
