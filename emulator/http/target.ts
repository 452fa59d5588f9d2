import { OssError } from '../errors/oss-error.js';

/** Which resource a request is about, after reading Host and the request target. */
export interface Target {
  /** Undefined for service-level requests (ListBuckets). */
  bucket?: string;
  /** Undefined for bucket-level requests; the decoded UTF-8 key otherwise. */
  key?: string;
  /** Decoded query parameters in arrival order; null is a bare name (`?append`). */
  query: Array<[string, string | null]>;
  /** How the bucket was found: from Host (virtual host) or from the first path segment. */
  style: 'virtual-host' | 'path';
}

/**
 * Resolves bucket, key and query the way OSS and its SDKs agree on:
 * - Host `<bucket>.<region-endpoint>.aliyuncs.com` (any port): the bucket is the first label and
 *   the whole path is the key. ali-oss with an IP endpoint forges such a Host and sends `/key`;
 *   an empty first label (`.oss-cn-hangzhou.aliyuncs.com`) is a service request.
 * - Host `<bucket>.localhost`: the same.
 * - Anything else (IP, `localhost`, a plain name): path style `/bucket/key`.
 * The request target may also be in absolute form (`http://host:port/bucket/key`), whose
 * authority then replaces Host (RFC 9112 §3.2.2).
 */
export function resolveTarget(hostHeader: string | undefined, requestTarget: string): Target {
  const { host, rawPath, rawQuery } = splitRequestTarget(hostHeader, requestTarget);
  const query = parseQuery(rawQuery);

  const hostBucket = bucketFromHost(host);
  if (hostBucket !== undefined) {
    const rawKey = withoutLeadingSlash(rawPath);
    return {
      bucket: hostBucket === '' ? undefined : hostBucket,
      key: hostBucket === '' || rawKey === '' ? undefined : decodePathPart(rawKey),
      query,
      style: 'virtual-host',
    };
  }

  const withoutSlash = withoutLeadingSlash(rawPath);
  if (withoutSlash === '') return { query, style: 'path' };
  const slash = withoutSlash.indexOf('/');
  const rawBucket = slash === -1 ? withoutSlash : withoutSlash.slice(0, slash);
  const rawKey = slash === -1 ? '' : withoutSlash.slice(slash + 1);
  return {
    bucket: decodePathPart(rawBucket),
    key: rawKey === '' ? undefined : decodePathPart(rawKey),
    query,
    style: 'path',
  };
}

/**
 * The host, raw (undecoded) path and raw query of a request, the authority of an absolute-form
 * request target replacing Host. Never throws, whatever the bytes.
 */
export function splitRequestTarget(hostHeader: string | undefined, requestTarget: string): { host: string; rawPath: string; rawQuery: string } {
  let host = hostHeader ?? '';
  let target = requestTarget;
  const absolute = target.startsWith('/') ? null : /^https?:\/\/([^/?#]*)(.*)$/i.exec(target);
  if (absolute) {
    host = absolute[1] ?? '';
    target = absolute[2] || '/';
  }
  const queryStart = target.indexOf('?');
  return {
    host,
    rawPath: queryStart === -1 ? target : target.slice(0, queryStart),
    rawQuery: queryStart === -1 ? '' : target.slice(queryStart + 1),
  };
}

/** The bucket named by a virtual-host Host header, '' for a service host, undefined for path style. */
export function bucketFromHost(hostHeader: string): string | undefined {
  // A fully qualified name (`b.oss-cn-hangzhou.aliyuncs.com.`) names the same host as without the dot.
  const host = stripPort(hostHeader).toLowerCase().replace(/\.$/, '');
  if (host.endsWith('.aliyuncs.com')) {
    // `oss-cn-hangzhou.aliyuncs.com` is the region endpoint itself; one more label is a bucket.
    const labels = host.split('.');
    return labels.length >= 4 ? (labels[0] ?? '') : undefined;
  }
  if (host.endsWith('.localhost')) return host.slice(0, -'.localhost'.length).split('.')[0] ?? '';
  return undefined;
}

function withoutLeadingSlash(path: string): string {
  return path.startsWith('/') ? path.slice(1) : path;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1); // IPv6 literal
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * Path segments are form-decoded: `+` is a space (the Go SDK v1 sends spaces that way and every
 * SDK sends a real plus as %2B) and %2F is a slash. A malformed escape is a client error.
 */
function decodePathPart(raw: string): string {
  return formDecode(raw, () => new OssError('InvalidObjectName', { message: 'The specified object is not valid (malformed percent-encoding).' }));
}

function decodeQueryPart(raw: string): string {
  return formDecode(raw, () => new OssError('InvalidArgument', { message: 'Malformed percent-encoding in the query string.' }));
}

/** `+` is a space, then percent-decoding; `malformed` is thrown for a bad escape. */
export function formDecode(raw: string, malformed: () => OssError): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw; // most keys and values: nothing to decode
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw malformed();
  }
}

export function parseQuery(rawQuery: string): Array<[string, string | null]> {
  const params: Array<[string, string | null]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) params.push([decodeQueryPart(part), null]);
    else params.push([decodeQueryPart(part.slice(0, eq)), decodeQueryPart(part.slice(eq + 1))]);
  }
  return params;
}
