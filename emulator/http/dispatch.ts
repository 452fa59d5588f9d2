import { OssError } from '../errors/oss-error.js';
import { appendObject, sealAppendObject } from '../ops/append.js';
import * as bucketOps from '../ops/bucket.js';
import * as wormOps from '../ops/bucket-worm.js';
import { copyObject } from '../ops/copy.js';
import * as corsOps from '../ops/cors.js';
import * as multipart from '../ops/multipart.js';
import { CONFIGURATION_OPERATIONS } from '../ops/bucket-config.js';
import * as objectOps from '../ops/object.js';
import { postObject } from '../ops/post-object.js';
import { restoreObject } from '../ops/restore.js';
import * as symlinkOps from '../ops/symlink.js';
import * as versionOps from '../ops/versions.js';
import type { OssContext } from './context.js';

/**
 * What an anonymous request needs the ACL to grant (facts §7.5); `owner` is never anonymous, and
 * `anyone` needs nothing before the handler runs (a CORS preflight, which OSS answers from the
 * bucket's rules alone; PostObject, whose handler authorizes the form's signer).
 */
export type Access = 'read' | 'write' | 'owner' | 'anyone';

export interface Operation {
  name: string;
  level: 'service' | 'bucket' | 'object';
  methods: readonly string[];
  /** The sub-resource that selects this operation (`append`, `acl`…); none for the plain one. */
  subresource?: string;
  /** A further condition (e.g. `list-type=2`). */
  when?: (ctx: OssContext) => boolean;
  access: Access;
  /** The RAM action a policy must allow (facts: each operation's permission table). */
  action: string;
  /** Further actions particular headers need (e.g. oss:PutObjectTagging for x-oss-tagging). */
  alsoNeeds?: (ctx: OssContext) => string[];
  /** The handler authorizes each object it touches (authorizeAction), not the request as a whole. */
  authorizesEachKey?: true;
  /** Writes an object and takes `x-oss-server-side-encryption` for it; every other operation refuses the header. */
  takesEncryption?: true;
  handler: (ctx: OssContext) => void | Promise<void>;
}

/**
 * Query parameters that select an OSS operation (the sub-resources the SDKs name, e.g. oss2's
 * signing list, and the documented API reference). A request carrying one we do not serve gets
 * NotImplemented rather than silently falling back to the plain GET, PUT or DELETE: `DELETE
 * ?publicAccessBlock` must never delete the bucket, nor `DELETE ?versionId=…` the live object.
 */
const OPERATION_SUBRESOURCES = new Set([
  'acl', 'append', 'objectMeta', 'objectInfo', 'tagging', 'uploads', 'uploadId', 'partNumber', 'delete',
  'location', 'bucketInfo', 'stat', 'symlink', 'restore', 'cors', 'logging', 'website', 'referer', 'lifecycle',
  'versioning', 'versions', 'versionId', 'encryption', 'policy', 'policyStatus', 'publicAccessBlock', 'worm',
  'wormId', 'wormExtend', 'inventory', 'inventoryId', 'replication', 'replicationProgress', 'replicationLocation',
  'qos', 'qosInfo', 'requestPayment', 'transferAcceleration', 'httpsConfig', 'accessPoint',
  'accessPointForObjectProcess', 'redundancyTransition', 'archiveDirectRead', 'overwriteConfig', 'seal', 'live',
  'comp', 'vod', 'group', 'link', 'cname', 'img', 'style', 'udf', 'asyncFetch', 'metaQuery', 'resourceGroup',
  'rtc', 'x-oss-process', 'x-oss-async-process', 'responseHeader', 'regionList', 'regions', 'cloudboxes',
  'objectWorm', 'retention', 'legalHold',
]);

/**
 * Parameters the plain operations take. On a PUT, POST or DELETE any other bare parameter
 * (`?name` or `?name=`, no value) is taken for a sub-resource this table does not know yet, and refused:
 * a mutating request must not be served as the plain one because its selector is new to us.
 */
const PLAIN_PARAMETERS = new Set([
  'position', 'security-token', 'encoding-type', 'x-oss-traffic-limit', 'x-oss-request-payer',
  // Presigned URLs (V1 and V4): an empty value here is the signature's business, not a selector.
  'OSSAccessKeyId', 'Expires', 'Signature', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-expires',
  'x-oss-signature', 'x-oss-additional-headers', 'x-oss-security-token',
]);

/** A bare parameter on a mutating request that neither selects a known operation nor parameterizes one. */
function unknownSelector(ctx: OssContext): string | undefined {
  if (ctx.method !== 'PUT' && ctx.method !== 'POST' && ctx.method !== 'DELETE') return undefined;
  const bare = ctx.target.query.find(([name, value]) => (value === null || value === '') && !OPERATION_SUBRESOURCES.has(name) && !PLAIN_PARAMETERS.has(name));
  return bare?.[0];
}

