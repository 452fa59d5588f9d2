/**
 * `OssClient`: one helper per operation the emulator serves. Each builds the request, sends it
 * through `request`, and returns the raw `OssResponse` plus typed fields (present when the
 * response carried them; a failed call has `error` set and the parsed fields absent).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { QueryEntry } from './config.js';
import { OssCore, type CallOptions, type OssResponse } from './core.js';
import {
  objectHeaders,
  parseAcl,
  parseBucketInfo,
  parseBucketStat,
  parseCopyObjectResult,
  parseDeleteResult,
  parseInitiateMultipartUpload,
  parseListMultipartUploads,
  parseListParts,
  parseListBuckets,
  parseListObjects,
  parseListObjectsV2,
  parseLocation,
  parseTagging,
  type AclResult,
  type BucketInfo,
  type CopyObjectResult,
  type ListBucketsResult,
  type ListMultipartUploadsResult,
  type ListPartsResult,
  type ListObjectsResult,
  type ListObjectsV2Result,
  type ObjectHeaders,
} from './results.js';
import type { Body } from './transport.js';
import { escapeXml, XML_DECLARATION } from './xml.js';

export type ObjectAcl = 'default' | 'private' | 'public-read' | 'public-read-write';
export type BucketAcl = 'private' | 'public-read' | 'public-read-write';

/** Extra headers and query parameters (appended after the operation's own) plus the per-call knobs. */
export interface OperationOptions extends CallOptions {
  headers?: Readonly<Record<string, string>>;
  query?: readonly QueryEntry[];
}

export interface RestoreObjectOptions extends OperationOptions {
  /** How many days the restored copy is kept (Archive 1–7, ColdArchive and DeepColdArchive 1–365). */
  days?: number;
  /** Expedited, Standard or Bulk: ColdArchive and DeepColdArchive only. */
  tier?: string;
}

export interface GetObjectOptions extends OperationOptions {
  /** The Range header value, e.g. `bytes=0-9`. */
  range?: string;
}

export interface DeleteMultipleOptions extends OperationOptions {
  quiet?: boolean;
  encodingType?: 'url';
}

export interface ListObjectsOptions extends OperationOptions {
  prefix?: string;
  marker?: string;
  delimiter?: string;
  maxKeys?: number;
  encodingType?: 'url';
}

export interface ListObjectsV2Options extends OperationOptions {
  prefix?: string;
  continuationToken?: string;
  startAfter?: string;
  delimiter?: string;
  maxKeys?: number;
  fetchOwner?: boolean;
  encodingType?: 'url';
}

export interface ListBucketsOptions extends OperationOptions {
  prefix?: string;
  marker?: string;
  maxKeys?: number;
}

export interface PutBucketOptions extends OperationOptions {
  acl?: BucketAcl;
  /** Sent in a `CreateBucketConfiguration` body: `Standard`, `IA`, `Archive`… */
  storageClass?: string;
  dataRedundancyType?: 'LRS' | 'ZRS';
}

export type ObjectResponse = OssResponse & ObjectHeaders;
export type AppendObjectResponse = ObjectResponse;
export type ListObjectsResponse = OssResponse & Partial<ListObjectsResult>;
export type ListObjectsV2Response = OssResponse & Partial<ListObjectsV2Result>;
export type ListBucketsResponse = OssResponse & Partial<ListBucketsResult>;
export type AclResponse = OssResponse & Partial<AclResult>;
export type TaggingResponse = OssResponse & { tags?: Record<string, string> };
export type DeleteMultipleResponse = OssResponse & { deleted?: string[] };
export type BucketInfoResponse = OssResponse & { bucketInfo?: BucketInfo };
export type BucketLocationResponse = OssResponse & { location?: string };
export type BucketStatResponse = OssResponse & { stat?: Record<string, number> };
export type CopyObjectResponse = OssResponse & { copied?: CopyObjectResult };
export type InitiateMultipartUploadResponse = OssResponse & { uploadId?: string };
export type ListPartsResponse = OssResponse & Partial<ListPartsResult>;
export type ListMultipartUploadsResponse = OssResponse & Partial<ListMultipartUploadsResult>;

const XML_CONTENT_TYPE = { 'content-type': 'application/xml' };

export class OssClient extends OssCore {
  // ------------------------------------------------------------------ objects

