/**
 * Client options, their resolution, and URL building: where a request connects, what Host it
 * carries and which path and query it sends. Pure functions, no I/O.
 */
import { isIP } from 'node:net';
import { v4UriEncode } from './signing/index.js';

export type SignatureVersion = 'v1' | 'v4';
export type Addressing = 'path' | 'virtual-host';
/** A query parameter: `null` is a bare name (`?append`), `''` is `append=`. */
export type QueryEntry = readonly [string, string | null];

export interface OssClientOptions {
  /** `http(s)://host[:port]`, e.g. `http://127.0.0.1:8080` or `https://oss-cn-hangzhou.aliyuncs.com`. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token: sent as `x-oss-security-token` (header auth) or in the presigned query. */
  securityToken?: string;
  /** `cn-hangzhou`; an `oss-` prefix is tolerated and removed. */
  region: string;
  /** Default `v1`, as in ali-oss. */
  signatureVersion?: SignatureVersion;
  /**
   * `path`: `/<bucket>/<key>` on the endpoint host. `virtual-host`: the bucket goes in the Host.
   * Default: `path` for IP and `localhost` endpoints (unless `virtualHostSuffix` is set), else `virtual-host`.
   */
  addressing?: Addressing;
  /**
   * Virtual-host addressing without DNS: connect to the endpoint but send `Host: <bucket>.<suffix>`
   * (no port), e.g. `oss-cn-hangzhou.aliyuncs.com`, which is what ali-oss does with an IP endpoint.
   * Setting it makes `virtual-host` the default addressing. With an IP endpoint and no suffix,
   * virtual-host addressing uses `oss-<region>.aliyuncs.com`; with `localhost`, `localhost`.
   */
  virtualHostSuffix?: string;
  /** Socket inactivity timeout per request, ms. Default 60 000. */
  timeoutMs?: number;
  /** Default `ossemu-client`. */
  userAgent?: string;
}

export interface ClientConfig {
  protocol: 'http:' | 'https:';
  /** Endpoint host name without brackets (`::1`, `127.0.0.1`, `oss-cn-hangzhou.aliyuncs.com`). */
  hostname: string;
  port: number;
  /** `host[:port]` as it appears in a URL or Host header (port left out when it is the scheme default). */
  authority: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  region: string;
  signatureVersion: SignatureVersion;
  addressing: Addressing;
  /** Set when virtual-host requests connect to the endpoint and name the bucket only in Host. */
  virtualHostSuffix?: string;
  timeoutMs: number;
  userAgent: string;
}

/** Validates the options and fills in the defaults. */
export function resolveConfig(options: OssClientOptions): ClientConfig {
  let url: URL;
  try {
    url = new URL(options.endpoint);
  } catch {
    throw new TypeError(`endpoint must be an absolute http(s) URL, got ${JSON.stringify(options.endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`endpoint must be http or https: ${options.endpoint}`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '') {
    throw new TypeError(`endpoint must not have a path or query: ${options.endpoint}`);
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const region = options.region.replace(/^oss-/, '');
  if (region === '') throw new TypeError('region is required');

  const ipOrLocalhost = isIP(hostname) !== 0 || hostname.toLowerCase() === 'localhost';
  const addressing = options.addressing ?? (ipOrLocalhost && options.virtualHostSuffix === undefined ? 'path' : 'virtual-host');
  let suffix = options.virtualHostSuffix;
  if (suffix === undefined && ipOrLocalhost) suffix = isIP(hostname) !== 0 ? `oss-${region}.aliyuncs.com` : 'localhost';

  return {
    protocol: url.protocol,
    hostname,
    port,
    authority: url.host,
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    securityToken: options.securityToken === '' ? undefined : options.securityToken,
    region,
    signatureVersion: options.signatureVersion ?? 'v1',
    addressing,
    virtualHostSuffix: addressing === 'virtual-host' ? suffix : undefined,
    timeoutMs: options.timeoutMs ?? 60_000,
    userAgent: options.userAgent ?? 'ossemu-client',
  };
}

/** Where a request goes: the socket target, the Host header, and the request target (path + query). */
export interface Address {
  protocol: 'http:' | 'https:';
  /** Host name to connect to (no brackets). */
  connectHost: string;
  port: number;
  hostHeader: string;
  /** Encoded path and query, e.g. `/b/a%20b?append&position=0`. */
  path: string;
  /** The URL the request is sent to: `protocol//<connect authority><path>`. */
  url: string;
}

/** An object key for a URL path: RFC 3986 percent-encoding that keeps `/` (`+` → `%2B`, space → `%20`). */
export function encodeKey(key: string): string {
  return v4UriEncode(key, true);
}

/** `a=1&b&c=` with names and values RFC 3986-encoded, in the given order; '' when empty. */
export function encodeQuery(query: readonly QueryEntry[]): string {
  return query.map(([name, value]) => (value === null ? v4UriEncode(name) : `${v4UriEncode(name)}=${v4UriEncode(value)}`)).join('&');
}

/** Builds the address of a service (no bucket), bucket (no key) or object request. */
export function buildAddress(config: ClientConfig, bucket: string | undefined, key: string | undefined, query: readonly QueryEntry[]): Address {
  const qs = encodeQuery(query);
  const withQuery = (p: string): string => (qs === '' ? p : `${p}?${qs}`);
  const keyPath = key === undefined ? '' : encodeKey(key);
  const endpointUrl = (path: string): string => `${config.protocol}//${config.authority}${path}`;

  if (bucket === undefined) {
    const path = withQuery('/');
    return { protocol: config.protocol, connectHost: config.hostname, port: config.port, hostHeader: config.authority, path, url: endpointUrl(path) };
  }
  if (config.addressing === 'path') {
    const path = withQuery(`/${encodeKey(bucket)}/${keyPath}`);
    return { protocol: config.protocol, connectHost: config.hostname, port: config.port, hostHeader: config.authority, path, url: endpointUrl(path) };
  }
  const path = withQuery(`/${keyPath}`);
  if (config.virtualHostSuffix !== undefined) {
    return {
      protocol: config.protocol,
      connectHost: config.hostname,
      port: config.port,
      hostHeader: `${bucket}.${config.virtualHostSuffix}`,
      path,
      url: endpointUrl(path),
    };
  }
  const host = `${bucket}.${config.authority}`;
  return { protocol: config.protocol, connectHost: `${bucket}.${config.hostname}`, port: config.port, hostHeader: host, path, url: `${config.protocol}//${host}${path}` };
}
