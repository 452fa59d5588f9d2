import {
  parseV4Authorization,
  v1Signature,
  v1StringToSign,
  v4CanonicalRequest,
  v4Datetime,
  v4Scope,
  v4Signature,
  v4SigningKey,
  v4StringToSign,
  type SigningRequest,
} from '../../client/signing/index.js';
import { OssError } from '../errors/oss-error.js';
import { parseHttpDate } from '../util/http-date.js';
import type { RamUser } from '../access/ram-users.js';
import { sameSecret } from '../util/same-secret.js';

/**
 * Who made a request: the account itself (its key pair), one of its RAM users (limited by their
 * policies), or nobody.
 */
export type Principal =
  | { kind: 'owner'; accessKeyId: string }
  | { kind: 'ram-user'; accessKeyId: string; user: RamUser }
  | { kind: 'anonymous' };

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

/** What the server computed for a rejected signature, for debug logs. */
export interface SignatureDiagnostics {
  canonicalRequest?: string;
  stringToSign: string;
}

export interface AuthOptions {
  /** The account's own key pair. */
  credentials: Credentials;
  ramUsers?: readonly RamUser[];
  now: number;
  onMismatch?: (diagnostics: SignatureDiagnostics) => void;
}

/** OSS refuses header-signed requests whose time is more than 15 minutes off. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** A V4 signed URL lives at most 7 days (EC page 0002-00000232). */
const MAX_V4_URL_EXPIRES_S = 7 * 24 * 3600;

/**
 * Verifies a request signed by any of the four OSS schemes (V1 or V4, header or presigned URL);
 * a request with none of them is anonymous. Throws the OSS error real OSS gives for each failure.
 */
export function authenticate(req: SigningRequest, options: AuthOptions): Principal {
  const authorization = req.headers['authorization'];
  if (authorization?.startsWith('OSS4-HMAC-SHA256')) return verifyV4Header(req, authorization, options);
  if (authorization?.startsWith('OSS ')) return verifyV1Header(req, authorization, options);
  if (authorization !== undefined && authorization !== '') {
    throw new OssError('InvalidArgument', { message: 'Authorization header is invalid.', ec: '0002-00000001' });
  }
  const params = new Map(req.query.map(([k, v]) => [k, v ?? ''] as const));
  if (params.has('x-oss-signature-version') || params.has('x-oss-signature')) return verifyV4Query(req, params, options);
  if (params.has('OSSAccessKeyId') || params.has('Signature') || params.has('Expires')) return verifyV1Query(req, params, options);
  return { kind: 'anonymous' };
}

function verifyV1Header(req: SigningRequest, authorization: string, options: AuthOptions): Principal {
  const match = /^OSS ([^:]+):(.+)$/.exec(authorization.trim());
  if (!match) throw new OssError('InvalidArgument', { message: 'Authorization header is invalid.', ec: '0002-00000001' });
  const [, accessKeyId, provided] = match as unknown as [string, string, string];
  const { secret, principal } = identify(accessKeyId, req, options);
  // ali-oss sends only x-oss-date; Go, oss2 and Java only Date. Like oss2's signer, prefer
  // x-oss-date, and accept a signature over Date when a request carries both.
  const xOssDate = req.headers['x-oss-date'] || undefined;
  const date = req.headers['date'] || undefined;
  const dateLine = xOssDate ?? date;
  if (dateLine === undefined) {
    throw new OssError('AccessDenied', { message: 'Authorization requires the Date or x-oss-date header.', ec: '0002-00000503' });
  }
  checkSkew(dateLine, xOssDate !== undefined, options.now);
  const stringToSign = v1StringToSign(req, dateLine);
  if (sameSecret(v1Signature(secret, stringToSign), provided)) return principal;
  if (xOssDate !== undefined && date !== undefined && sameSecret(v1Signature(secret, v1StringToSign(req, date)), provided)) {
    return principal;
  }
  throw v1Mismatch(accessKeyId, provided, stringToSign, options);
}

