/**
 * OSS Signature V4 (`OSS4-HMAC-SHA256`): header auth and presigned URLs.
 * Pure functions over plain data; see oss-api-facts.md §7.3 / §7.4. Layout
 * follows the Go v2 SDK signer (`oss/signer/v4.go`) and ali-oss `signUtils.js`.
 */
import { createHash, createHmac } from 'node:crypto';
import type { QueryParam, SigningRequest } from './types.js';

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const V4_TERMINATOR = 'aliyun_v4_request';
export const V4_UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Presigned-URL parameter that carries the signature and is never itself signed. */
export const V4_SIGNATURE_QUERY = 'x-oss-signature';

const OSS_PREFIX = 'x-oss-';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const HEX = '0123456789ABCDEF';

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e // - . _ ~
  );
}

/**
 * RFC 3986 percent-encoding of the UTF-8 bytes of `s`: only A-Za-z0-9-_.~ are
 * kept (plus `/` when `keepSlash`), everything else becomes upper-case `%XX`.
 */
export function v4UriEncode(s: string, keepSlash = false): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (const b of bytes) {
    if (isUnreserved(b) || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** True for headers V4 always signs: every `x-oss-*`, `content-type`, `content-md5`. */
export function isV4DefaultSignedHeader(lowerName: string): boolean {
  return lowerName.startsWith(OSS_PREFIX) || lowerName === 'content-type' || lowerName === 'content-md5';
}

/** Lower-cased view of a header record, skipping undefined values. */
function lowerHeaders(headers: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const low = name.toLowerCase();
    const prev = out.get(low);
    out.set(low, prev === undefined ? value : `${prev},${value}`);
  }
  return out;
}

/**
 * What a signer puts in `AdditionalHeaders`: the requested names lower-cased,
 * de-duplicated, without default-signed headers (x-oss-*, content-type,
 * content-md5), without headers absent from the request, sorted.
 * (Same as go2 `getCommonAdditionalHeaders` / ali-oss `fixAdditionalHeaders`.)
 */
export function v4NormalizeAdditionalHeaders(
  headers: Readonly<Record<string, string | undefined>>,
  additionalHeaders: readonly string[] | undefined,
): string[] {
  if (!additionalHeaders || additionalHeaders.length === 0) return [];
  const present = lowerHeaders(headers);
  const out = new Set<string>();
  for (const name of additionalHeaders) {
    const low = name.trim().toLowerCase();
    if (low === '' || isV4DefaultSignedHeader(low)) continue;
    const value = present.get(low);
    if (value === undefined || value === '') continue;
    out.add(low);
  }
  return [...out].sort(compare);
}

export interface ParsedV4Authorization {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  product: string;
  /** Names exactly as listed in `AdditionalHeaders=` (empty when absent). */
  additionalHeaders: string[];
  signature: string;
}

/**
 * Parse `OSS4-HMAC-SHA256 Credential=<ak>/<yyyymmdd>/<region>/<product>/aliyun_v4_request[,AdditionalHeaders=a;b],Signature=<hex>`.
 * Fields may be separated by `,` or `, ` (any whitespace) and come in any
 * order; unknown fields are ignored. Returns null when the algorithm is not V4,
 * a field is repeated, Credential/Signature is missing, or the credential scope
 * is malformed.
 */
export function parseV4Authorization(header: string): ParsedV4Authorization | null {
  const trimmed = header.trim();
  const m = /^OSS4-HMAC-SHA256\s+(.*)$/s.exec(trimmed);
  if (!m || m[1] === undefined) return null;

  const fields = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return null;
    const name = item.slice(0, eq).trim().toLowerCase();
    const value = item.slice(eq + 1).trim();
    if (fields.has(name)) return null;
    fields.set(name, value);
  }

  const credential = fields.get('credential');
  const signature = fields.get('signature');
  if (credential === undefined || signature === undefined || signature === '') return null;
  if (/\s/.test(signature)) return null;

  const parts = credential.split('/');
  if (parts.length < 5 || parts[parts.length - 1] !== V4_TERMINATOR) return null;
  const product = parts[parts.length - 2] ?? '';
  const region = parts[parts.length - 3] ?? '';
  const date = parts[parts.length - 4] ?? '';
  const accessKeyId = parts.slice(0, -4).join('/');
  if (accessKeyId === '' || region === '' || product === '' || !/^\d{8}$/.test(date)) return null;

  const additional = fields.get('additionalheaders');
  const additionalHeaders =
    additional === undefined
      ? []
      : additional
          .split(';')
          .map((s) => s.trim())
          .filter((s) => s !== '');

  return { accessKeyId, date, region, product, additionalHeaders, signature };
}

