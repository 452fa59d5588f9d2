/** What the store keeps about buckets and objects; the HTTP layer maps these to headers and XML. */

export type BucketAcl = 'private' | 'public-read' | 'public-read-write';
export type ObjectAcl = 'default' | BucketAcl;
export type ObjectType = 'Normal' | 'Appendable' | 'Multipart' | 'Symlink';

export interface BucketRecord {
  name: string;
  createdAt: number;
  acl: BucketAcl;
  storageClass: string;
  redundancy: string;
  /** The bucket policy as it was sent (JSON text), if one is set. */
  policy?: string;
  /** Its configurations, each present once set (emulator/configs/). */
  configurations: BucketConfigurations;
}

/**
 * A bucket's configurations besides ACL and policy, as their PUT operations set them. Each is kept
 * in the form its GET renders; which of them the emulator acts on: docs/divergences.md.
 */
export interface BucketConfigurations {
  /** PutBucketCors's rules, which preflights and every request with an Origin are answered by. */
  cors?: CorsConfiguration;
  /** PutBucketLifecycle's rules, as validated elements in OSS's order (not applied: nothing expires). */
  lifecycle?: XmlTree[];
  /** PutBucketWebsite's document, as validated elements in OSS's order (not served). */
  website?: XmlTree;
  /** PutBucketReferer's hotlink protection. */
  referer?: RefererConfiguration;
  /** PutBucketLogging's target (no log is written). */
  logging?: LoggingTarget;
  /** PutBucketEncryption's default for objects written without x-oss-server-side-encryption. */
  encryption?: Encryption;
  /** PutBucketTags' tags, in the order sent. */
  tags?: Array<[string, string]>;
  /** The bucket's WORM retention policy (InitiateBucketWorm…), as last written; access/worm.ts says whether it is in force. */
  worm?: WormPolicy;
  /** PutBucketVersioning's status; absent while versioning was never enabled (it can then only be suspended, never removed). */
  versioning?: 'Enabled' | 'Suspended';
}

/** A bucket-level WORM retention policy: objects cannot be deleted or overwritten for `days` after their last change. */
export interface WormPolicy {
  id: string;
  /** InProgress until CompleteBucketWorm locks it; an InProgress policy lapses 24 hours after it was made. */
  state: 'InProgress' | 'Locked';
  days: number;
  /** Epoch ms. */
  createdAt: number;
}

/** Elements as XML holds them: text, or named children in order, where repeated ones form an array. */
export type XmlTree = string | { [name: string]: XmlTree | XmlTree[] };

export interface RefererConfiguration {
  allowEmptyReferer: boolean;
  /** Compare the Referer without its query string (OSS's default: true). Kept only when sent. */
  allowTruncateQueryString?: boolean;
  /** Compare only the Referer's scheme and host (default false); needs allowTruncateQueryString. Kept only when sent. */
  truncatePath?: boolean;
  /** Referer patterns with `*` and `?`, as sent (duplicates kept, empty ones dropped). */
  allowed: string[];
  /** RefererBlacklist's patterns; undefined when not sent. */
  blocked?: string[];
}

export interface LoggingTarget {
  targetBucket: string;
  targetPrefix: string;
  /** The RAM role OSS would write the logs as (LoggingRole), when one was named. */
  loggingRole?: string;
}

/** One CORS rule (PutBucketCors), as OSS keeps it. */
export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  /** Kept lower-cased, as OSS returns them. */
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface CorsConfiguration {
  rules: CorsRule[];
  /** Send `Vary: Origin` on every response of the bucket. */
  responseVary: boolean;
}

/** Standard HTTP headers an object keeps and returns on GET/HEAD, as they were sent. */
export interface StoredHttpHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  type: ObjectType;
  blobId: number;
  size: number;
  crc64: bigint;
  /** Upper-case hex, without quotes. */
  etag: string;
  /** Base64 MD5 of the content, for objects written whole (PutObject). */
  contentMd5?: string;
  lastModified: number;
  acl: ObjectAcl;
  storageClass: string;
  httpHeaders: StoredHttpHeaders;
  /** Lower-case names without the x-oss-meta- prefix, in the order received. */
  userMeta: Array<[string, string]>;
  tags: Array<[string, string]>;
  /** The last RestoreObject of a frozen object; absent if never asked for (or rewritten since). */
  restore?: RestoreState;
  /** The server-side encryption the writer asked for; absent for an object written without. */
  encryption?: Encryption;
  /** A Symlink's target: a key in the same bucket (the link holds no bytes of its own). */
  symlinkTarget?: string;
  /** When SealAppendObject first sealed this appendable object (epoch ms): it takes no more appends. */
  sealedAt?: number;
  /**
   * The version's id where the bucket is or was versioned: OSS's form for a write while versioning
   * is Enabled, `null` for one while it is Suspended. Absent for a write while it never was (its
   * version is `null` too: store/versions.ts).
   */
  versionId?: string;
}

/**
 * Server-side encryption as OSS reports it (`x-oss-server-side-encryption`, `-data-encryption`,
 * `-encryption-key-id`). ossemu keeps bytes as they came: this is what an object says of itself.
 */
export interface Encryption {
  algorithm: 'AES256' | 'KMS' | 'SM4';
  /** With KMS only: the algorithm of the data (SM4); AES256 when absent. */
  dataEncryption?: 'SM4';
  /** With KMS only: the customer master key the writer named. */
  keyId?: string;
}

export interface RestoreState {
  /** When the restored copy becomes readable (epoch ms). */
  readyAt: number;
  /** When it stops being readable (epoch ms). */
  expiresAt: number;
  /** The tier asked for (ColdArchive, DeepColdArchive). */
  tier?: string;
}

/** The parts of an object a writer chooses; size, CRC, ETag and blob come from the bytes. */
export type ObjectAttributes = Pick<ObjectRecord, 'acl' | 'storageClass' | 'httpHeaders' | 'userMeta' | 'tags' | 'encryption'>;