  /**
   * AppendObject: `POST /<key>?append&position=<n>`. `nextPosition` and `crc64` come from
   * `x-oss-next-append-position` / `x-oss-hash-crc64ecma` (a 409 carries `nextPosition` too).
   */
  appendObject(bucket: string, key: string, position: number, body: Body, headers?: Record<string, string>, options?: CallOptions): Promise<AppendObjectResponse> {
    return this.object({ ...options, headers }, 'POST', bucket, key, [['append', null], ['position', String(position)]], body);
  }

  /**
   * SealAppendObject: `POST /<key>?seal&position=<n>`, no body, as the v2 SDKs send it (with the
   * Content-MD5 of an empty body). The seal's time is the `x-oss-sealed-time` header.
   */
  sealAppendObject(bucket: string, key: string, position: number, options?: CallOptions): Promise<OssResponse> {
    const headers = { ...XML_CONTENT_TYPE, 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' };
    return this.object({ ...options, headers }, 'POST', bucket, key, [['seal', null], ['position', String(position)]]);
  }

  /** PutObject: `PUT /<key>`. */
  putObject(bucket: string, key: string, body: Body, headers?: Record<string, string>, options?: CallOptions): Promise<ObjectResponse> {
    return this.object({ ...options, headers }, 'PUT', bucket, key, [], body);
  }

  /**
   * CopyObject: `PUT /<key>` with `x-oss-copy-source: /<sourceBucket>/<percent-encoded sourceKey>`
   * → `copied` (ETag and LastModified of `<CopyObjectResult>`). A 304 with no body means an
   * `x-oss-copy-source-if-*` header found the source unchanged, and nothing was copied.
   */
  async copyObject(source: { bucket: string; key: string }, bucket: string, key: string, headers?: Record<string, string>, options?: CallOptions): Promise<CopyObjectResponse> {
    const copySource = { 'x-oss-copy-source': `/${source.bucket}/${encodeURIComponent(source.key)}` };
    const res = await this.call({ ...options, headers: { ...copySource, ...headers } }, 'PUT', bucket, key, []);
    return withField(res, 'copied', parseCopyObjectResult(res.xml));
  }

  /** GetObject: `GET /<key>`, with an optional `Range`. */
  getObject(bucket: string, key: string, options: GetObjectOptions = {}): Promise<ObjectResponse> {
    const headers = options.range === undefined ? options.headers : { range: options.range, ...options.headers };
    return this.object({ ...options, headers }, 'GET', bucket, key, []);
  }

  /** HeadObject: `HEAD /<key>` (errors arrive in `x-oss-err`). */
  headObject(bucket: string, key: string, options: OperationOptions = {}): Promise<ObjectResponse> {
    return this.object(options, 'HEAD', bucket, key, []);
  }

  /** GetObjectMeta: `HEAD /<key>?objectMeta`. */
  getObjectMeta(bucket: string, key: string, options: OperationOptions = {}): Promise<ObjectResponse> {
    return this.object(options, 'HEAD', bucket, key, [['objectMeta', null]]);
  }

  /** DeleteObject: `DELETE /<key>` (204). */
  deleteObject(bucket: string, key: string, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call(options, 'DELETE', bucket, key, []);
  }

  /** DeleteMultipleObjects: `POST /?delete` with a `<Delete>` body and its Content-MD5. */
  async deleteMultipleObjects(bucket: string, keys: readonly string[], options: DeleteMultipleOptions = {}): Promise<DeleteMultipleResponse> {
    const objects = keys.map((k) => `<Object><Key>${escapeXml(k)}</Key></Object>`).join('');
    const body = `${XML_DECLARATION}<Delete><Quiet>${options.quiet === true}</Quiet>${objects}</Delete>`;
    const contentMd5 = createHash('md5').update(body).digest('base64');
    const query: QueryEntry[] = [['delete', null]];
    if (options.encodingType !== undefined) query.push(['encoding-type', options.encodingType]);
    const res = await this.call({ ...options, headers: { ...XML_CONTENT_TYPE, 'content-md5': contentMd5, ...options.headers } }, 'POST', bucket, undefined, query, body);
    return withField(res, 'deleted', parseDeleteResult(res.xml));
  }

  /**
   * RestoreObject: `POST /<key>?restore`, with a `<RestoreRequest>` body when `days` or `tier` is
   * given (a tier only for ColdArchive and DeepColdArchive objects). 202 starts a restore, 200
   * means the copy was already readable, 409 RestoreAlreadyInProgress that one is running.
   */
  restoreObject(bucket: string, key: string, options: RestoreObjectOptions = {}): Promise<OssResponse> {
    if (options.days === undefined && options.tier === undefined) return this.call(options, 'POST', bucket, key, [['restore', null]]);
    const days = options.days === undefined ? '' : `<Days>${options.days}</Days>`;
    const tier = options.tier === undefined ? '' : `<JobParameters><Tier>${escapeXml(options.tier)}</Tier></JobParameters>`;
    const body = `${XML_DECLARATION}<RestoreRequest>${days}${tier}</RestoreRequest>`;
    return this.call({ ...options, headers: { ...XML_CONTENT_TYPE, ...options.headers } }, 'POST', bucket, key, [['restore', null]], body);
  }

  /** PutObjectACL: `PUT /<key>?acl` with `x-oss-object-acl`. */
  putObjectAcl(bucket: string, key: string, acl: ObjectAcl, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call({ ...options, headers: { 'x-oss-object-acl': acl, ...options.headers } }, 'PUT', bucket, key, [['acl', null]]);
  }

  /** GetObjectACL: `GET /<key>?acl` → `acl` (`default`, `private`…). */
  async getObjectAcl(bucket: string, key: string, options: OperationOptions = {}): Promise<AclResponse> {
    const res = await this.call(options, 'GET', bucket, key, [['acl', null]]);
    return { ...res, ...parseAcl(res.xml) };
  }

  /** PutObjectTagging: `PUT /<key>?tagging` with a `<Tagging>` body. */
  putObjectTagging(bucket: string, key: string, tags: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>, options: OperationOptions = {}): Promise<OssResponse> {
    const entries = Array.isArray(tags) ? (tags as ReadonlyArray<readonly [string, string]>) : Object.entries(tags);
    const tagXml = entries.map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`).join('');
    const body = `${XML_DECLARATION}<Tagging><TagSet>${tagXml}</TagSet></Tagging>`;
    return this.call({ ...options, headers: { ...XML_CONTENT_TYPE, ...options.headers } }, 'PUT', bucket, key, [['tagging', null]], body);
  }

  /** GetObjectTagging: `GET /<key>?tagging` → `tags`. */
  async getObjectTagging(bucket: string, key: string, options: OperationOptions = {}): Promise<TaggingResponse> {
    const res = await this.call(options, 'GET', bucket, key, [['tagging', null]]);
    return withField(res, 'tags', parseTagging(res.xml));
  }

  /** DeleteObjectTagging: `DELETE /<key>?tagging`. */
  deleteObjectTagging(bucket: string, key: string, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call(options, 'DELETE', bucket, key, [['tagging', null]]);
  }

  // ------------------------------------------------------------------ multipart upload

  /** InitiateMultipartUpload: `POST /<key>?uploads` → `uploadId`. Headers (meta, content type…) are the object's to be. */
  async initiateMultipartUpload(bucket: string, key: string, headers?: Record<string, string>, options?: CallOptions): Promise<InitiateMultipartUploadResponse> {
    const res = await this.call({ ...options, headers }, 'POST', bucket, key, [['uploads', null]]);
    return withField(res, 'uploadId', parseInitiateMultipartUpload(res.xml));
  }

  /** UploadPart: `PUT /<key>?partNumber=N&uploadId=ID` → the part's `etag` (quoted) and `crc64`. */
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Body, headers?: Record<string, string>, options?: CallOptions): Promise<ObjectResponse> {
    return this.object({ ...options, headers }, 'PUT', bucket, key, [['partNumber', String(partNumber)], ['uploadId', uploadId]], body);
  }

  /**
   * CompleteMultipartUpload: `POST /<key>?uploadId=ID` listing the parts (number and ETag, in
   * ascending order); `parts: 'all'` sends `x-oss-complete-all: yes` and no body instead.
   */
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }> | 'all',
    headers?: Record<string, string>,
    options?: CallOptions,
  ): Promise<ObjectResponse> {
    if (parts === 'all') return this.object({ ...options, headers: { 'x-oss-complete-all': 'yes', ...headers } }, 'POST', bucket, key, [['uploadId', uploadId]]);
    const xml = parts.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`).join('');
    const body = `${XML_DECLARATION}<CompleteMultipartUpload>${xml}</CompleteMultipartUpload>`;
    return this.object({ ...options, headers: { ...XML_CONTENT_TYPE, ...headers } }, 'POST', bucket, key, [['uploadId', uploadId]], body);
  }

