/**
 * OSS Signature V1 (`Authorization: OSS <ak>:<base64 hmac-sha1>`) and V1
 * presigned URLs (`OSSAccessKeyId`, `Expires`, `Signature`).
 * Pure functions over plain data; see oss-api-facts.md §7.1 / §7.2.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { QueryParam, SigningRequest } from './types.js';

/**
 * Query parameters that are part of the V1 CanonicalizedResource (union of the
 * go1 and go2 SDK lists). Any query key starting with `x-oss-` is signed too.
 */
export const V1_SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'acl', 'uploads', 'location', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'delete', 'append',
  'tagging', 'objectMeta', 'uploadId', 'partNumber', 'security-token', 'position',
  'img', 'style', 'styleName', 'replication', 'replicationProgress', 'replicationLocation', 'cname',
  'bucketInfo', 'comp', 'qos', 'live', 'status', 'vod', 'startTime', 'endTime', 'symlink',
  'x-oss-process', 'response-content-type', 'response-content-language', 'response-expires',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'x-oss-traffic-limit',
  'udf', 'udfName', 'udfImage', 'udfId', 'udfImageDesc', 'udfApplication', 'udfApplicationLog', 'restore',
  'callback', 'callback-var', 'qosInfo', 'policy', 'stat', 'encryption',
  'versions', 'versioning', 'versionId', 'requestPayment', 'x-oss-request-payer', 'sequential', 'inventory',
  'inventoryId', 'continuation-token', 'asyncFetch',
  'worm', 'wormId', 'wormExtend', 'withHashContext', 'x-oss-enable-md5', 'x-oss-enable-sha1',
  'x-oss-enable-sha256', 'x-oss-hash-ctx', 'x-oss-md5-ctx',
  'transferAcceleration', 'regionList', 'cloudboxes', 'x-oss-ac-source-ip', 'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id', 'x-oss-ac-forward-allow', 'metaQuery', 'resourceGroup', 'rtc', 'x-oss-async-process',
  'responseHeader', 'seal', 'objectInfo', 'group', 'link',
]);

const OSS_PREFIX = 'x-oss-';

/** True if a query parameter name is part of the V1 canonical resource. */
export function isV1SignedSubresource(name: string): boolean {
  return V1_SIGNED_SUBRESOURCES.has(name) || name.startsWith(OSS_PREFIX);
}

/** Byte-order (code unit) comparison, like Go's sort.Strings for ASCII names. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `/`, `/bucket/` or `/bucket/key` (raw, un-encoded key), then `?` and the
 * signed sub-resources sorted by name: `k` for null/empty values, `k=v`
 * otherwise (decoded values), joined by `&`. A repeated parameter is signed
 * once, with its first value (as go2 does with `url.Values.Get`).
 */
export function v1CanonicalResource(req: Pick<SigningRequest, 'bucket' | 'key' | 'query'>): string {
  let resource = '/';
  if (req.bucket !== undefined) resource += `${req.bucket}/`;
  if (req.key !== undefined) resource += req.key;

  const seen = new Map<string, string | null>();
  for (const [name, value] of req.query) {
    if (!seen.has(name) && isV1SignedSubresource(name)) seen.set(name, value);
  }
  if (seen.size === 0) return resource;

  const items = [...seen.keys()].sort(compare).map((name) => {
    const value = seen.get(name);
    return value === null || value === undefined || value === '' ? name : `${name}=${value}`;
  });
  return `${resource}?${items.join('&')}`;
}

/** Sorted `x-oss-*` lines, each `name:trimmed-value\n`. */
export function v1CanonicalHeaders(headers: Readonly<Record<string, string | undefined>>): string {
  const lines = new Map<string, string>();
  for (const [rawName, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (!name.startsWith(OSS_PREFIX)) continue;
    const trimmed = value.trim();
    const prev = lines.get(name);
    lines.set(name, prev === undefined ? trimmed : `${prev},${trimmed}`);
  }
  return [...lines.keys()]
    .sort(compare)
    .map((name) => `${name}:${lines.get(name) ?? ''}\n`)
    .join('');
}

/**
 * VERB\nContent-MD5\nContent-Type\n<dateLine>\n<canonical x-oss headers><canonical resource>.
 * `dateLine` is the Date / x-oss-date header value for header auth, or the
 * Expires value (epoch seconds) for presigned URLs.
 */
export function v1StringToSign(req: SigningRequest, dateLine: string): string {
  // Trimmed, as every value signed: HTTP drops the whitespace around a header value on the way,
  // so the server never sees it (a client that signed `text/plain ` would fail its check).
  const contentMd5 = req.headers['content-md5']?.trim() ?? '';
  const contentType = req.headers['content-type']?.trim() ?? '';
  return (
    `${req.method}\n${contentMd5}\n${contentType}\n${dateLine}\n` +
    v1CanonicalHeaders(req.headers) +
    v1CanonicalResource(req)
  );
}

/** base64(HMAC-SHA1(secret, stringToSign)). */
export function v1Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secretKey(secret)).update(stringToSign, 'utf8').digest('base64');
}

/** Secrets as key objects, made once each: preparing the key is a fair share of an HMAC's cost. */
const secretKeys = new Map<string, KeyObject>();

function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (key === undefined) {
    if (secretKeys.size >= 16) secretKeys.clear(); // a process rarely uses more than one or two
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

/** `OSS <accessKeyId>:<signature>`. */
export function v1AuthorizationHeader(
  accessKeyId: string,
  secret: string,
  req: SigningRequest,
  dateLine: string,
): string {
  return `OSS ${accessKeyId}:${v1Signature(secret, v1StringToSign(req, dateLine))}`;
}

export interface V1PresignInput {
  accessKeyId: string;
  secret: string;
  req: SigningRequest;
  /** Absolute expiry, epoch seconds. */
  expires: number;
  /** STS token; added as the (signed) `security-token` query parameter. */
  securityToken?: string;
}

/**
 * Query parameters to add to `req` for a V1 presigned URL, in this order:
 * `OSSAccessKeyId`, `Expires`, `Signature`[, `security-token`].
 * Values are decoded; the caller URL-encodes them.
 */
export function v1PresignQuery(input: V1PresignInput): QueryParam[] {
  const { accessKeyId, secret, req, securityToken } = input;
  const expires = String(Math.trunc(input.expires));
  const hasToken = securityToken !== undefined && securityToken !== '';
  const signed: SigningRequest = hasToken
    ? { ...req, query: [...req.query, ['security-token', securityToken] as const] }
    : req;
  const signature = v1Signature(secret, v1StringToSign(signed, expires));
  const out: QueryParam[] = [
    ['OSSAccessKeyId', accessKeyId],
    ['Expires', expires],
    ['Signature', signature],
  ];
  if (hasToken) out.push(['security-token', securityToken]);
  return out;
}
