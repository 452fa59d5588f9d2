import type { Encryption, ObjectAcl, ObjectRecord, ObjectType } from './types.js';

/** An object version as SQLite holds it: a row of `objects` (the current version) or of `object_versions`. */
export interface ObjectRow {
  bucket: string;
  key: string;
  type: ObjectType;
  blob_id: number;
  size: number;
  crc64: string;
  etag: string;
  content_md5: string | null;
  last_modified: number;
  acl: ObjectAcl;
  storage_class: string;
  http_headers: string;
  user_meta: string;
  tags: string;
  restore_ready_at?: number | null;
  restore_expires_at?: number | null;
  restore_tier?: string | null;
  encryption?: string | null;
  symlink_target?: string | null;
  sealed_at?: number | null;
  version_id?: string | null;
}

export function toObject(row: ObjectRow): ObjectRecord {
  return {
    bucket: row.bucket,
    key: row.key,
    type: row.type,
    blobId: row.blob_id,
    size: row.size,
    crc64: BigInt(row.crc64),
    etag: row.etag,
    contentMd5: row.content_md5 ?? undefined,
    lastModified: row.last_modified,
    acl: row.acl,
    storageClass: row.storage_class,
    httpHeaders: JSON.parse(row.http_headers) as ObjectRecord['httpHeaders'],
    userMeta: JSON.parse(row.user_meta) as Array<[string, string]>,
    tags: JSON.parse(row.tags) as Array<[string, string]>,
    ...(row.restore_ready_at != null && row.restore_expires_at != null
      ? { restore: { readyAt: row.restore_ready_at, expiresAt: row.restore_expires_at, ...(row.restore_tier != null ? { tier: row.restore_tier } : {}) } }
      : {}),
    ...encryptionOf(row.encryption),
    ...(row.symlink_target != null ? { symlinkTarget: row.symlink_target } : {}),
    ...(row.sealed_at != null ? { sealedAt: row.sealed_at } : {}),
    ...(row.version_id != null ? { versionId: row.version_id } : {}),
  };
}

/** An object's stored encryption (JSON, or NULL when written without), as a record field. */
export function encryptionOf(column: string | null | undefined): { encryption?: Encryption } {
  return column != null ? { encryption: JSON.parse(column) as Encryption } : {};
}

export function toRow(record: ObjectRecord): ObjectRow {
  return {
    bucket: record.bucket,
    key: record.key,
    type: record.type,
    blob_id: record.blobId,
    size: record.size,
    crc64: record.crc64.toString(),
    etag: record.etag,
    content_md5: record.contentMd5 ?? null,
    last_modified: record.lastModified,
    acl: record.acl,
    storage_class: record.storageClass,
    http_headers: JSON.stringify(record.httpHeaders),
    user_meta: JSON.stringify(record.userMeta),
    tags: JSON.stringify(record.tags),
    encryption: record.encryption ? JSON.stringify(record.encryption) : null,
    symlink_target: record.symlinkTarget ?? null,
    sealed_at: record.sealedAt ?? null,
    version_id: record.versionId ?? null,
  };
}
