/**
 * The transparent core: `request` (build → sign → send → parse), `presign`, and `sendRaw` for a
 * hand-made URL. Nothing is thrown for non-2xx responses; they come back with `error` set.
 */
import { buildAddress, resolveConfig, type ClientConfig, type OssClientOptions, type QueryEntry, type SignatureVersion } from './config.js';
import { parseServiceError, type OssServiceError } from './errors.js';
import { presignQuery, signHeaders } from './sign.js';
import { Transport, byteLength, isBytes, type Body, type RawResponse } from './transport.js';
import { looksLikeXml, parseXml, type XmlObject } from './xml.js';

/** Per-call knobs shared by `request` and every operation helper. */
export interface CallOptions {
  /** Override the client's signature version for this call. */
  signatureVersion?: SignatureVersion;
  /** `false` sends the request anonymously (no Authorization, no token). Default true. */
  signed?: boolean;
  /** Sign as if it were this time (e.g. 20 minutes off to provoke RequestTimeTooSkewed). */
  dateOverride?: Date;
  /** V4: extra headers to sign and list in `AdditionalHeaders` (`host`, `content-length`…). */
  additionalHeaders?: readonly string[];
  timeoutMs?: number;
}

export interface OssRequest extends CallOptions {
  method: string;
  bucket?: string;
  key?: string;
  /** In order; `null` is a bare name (`?append`). Names and values are RFC 3986-encoded on the wire. */
  query?: readonly QueryEntry[];
  /** Sent as given (names lower-cased). `host`, `content-length`, `date`… set here win over the defaults. */
  headers?: Readonly<Record<string, string>>;
  body?: Body;
}

/** What was put on the wire (headers Node adds itself, like `connection`, are not listed). */
export interface SentRequest {
  method: string;
  /** The URL dialled: with a virtual-host suffix it is the endpoint's, and `headers.host` names the bucket. */
  url: string;
  headers: Record<string, string>;
}

export interface OssResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** The parsed body (root element included, values as strings) when it is XML. */
  xml?: XmlObject;
  /** Set for every non-2xx response. */
  error?: OssServiceError;
  /** `x-oss-request-id`. */
  requestId?: string;
  request: SentRequest;
}

export interface PresignOptions {
  method: string;
  bucket: string;
  key?: string;
  expiresInSeconds: number;
  query?: readonly QueryEntry[];
  /** Headers the request will carry and that are signed (Content-Type, Content-MD5, x-oss-*). */
  headers?: Readonly<Record<string, string>>;
  signatureVersion?: SignatureVersion;
  /** Signing time (default now). */
  dateOverride?: Date;
  /** V4 only. */
  additionalHeaders?: readonly string[];
}

/** A presigned request: GET/PUT `url` with `headers` (which include `host` when it differs from the URL's). */
export interface PresignedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** When the signature stops being valid. */
  expiresAt: Date;
}

export interface RawRequest {
  method: string;
  /** Sent verbatim: the path and query are not re-encoded. */
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: Body;
  timeoutMs?: number;
}

const METHODS_WITH_BODY = new Set(['PUT', 'POST', 'PATCH']);

export class OssCore {
  readonly config: ClientConfig;
  private readonly transport = new Transport();

  constructor(options: OssClientOptions) {
    this.config = resolveConfig(options);
  }

  /** Builds, signs and sends one request. Throws only `OssTransportError` (no response at all). */
  async request(req: OssRequest): Promise<OssResponse> {
    const method = req.method.toUpperCase();
    const query = req.query ?? [];
    const address = buildAddress(this.config, req.bucket, req.key, query);
    const headers = this.baseHeaders(address.hostHeader, req.headers);
    setLengthHeaders(headers, method, req.body);
    if (req.signed !== false) {
      signHeaders(this.config, {
        method,
        bucket: req.bucket,
        key: req.key,
        query,
        headers,
        version: req.signatureVersion ?? this.config.signatureVersion,
        now: req.dateOverride ?? new Date(),
        additionalHeaders: req.additionalHeaders,
      });
    }
    const raw = await this.transport.send({
      protocol: address.protocol,
      connectHost: address.connectHost,
      port: address.port,
      method,
      path: address.path,
      headers,
      body: req.body,
      timeoutMs: req.timeoutMs ?? this.config.timeoutMs,
      url: address.url,
    });
    return toResponse(raw, { method, url: address.url, headers });
  }

