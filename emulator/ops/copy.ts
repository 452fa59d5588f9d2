import type { Context } from 'koa';
import { checkReferer } from '../configs/referer.js';
import { NULL_VERSION, readVersionId } from './versions.js';
import { OssError } from '../errors/oss-error.js';
import { authorizeAction } from '../http/authorize.js';
import type { OssContext } from '../http/context.js';
import { objectAddress } from '../http/context.js';
import { bucketDefaults, readForbidOverwrite, readObjectAttributes, STANDARD_HEADERS } from '../http/object-input.js';
import { evaluateConditions, quoteEtag, requireReadable, setWrittenHeaders } from '../http/object-output.js';
import { sendXml } from '../http/respond.js';
import { formDecode } from '../http/target.js';
import { validateTarget } from '../http/validate.js';
import type { ObjectAttributes, ObjectRecord, StoredHttpHeaders } from '../store/types.js';
import { headerText } from '../util/header-text.js';
import { isoDate, toSecond } from '../util/http-date.js';

/** The x-oss-copy-source-if-* headers (CopyObject, UploadPartCopy), evaluated on the source as If-* are on a GET. */
const COPY_SOURCE_CONDITIONS = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'] as const;

/**
 * CopyObject (`PUT` with `x-oss-copy-source`). The copy is a Normal object over the source's
 * stored bytes (no byte is copied), with the source's ETag and CRC-64; copied onto itself, an
 * object keeps its type (an appendable one stays appendable). What it keeps, from the
 * SDKs' tests against real OSS (docs/divergences.md has the rest):
 * - metadata: the source's with `x-oss-metadata-directive: COPY` (the default), the request's
 *   with REPLACE; copied onto itself, the object takes what the request sends (oss2's
 *   update_object_meta relies on it);
 * - tags: the source's with `x-oss-tagging-directive: Copy` (the default), `x-oss-tagging`'s with Replace;
 * - ACL: `x-oss-object-acl`, else `default`: never the source's, unless copied onto itself;
 * - storage class: `x-oss-storage-class`, else the source's (OSS's docs speak of copies that
 *   keep it); onto itself in the same class, a restored object stays restored.
 * `x-oss-copy-source-if-*` conditions fail with 412, or 304 with no body. The caller needs
 * oss:GetObject on the source as well as oss:PutObject on the destination.
 */
export function copyObject(ctx: OssContext): void {
  const to = objectAddress(ctx);
  const { store, headers } = ctx;
  const from = authorizedCopySource(ctx);
  const replaceMeta = readDirective(headers, 'x-oss-metadata-directive', 'COPY', 'REPLACE');
  const replaceTags = readDirective(headers, 'x-oss-tagging-directive', 'Copy', 'Replace');
  const requested = readObjectAttributes(headers, to.key, bucketDefaults(store.requireBucket(to.bucket)));
  // Onto itself means onto the current version: a copy of an older one brings it back as a new write.
  const onItself = from.bucket === to.bucket && from.key === to.key && (from.versionId === undefined || isCurrentVersion(store, from));
  const forbidOverwrite = readForbidOverwrite(headers);

  let unchanged: ObjectRecord | undefined;
  let copiedVersion: string | undefined;
  const record = store.copyObject(
    from,
    to,
    (source) => {
      if (checkCopySource(headers, source) === 304) {
        unchanged = source;
        return undefined;
      }
      copiedVersion = source.versionId;
      // OSS's CopyObject page: an appendable object cannot be copied into a bucket with versioning enabled (the error is ours).
      if (source.type === 'Appendable' && store.getBucket(to.bucket)?.configurations.versioning === 'Enabled') {
        throw new OssError('InvalidArgument', {
          message: 'An appendable object cannot be copied into a bucket with versioning enabled.',
          details: [['ArgumentName', 'x-oss-copy-source'], ['ArgumentValue', headerText(headers['x-oss-copy-source']!)]],
        });
      }
      const storageClass = headers['x-oss-storage-class'] === undefined ? source.storageClass : requested.storageClass;
      const attributes: ObjectAttributes = {
        acl: onItself && headers['x-oss-object-acl'] === undefined ? source.acl : requested.acl,
        storageClass,
        httpHeaders: replaceMeta ? requested.httpHeaders : onItself ? sentOver(headers, source.httpHeaders) : source.httpHeaders,
        userMeta: replaceMeta || (onItself && requested.userMeta.length > 0) ? requested.userMeta : source.userMeta,
        tags: replaceTags ? requested.tags : source.tags,
        // Never the source's (a Go SDK v2 comment; the Java SDK's ObjectEncryptionTest against OSS copies without and with it).
        ...(requested.encryption ? { encryption: requested.encryption } : {}),
      };
      // Onto itself in the same class, a restored Archive object stays restored.
      const restore = onItself && storageClass === source.storageClass ? source.restore : undefined;
      // Onto itself only the metadata changes (OSS's docs): an appendable or multipart object keeps its type.
      // A symlink is copied as the link, not its target (OSS's CopyObject page): the copy is a link to the same key.
      // A sealed appendable object copied onto itself (a metadata update) stays sealed.
      return { attributes, etag: source.etag, type: onItself || source.type === 'Symlink' ? source.type : 'Normal', restore, sealedAt: onItself ? source.sealedAt : undefined };
    },
    { forbidOverwrite, now: toSecond(Date.now()) },
  );
  const koa = ctx.koa;
  if (!record) return sendSourceUnchanged(koa, unchanged!);
  setWrittenHeaders(koa, record);
  if (copiedVersion !== undefined) koa.set('x-oss-copy-source-version-id', copiedVersion);
  sendXml(koa, 'CopyObjectResult', { ETag: quoteEtag(record.etag), LastModified: isoDate(record.lastModified) });
}

