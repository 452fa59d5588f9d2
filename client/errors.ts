/**
 * Errors. `OssServiceError` is what the service said (from the XML error body, or from the
 * base64 `x-oss-err` header when the body is empty, as on HEAD); it is returned on the response,
 * never thrown by the client. `OssTransportError` is thrown when no HTTP response arrived.
 */
import { parseXml, type XmlObject } from './xml.js';

const KNOWN_ELEMENTS = new Set(['Code', 'Message', 'RequestId', 'HostId', 'EC']);

export class OssServiceError extends Error {
  override readonly name = 'OssServiceError';
  readonly status: number;
  /** `NoSuchKey`, `PositionNotEqualToLength`…; `NotModified` for a bare 304, `UnknownError` when nothing was parseable. */
  readonly code: string;
  readonly requestId: string;
  readonly hostId: string;
  /** The `EC` element, else the `x-oss-ec` header, else ''. */
  readonly ec: string;
  /** Every other child of `<Error>` (`Key`, `StringToSign`, `RecommendDoc`…), as text. */
  readonly details: Record<string, string>;
  /** True when the document came from `x-oss-err` rather than the body. */
  readonly fromHeader: boolean;

  constructor(fields: {
    status: number;
    code: string;
    message: string;
    requestId?: string;
    hostId?: string;
    ec?: string;
    details?: Record<string, string>;
    fromHeader?: boolean;
  }) {
    super(fields.message);
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId ?? '';
    this.hostId = fields.hostId ?? '';
    this.ec = fields.ec ?? '';
    this.details = fields.details ?? {};
    this.fromHeader = fields.fromHeader ?? false;
  }

  /** Plain-object view (the Error's own `message` is not enumerable). */
  toJSON(): Record<string, unknown> {
    const { status, code, message, requestId, hostId, ec, details, fromHeader } = this;
    return { status, code, message, requestId, hostId, ec, details, fromHeader };
  }
}

/** No HTTP response: connection refused or reset, DNS failure, timeout, a failing body stream. */
export class OssTransportError extends Error {
  override readonly name = 'OssTransportError';
  /** The underlying error code (`ECONNREFUSED`, `ETIMEDOUT`…), or '' when there is none. */
  readonly code: string;
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : '';
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${method} ${url} failed: ${reason}`, { cause });
    this.code = code;
    this.method = method;
    this.url = url;
  }
}

/**
 * The service error carried by a non-2xx response: the `<Error>` document in the body, else the
 * one in `x-oss-err`. Without either, a synthetic error (`NotModified` for 304, else `UnknownError`)
 * so that every non-2xx response has one.
 */
export function parseServiceError(status: number, headers: Record<string, string>, body: Buffer, xml?: XmlObject): OssServiceError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const fromBody = xml?.['Error'];
  if (fromBody !== undefined) return fromDocument(status, headers, fromBody, false);
  const encoded = headers['x-oss-err'];
  if (encoded !== undefined && encoded !== '') {
    const doc = parseXml(Buffer.from(encoded, 'base64').toString('utf8'))?.['Error'];
    if (doc !== undefined) return fromDocument(status, headers, doc, true);
  }
  return new OssServiceError({
    status,
    code: status === 304 ? 'NotModified' : 'UnknownError',
    message: body.length > 0 ? body.toString('utf8').slice(0, 1024) : `HTTP ${status}`,
    requestId: headers['x-oss-request-id'],
    ec: headers['x-oss-ec'],
  });
}

function fromDocument(status: number, headers: Record<string, string>, doc: unknown, fromHeader: boolean): OssServiceError {
  const element = typeof doc === 'object' && doc !== null ? (doc as XmlObject) : {};
  const field = (name: string): string | undefined => {
    const value = element[name];
    return typeof value === 'string' ? value : undefined;
  };
  const details: Record<string, string> = {};
  for (const [name, value] of Object.entries(element)) {
    if (KNOWN_ELEMENTS.has(name)) continue;
    details[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return new OssServiceError({
    status,
    code: field('Code') ?? 'UnknownError',
    message: field('Message') ?? '',
    requestId: field('RequestId') ?? headers['x-oss-request-id'],
    hostId: field('HostId'),
    ec: field('EC') ?? headers['x-oss-ec'],
    details,
    fromHeader,
  });
}
