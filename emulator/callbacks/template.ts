import { OssError } from '../errors/oss-error.js';
import type { CallbackBodyType } from './parse.js';

/** A `${name}` in a callbackBody. */
const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * A callbackBody's variables must be written `${name}`: a `$` that does not open one is refused as
 * OSS refuses it (the Java SDK's test sends `$(object)`). The element names are OSS's own, sic.
 */
export function checkTemplate(body: string): void {
  for (let at = body.indexOf('$'); at !== -1; at = body.indexOf('$', at + 1)) {
    if (body[at + 1] !== '{' || body.indexOf('}', at) === -1) {
      throw new OssError('InvalidArgument', {
        message: 'Left brace must be adjacent to dollar sign.',
        ec: '0007-00000105',
        details: [['ArgumentName', 'ReplaceKeyPrefix'], ['ArgumentValue', body]],
      });
    }
  }
}

/** What the variables of a callbackBody stand for, for one stored object. */
export interface CallbackValues {
  bucket: string;
  object: string;
  /** Upper-case hex, without quotes, as in the object's ETag. */
  etag: string;
  size: number;
  mimeType: string;
  crc64: bigint;
  /** PutObject's and PostObject's Content-MD5; empty for CompleteMultipartUpload. */
  contentMd5: string;
  clientIp: string;
  reqId: string;
  operation: 'PutObject' | 'PostObject' | 'CompleteMultipartUpload';
  /** The custom `x:` variables. */
  custom: ReadonlyMap<string, string>;
}

/** Variables that stand for numbers: written bare in a JSON body. */
const NUMBERS = new Set(['size', 'crc64']);

/**
 * The callbackBody with its variables filled in: URL-encoded for a form body, as JSON values for a
 * JSON one (strings quoted, the size and the CRC-64 bare), as OSS's example bodies show. The image
 * variables are empty (ossemu reads no image), as is vpcId (no request comes from a VPC) and any
 * variable OSS does not define.
 */
export function renderCallbackBody(template: string, type: CallbackBodyType, values: CallbackValues): string {
  return template.replace(VARIABLE, (_whole, name: string) => {
    const value = valueOf(name, values);
    if (type === 'application/x-www-form-urlencoded') return encodeURIComponent(value);
    return NUMBERS.has(name) && value !== '' ? value : JSON.stringify(value);
  });
}

/** The system variables; any other name (imageInfo.height, imageInfo.width, imageInfo.format, vpcId, or one OSS does not define) is empty. */
const SYSTEM_VARIABLES: Record<string, (values: CallbackValues) => string> = {
  bucket: (v) => v.bucket,
  object: (v) => v.object,
  etag: (v) => v.etag,
  size: (v) => String(v.size),
  mimeType: (v) => v.mimeType,
  crc64: (v) => v.crc64.toString(),
  contentMd5: (v) => v.contentMd5,
  clientIp: (v) => v.clientIp,
  reqId: (v) => v.reqId,
  operation: (v) => v.operation,
};

function valueOf(name: string, values: CallbackValues): string {
  if (name.startsWith('x:')) return values.custom.get(name) ?? '';
  return Object.hasOwn(SYSTEM_VARIABLES, name) ? SYSTEM_VARIABLES[name]!(values) : '';
}