function verifyV1Query(req: SigningRequest, params: Map<string, string>, options: AuthOptions): Principal {
  const accessKeyId = params.get('OSSAccessKeyId');
  const expires = params.get('Expires');
  const provided = params.get('Signature');
  // OSS documents an EC for a missing Expires, an empty one and one that is no timestamp.
  if (expires === undefined || expires === '') {
    throw new OssError('AccessDenied', { message: 'Query-string authentication requires the Expires parameter.', ec: expires === undefined ? '0002-00000067' : '0002-00000068' });
  }
  if (!accessKeyId || !provided) {
    throw new OssError('AccessDenied', {
      message: 'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
      ec: '0002-00000020',
    });
  }
  if (!/^\d{1,12}$/.test(expires)) {
    throw new OssError('AccessDenied', { message: 'The expiration time in the URL signature is invalid.', ec: '0002-00000070', details: [['Expires', expires]] });
  }
  const { secret, principal } = identify(accessKeyId, req, options);
  const expiresAt = Number(expires) * 1000;
  if (expiresAt < options.now) {
    throw new OssError('AccessDenied', {
      message: 'Request has expired.',
      ec: '0002-00000069',
      details: [['Expires', expires], ['ServerTime', new Date(options.now).toISOString()]],
    });
  }
  const stringToSign = v1StringToSign(req, expires);
  if (sameSecret(v1Signature(secret, stringToSign), provided)) return principal;
  throw v1Mismatch(accessKeyId, provided, stringToSign, options);
}

function v1Mismatch(accessKeyId: string, provided: string, stringToSign: string, options: AuthOptions): OssError {
  options.onMismatch?.({ stringToSign });
  return new OssError('SignatureDoesNotMatch', {
    details: [
      ['OSSAccessKeyId', accessKeyId],
      ['SignatureProvided', provided],
      ['StringToSign', stringToSign],
      ['StringToSignBytes', hexBytes(stringToSign)],
    ],
  });
}

function verifyV4Header(req: SigningRequest, authorization: string, options: AuthOptions): Principal {
  const parsed = parseV4Authorization(authorization);
  if (!parsed) throw new OssError('InvalidArgument', { message: 'Authorization header is invalid.', ec: '0002-00000001' });
  const identity = identify(parsed.accessKeyId, req, options);
  const { signDate, day, time } = v4RequestDate(req);
  checkSkewOf(time, options.now);
  // OSS's V4 does not hash payloads: the only value it takes is UNSIGNED-PAYLOAD (EC page 0002-00000214).
  const contentSha = req.headers['x-oss-content-sha256'];
  if (contentSha !== undefined && contentSha !== 'UNSIGNED-PAYLOAD') {
    throw new OssError('InvalidArgument', { message: 'x-oss-content-sha256 must be UNSIGNED-PAYLOAD.', ec: '0002-00000214' });
  }
  checkV4Scope(parsed, day, signDate, 'header');
  return verifyV4(req, parsed.accessKeyId, identity, signDate, parsed, options);
}

/**
 * The date a V4 header signature is over: `x-oss-date` in ISO 8601 basic form (ali-oss, oss2, Go
 * SDK v2), else the `Date` header, whose RFC 1123 text is then the string-to-sign's date line as
 * sent (the Go SDK v1 line with AuthV4 sends only Date; its own tests against OSS pass that way, and
 * OSS's EC pages 0002-00000212/502/503 show or take either). `day` is the UTC day the scope must name.
 */
function v4RequestDate(req: SigningRequest): { signDate: string; day: string; time: number } {
  const xOssDate = req.headers['x-oss-date'] || undefined;
  if (xOssDate !== undefined) {
    const time = parseIsoBasic(xOssDate);
    if (time === undefined) {
      throw new OssError('AccessDenied', { message: 'The x-oss-date header is not in ISO 8601 basic format (20231216T162057Z).', ec: '0002-00000502' });
    }
    return { signDate: xOssDate, day: xOssDate.slice(0, 8), time };
  }
  const date = req.headers['date'] || undefined;
  if (date === undefined) {
    throw new OssError('AccessDenied', { message: 'Authorization requires the Date or x-oss-date header.', ec: '0002-00000503' });
  }
  const when = parseHttpDate(date);
  if (when === undefined) {
    throw new OssError('AccessDenied', { message: `The Date header is not in GMT format (Tue, 20 Dec 2022 08:48:18 GMT): ${date}`, ec: '0002-00000502' });
  }
  return { signDate: date, day: v4Datetime(new Date(when)).slice(0, 8), time: when };
}

