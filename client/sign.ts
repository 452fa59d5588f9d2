/**
 * Glue between a request and the signing module: which date headers to add, the STS token, and
 * the Authorization header or presigned query. The canonical resource / URI always uses the
 * resolved bucket and key, whatever the addressing style.
 */
import type { ClientConfig, QueryEntry, SignatureVersion } from './config.js';
import {
  V4_UNSIGNED_PAYLOAD,
  v1AuthorizationHeader,
  v1PresignQuery,
  v4AuthorizationHeader,
  v4Datetime,
  v4PresignQuery,
  type QueryParam,
  type SigningRequest,
} from './signing/index.js';

export interface SignInput {
  method: string;
  bucket?: string;
  key?: string;
  query: readonly QueryEntry[];
  /** Lower-case names; date, token and Authorization headers are added to it. */
  headers: Record<string, string>;
  version: SignatureVersion;
  /** Signing time (default now). */
  now: Date;
  /** V4 only: extra headers to sign (`host`, `content-length`…). */
  additionalHeaders?: readonly string[];
}

/**
 * Header auth. V1: adds `Date` (unless the caller set `date` or `x-oss-date`) and signs with
 * `x-oss-date` if present, else `Date` (the emulator's and oss2's precedence). V4: adds `x-oss-date`
 * (ISO 8601 basic) and `x-oss-content-sha256: UNSIGNED-PAYLOAD` unless set. Both add
 * `x-oss-security-token` for STS credentials before signing.
 */
export function signHeaders(config: ClientConfig, input: SignInput): void {
  const { headers } = input;
  if (config.securityToken !== undefined) headers['x-oss-security-token'] ??= config.securityToken;
  if (input.version === 'v1') {
    if (headers['date'] === undefined && headers['x-oss-date'] === undefined) headers['date'] = input.now.toUTCString();
    const dateLine = headers['x-oss-date'] ?? headers['date'] ?? '';
    headers['authorization'] = v1AuthorizationHeader(config.accessKeyId, config.accessKeySecret, signingRequest(input), dateLine);
    return;
  }
  headers['x-oss-date'] ??= v4Datetime(input.now);
  headers['x-oss-content-sha256'] ??= V4_UNSIGNED_PAYLOAD;
  headers['authorization'] = v4AuthorizationHeader({
    accessKeyId: config.accessKeyId,
    secret: config.accessKeySecret,
    region: config.region,
    req: signingRequest(input),
    datetime: headers['x-oss-date'],
    additionalHeaders: input.additionalHeaders,
  });
}

export interface PresignInput extends Omit<SignInput, 'headers'> {
  headers: Readonly<Record<string, string>>;
  expiresInSeconds: number;
}

/**
 * The query parameters to append for a presigned URL. V1: `OSSAccessKeyId`, `Expires` (now +
 * expiresInSeconds, epoch seconds), `Signature`[, `security-token`]. V4: `x-oss-signature-version`,
 * `x-oss-credential`, `x-oss-date`, `x-oss-expires`[, `x-oss-additional-headers`][, `x-oss-security-token`],
 * `x-oss-signature`.
 */
export function presignQuery(config: ClientConfig, input: PresignInput): QueryParam[] {
  const req = signingRequest(input);
  if (input.version === 'v1') {
    return v1PresignQuery({
      accessKeyId: config.accessKeyId,
      secret: config.accessKeySecret,
      req,
      expires: Math.floor(input.now.getTime() / 1000) + input.expiresInSeconds,
      securityToken: config.securityToken,
    });
  }
  return v4PresignQuery({
    accessKeyId: config.accessKeyId,
    secret: config.accessKeySecret,
    region: config.region,
    req,
    datetime: v4Datetime(input.now),
    expiresSeconds: input.expiresInSeconds,
    additionalHeaders: input.additionalHeaders,
    securityToken: config.securityToken,
  });
}

function signingRequest(input: Pick<SignInput, 'method' | 'bucket' | 'key' | 'query' | 'headers'>): SigningRequest {
  return { method: input.method, bucket: input.bucket, key: input.key, query: input.query, headers: input.headers };
}
