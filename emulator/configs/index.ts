import { bucketTags } from './bucket-tags.js';
import { bucketCors } from './cors.js';
import { bucketEncryption } from './encryption.js';
import type { AnyConfigurationKind } from './kind.js';
import { bucketLifecycle } from './lifecycle.js';
import { bucketLogging } from './logging.js';
import { bucketReferer } from './referer.js';
import { bucketVersioning } from './versioning.js';
import { bucketWebsite } from './website.js';

/** Every bucket configuration the emulator keeps besides ACL and policy. */
export const CONFIGURATION_KINDS: readonly AnyConfigurationKind[] = [
  bucketCors,
  bucketLifecycle,
  bucketWebsite,
  bucketReferer,
  bucketLogging,
  bucketEncryption,
  bucketTags,
  bucketVersioning,
];