function verifyV4Query(req: SigningRequest, params: Map<string, string>, options: AuthOptions): Principal {
  const credential = params.get('x-oss-credential');
  const datetime = params.get('x-oss-date');
  const expires = params.get('x-oss-expires');
  const signature = params.get('x-oss-signature');
  if (!expires) throw new OssError('AccessDenied', { message: 'Query-string authentication requires the x-oss-expires parameter.', ec: '0002-00000215' });
  if (params.get('x-oss-signature-version') !== 'OSS4-HMAC-SHA256' || !credential || !datetime || !signature) {
    throw new OssError('AccessDenied', {
      message:
        'Query-string authentication requires the x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature parameters',
      ec: '0002-00000020',
    });
  }
  const parsed = parseV4Authorization(
    `OSS4-HMAC-SHA256 Credential=${credential},AdditionalHeaders=${params.get('x-oss-additional-headers') ?? ''},Signature=${signature}`,
  );
  const signedAt = parseIsoBasic(datetime);
  if (!parsed || signedAt === undefined) throw new OssError('AccessDenied', { message: 'Invalid credential or date.', ec: '0002-00000502' });
  const identity = identify(parsed.accessKeyId, req, options);
  // The URL is valid for x-oss-expires seconds, at most 7 days.
  if (!/^\d{1,7}$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_V4_URL_EXPIRES_S) {
    throw new OssError('AccessDenied', { message: 'x-oss-expires must be between 1 and 604800 seconds.', ec: '0002-00000232', details: [['x-oss-expires', expires]] });
  }
  checkV4Validity(signedAt, Number(expires), options.now);
  checkV4Scope(parsed, datetime.slice(0, 8), datetime, 'query');
  return verifyV4(req, parsed.accessKeyId, identity, datetime, parsed, options);
}

/** A V4 URL or form is valid from its x-oss-date (15 minutes' clock skew allowed) for `lifetimeSeconds`. */
function checkV4Validity(signedAt: number, lifetimeSeconds: number, now: number): void {
  if (signedAt - MAX_SKEW_MS > now) throw new OssError('AccessDenied', { message: 'Request is not yet valid: x-oss-date is in the future.', ec: '0002-00000235' });
  if (signedAt + lifetimeSeconds * 1000 < now) throw new OssError('AccessDenied', { message: 'Request has expired.', ec: '0002-00000236' });
}

/**
 * The credential scope must name the request's day (`day`, YYYYMMDD, of `signDate`) and the product
 * `oss`; its region is not checked (docs/divergences.md). OSS documents an EC for a bad sign date in
 * the header (0002-00000212) and in a URL (…223), and for a malformed credential (…213).
 */
function checkV4Scope(parsed: { date: string; product: string }, day: string, signDate: string, where: 'header' | 'query'): void {
  if (parsed.product !== 'oss') {
    throw new OssError('InvalidArgument', { message: 'The credential scope must be <AccessKeyId>/<SignDate>/<Region>/oss/aliyun_v4_request.', ec: '0002-00000213' });
  }
  if (parsed.date !== day) {
    throw new OssError('InvalidArgument', {
      message: `The sign date in the credential (${parsed.date}) must be the day of the request's date (${signDate}), as YYYYMMDD.`,
      ec: where === 'header' ? '0002-00000212' : '0002-00000223',
    });
  }
}

function verifyV4(
  req: SigningRequest,
  accessKeyId: string,
  { secret, principal }: Identity,
  datetime: string,
  parsed: { date: string; region: string; product: string; additionalHeaders: string[]; signature: string },
  options: AuthOptions,
): Principal {
  // The region is taken from the credential scope, so clients configured for any region work.
  const scope = v4Scope(parsed.date, parsed.region, parsed.product);
  const canonicalRequest = v4CanonicalRequest(req, parsed.additionalHeaders);
  const stringToSign = v4StringToSign(datetime, scope, canonicalRequest);
  const key = v4SigningKey(secret, parsed.date, parsed.region, parsed.product);
  if (sameSecret(v4Signature(key, stringToSign), parsed.signature)) return principal;
  options.onMismatch?.({ canonicalRequest, stringToSign });
  throw new OssError('SignatureDoesNotMatch', {
    details: [
      ['OSSAccessKeyId', accessKeyId],
      ['SignatureProvided', parsed.signature],
      ['CanonicalRequest', canonicalRequest],
      ['StringToSign', stringToSign],
    ],
  });
}

/** The secret to check a signature with, and who signing with it makes the caller. */
interface Identity {
  secret: string;
  principal: Principal;
}

