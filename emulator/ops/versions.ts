import { OssError } from '../errors/oss-error.js';
import { objectAddress, type OssContext } from '../http/context.js';
import { quoteEtag, restoreInfo } from '../http/object-output.js';
import { sendXml } from '../http/respond.js';
import type { KeyVersions } from '../store/store.js';
import type { ObjectRecord } from '../store/types.js';
import { NULL_VERSION_ID, versionStamp, type NoncurrentVersion } from '../store/versions.js';
import { isoDate } from '../util/http-date.js';
import { keyAfter } from '../util/key-order.js';
import { XmlSequence, type XmlElement } from '../util/xml.js';
import { commonPrefixOf, readListParams } from './bucket.js';
import { ownerOf } from './owner.js';

/** The id of an object written while its bucket was never versioned (or while versioning was suspended). */
export const NULL_VERSION = NULL_VERSION_ID;

/** The `versionId` a request names, if any, checked as OSS checks one (readVersionId). */
export function requestedVersion(ctx: OssContext): string | undefined {
  const versionId = ctx.params.get('versionId');
  return versionId === undefined ? undefined : readVersionId(versionId ?? '');
}

/**
 * A version id as sent: `null`, or one of the 64-character ids OSS makes (base64 of a protobuf
 * header, with `.` and `_` for `+` and `/`: every one starts `CAEQ`). Anything else is no version
 * OSS could have made: InvalidArgument, with OSS's documented ECs for an empty and a malformed id.
 */
export function readVersionId(versionId: string): string {
  if (versionId === NULL_VERSION || /^CAEQ[A-Za-z0-9._]{60}$/.test(versionId)) return versionId;
  throw new OssError('InvalidArgument', {
    message: versionId === '' ? 'The version id is empty.' : 'Invalid version id specified.',
    ec: versionId === '' ? '0012-00000201' : '0012-00000202',
    details: [['ArgumentName', 'versionId'], ['ArgumentValue', versionId]],
  });
}

/** The version a request names (its current object without a versionId); a delete marker's 405 names the request's method. */
export function readVersion(ctx: OssContext): ObjectRecord {
  const { bucket, key } = objectAddress(ctx);
  return ctx.store.requireVersion(bucket, key, requestedVersion(ctx), { method: ctx.method });
}

/**
 * The `x-oss-version-id` of an answer about a version, where the bucket is or was versioned: an
 * object written before versioning was enabled is version `null`. None where it never was.
 */
export function setVersionHeader(ctx: OssContext, object: Pick<ObjectRecord, 'bucket' | 'versionId'>): void {
  const versioned = object.versionId !== undefined || ctx.store.getBucket(object.bucket)?.configurations.versioning !== undefined;
  if (versioned) ctx.koa.set('x-oss-version-id', object.versionId ?? NULL_VERSION);
}

/** One Version or DeleteMarker of a listing, with whether it is its key's newest. */
type ListedVersion = { latest: boolean } & ({ deleteMarker: false; record: ObjectRecord } | Extract<NoncurrentVersion, { deleteMarker: true }>);

interface VersionsPage {
  versions: ListedVersion[];
  prefixes: string[];
  truncated: boolean;
  /** Where the next page starts: after this key, or after this version of it. */
  next?: { key: string; versionId?: string };
}

/** A key's versions in listing order: the current one, then the others, newest first; the first is the latest. */
function versionsOf(entry: KeyVersions): ListedVersion[] {
  const all: ListedVersion[] = [];
  if (entry.current) all.push({ latest: true, deleteMarker: false, record: entry.current });
  for (const version of entry.noncurrent) {
    const latest = all.length === 0;
    all.push(version.deleteMarker ? { latest, ...version } : { latest, deleteMarker: false, record: version.record });
  }
  return all;
}

const versionIdOf = (version: ListedVersion): string => (version.deleteMarker ? version.versionId : (version.record.versionId ?? NULL_VERSION));

/**
 * Where the versions of the marker's key continue: after the marker's version; or, where it is gone
 * (a clean-up deletes what each page lists), after every version newer than it by its id's creation
 * stamp. Versions whose place is unknown (`null`) are listed again rather than skipped: a clean-up
 * must see every version to delete it.
 */
