import { wormInForce } from '../access/worm.js';
import { OssError } from '../errors/oss-error.js';
import { textOf } from '../util/xml-fields.js';
import type { ConfigurationKind } from './kind.js';

/**
 * A bucket's versioning (PutBucketVersioning): Enabled or Suspended. Once enabled it can only be
 * suspended, never removed, so OSS has no DeleteBucketVersioning. A bucket never versioned answers
 * GET with an empty document (no Status at all). What it changes: store/store.ts (replaceObject,
 * deleteObject, deleteVersion) and docs/divergences.md.
 */
export const bucketVersioning: ConfigurationKind<'versioning'> = {
  key: 'versioning',
  subresource: 'versioning',
  root: 'VersioningConfiguration',
  names: { put: 'PutBucketVersioning', get: 'GetBucketVersioning' },
  actions: { put: 'oss:PutBucketVersioning', get: 'oss:GetBucketVersioning' },
  none: { document: {} },

  read(root, ctx) {
    const status = textOf(root['Status']);
    const others = Object.keys(root).filter((name) => name !== 'Status');
    if ((status !== 'Enabled' && status !== 'Suspended') || others.length > 0) {
      throw new OssError('MalformedXML', { message: 'The versioning status must be Enabled or Suspended.' });
    }
    // A retention policy goes with versioning Enabled or none, never Suspended (ops/bucket-worm.ts; the EC is OSS's, the code ours).
    if (status === 'Suspended' && wormInForce(ctx.store.getBucket(ctx.target.bucket!)?.configurations.worm, Date.now())) {
      throw new OssError('InvalidArgument', { message: 'Versioning cannot be suspended while the bucket has a retention policy.', ec: '0012-00000006' });
    }
    return status;
  },

  render: (status) => ({ Status: status }),
};