/** The object `x-oss-copy-source` names (CopyObject, UploadPartCopy), which the caller must be allowed to read: oss:GetObject on it. */
export function authorizedCopySource(ctx: OssContext): CopySource {
  const from = parseCopySource(ctx.headers['x-oss-copy-source']!);
  // The source bucket's hotlink protection too: else an anonymous copy would read what a GET may not.
  const referer = ctx.store.getBucket(from.bucket)?.configurations.referer;
  if (referer !== undefined) checkReferer(referer, ctx.headers);
  // Asked as a read of the source would be: its ACL, or the ACL of the version it names, decides.
  const reader = { ...ctx, target: { ...ctx.target, bucket: from.bucket, key: from.key }, params: new Map(from.versionId === undefined ? [] : [['versionId', from.versionId]]) };
  authorizeAction(reader, 'read', 'oss:GetObject', from.key);
  // A source named by its version needs the version's permission too.
  if (from.versionId !== undefined) authorizeAction(reader, 'read', 'oss:GetObjectVersion', from.key);
  return from;
}

/**
 * A copy's checks of its source: readable (not frozen), and the `x-oss-copy-source-if-*`
 * conditions, which throw PreconditionFailed (412), or give 304 when the source is unchanged.
 */
export function checkCopySource(headers: Record<string, string | undefined>, source: ObjectRecord): 304 | undefined {
  // A link is copied as the link: none of its target's bytes are read, whatever its own storage class says.
  if (source.type !== 'Symlink') requireReadable(source, Date.now());
  return evaluateConditions(Object.fromEntries(COPY_SOURCE_CONDITIONS.map((name) => [name, headers[`x-oss-copy-source-${name}`]])), source);
}

/** The answer to a copy whose source is unchanged (x-oss-copy-source-if-none-match matched, or -if-modified-since): 304, no body. */
export function sendSourceUnchanged(koa: Context, source: ObjectRecord): void {
  koa.set('ETag', quoteEtag(source.etag));
  koa.status = 304;
}

/** Whether the version named is its key's current object. */
function isCurrentVersion(store: OssContext['store'], { bucket, key, versionId }: CopySource): boolean {
  const current = store.getObject(bucket, key);
  return current !== undefined && (current.versionId ?? NULL_VERSION) === versionId;
}

/** What `x-oss-copy-source` names: an object, or one version of it. */
export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/**
 * `/<bucket>/<key>[?versionId=<id>]`, the key percent-encoded (`+` is a space, as the Go SDK
 * encodes it). The leading slash may be left out. A key sent unescaped in UTF-8 (the Go SDK
 * 1.5.0's UploadPartCopy, and so its CopyFile) is read as UTF-8.
 */
function parseCopySource(sent: string): CopySource {
  const header = headerText(sent);
  const malformed = (): OssError =>
    // OSS's own message (the Go SDK v2's tests against the service compare it).
    new OssError('InvalidArgument', {
      message: 'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.',
      details: [['ArgumentName', 'x-oss-copy-source'], ['ArgumentValue', header]],
    });
  const [path = '', query] = header.split('?', 2);
  if (query !== undefined && !query.startsWith('versionId=')) throw malformed();
  const versionId = query === undefined ? undefined : readVersionId(formDecode(query.slice('versionId='.length), malformed));
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) throw malformed();
  const source = { bucket: trimmed.slice(0, slash), key: formDecode(trimmed.slice(slash + 1), malformed) };
  validateTarget({ ...source, query: [], style: 'path' });
  return versionId === undefined ? source : { ...source, versionId };
}

/** Whether a directive header asks for its replacing value (matched without regard to case, as OSS does for tags). */
function readDirective(headers: Record<string, string | undefined>, name: string, keep: string, replace: string): boolean {
  const value = headers[name];
  if (value === undefined || value.toUpperCase() === keep.toUpperCase()) return false;
  if (value.toUpperCase() === replace.toUpperCase()) return true;
  throw new OssError('InvalidArgument', { message: `${name} must be ${keep} or ${replace}.`, details: [['ArgumentName', name], ['ArgumentValue', value]] });
}

/** The source's standard headers, each replaced by the request's where it sends one. */
function sentOver(headers: Record<string, string | undefined>, source: StoredHttpHeaders): StoredHttpHeaders {
  const merged: StoredHttpHeaders = { ...source };
  for (const [header, field] of STANDARD_HEADERS) {
    const value = headers[header];
    if (value !== undefined) merged[field] = value;
  }
  return merged;
}
