/**
 * Typed views of responses: header-derived fields and parsers for the XML documents the
 * operations return. Values are kept as sent (ETags keep their quotes, dates stay strings).
 */
import { asArray, child, text, type XmlObject } from './xml.js';

export interface Owner {
  id: string;
  displayName: string;
}

/** Object headers common to GET, HEAD, PUT and append responses. */
export interface ObjectHeaders {
  contentLength?: number;
  contentType?: string;
  /** As sent, quotes included: `"5EB63BBBE01EEED093CB22BB8F5ACDC3"`. */
  etag?: string;
  lastModified?: string;
  /** `Normal`, `Appendable`, `Multipart`… (`x-oss-object-type`). */
  objectType?: string;
  storageClass?: string;
  /** `x-oss-hash-crc64ecma`. */
  crc64?: bigint;
  /** `x-oss-next-append-position` (also present on a 409 PositionNotEqualToLength). */
  nextPosition?: number;
  /** `x-oss-meta-*` headers, keyed without the prefix. */
  meta: Record<string, string>;
}

export function objectHeaders(headers: Record<string, string>): ObjectHeaders {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-')) meta[name.slice('x-oss-meta-'.length)] = value;
  }
  const out: ObjectHeaders = { meta };
  const set = <K extends keyof ObjectHeaders>(k: K, v: ObjectHeaders[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('contentLength', toInt(headers['content-length']));
  set('contentType', headers['content-type']);
  set('etag', headers['etag']);
  set('lastModified', headers['last-modified']);
  set('objectType', headers['x-oss-object-type']);
  set('storageClass', headers['x-oss-storage-class']);
  set('crc64', toBigInt(headers['x-oss-hash-crc64ecma']));
  set('nextPosition', toInt(headers['x-oss-next-append-position']));
  return out;
}

export function toInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

export function toBigInt(value: string | undefined): bigint | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return BigInt(value);
}

// ---------------------------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------------------------

export interface ListedObject {
  key: string;
  size: number;
  /** `Normal`, `Appendable`, `Multipart`… */
  type: string;
  /** As sent, quotes included. */
  etag: string;
  /** ISO 8601 as sent, e.g. `2024-01-01T00:00:00.000Z`. */
  lastModified: string;
  storageClass: string;
  owner?: Owner;
}

interface ListCommon {
  name: string;
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** `url` when keys came URL-encoded (they are decoded here; `xml` keeps them raw). */
  encodingType?: string;
  isTruncated: boolean;
  contents: ListedObject[];
  commonPrefixes: string[];
}

export interface ListObjectsResult extends ListCommon {
  marker: string;
  nextMarker?: string;
}

export interface ListObjectsV2Result extends ListCommon {
  startAfter?: string;
  continuationToken?: string;
  nextContinuationToken?: string;
  keyCount?: number;
}