  /** AbortMultipartUpload: `DELETE /<key>?uploadId=ID` (204). */
  abortMultipartUpload(bucket: string, key: string, uploadId: string, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call(options, 'DELETE', bucket, key, [['uploadId', uploadId]]);
  }

  /** ListParts: `GET /<key>?uploadId=ID` → `parts` in part-number order. */
  async listParts(bucket: string, key: string, uploadId: string, options: OperationOptions & { maxParts?: number; partNumberMarker?: number } = {}): Promise<ListPartsResponse> {
    const query: QueryEntry[] = [['uploadId', uploadId], ...params([['max-parts', options.maxParts], ['part-number-marker', options.partNumberMarker]])];
    const res = await this.call(options, 'GET', bucket, key, query);
    return { ...res, ...parseListParts(res.xml) };
  }

  /** ListMultipartUploads: `GET /?uploads` → `uploads` in progress, in key order. */
  async listMultipartUploads(
    bucket: string,
    options: OperationOptions & { prefix?: string; delimiter?: string; keyMarker?: string; uploadIdMarker?: string; maxUploads?: number; encodingType?: 'url' } = {},
  ): Promise<ListMultipartUploadsResponse> {
    const query: QueryEntry[] = [
      ['uploads', null],
      ...params([
        ['prefix', options.prefix],
        ['delimiter', options.delimiter],
        ['key-marker', options.keyMarker],
        ['upload-id-marker', options.uploadIdMarker],
        ['max-uploads', options.maxUploads],
        ['encoding-type', options.encodingType],
      ]),
    ];
    const res = await this.call(options, 'GET', bucket, undefined, query);
    return { ...res, ...parseListMultipartUploads(res.xml) };
  }