/** Whose key signed the request, once its security token (or the lack of one) fits that key. */
function identify(accessKeyId: string, req: SigningRequest, options: AuthOptions): Identity {
  const token = securityTokenOf(req);
  const identity = identityOf(accessKeyId, options, token !== undefined);
  checkSecurityToken(token, accessKeyId, identity, options);
  return identity;
}

/** With a token, an unknown key is an unknown STS key (EC 0002-00000002), as a long-term key with a token is. */
function identityOf(accessKeyId: string, options: AuthOptions, withToken: boolean): Identity {
  if (accessKeyId === options.credentials.accessKeyId) return { secret: options.credentials.accessKeySecret, principal: { kind: 'owner', accessKeyId } };
  const user = options.ramUsers?.find((u) => u.accessKeyId === accessKeyId);
  if (user) return { secret: user.accessKeySecret, principal: { kind: 'ram-user', accessKeyId, user } };
  throw new OssError('InvalidAccessKeyId', { ...(withToken ? { ec: '0002-00000002' } : {}), details: [['OSSAccessKeyId', accessKeyId]] });
}

/**
 * OSS reads a request that carries a security token as signed with STS temporary credentials, and
 * checks the token before the signature (its EC pages 0002-00000002 to 0002-00000006):
 * - a long-term key (the account's, or a RAM user's without a token) with a token is an unknown STS
 *   key: InvalidAccessKeyId;
 * - an STS key without its token is InvalidAccessKeyId too, with the hint OSS adds;
 * - another STS credential's token is AccessKeyIdAndSecurityTokenNotMatch, any other token
 *   InvalidSecurityToken.
 */
function checkSecurityToken(sent: string | undefined, accessKeyId: string, { principal }: Identity, options: AuthOptions): void {
  const own = principal.kind === 'ram-user' ? principal.user.securityToken : undefined;
  if (own === undefined) {
    if (sent !== undefined) throw new OssError('InvalidAccessKeyId', { ec: '0002-00000002', details: [['OSSAccessKeyId', accessKeyId]] });
    return;
  }
  if (sent === undefined) {
    throw new OssError('InvalidAccessKeyId', {
      message: 'The OSS Access Key Id you provided does not exist in our records. The Security Token may be lost to specify that it is a STS Access Id.',
      ec: '0002-00000003',
      details: [['OSSAccessKeyId', accessKeyId]],
    });
  }
  if (sameSecret(sent, own)) return;
  const anothers = options.ramUsers?.some((user) => user.securityToken !== undefined && sameSecret(sent, user.securityToken));
  throw new OssError(anothers ? 'AccessKeyIdAndSecurityTokenNotMatch' : 'InvalidSecurityToken');
}

/** The token a request carries: the header, else a presigned URL's parameter (V1 `security-token`, V4 `x-oss-security-token`). */
function securityTokenOf(req: SigningRequest): string | undefined {
  const header = req.headers['x-oss-security-token'];
  if (header) return header;
  const param = req.query.find(([name, value]) => (name === 'security-token' || name === 'x-oss-security-token') && value);
  return param?.[1] ?? undefined;
}

/**
 * The request time of a V1 request: an HTTP date (OSS asks for the GMT form, EC page 0002-00000505;
 * RFC 9110's two older forms are taken too), or, in x-oss-date only, ISO 8601 basic (EC page
 * 0002-00000503). Date.parse would also take `12/31/2099` or `1`, and read an asctime date in
 * the server's time zone.
 */
function checkSkew(dateLine: string, fromXOssDate: boolean, now: number): void {
  const requestTime = (fromXOssDate ? parseIsoBasic(dateLine) : undefined) ?? parseHttpDate(dateLine);
  if (requestTime === undefined) {
    throw new OssError('AccessDenied', { message: `The date is not in GMT format (Tue, 20 Dec 2022 08:48:18 GMT): ${dateLine}`, ec: '0002-00000505' });
  }
  checkSkewOf(requestTime, now);
}

/** RequestTimeTooSkewed when the request's time is more than 15 minutes from the server's. */
function checkSkewOf(requestTime: number, now: number): void {
  if (Math.abs(requestTime - now) > MAX_SKEW_MS) {
    throw new OssError('RequestTimeTooSkewed', {
      details: [
        ['RequestTime', new Date(requestTime).toISOString()],
        ['ServerTime', new Date(now).toISOString()],
        ['MaxAllowedSkewMilliseconds', String(MAX_SKEW_MS)],
      ],
    });
  }
}

/** yyyymmddTHHMMSSZ → epoch ms. */
function parseIsoBasic(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}