/** uri-encode `/bucket/key` keeping `/`; `/bucket/` with no key; `/` with no bucket. */
export function v4CanonicalUri(bucket?: string, key?: string): string {
  let uri = '/';
  if (bucket !== undefined) uri += `${bucket}/`;
  if (key !== undefined) uri += key;
  return v4UriEncode(uri, true);
}

/**
 * Every query parameter (minus `exclude`, compared on decoded names), with key
 * and value RFC 3986-encoded, sorted by encoded key (then encoded value), as
 * `k=v`, or a bare `k` when the value is null or ''; joined by `&`.
 */
export function v4CanonicalQuery(
  query: ReadonlyArray<readonly [string, string | null]>,
  exclude?: ReadonlySet<string>,
): string {
  const items: Array<[string, string]> = [];
  for (const [name, value] of query) {
    if (exclude?.has(name)) continue;
    items.push([v4UriEncode(name), value === null || value === '' ? '' : v4UriEncode(value)]);
  }
  items.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return items.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&');
}

const EXCLUDE_SIGNATURE: ReadonlySet<string> = new Set([V4_SIGNATURE_QUERY]);

/**
 * The V4 canonical request:
 * ```
 * METHOD\n
 * CanonicalURI\n
 * CanonicalQuery\n            (every param except x-oss-signature)
 * CanonicalHeaders\n          ("name:trimmed\n" per header, sorted, so a blank line follows)
 * AdditionalHeaders\n         (additionalHeaders joined by ';', as given)
 * HashedPayload
 * ```
 * Canonical headers are every present `x-oss-*`, `content-type`, `content-md5`
 * plus the present headers named in `additionalHeaders` (matched
 * case-insensitively). The AdditionalHeaders line is `additionalHeaders`
 * verbatim: signers should pass `v4NormalizeAdditionalHeaders(...)`, verifiers
 * the list parsed from the request. The hashed payload defaults to the
 * `x-oss-content-sha256` header, else `UNSIGNED-PAYLOAD`.
 */
export function v4CanonicalRequest(
  req: SigningRequest,
  additionalHeaders: readonly string[],
  hashedPayload?: string,
): string {
  const headers = lowerHeaders(req.headers);
  const extra = new Set(additionalHeaders.map((h) => h.trim().toLowerCase()));
  const names = [...headers.keys()].filter((n) => isV4DefaultSignedHeader(n) || extra.has(n)).sort(compare);
  const canonicalHeaders = names.map((n) => `${n}:${(headers.get(n) ?? '').trim()}\n`).join('');

  const contentSha = headers.get('x-oss-content-sha256');
  const payload = hashedPayload ?? (contentSha !== undefined && contentSha !== '' ? contentSha : V4_UNSIGNED_PAYLOAD);

  return [
    req.method,
    v4CanonicalUri(req.bucket, req.key),
    v4CanonicalQuery(req.query, EXCLUDE_SIGNATURE),
    canonicalHeaders,
    additionalHeaders.join(';'),
    payload,
  ].join('\n');
}

/** `<yyyymmdd>/<region>/<product>/aliyun_v4_request`. */
export function v4Scope(date: string, region: string, product = 'oss'): string {
  return `${date}/${region}/${product}/${V4_TERMINATOR}`;
}

/** `OSS4-HMAC-SHA256\n<datetime>\n<scope>\n<hex sha256(canonicalRequest)>`. */
export function v4StringToSign(datetime: string, scope: string, canonicalRequest: string): string {
  const hashed = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `${V4_ALGORITHM}\n${datetime}\n${scope}\n${hashed}`;
}

function hmac256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** HMAC chain: "aliyun_v4"+secret -> date -> region -> product -> "aliyun_v4_request". */
export function v4SigningKey(secret: string, date: string, region: string, product = 'oss'): Buffer {
  const kDate = hmac256(`aliyun_v4${secret}`, date);
  const kRegion = hmac256(kDate, region);
  const kProduct = hmac256(kRegion, product);
  return hmac256(kProduct, V4_TERMINATOR);
}