  // ------------------------------------------------------------------ listings

  /** ListObjects (v1): `GET /` on the bucket. Keys are decoded when the response says EncodingType url. */
  async listObjects(bucket: string, options: ListObjectsOptions = {}): Promise<ListObjectsResponse> {
    const query = params([
      ['prefix', options.prefix],
      ['marker', options.marker],
      ['delimiter', options.delimiter],
      ['max-keys', options.maxKeys],
      ['encoding-type', options.encodingType],
    ]);
    const res = await this.call(options, 'GET', bucket, undefined, query);
    return { ...res, ...parseListObjects(res.xml) };
  }

  /** ListObjectsV2: `GET /?list-type=2`. */
  async listObjectsV2(bucket: string, options: ListObjectsV2Options = {}): Promise<ListObjectsV2Response> {
    const query = params([
      ['list-type', '2'],
      ['prefix', options.prefix],
      ['continuation-token', options.continuationToken],
      ['start-after', options.startAfter],
      ['delimiter', options.delimiter],
      ['max-keys', options.maxKeys],
      ['fetch-owner', options.fetchOwner],
      ['encoding-type', options.encodingType],
    ]);
    const res = await this.call(options, 'GET', bucket, undefined, query);
    return { ...res, ...parseListObjectsV2(res.xml) };
  }

  /** ListBuckets (GetService): `GET /` on the endpoint. */
  async listBuckets(options: ListBucketsOptions = {}): Promise<ListBucketsResponse> {
    const query = params([
      ['prefix', options.prefix],
      ['marker', options.marker],
      ['max-keys', options.maxKeys],
    ]);
    const res = await this.call(options, 'GET', undefined, undefined, query);
    return { ...res, ...parseListBuckets(res.xml) };
  }

  // ------------------------------------------------------------------ buckets

  /** PutBucket: `PUT /` on the bucket; `x-oss-acl`, and a CreateBucketConfiguration body for the storage class. */
  putBucket(bucket: string, options: PutBucketOptions = {}): Promise<OssResponse> {
    const headers: Record<string, string> = {};
    if (options.acl !== undefined) headers['x-oss-acl'] = options.acl;
    let body: string | undefined;
    if (options.storageClass !== undefined || options.dataRedundancyType !== undefined) {
      const storageClass = options.storageClass === undefined ? '' : `<StorageClass>${escapeXml(options.storageClass)}</StorageClass>`;
      const redundancy = options.dataRedundancyType === undefined ? '' : `<DataRedundancyType>${options.dataRedundancyType}</DataRedundancyType>`;
      body = `${XML_DECLARATION}<CreateBucketConfiguration>${storageClass}${redundancy}</CreateBucketConfiguration>`;
      Object.assign(headers, XML_CONTENT_TYPE);
    }
    return this.call({ ...options, headers: { ...headers, ...options.headers } }, 'PUT', bucket, undefined, [], body);
  }

