import type { XmlElement } from '../util/xml.js';
import { ERRORS, type ErrorCode } from './catalogue.js';

/**
 * Extra XML elements after <EC> (e.g. Key, BucketName, StringToSign, or a nested
 * AccessDeniedDetail), in the order given.
 */
export type ErrorDetails = ReadonlyArray<readonly [string, string | XmlElement]>;

export interface OssErrorOptions {
  /** Overrides the catalogue's message where OSS uses a more specific text for this cause. */
  message?: string;
  /** Overrides the catalogue's EC where OSS uses a cause-specific one. */
  ec?: string;
  /** Overrides the catalogue's status where OSS answers this cause with another (NotImplemented is 400 for a header). */
  status?: number;
  details?: ErrorDetails;
  /** Response headers the error carries besides the common ones (e.g. x-oss-next-append-position). */
  headers?: Readonly<Record<string, string>>;
}

/** The one error type handlers throw; the error middleware renders it. */
export class OssError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly ec: string;
  readonly details: ErrorDetails;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, options: OssErrorOptions = {}) {
    const spec = ERRORS[code];
    super(options.message ?? spec.message);
    this.name = 'OssError';
    this.code = code;
    this.status = options.status ?? spec.status;
    this.ec = options.ec ?? spec.ec;
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }
}
