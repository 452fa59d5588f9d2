import type { ErrorCode } from '../errors/catalogue.js';
import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import type { XmlElement } from '../util/xml.js';

/**
 * Bucket configurations the emulator does not keep: setting one answers NotImplemented, so no bucket
 * ever has one. Reading one answers what OSS answers for a bucket that has none: for most a 404
 * naming the missing configuration (fog-aliyun's getters and the SDKs' error types expect it), for
 * the few OSS always has a value for, the default document. Deleting one deletes nothing and
 * answers 204, as OSS does whether or not the bucket had it (SDK clean-up code calls these).
 * Sources: docs/divergences.md.
 */
export interface ConfigurationOperation {
  name: string;
  method: 'GET' | 'DELETE';
  subresource: string;
  /** The RAM action a policy must allow. */
  action: string;
  handler: (ctx: OssContext) => void;
}

/** A 404 with the bucket's name, once the bucket is known to exist (NoSuchBucket comes first). */
const none =
  (code: ErrorCode) =>
  (ctx: OssContext): void => {
    const bucket = ctx.store.requireBucket(ctx.target.bucket!);
    throw new OssError(code, { details: [['BucketName', bucket.name]] });
  };

/** Nothing to delete: 204 once the bucket is known to exist. */
const nothingToDelete = (ctx: OssContext): void => {
  ctx.store.requireBucket(ctx.target.bucket!);
  sendEmpty(ctx.koa, 204);
};

/** The document OSS returns for a bucket nobody configured. */
const byDefault =
  (root: string, body: XmlElement) =>
  (ctx: OssContext): void => {
    ctx.store.requireBucket(ctx.target.bucket!);
    sendXml(ctx.koa, root, body);
  };

export const CONFIGURATION_OPERATIONS: readonly ConfigurationOperation[] = [
  { name: 'GetBucketLifecycle', method: 'GET', subresource: 'lifecycle', action: 'oss:GetBucketLifecycle', handler: none('NoSuchLifecycle') },
  { name: 'GetBucketWebsite', method: 'GET', subresource: 'website', action: 'oss:GetBucketWebsite', handler: none('NoSuchWebsiteConfiguration') },
  { name: 'GetBucketEncryption', method: 'GET', subresource: 'encryption', action: 'oss:GetBucketEncryption', handler: none('NoSuchServerSideEncryptionRule') },
  { name: 'GetBucketWorm', method: 'GET', subresource: 'worm', action: 'oss:GetBucketWorm', handler: none('NoSuchWORMConfiguration') },
  // Hotlink protection is off: empty Referers allowed, no list.
  {
    name: 'GetBucketReferer',
    method: 'GET',
    subresource: 'referer',
    action: 'oss:GetBucketReferer',
    handler: byDefault('RefererConfiguration', { AllowEmptyReferer: 'true', RefererList: {} }),
  },
  { name: 'GetBucketLogging', method: 'GET', subresource: 'logging', action: 'oss:GetBucketLogging', handler: byDefault('BucketLoggingStatus', {}) },
  // Versioning never enabled: no Status element at all (not "Suspended").
  {
    name: 'GetBucketVersioning',
    method: 'GET',
    subresource: 'versioning',
    action: 'oss:GetBucketVersioning',
    handler: byDefault('VersioningConfiguration', {}),
  },
  { name: 'GetBucketTags', method: 'GET', subresource: 'tagging', action: 'oss:GetBucketTagging', handler: byDefault('Tagging', { TagSet: {} }) },

  { name: 'DeleteBucketLifecycle', method: 'DELETE', subresource: 'lifecycle', action: 'oss:DeleteBucketLifecycle', handler: nothingToDelete },
  { name: 'DeleteBucketWebsite', method: 'DELETE', subresource: 'website', action: 'oss:DeleteBucketWebsite', handler: nothingToDelete },
  { name: 'DeleteBucketEncryption', method: 'DELETE', subresource: 'encryption', action: 'oss:DeleteBucketEncryption', handler: nothingToDelete },
  { name: 'DeleteBucketLogging', method: 'DELETE', subresource: 'logging', action: 'oss:DeleteBucketLogging', handler: nothingToDelete },
  { name: 'DeleteBucketTags', method: 'DELETE', subresource: 'tagging', action: 'oss:DeleteBucketTagging', handler: nothingToDelete },
];
