import type { ErrorCode } from '../errors/catalogue.js';
import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import { sendXml } from '../http/respond.js';
import type { XmlElement } from '../util/xml.js';

/**
 * Bucket configurations the emulator does not keep: setting one answers NotImplemented, so no bucket
 * ever has one, and reading one answers what OSS answers for a bucket that has none. For most that
 * is a 404 naming the missing configuration (fog-aliyun's getters and the SDKs' error types expect
 * it); for the few OSS always has a value for, the default document. Sources: docs/divergences.md.
 */
export interface ConfigurationGet {
  name: string;
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

/** The document OSS returns for a bucket nobody configured. */
const byDefault =
  (root: string, body: XmlElement) =>
  (ctx: OssContext): void => {
    ctx.store.requireBucket(ctx.target.bucket!);
    sendXml(ctx.koa, root, body);
  };

export const CONFIGURATION_GETS: readonly ConfigurationGet[] = [
  { name: 'GetBucketCors', subresource: 'cors', action: 'oss:GetBucketCors', handler: none('NoSuchCORSConfiguration') },
  { name: 'GetBucketLifecycle', subresource: 'lifecycle', action: 'oss:GetBucketLifecycle', handler: none('NoSuchLifecycle') },
  { name: 'GetBucketWebsite', subresource: 'website', action: 'oss:GetBucketWebsite', handler: none('NoSuchWebsiteConfiguration') },
  { name: 'GetBucketEncryption', subresource: 'encryption', action: 'oss:GetBucketEncryption', handler: none('NoSuchServerSideEncryptionRule') },
  { name: 'GetBucketWorm', subresource: 'worm', action: 'oss:GetBucketWorm', handler: none('NoSuchWORMConfiguration') },
  // Hotlink protection is off: empty Referers allowed, no list.
  {
    name: 'GetBucketReferer',
    subresource: 'referer',
    action: 'oss:GetBucketReferer',
    handler: byDefault('RefererConfiguration', { AllowEmptyReferer: 'true', RefererList: {} }),
  },
  { name: 'GetBucketLogging', subresource: 'logging', action: 'oss:GetBucketLogging', handler: byDefault('BucketLoggingStatus', {}) },
  // Versioning never enabled: no Status element at all (not "Suspended").
  { name: 'GetBucketVersioning', subresource: 'versioning', action: 'oss:GetBucketVersioning', handler: byDefault('VersioningConfiguration', {}) },
  { name: 'GetBucketTags', subresource: 'tagging', action: 'oss:GetBucketTagging', handler: byDefault('Tagging', { TagSet: {} }) },
];