function resumeAfter(versions: readonly ListedVersion[], versionIdMarker: string): number {
  const at = versions.findIndex((version) => versionIdOf(version) === versionIdMarker);
  if (at !== -1) return at + 1;
  const markerStamp = versionStamp(versionIdMarker);
  if (markerStamp === undefined) return 0;
  let start = 0;
  while (start < versions.length && (versionStamp(versionIdOf(versions[start]!)) ?? -1) >= markerStamp) start++;
  return start;
}

/**
 * One page of ListObjectVersions: the versions of keys after `keyMarker` (or, with a
 * `versionIdMarker`, those of `keyMarker` after that version, then the keys after it). Versions,
 * delete markers and common prefixes all count toward max-keys.
 */
function versionsPage(ctx: OssContext, prefix: string, delimiter: string, keyMarker: string, versionIdMarker: string, maxKeys: number): VersionsPage {
  const page: VersionsPage = { versions: [], prefixes: [], truncated: false };
  const full = (): boolean => page.versions.length + page.prefixes.length === maxKeys;
  const fromMarkerKey = versionIdMarker !== '';
  const iterator = ctx.store.iterateVersions(ctx.target.bucket!, prefix, keyMarker, fromMarkerKey);
  let next = iterator.next();
  while (!next.done) {
    const entry = next.value;
    const common = commonPrefixOf(entry.key, prefix, delimiter);
    if (common !== undefined) {
      if (keyAfter(common, keyMarker)) {
        if (full()) {
          page.truncated = true;
          break;
        }
        page.prefixes.push(common);
        page.next = { key: common };
      }
      next = iterator.next(common);
      continue;
    }
    let versions = versionsOf(entry);
    if (fromMarkerKey && entry.key === keyMarker) versions = versions.slice(resumeAfter(versions, versionIdMarker));
    for (const version of versions) {
      if (full()) {
        page.truncated = true;
        break;
      }
      page.versions.push(version);
      page.next = { key: entry.key, versionId: versionIdOf(version) };
    }
    if (page.truncated) break;
    next = iterator.next();
  }
  iterator.return();
  return page;
}

/**
 * ListObjectVersions (`GET /?versions`): every version of each key, and each delete marker, in key
 * order and newest first within a key. Objects written while the bucket was never versioned are
 * version `null`. Paged by key-marker and version-id-marker (which needs a key-marker).
 */
export function listObjectVersions(ctx: OssContext): void {
  const { prefix, delimiter, maxKeys, encode, encodingType } = readListParams(ctx);
  const keyMarker = ctx.params.get('key-marker') ?? '';
  const versionIdMarker = ctx.params.get('version-id-marker') ?? '';
  if (versionIdMarker !== '') readVersionId(versionIdMarker);
  if (versionIdMarker !== '' && keyMarker === '') {
    throw new OssError('InvalidArgument', {
      message: 'A version-id-marker needs a key-marker.',
      ec: '0012-00000106',
      details: [['ArgumentName', 'version-id-marker'], ['ArgumentValue', versionIdMarker]],
    });
  }
  const page = versionsPage(ctx, prefix, delimiter, keyMarker, versionIdMarker, maxKeys);
  const owner = ownerOf(ctx.config.accessKeyId);
  const now = Date.now();
  const listed = (version: ListedVersion): XmlElement => {
    if (version.deleteMarker) {
      return { Key: encode(version.key), VersionId: version.versionId, IsLatest: version.latest, LastModified: isoDate(version.lastModified), Owner: owner };
    }
    const o = version.record;
    return {
      Key: encode(o.key),
      VersionId: o.versionId ?? NULL_VERSION,
      IsLatest: version.latest,
      LastModified: isoDate(o.lastModified),
      ETag: quoteEtag(o.etag),
      Type: o.type,
      Size: o.size,
      StorageClass: o.storageClass,
      RestoreInfo: restoreInfo(o, now),
      Owner: owner,
    };
  };
  sendXml(ctx.koa, 'ListVersionsResult', {
    Name: ctx.target.bucket!,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    EncodingType: encodingType,
    IsTruncated: page.truncated,
    NextKeyMarker: page.truncated ? encode(page.next?.key ?? '') : undefined,
    NextVersionIdMarker: page.truncated ? (page.next?.versionId ?? '') : undefined,
    // One sequence in listing order, as OSS interleaves them (the Go SDK v2 parses them mixed).
    Versions: new XmlSequence(page.versions.map((version) => [version.deleteMarker ? 'DeleteMarker' : 'Version', listed(version)] as const)),
    CommonPrefixes: page.prefixes.map((cp) => ({ Prefix: encode(cp) })),
  });
}