  /** DeleteBucket: `DELETE /` on the bucket (204). */
  deleteBucket(bucket: string, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call(options, 'DELETE', bucket, undefined, []);
  }

  /** GetBucketInfo: `GET /?bucketInfo`. */
  async getBucketInfo(bucket: string, options: OperationOptions = {}): Promise<BucketInfoResponse> {
    const res = await this.call(options, 'GET', bucket, undefined, [['bucketInfo', null]]);
    return withField(res, 'bucketInfo', parseBucketInfo(res.xml));
  }

  /** GetBucketStat: `GET /?stat` → `stat`, each figure by its element name (`Storage`, `ObjectCount`…). */
  async getBucketStat(bucket: string, options: OperationOptions = {}): Promise<BucketStatResponse> {
    const res = await this.call(options, 'GET', bucket, undefined, [['stat', null]]);
    return withField(res, 'stat', parseBucketStat(res.xml));
  }

  /** GetBucketLocation: `GET /?location` → `location` (`oss-cn-hangzhou`). */
  async getBucketLocation(bucket: string, options: OperationOptions = {}): Promise<BucketLocationResponse> {
    const res = await this.call(options, 'GET', bucket, undefined, [['location', null]]);
    return withField(res, 'location', parseLocation(res.xml));
  }

  /** PutBucketACL: `PUT /?acl` with `x-oss-acl`. */
  putBucketAcl(bucket: string, acl: BucketAcl, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call({ ...options, headers: { 'x-oss-acl': acl, ...options.headers } }, 'PUT', bucket, undefined, [['acl', null]]);
  }

  /** GetBucketACL: `GET /?acl` → `acl`. */
  async getBucketAcl(bucket: string, options: OperationOptions = {}): Promise<AclResponse> {
    const res = await this.call(options, 'GET', bucket, undefined, [['acl', null]]);
    return { ...res, ...parseAcl(res.xml) };
  }

  /** PutBucketCors: `PUT /?cors` with the rules (elements in OSS's order) and, when given, ResponseVary. */
  putBucketCors(bucket: string, rules: readonly CorsRuleInput[], responseVary?: boolean, options: OperationOptions = {}): Promise<OssResponse> {
    const elements = (name: string, values: readonly string[] | undefined): string => (values ?? []).map((v) => `<${name}>${escapeXml(v)}</${name}>`).join('');
    const ruleXml = rules
      .map(
        (r) =>
          `<CORSRule>${elements('AllowedOrigin', r.allowedOrigins)}${elements('AllowedMethod', r.allowedMethods)}` +
          `${elements('AllowedHeader', r.allowedHeaders)}${elements('ExposeHeader', r.exposeHeaders)}` +
          `${r.maxAgeSeconds !== undefined ? `<MaxAgeSeconds>${r.maxAgeSeconds}</MaxAgeSeconds>` : ''}</CORSRule>`,
      )
      .join('');
    const vary = responseVary === undefined ? '' : `<ResponseVary>${responseVary}</ResponseVary>`;
    const body = `${XML_DECLARATION}<CORSConfiguration>${ruleXml}${vary}</CORSConfiguration>`;
    return this.call({ ...options, headers: { ...XML_CONTENT_TYPE, ...options.headers } }, 'PUT', bucket, undefined, [['cors', null]], body);
  }

  /** GetBucketCors: `GET /?cors` (the rules are in `xml`). */
  getBucketCors(bucket: string, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call(options, 'GET', bucket, undefined, [['cors', null]]);
  }

  /** DeleteBucketCors: `DELETE /?cors`. */
  deleteBucketCors(bucket: string, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call(options, 'DELETE', bucket, undefined, [['cors', null]]);
  }

