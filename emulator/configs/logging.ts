import { OssError } from '../errors/oss-error.js';
import { isValidBucketName } from '../ops/bucket.js';
import type { LoggingTarget } from '../store/types.js';
import { elementOf, textOf } from '../util/xml-fields.js';
import { invalidArgument, type ConfigurationKind } from './kind.js';

/**
 * A bucket's access logging (PutBucketLogging): where OSS would write its logs. The emulator keeps
 * the setting and writes no log. An empty `<BucketLoggingStatus/>` turns logging off, and GET then
 * answers that empty document, as for a bucket that never had logging (the Go SDK's tests against OSS).
 * The ECs are OSS's documented ones (0032-0000000N).
 */
export const bucketLogging: ConfigurationKind<'logging'> = {
  key: 'logging',
  subresource: 'logging',
  root: 'BucketLoggingStatus',
  names: { put: 'PutBucketLogging', get: 'GetBucketLogging', delete: 'DeleteBucketLogging' },
  actions: { put: 'oss:PutBucketLogging', get: 'oss:GetBucketLogging', delete: 'oss:DeleteBucketLogging' },
  none: { document: {} },

  read(root, ctx) {
    const enabled = elementOf(root['LoggingEnabled']);
    if (enabled === undefined) {
      // Only an empty document turns logging off: a misspelt LoggingEnabled must not do it silently.
      if (Object.keys(root).length > 0) throw new OssError('MalformedXML');
      return undefined;
    }
    const targetBucket = textOf(enabled['TargetBucket']);
    const targetPrefix = textOf(enabled['TargetPrefix']) ?? '';
    if (targetBucket === undefined) throw invalidTarget('LoggingEnabled must name a TargetBucket.', '0032-00000002', '');
    if (targetBucket === '') throw invalidTarget('The TargetBucket is empty.', '0032-00000003', '');
    if (!isValidBucketName(targetBucket)) throw invalidTarget('The TargetBucket is not a valid bucket name.', '0032-00000004', targetBucket);
    if (targetPrefix.startsWith('/') || targetPrefix.startsWith('\\')) {
      throw invalidArgument('TargetPrefix may not start with / or \\.', '0032-00000005', 'TargetPrefix', targetPrefix);
    }
    if (targetPrefix.length > 256) throw invalidArgument('TargetPrefix may be at most 256 characters long.', '0032-00000006', 'TargetPrefix', targetPrefix);
    // Every bucket here has the same owner and region, so a target that exists is always allowed.
    if (!ctx.store.getBucket(targetBucket)) throw invalidTarget('The TargetBucket does not exist.', '0032-00000008', targetBucket);
    const loggingRole = textOf(enabled['LoggingRole']) || undefined;
    return { targetBucket, targetPrefix, ...(loggingRole !== undefined ? { loggingRole } : {}) } satisfies LoggingTarget;
  },

  render: ({ targetBucket, targetPrefix, loggingRole }) => ({
    LoggingEnabled: { TargetBucket: targetBucket, TargetPrefix: targetPrefix, ...(loggingRole !== undefined ? { LoggingRole: loggingRole } : {}) },
  }),
};

function invalidTarget(message: string, ec: string, value: string): OssError {
  return new OssError('InvalidTargetBucketForLogging', { message, ec, details: [['TargetBucket', value]] });
}