function decoder(root: unknown): (s: string) => string {
  if (text(root, 'EncodingType') !== 'url') return (s) => s;
  return (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
}

function optional<T>(value: string | undefined, map: (s: string) => T): T | undefined {
  return value === undefined ? undefined : map(value);
}

function listCommon(root: XmlObject, decode: (s: string) => string): ListCommon {
  const encodingType = text(root, 'EncodingType');
  return {
    name: text(root, 'Name') ?? '',
    prefix: decode(text(root, 'Prefix') ?? ''),
    delimiter: decode(text(root, 'Delimiter') ?? ''),
    maxKeys: Number(text(root, 'MaxKeys') ?? 'NaN'),
    ...(encodingType !== undefined ? { encodingType } : {}),
    isTruncated: text(root, 'IsTruncated') === 'true',
    contents: asArray(root['Contents']).map((c) => listedObject(c, decode)),
    commonPrefixes: asArray(root['CommonPrefixes']).map((p) => decode(text(p, 'Prefix') ?? '')),
  };
}

function listedObject(element: unknown, decode: (s: string) => string): ListedObject {
  const out: ListedObject = {
    key: decode(text(element, 'Key') ?? ''),
    size: Number(text(element, 'Size') ?? 'NaN'),
    type: text(element, 'Type') ?? '',
    etag: text(element, 'ETag') ?? '',
    lastModified: text(element, 'LastModified') ?? '',
    storageClass: text(element, 'StorageClass') ?? '',
  };
  const owner = (element as XmlObject)['Owner'];
  if (owner !== undefined) out.owner = parseOwner(owner);
  return out;
}

function parseOwner(element: unknown): Owner {
  return { id: text(element, 'ID') ?? '', displayName: text(element, 'DisplayName') ?? '' };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseListObjects(xml: XmlObject | undefined): ListObjectsResult | undefined {
  const root = xml?.['ListBucketResult'];
  if (typeof root !== 'object' || root === null) return undefined;
  const r = root as XmlObject;
  const decode = decoder(r);
  return dropUndefined({
    ...listCommon(r, decode),
    marker: decode(text(r, 'Marker') ?? ''),
    nextMarker: optional(text(r, 'NextMarker'), decode),
  });
}

export function parseListObjectsV2(xml: XmlObject | undefined): ListObjectsV2Result | undefined {
  const root = xml?.['ListBucketResult'];
  if (typeof root !== 'object' || root === null) return undefined;
  const r = root as XmlObject;
  const decode = decoder(r);
  return dropUndefined({
    ...listCommon(r, decode),
    startAfter: optional(text(r, 'StartAfter'), decode),
    continuationToken: text(r, 'ContinuationToken'),
    nextContinuationToken: text(r, 'NextContinuationToken'),
    keyCount: optional(text(r, 'KeyCount'), Number),
  });
}

// ---------------------------------------------------------------------------------------------
// Buckets, ACLs, tags, DeleteMultipleObjects
// ---------------------------------------------------------------------------------------------

export interface BucketSummary {
  name: string;
  /** `oss-cn-hangzhou` */
  location: string;
  /** `cn-hangzhou`, when sent. */
  region?: string;
  creationDate: string;
  storageClass: string;
  extranetEndpoint: string;
  intranetEndpoint: string;
}

export interface ListBucketsResult {
  buckets: BucketSummary[];
  owner?: Owner;
  prefix?: string;
  marker?: string;
  maxKeys?: number;
  isTruncated: boolean;
  nextMarker?: string;
}

export function parseListBuckets(xml: XmlObject | undefined): ListBucketsResult | undefined {
  const root = xml?.['ListAllMyBucketsResult'];
  if (typeof root !== 'object' || root === null) return undefined;
  const r = root as XmlObject;
  return dropUndefined({
    buckets: asArray(child(r, 'Buckets')['Bucket']).map((b) =>
      dropUndefined({
        name: text(b, 'Name') ?? '',
        location: text(b, 'Location') ?? '',
        region: text(b, 'Region'),
        creationDate: text(b, 'CreationDate') ?? '',
        storageClass: text(b, 'StorageClass') ?? '',
        extranetEndpoint: text(b, 'ExtranetEndpoint') ?? '',
        intranetEndpoint: text(b, 'IntranetEndpoint') ?? '',
      }),
    ),
    owner: r['Owner'] === undefined ? undefined : parseOwner(r['Owner']),
    prefix: text(r, 'Prefix'),
    marker: text(r, 'Marker'),
    maxKeys: optional(text(r, 'MaxKeys'), Number),
    isTruncated: text(r, 'IsTruncated') === 'true',
    nextMarker: text(r, 'NextMarker'),
  });
}

export interface BucketInfo {
  name: string;
  location: string;
  creationDate: string;
  storageClass: string;
  acl: string;
  extranetEndpoint: string;
  intranetEndpoint: string;
  dataRedundancyType?: string;
  owner?: Owner;
}

export function parseBucketInfo(xml: XmlObject | undefined): BucketInfo | undefined {
  const root = xml?.['BucketInfo'];
  if (typeof root !== 'object' || root === null) return undefined;
  const b = child(root, 'Bucket');
  return dropUndefined({
    name: text(b, 'Name') ?? '',
    location: text(b, 'Location') ?? '',
    creationDate: text(b, 'CreationDate') ?? '',
    storageClass: text(b, 'StorageClass') ?? '',
    acl: text(child(b, 'AccessControlList'), 'Grant') ?? '',
    extranetEndpoint: text(b, 'ExtranetEndpoint') ?? '',
    intranetEndpoint: text(b, 'IntranetEndpoint') ?? '',
    dataRedundancyType: text(b, 'DataRedundancyType'),
    owner: b['Owner'] === undefined ? undefined : parseOwner(b['Owner']),
  });
}

/** `<BucketStat>`: each figure (Storage, ObjectCount, StandardStorage…) as a number, by element name. */
export function parseBucketStat(xml: XmlObject | undefined): Record<string, number> | undefined {
  const root = xml?.['BucketStat'];
  if (typeof root !== 'object' || root === null) return undefined;
  const figures: Record<string, number> = {};
  for (const name of Object.keys(root)) {
    const value = text(root, name);
    if (value !== undefined) figures[name] = Number(value);
  }
  return figures;
}

export function parseLocation(xml: XmlObject | undefined): string | undefined {
  const value = xml?.['LocationConstraint'];
  return typeof value === 'string' ? value : undefined;
}

export interface AclResult {
  acl: string;
  owner?: Owner;
}

export function parseAcl(xml: XmlObject | undefined): AclResult | undefined {
  const root = xml?.['AccessControlPolicy'];
  if (typeof root !== 'object' || root === null) return undefined;
  const r = root as XmlObject;
  return dropUndefined({
    acl: text(child(r, 'AccessControlList'), 'Grant') ?? '',
    owner: r['Owner'] === undefined ? undefined : parseOwner(r['Owner']),
  });
}

export interface CopyObjectResult {
  /** As sent: quoted. */
  etag: string;
  /** ISO 8601, e.g. 2015-12-12T00:37:53.000Z. */
  lastModified: string;
}

export function parseCopyObjectResult(xml: XmlObject | undefined): CopyObjectResult | undefined {
  const root = xml?.['CopyObjectResult'];
  if (root === undefined) return undefined;
  return { etag: text(root, 'ETag') ?? '', lastModified: text(root, 'LastModified') ?? '' };
}

export interface ListedPart {
  partNumber: number;
  /** As sent: quoted. */
  etag: string;
  size: number;
  lastModified: string;
  crc64?: bigint;
}

export interface ListPartsResult {
  uploadId: string;
  isTruncated: boolean;
  nextPartNumberMarker?: number;
  parts: ListedPart[];
}

export function parseInitiateMultipartUpload(xml: XmlObject | undefined): string | undefined {
  const root = xml?.['InitiateMultipartUploadResult'];
  return root === undefined ? undefined : text(root, 'UploadId');
}

export function parseListParts(xml: XmlObject | undefined): ListPartsResult | undefined {
  const root = xml?.['ListPartsResult'];
  if (root === undefined) return undefined;
  const parts = asArray(typeof root === 'object' && root !== null ? (root as XmlObject)['Part'] : undefined).map((part) =>
    dropUndefined({
      partNumber: Number(text(part, 'PartNumber')),
      etag: text(part, 'ETag') ?? '',
      size: Number(text(part, 'Size')),
      lastModified: text(part, 'LastModified') ?? '',
      crc64: toBigInt(text(part, 'HashCrc64ecma')),
    }),
  );
  return dropUndefined({ uploadId: text(root, 'UploadId') ?? '', isTruncated: text(root, 'IsTruncated') === 'true', nextPartNumberMarker: toInt(text(root, 'NextPartNumberMarker')), parts });
}

export interface ListedUpload {
  key: string;
  uploadId: string;
  initiated: string;
}

export interface ListMultipartUploadsResult {
  isTruncated: boolean;
  nextKeyMarker: string;
  nextUploadIdMarker: string;
  uploads: ListedUpload[];
  commonPrefixes: string[];
}

/** Keys and prefixes are decoded when the response says EncodingType url. */
export function parseListMultipartUploads(xml: XmlObject | undefined): ListMultipartUploadsResult | undefined {
  const root = xml?.['ListMultipartUploadsResult'];
  if (root === undefined) return undefined;
  const decode = decoder(root);
  const r = (typeof root === 'object' && root !== null ? root : {}) as XmlObject;
  return {
    isTruncated: text(root, 'IsTruncated') === 'true',
    nextKeyMarker: decode(text(root, 'NextKeyMarker') ?? ''),
    nextUploadIdMarker: text(root, 'NextUploadIdMarker') ?? '',
    uploads: asArray(r['Upload']).map((u) => ({ key: decode(text(u, 'Key') ?? ''), uploadId: text(u, 'UploadId') ?? '', initiated: text(u, 'Initiated') ?? '' })),
    commonPrefixes: asArray(r['CommonPrefixes']).map((cp) => decode(text(cp, 'Prefix') ?? '')),
  };
}

export function parseTagging(xml: XmlObject | undefined): Record<string, string> | undefined {
  const root = xml?.['Tagging'];
  if (root === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of asArray(child(root, 'TagSet')['Tag'])) tags[text(tag, 'Key') ?? ''] = text(tag, 'Value') ?? '';
  return tags;
}

export function parseDeleteResult(xml: XmlObject | undefined): string[] | undefined {
  const root = xml?.['DeleteResult'];
  if (root === undefined) return undefined;
  const decode = decoder(root);
  return asArray(typeof root === 'object' && root !== null ? (root as XmlObject)['Deleted'] : undefined).map((d) => decode(text(d, 'Key') ?? ''));
}
