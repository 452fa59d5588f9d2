import { OssError } from '../errors/oss-error.js';
import { isValidBucketName } from '../ops/bucket.js';
import type { Target } from './target.js';

/** Bucket and key naming rules (facts §4.4, §4.5), checked before any operation runs. */
export function validateTarget(target: Target): void {
  if (target.bucket !== undefined && !isValidBucketName(target.bucket)) {
    throw new OssError('InvalidBucketName', { details: [['BucketName', target.bucket]] });
  }
  if (target.key !== undefined) validateObjectKey(target.key);
}

/** An object key's naming rules: at most 1023 bytes of UTF-8, not starting with `/` or `\`. */
export function validateObjectKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > 1023) {
    throw new OssError('InvalidObjectName', { message: 'The Length of Object name must be less than 1024.', details: [['ObjectName', key.slice(0, 64)]] });
  }
  if (key.startsWith('/') || key.startsWith('\\')) {
    throw new OssError('InvalidObjectName', { message: 'The specified object is not valid.', details: [['ObjectName', key]] });
  }
}