/** Reading or deleting a named version needs its own permission too (OSS's DeleteObject and GetObject references). */
const versionAction =
  (action: string) =>
  (ctx: OssContext): string[] =>
    ctx.params.has('versionId') ? [action] : [];

/** Tags sent with an upload need their own permission besides oss:PutObject (facts §1, Permission). */
const taggingHeader = (ctx: OssContext): string[] => (ctx.headers['x-oss-tagging'] !== undefined ? ['oss:PutObjectTagging'] : []);

const OPERATIONS: readonly Operation[] = [
  { name: 'ListBuckets', level: 'service', methods: ['GET'], access: 'owner', action: 'oss:ListBuckets', handler: bucketOps.listBuckets },

  { name: 'PutBucket', level: 'bucket', methods: ['PUT'], access: 'owner', action: 'oss:PutBucket', handler: bucketOps.putBucket },
  { name: 'DeleteBucket', level: 'bucket', methods: ['DELETE'], access: 'owner', action: 'oss:DeleteBucket', handler: bucketOps.deleteBucket },
  { name: 'ListObjectsV2', level: 'bucket', methods: ['GET'], when: (c) => c.params.get('list-type') === '2', access: 'read', action: 'oss:ListObjects', handler: bucketOps.listObjectsV2 },
  { name: 'ListObjects', level: 'bucket', methods: ['GET'], access: 'read', action: 'oss:ListObjects', handler: bucketOps.listObjects },
  { name: 'ListObjectVersions', level: 'bucket', methods: ['GET'], subresource: 'versions', access: 'read', action: 'oss:ListObjectVersions', handler: versionOps.listObjectVersions },
  { name: 'GetBucketInfo', level: 'bucket', methods: ['GET'], subresource: 'bucketInfo', access: 'owner', action: 'oss:GetBucketInfo', handler: bucketOps.getBucketInfo },
  { name: 'GetBucketLocation', level: 'bucket', methods: ['GET'], subresource: 'location', access: 'owner', action: 'oss:GetBucketLocation', handler: bucketOps.getBucketLocation },
  { name: 'GetBucketStat', level: 'bucket', methods: ['GET'], subresource: 'stat', access: 'owner', action: 'oss:GetBucketStat', handler: bucketOps.getBucketStat },
  { name: 'GetBucketAcl', level: 'bucket', methods: ['GET'], subresource: 'acl', access: 'owner', action: 'oss:GetBucketAcl', handler: bucketOps.getBucketAcl },
  { name: 'PutBucketAcl', level: 'bucket', methods: ['PUT'], subresource: 'acl', access: 'owner', action: 'oss:PutBucketAcl', handler: bucketOps.putBucketAcl },
  { name: 'PutBucketPolicy', level: 'bucket', methods: ['PUT'], subresource: 'policy', access: 'owner', action: 'oss:PutBucketPolicy', handler: bucketOps.putBucketPolicy },
  { name: 'GetBucketPolicy', level: 'bucket', methods: ['GET'], subresource: 'policy', access: 'owner', action: 'oss:GetBucketPolicy', handler: bucketOps.getBucketPolicy },
  { name: 'DeleteBucketPolicy', level: 'bucket', methods: ['DELETE'], subresource: 'policy', access: 'owner', action: 'oss:DeleteBucketPolicy', handler: bucketOps.deleteBucketPolicy },
  { name: 'InitiateBucketWorm', level: 'bucket', methods: ['POST'], subresource: 'worm', access: 'owner', action: 'oss:InitiateBucketWorm', handler: wormOps.initiateBucketWorm },
  { name: 'AbortBucketWorm', level: 'bucket', methods: ['DELETE'], subresource: 'worm', access: 'owner', action: 'oss:AbortBucketWorm', handler: wormOps.abortBucketWorm },
  { name: 'GetBucketWorm', level: 'bucket', methods: ['GET'], subresource: 'worm', access: 'owner', action: 'oss:GetBucketWorm', handler: wormOps.getBucketWorm },
  { name: 'CompleteBucketWorm', level: 'bucket', methods: ['POST'], subresource: 'wormId', access: 'owner', action: 'oss:CompleteBucketWorm', handler: wormOps.completeBucketWorm },
  { name: 'ExtendBucketWorm', level: 'bucket', methods: ['POST'], subresource: 'wormExtend', access: 'owner', action: 'oss:ExtendBucketWorm', handler: wormOps.extendBucketWorm },
  { name: 'ListMultipartUploads', level: 'bucket', methods: ['GET'], subresource: 'uploads', access: 'owner', action: 'oss:ListMultipartUploads', handler: multipart.listMultipartUploads },
  ...CONFIGURATION_OPERATIONS.map(
    ({ method, ...op }): Operation => ({ ...op, level: 'bucket', methods: [method], access: 'owner' }),
  ),
  // An HTML form upload: the signature and policy are in the form, which the handler reads and checks, and authorizes its signer.
  { name: 'PostObject', level: 'bucket', methods: ['POST'], access: 'anyone', action: 'oss:PutObject', takesEncryption: true, handler: postObject },
  { name: 'DeleteMultipleObjects', level: 'bucket', methods: ['POST'], subresource: 'delete', access: 'write', action: 'oss:DeleteObject', authorizesEachKey: true, handler: objectOps.deleteMultipleObjects },

  {
    name: 'CopyObject',
    level: 'object',
    methods: ['PUT'],
    when: (c) => c.headers['x-oss-copy-source'] !== undefined,
    access: 'write',
    action: 'oss:PutObject',
    alsoNeeds: taggingHeader,
    takesEncryption: true,
    handler: copyObject,
  },
  { name: 'PutObject', level: 'object', methods: ['PUT'], access: 'write', action: 'oss:PutObject', alsoNeeds: taggingHeader, takesEncryption: true, handler: objectOps.putObject },
  { name: 'GetObject', level: 'object', methods: ['GET'], access: 'read', action: 'oss:GetObject', alsoNeeds: versionAction('oss:GetObjectVersion'), handler: objectOps.getObject },
  { name: 'HeadObject', level: 'object', methods: ['HEAD'], access: 'read', action: 'oss:GetObject', alsoNeeds: versionAction('oss:GetObjectVersion'), handler: objectOps.headObject },
  { name: 'GetObjectMeta', level: 'object', methods: ['HEAD', 'GET'], subresource: 'objectMeta', access: 'read', action: 'oss:GetObject', alsoNeeds: versionAction('oss:GetObjectVersion'), handler: objectOps.getObjectMeta },
  { name: 'DeleteObject', level: 'object', methods: ['DELETE'], access: 'write', action: 'oss:DeleteObject', alsoNeeds: versionAction('oss:DeleteObjectVersion'), handler: objectOps.deleteObject },
  { name: 'AppendObject', level: 'object', methods: ['POST'], subresource: 'append', access: 'write', action: 'oss:PutObject', alsoNeeds: taggingHeader, takesEncryption: true, handler: appendObject },
  { name: 'SealAppendObject', level: 'object', methods: ['POST'], subresource: 'seal', access: 'write', action: 'oss:SealAppendObject', handler: sealAppendObject },
  { name: 'PutSymlink', level: 'object', methods: ['PUT'], subresource: 'symlink', access: 'write', action: 'oss:PutObject', alsoNeeds: taggingHeader, handler: symlinkOps.putSymlink },
  { name: 'GetSymlink', level: 'object', methods: ['GET'], subresource: 'symlink', access: 'read', action: 'oss:GetObject', alsoNeeds: versionAction('oss:GetObjectVersion'), handler: symlinkOps.getSymlink },
  { name: 'RestoreObject', level: 'object', methods: ['POST'], subresource: 'restore', access: 'write', action: 'oss:RestoreObject', alsoNeeds: versionAction('oss:RestoreObjectVersion'), handler: restoreObject },
  { name: 'InitiateMultipartUpload', level: 'object', methods: ['POST'], subresource: 'uploads', access: 'write', action: 'oss:PutObject', alsoNeeds: taggingHeader, takesEncryption: true, handler: multipart.initiateMultipartUpload },
  { name: 'UploadPart', level: 'object', methods: ['PUT'], subresource: 'uploadId', access: 'write', action: 'oss:PutObject', handler: multipart.uploadPart },
  { name: 'CompleteMultipartUpload', level: 'object', methods: ['POST'], subresource: 'uploadId', access: 'write', action: 'oss:PutObject', handler: multipart.completeMultipartUpload },
  { name: 'AbortMultipartUpload', level: 'object', methods: ['DELETE'], subresource: 'uploadId', access: 'write', action: 'oss:AbortMultipartUpload', handler: multipart.abortMultipartUpload },
  { name: 'ListParts', level: 'object', methods: ['GET'], subresource: 'uploadId', access: 'read', action: 'oss:ListParts', handler: multipart.listParts },
  { name: 'GetObjectAcl', level: 'object', methods: ['GET'], subresource: 'acl', access: 'owner', action: 'oss:GetObjectAcl', alsoNeeds: versionAction('oss:GetObjectVersionAcl'), handler: objectOps.getObjectAcl },
  { name: 'PutObjectAcl', level: 'object', methods: ['PUT'], subresource: 'acl', access: 'owner', action: 'oss:PutObjectAcl', alsoNeeds: versionAction('oss:PutObjectVersionAcl'), handler: objectOps.putObjectAcl },
  { name: 'GetObjectTagging', level: 'object', methods: ['GET'], subresource: 'tagging', access: 'owner', action: 'oss:GetObjectTagging', alsoNeeds: versionAction('oss:GetObjectVersionTagging'), handler: objectOps.getObjectTagging },
  { name: 'PutObjectTagging', level: 'object', methods: ['PUT'], subresource: 'tagging', access: 'owner', action: 'oss:PutObjectTagging', alsoNeeds: versionAction('oss:PutObjectVersionTagging'), handler: objectOps.putObjectTagging },
  { name: 'DeleteObjectTagging', level: 'object', methods: ['DELETE'], subresource: 'tagging', access: 'owner', action: 'oss:DeleteObjectTagging', alsoNeeds: versionAction('oss:DeleteObjectVersionTagging'), handler: objectOps.deleteObjectTagging },
];