  /**
   * PostObject: `POST /` to the bucket with a `multipart/form-data` body of `fields`, in order, then
   * the file part (its filename and Content-Type only when given). Not signed in a header: a form
   * carries its own signature among its fields (see `postPolicySignatureV1`).
   */
  postObject(bucket: string, fields: ReadonlyArray<readonly [string, string]>, file: PostObjectFile, options: OperationOptions = {}): Promise<OssResponse> {
    const boundary = `ossemu-form-${randomBytes(12).toString('hex')}`;
    const disposition = (name: string, filename?: string): string =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"` : ''}\r\n`;
    const head =
      fields.map(([name, value]) => `${disposition(name)}\r\n${value}\r\n`).join('') +
      disposition('file', file.filename) +
      (file.contentType !== undefined ? `Content-Type: ${file.contentType}\r\n` : '') +
      '\r\n';
    const body = Buffer.concat([Buffer.from(head), Buffer.from(file.content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, ...options.headers };
    return this.call({ ...options, signed: false, headers }, 'POST', bucket, undefined, [], body);
  }

  /**
   * PutBucketLifecycle, PutBucketWebsite, PutBucketReferer, PutBucketLogging, PutBucketEncryption or
   * PutBucketTags: `PUT /?<subresource>` with the document as given (its XML is the caller's, so a
   * case can send exactly what an SDK sends).
   */
  putBucketConfiguration(bucket: string, subresource: BucketConfigurationName, document: string, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call({ ...options, headers: { ...XML_CONTENT_TYPE, ...options.headers } }, 'PUT', bucket, undefined, [[subresource, null]], document);
  }

  /** The matching Get…: `GET /?<subresource>` (the document is in `xml`). */
  getBucketConfiguration(bucket: string, subresource: BucketConfigurationName, options: OperationOptions = {}): Promise<OssResponse> {
    return this.call(options, 'GET', bucket, undefined, [[subresource, null]]);
  }

  /** The matching Delete…: `DELETE /?<subresource>`; DeleteBucketTags may name keys (`tagging=k1,k2`). */
  deleteBucketConfiguration(bucket: string, subresource: BucketConfigurationName, options: OperationOptions & { tagKeys?: readonly string[] } = {}): Promise<OssResponse> {
    const value = subresource === 'tagging' && options.tagKeys !== undefined ? options.tagKeys.join(',') : null;
    return this.call(options, 'DELETE', bucket, undefined, [[subresource, value]]);
  }

  /**
   * A browser's CORS preflight: an unsigned `OPTIONS` of the object (or of the bucket, without a
   * key) with `Origin`, `Access-Control-Request-Method` and, when given, `Access-Control-Request-Headers`.
   */
  preflight(bucket: string, key: string | undefined, origin: string, method: string, requestHeaders?: string, options: OperationOptions = {}): Promise<OssResponse> {
    const headers: Record<string, string> = { origin, 'access-control-request-method': method, ...options.headers };
    if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders;
    return this.call({ ...options, signed: false, headers }, 'OPTIONS', bucket, key, []);
  }

  // ------------------------------------------------------------------ plumbing

  private call(options: OperationOptions, method: string, bucket: string | undefined, key: string | undefined, query: QueryEntry[], body?: Body): Promise<OssResponse> {
    const { signatureVersion, signed, dateOverride, additionalHeaders, timeoutMs } = options;
    return this.request({
      method,
      bucket,
      key,
      query: [...query, ...(options.query ?? [])],
      headers: options.headers,
      body,
      signatureVersion,
      signed,
      dateOverride,
      additionalHeaders,
      timeoutMs,
    });
  }

  private async object(options: OperationOptions, method: string, bucket: string, key: string, query: QueryEntry[], body?: Body): Promise<ObjectResponse> {
    const res = await this.call(options, method, bucket, key, query, body);
    return { ...res, ...objectHeaders(res.headers) };
  }
}

/** Query entries for the options that are set, in order. */
function params(entries: Array<[string, string | number | boolean | undefined]>): QueryEntry[] {
  return entries.filter((e): e is [string, string | number | boolean] => e[1] !== undefined).map(([k, v]) => [k, String(v)]);
}

function withField<K extends string, V>(res: OssResponse, name: K, value: V | undefined): OssResponse & { [P in K]?: V } {
  return (value === undefined ? res : { ...res, [name]: value }) as OssResponse & { [P in K]?: V };
}

/** The file part of a PostObject form. */
export interface PostObjectFile {
  content: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A form's V1 signature: base64(HMAC-SHA1(secret, the base64 policy as the form sends it)). */
export function postPolicySignatureV1(accessKeySecret: string, policyBase64: string): string {
  return createHmac('sha1', accessKeySecret).update(policyBase64, 'utf8').digest('base64');
}

/** The bucket configurations set by a document of their own (CORS has its own methods). */
export type BucketConfigurationName = 'lifecycle' | 'website' | 'referer' | 'logging' | 'encryption' | 'tagging' | 'versioning';

/** One rule of PutBucketCors, as sent. */
export interface CorsRuleInput {
  allowedOrigins: readonly string[];
  allowedMethods: readonly string[];
  allowedHeaders?: readonly string[];
  exposeHeaders?: readonly string[];
  maxAgeSeconds?: number;
}
