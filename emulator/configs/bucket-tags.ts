import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import { readTagSet } from '../http/object-input.js';
import { sendEmpty } from '../http/respond.js';
import type { BucketRecord } from '../store/types.js';
import { invalidArgument, type ConfigurationKind } from './kind.js';

/**
 * A bucket's tags (PutBucketTags): a PUT replaces them all. Their rules differ from an object's:
 * up to 20, keys of 1–64 bytes not starting with `http://`, `https://`, `Aliyun` or `acs:`, values
 * up to 128 bytes, any characters. GET answers an empty TagSet for a bucket without tags.
 */
export const bucketTags: ConfigurationKind<'tags'> = {
  key: 'tags',
  subresource: 'tagging',
  root: 'Tagging',
  names: { put: 'PutBucketTags', get: 'GetBucketTags', delete: 'DeleteBucketTags' },
  actions: { put: 'oss:PutBucketTagging', get: 'oss:GetBucketTagging', delete: 'oss:DeleteBucketTagging' },
  none: { document: { TagSet: {} } },
  remove: deleteBucketTags,

  read(root) {
    const tags = readTagSet(root['TagSet']);
    // An empty TagSet (or none) is refused, not read as "no tags": DeleteBucketTags is for that (the Swift SDK's test against OSS).
    if (tags.length === 0) throw new OssError('MalformedXML');
    validateBucketTags(tags);
    return tags;
  },

  render: (tags) => ({ TagSet: { Tag: tags.map(([Key, Value]) => ({ Key, Value })) } }),
};

const MAX_BUCKET_TAGS = 20;
const RESERVED_KEY_PREFIX = /^(?:https?:\/\/|aliyun|acs:)/i;

function validateBucketTags(tags: ReadonlyArray<readonly [string, string]>): void {
  if (tags.length > MAX_BUCKET_TAGS) throw invalidArgument(`A bucket may have at most ${MAX_BUCKET_TAGS} tags.`, '0010-00000219');
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    const keyBytes = Buffer.byteLength(key);
    if (keyBytes === 0 || keyBytes > 64) throw invalidArgument('A bucket tag key must be 1 to 64 bytes long.', '0010-00000219', 'Key', key);
    if (RESERVED_KEY_PREFIX.test(key)) {
      const ec = key.toLowerCase().startsWith('acs:') ? '0010-00000002' : '0010-00000207';
      throw invalidArgument('A bucket tag key may not start with http://, https://, Aliyun or acs:.', ec, 'Key', key);
    }
    if (Buffer.byteLength(value) > 128) throw invalidArgument('A bucket tag value must be at most 128 bytes long.', '0010-00000219', 'Value', value);
    if (seen.has(key)) throw invalidArgument('Bucket tag keys must be unique.', '0010-00000219', 'Key', key);
    seen.add(key);
  }
}

/**
 * DeleteBucketTags: `DELETE /?tagging` removes every tag, `DELETE /?tagging=k1,k2` only those keys
 * (the Go SDKs' tests against OSS). 204 either way.
 */
function deleteBucketTags(ctx: OssContext): void {
  const name = ctx.target.bucket!;
  const named = ctx.params.get('tagging');
  if (named) {
    const remove = new Set(named.split(','));
    const kept = (ctx.store.requireBucket(name).configurations.tags ?? []).filter(([key]) => !remove.has(key));
    ctx.store.setBucketConfiguration(name, 'tags', kept.length > 0 ? kept : undefined);
  } else {
    ctx.store.setBucketConfiguration(name, 'tags', undefined);
  }
  sendEmpty(ctx.koa, 204);
}

/** ListBuckets' `tag-key` (and with it `tag-value`): buckets with that tag, matched exactly. */
export function hasTag(bucket: Pick<BucketRecord, 'configurations'>, key: string, value: string | undefined): boolean {
  return (bucket.configurations.tags ?? []).some(([k, v]) => k === key && (value === undefined || v === value));
}
