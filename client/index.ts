/**
 * `ossemu/client`: a small, transparent OSS client. Every call returns the raw exchange
 * (status, headers, body, parsed XML, parsed error); non-2xx responses are returned, not thrown.
 */
export { OssClient, postPolicySignatureV1 } from './operations.js';
export type {
  ObjectAcl,
  BucketAcl,
  OperationOptions,
  GetObjectOptions,
  RestoreObjectOptions,
  DeleteMultipleOptions,
  ListObjectsOptions,
  ListObjectsV2Options,
  ListBucketsOptions,
  PutBucketOptions,
  ObjectResponse,
  AppendObjectResponse,
  ListObjectsResponse,
  ListObjectsV2Response,
  ListBucketsResponse,
  AclResponse,
  TaggingResponse,
  DeleteMultipleResponse,
  BucketInfoResponse,
  BucketLocationResponse,
  BucketStatResponse,
  CopyObjectResponse,
  InitiateMultipartUploadResponse,
  ListPartsResponse,
  ListMultipartUploadsResponse,
  BucketConfigurationName,
  PostObjectFile,
  CorsRuleInput,
} from './operations.js';
export { OssCore } from './core.js';
export type { CallOptions, OssRequest, OssResponse, SentRequest, PresignOptions, PresignedRequest, RawRequest } from './core.js';
export { resolveConfig, buildAddress, encodeKey, encodeQuery } from './config.js';
export type { OssClientOptions, ClientConfig, Address, Addressing, SignatureVersion, QueryEntry } from './config.js';
export { OssServiceError, OssTransportError, parseServiceError } from './errors.js';
export type { Body } from './transport.js';
export type {
  ObjectHeaders,
  ListedObject,
  ListObjectsResult,
  ListObjectsV2Result,
  ListBucketsResult,
  BucketSummary,
  BucketInfo,
  AclResult,
  CopyObjectResult,
  ListedPart,
  ListPartsResult,
  ListedUpload,
  ListMultipartUploadsResult,
  Owner,
} from './results.js';
export type { XmlObject } from './xml.js';
export { crc64, crc64Combine, crc64ToString, Crc64 } from './crc64.js';