/**
 * A browser's CORS preflight, for the bucket or any object in it: it goes to the URL of the request
 * it precedes, sub-resources and all (`OPTIONS /key?append&position=0`), so none of them selects
 * (nor does the level: selectOperation returns it before looking). It needs no RAM action.
 */
const PREFLIGHT: Operation = { name: 'Options', level: 'object', methods: ['OPTIONS'], access: 'anyone', action: 'none', handler: corsOps.preflight };

/** Picks the operation from method, level and the operation-selecting sub-resource. */
export function selectOperation(ctx: OssContext): Operation {
  const level = ctx.target.bucket === undefined ? 'service' : ctx.target.key === undefined ? 'bucket' : 'object';
  if (ctx.method === 'OPTIONS' && level !== 'service') return PREFLIGHT;
  // On a PUT, partNumber goes with uploadId (UploadPart): a parameter of that operation, not a second
  // selector. With any other method the pair names no operation (a DELETE must not abort the upload).
  const names = ctx.target.query.map(([name]) => name);
  const partOfUpload = ctx.method === 'PUT' && names.includes('uploadId');
  // Likewise wormId goes with wormExtend (ExtendBucketWorm); alone it selects CompleteBucketWorm.
  const partOfExtend = names.includes('wormExtend');
  // versionId names one version of the object: for what reads it (GET and HEAD, with their sub-resources),
  // for DeleteObject, its ACL and tags (PUT ?acl, PUT or DELETE ?tagging) and RestoreObject. Anywhere else it
  // stays a selector nothing serves: no other operation takes a version.
  const others = names.filter((name) => name !== 'versionId' && OPERATION_SUBRESOURCES.has(name));
  const versionTakenBy = (...subresources: string[]): boolean => others.length === 0 || (others.length === 1 && subresources.includes(others[0]!));
  const takesVersion =
    level === 'object' &&
    (ctx.method === 'GET' || ctx.method === 'HEAD' || (ctx.method === 'DELETE' && versionTakenBy('tagging')) || (ctx.method === 'PUT' && others.length === 1 && versionTakenBy('acl', 'tagging')) ||
      (ctx.method === 'POST' && others.length === 1 && versionTakenBy('restore')));
  const parameter = ([name]: readonly [string, string | null]): boolean =>
    (name === 'partNumber' && partOfUpload) || (name === 'wormId' && partOfExtend) || (name === 'versionId' && takesVersion);
  const selecting = ctx.target.query.filter((entry) => OPERATION_SUBRESOURCES.has(entry[0]) && !parameter(entry)).map(([name]) => name);
  const unknown = unknownSelector(ctx);
  if (unknown !== undefined) {
    throw new OssError('NotImplemented', { message: `ossemu does not implement this operation (${ctx.method} ${level} ?${unknown}).` });
  }
  const subresource = selecting[0];
  const candidates = OPERATIONS.filter((op) => op.level === level && op.subresource === subresource);
  const match = candidates.find((op) => op.methods.includes(ctx.method) && (op.when?.(ctx) ?? true));
  if (match && selecting.every((name) => name === subresource)) return match;
  if (subresource !== undefined || ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(ctx.method) === false) {
    if (candidates.length === 0 || selecting.length > 1) {
      throw new OssError('NotImplemented', {
        message: `ossemu does not implement this operation (${ctx.method} ${level}${subresource ? ` ?${subresource}` : ''}).`,
      });
    }
  }
  throw new OssError('MethodNotAllowed', { details: [['Method', ctx.method], ['ResourceType', level === 'object' ? 'Object' : level === 'bucket' ? 'Bucket' : 'Service']] });
}