/** Lower-case hex HMAC-SHA256(signingKey, stringToSign). */
export function v4Signature(signingKey: Buffer | Uint8Array, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

/** ISO 8601 basic UTC timestamp `yyyymmddTHHMMSSZ` (the `x-oss-date` format). */
export function v4Datetime(when: Date): string {
  return when.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const DATETIME_RE = /^\d{8}T\d{6}Z$/;

function checkDatetime(datetime: string): string {
  if (!DATETIME_RE.test(datetime)) throw new Error(`invalid V4 datetime ${JSON.stringify(datetime)}: want yyyymmddTHHMMSSZ`);
  return datetime.slice(0, 8);
}

export interface V4AuthorizationInput {
  accessKeyId: string;
  secret: string;
  /** e.g. `cn-hangzhou` (no `oss-` prefix). */
  region: string;
  /** Must already contain `x-oss-date` (= datetime) and `x-oss-content-sha256`. */
  req: SigningRequest;
  /** yyyymmddTHHMMSSZ */
  datetime: string;
  /** Requested additional signed headers; normalized (lower-cased, filtered, sorted). */
  additionalHeaders?: readonly string[];
  product?: string;
}

/** `OSS4-HMAC-SHA256 Credential=<ak>/<scope>[,AdditionalHeaders=a;b],Signature=<hex>`. */
export function v4AuthorizationHeader(input: V4AuthorizationInput): string {
  const { accessKeyId, secret, region, req, datetime } = input;
  const product = input.product ?? 'oss';
  const date = checkDatetime(datetime);
  const scope = v4Scope(date, region, product);
  const additional = v4NormalizeAdditionalHeaders(req.headers, input.additionalHeaders);
  const stringToSign = v4StringToSign(datetime, scope, v4CanonicalRequest(req, additional));
  const signature = v4Signature(v4SigningKey(secret, date, region, product), stringToSign);
  const extra = additional.length > 0 ? `,AdditionalHeaders=${additional.join(';')}` : '';
  return `${V4_ALGORITHM} Credential=${accessKeyId}/${scope}${extra},Signature=${signature}`;
}

export interface V4PresignInput {
  accessKeyId: string;
  secret: string;
  region: string;
  req: SigningRequest;
  /** Signing time, yyyymmddTHHMMSSZ. */
  datetime: string;
  /** Validity in seconds from `datetime` (`x-oss-expires`). */
  expiresSeconds: number;
  additionalHeaders?: readonly string[];
  /** STS token; added as the (signed) `x-oss-security-token` query parameter. */
  securityToken?: string;
  product?: string;
}

/**
 * Query parameters to add to `req` for a V4 presigned URL, in this order:
 * `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-expires`,
 * [`x-oss-additional-headers`], [`x-oss-security-token`], `x-oss-signature`.
 * Values are decoded; the caller URL-encodes them. The canonical query covers
 * the request's own params plus all of these except `x-oss-signature`.
 */
export function v4PresignQuery(input: V4PresignInput): QueryParam[] {
  const { accessKeyId, secret, region, req, datetime } = input;
  const product = input.product ?? 'oss';
  const date = checkDatetime(datetime);
  const scope = v4Scope(date, region, product);
  const additional = v4NormalizeAdditionalHeaders(req.headers, input.additionalHeaders);

  const params: QueryParam[] = [
    ['x-oss-signature-version', V4_ALGORITHM],
    ['x-oss-credential', `${accessKeyId}/${scope}`],
    ['x-oss-date', datetime],
    ['x-oss-expires', String(Math.trunc(input.expiresSeconds))],
  ];
  if (additional.length > 0) params.push(['x-oss-additional-headers', additional.join(';')]);
  if (input.securityToken !== undefined && input.securityToken !== '') {
    params.push(['x-oss-security-token', input.securityToken]);
  }

  const signed: SigningRequest = { ...req, query: [...req.query, ...params] };
  const stringToSign = v4StringToSign(datetime, scope, v4CanonicalRequest(signed, additional));
  const signature = v4Signature(v4SigningKey(secret, date, region, product), stringToSign);
  params.push([V4_SIGNATURE_QUERY, signature]);
  return params;
}