/** The StringToSignBytes element: each byte as two hex digits, space-separated. */
function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/**
 * Who signed a form upload (PostObject), from its fields (names lower-cased). OSS reads no
 * signature from a PostObject's headers or URL; the form carries one over its `policy` field as
 * sent (base64):
 * - V1: `OSSAccessKeyId`, `policy`, `Signature` = base64(HMAC-SHA1(secret, policy)); any one of the
 *   three needs the other two (OSS's EC pages 0002-00000702 to -704);
 * - V4: `x-oss-signature-version` OSS4-HMAC-SHA256, `x-oss-credential`, `x-oss-date`,
 *   `x-oss-signature` = hex(HMAC-SHA256(the V4 signing key, policy)), and `policy`;
 * - none of them: anonymous (the bucket's ACL must then allow writes).
 * An STS key sends its token in `x-oss-security-token` (an empty one is none).
 */
export function authenticateForm(fields: ReadonlyMap<string, string>, options: AuthOptions): Principal {
  const token = fields.get('x-oss-security-token') || undefined;
  const asRequest: SigningRequest = { method: 'POST', query: [], headers: token !== undefined ? { 'x-oss-security-token': token } : {} };
  const policy = fields.get('policy');
  if (['x-oss-signature-version', 'x-oss-credential', 'x-oss-signature'].some((name) => fields.has(name))) {
    return verifyFormV4(fields, policy, asRequest, options);
  }
  const accessKeyId = fields.get('ossaccesskeyid');
  const signature = fields.get('signature');
  if (accessKeyId === undefined && signature === undefined && policy === undefined) return { kind: 'anonymous' };
  const missing = (name: string, ec?: string): OssError =>
    new OssError('InvalidArgument', { message: `A signed form needs OSSAccessKeyId, policy and Signature: ${name} is missing or empty.`, ...(ec ? { ec } : {}), details: [['ArgumentName', name]] });
  if (!accessKeyId) throw missing('OSSAccessKeyId');
  if (!policy) throw missing('policy', '0002-00000702');
  if (signature === undefined) throw missing('Signature', '0002-00000703');
  if (signature === '') throw missing('Signature', '0002-00000704');
  const { secret, principal } = identify(accessKeyId, asRequest, options);
  if (sameSecret(v1Signature(secret, policy), signature)) return principal;
  throw formMismatch(accessKeyId, signature, policy, options);
}

/** A form's signature (over its policy, the string to sign) that is not the one its key makes. */
function formMismatch(accessKeyId: string, provided: string, policy: string, options: AuthOptions): OssError {
  options.onMismatch?.({ stringToSign: policy });
  return new OssError('SignatureDoesNotMatch', { details: [['OSSAccessKeyId', accessKeyId], ['SignatureProvided', provided], ['StringToSign', policy]] });
}

function verifyFormV4(fields: ReadonlyMap<string, string>, policy: string | undefined, asRequest: SigningRequest, options: AuthOptions): Principal {
  const credential = fields.get('x-oss-credential');
  const datetime = fields.get('x-oss-date');
  const signature = fields.get('x-oss-signature');
  if (fields.get('x-oss-signature-version') !== 'OSS4-HMAC-SHA256' || !credential || !datetime || !signature || !policy) {
    throw new OssError('InvalidArgument', {
      message: 'A V4-signed form needs x-oss-signature-version (OSS4-HMAC-SHA256), x-oss-credential, x-oss-date, x-oss-signature and policy.',
      ec: '0002-00000020',
    });
  }
  const parsed = parseV4Authorization(`OSS4-HMAC-SHA256 Credential=${credential},AdditionalHeaders=,Signature=${signature}`);
  const signedAt = parseIsoBasic(datetime);
  if (!parsed || signedAt === undefined) throw new OssError('AccessDenied', { message: 'Invalid credential or date.', ec: '0002-00000502' });
  const { secret, principal } = identify(parsed.accessKeyId, asRequest, options);
  // Like a V4 URL, for at most 7 days.
  checkV4Validity(signedAt, MAX_V4_URL_EXPIRES_S, options.now);
  checkV4Scope(parsed, datetime.slice(0, 8), datetime, 'query');
  const expected = v4Signature(v4SigningKey(secret, parsed.date, parsed.region, parsed.product), policy);
  if (sameSecret(expected, signature)) return principal;
  throw formMismatch(parsed.accessKeyId, signature, policy, options);
}