  /** A presigned request (V1 `OSSAccessKeyId`/`Expires`/`Signature`, or V4 `x-oss-*` query auth). */
  presign(options: PresignOptions): PresignedRequest {
    const method = options.method.toUpperCase();
    const query = options.query ?? [];
    const probe = buildAddress(this.config, options.bucket, options.key, query);
    const headers = lowerCase(options.headers);
    const now = options.dateOverride ?? new Date();
    const auth = presignQuery(this.config, {
      method,
      bucket: options.bucket,
      key: options.key,
      query,
      headers: { ...headers, host: probe.hostHeader },
      version: options.signatureVersion ?? this.config.signatureVersion,
      now,
      additionalHeaders: options.additionalHeaders,
      expiresInSeconds: options.expiresInSeconds,
    });
    const address = buildAddress(this.config, options.bucket, options.key, [...query, ...auth]);
    if (address.hostHeader !== new URL(address.url).host) headers['host'] = address.hostHeader;
    return {
      method,
      url: address.url,
      headers,
      expiresAt: new Date((Math.floor(now.getTime() / 1000) + options.expiresInSeconds) * 1000),
    };
  }

  /** `presign(...).url`: the URL alone (with a virtual-host suffix, also send `presign(...).headers.host`). */
  presignUrl(options: PresignOptions): string {
    return this.presign(options).url;
  }

  /** Sends a hand-made request as is (no signing, no re-encoding): presigned URLs, malformed requests. */
  async sendRaw(req: RawRequest): Promise<OssResponse> {
    const method = req.method.toUpperCase();
    const m = /^(https?:)\/\/([^/?#]+)(.*)$/i.exec(req.url);
    if (!m) throw new TypeError(`not an absolute http(s) URL: ${req.url}`);
    const protocol = m[1]!.toLowerCase() as 'http:' | 'https:';
    const authority = m[2]!;
    const parsed = new URL(`${protocol}//${authority}`);
    const port = parsed.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    const headers = this.baseHeaders(authority, req.headers);
    setLengthHeaders(headers, method, req.body);
    const raw = await this.transport.send({
      protocol,
      connectHost: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      method,
      path: m[3] === '' ? '/' : m[3]!,
      headers,
      body: req.body,
      timeoutMs: req.timeoutMs ?? this.config.timeoutMs,
      url: req.url,
    });
    return toResponse(raw, { method, url: req.url, headers });
  }

  /** Closes pooled keep-alive connections. The client stays usable (new sockets are opened). */
  destroy(): void {
    this.transport.destroy();
  }

  private baseHeaders(host: string, given: Readonly<Record<string, string>> | undefined): Record<string, string> {
    return { host, 'user-agent': this.config.userAgent, ...lowerCase(given) };
  }
}

function lowerCase(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** Content-Length for bytes (and 0 for a body-less PUT/POST); chunked for a stream of unknown length. */
function setLengthHeaders(headers: Record<string, string>, method: string, body: Body | undefined): void {
  if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return;
  if (body === undefined) {
    if (METHODS_WITH_BODY.has(method)) headers['content-length'] = '0';
  } else if (isBytes(body)) {
    headers['content-length'] = String(byteLength(body));
  } else {
    headers['transfer-encoding'] = 'chunked';
  }
}

function toResponse(raw: RawResponse, request: SentRequest): OssResponse {
  const xml = looksLikeXml(raw.headers['content-type'], raw.body) ? parseXml(raw.body.toString('utf8')) : undefined;
  const response: OssResponse = { status: raw.status, headers: raw.headers, body: raw.body, request };
  if (xml !== undefined) response.xml = xml;
  const error = parseServiceError(raw.status, raw.headers, raw.body, xml);
  if (error !== undefined) response.error = error;
  const requestId = raw.headers['x-oss-request-id'];
  if (requestId !== undefined) response.requestId = requestId;
  return response;
}
