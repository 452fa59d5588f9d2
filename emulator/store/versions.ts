import type { Database, Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { toObject, type ObjectRow } from './object-rows.js';
import type { ObjectRecord, RestoreState } from './types.js';

/** The id of the version written while a bucket was never versioned, or while versioning was suspended. */
export const NULL_VERSION_ID = 'null';

/** A version that is not its key's current object: an object version, or a delete marker. */
export type NoncurrentVersion =
  | { deleteMarker: false; seq: number; record: ObjectRecord & { versionId: string } }
  | { deleteMarker: true; seq: number; bucket: string; key: string; versionId: string; lastModified: number };

interface VersionRow extends ObjectRow {
  seq: number;
  version_id: string;
  delete_marker: number;
}

/** What `objects` and `object_versions` both hold of a version, besides its address and id. */
const CONTENT_COLUMNS =
  'type, blob_id, size, crc64, etag, content_md5, last_modified, acl, storage_class, http_headers, user_meta, tags, ' +
  'restore_ready_at, restore_expires_at, restore_tier, encryption, symlink_target, sealed_at';

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Base-62 digits of the creation stamp in an id: 62^10 is past 8·10^17, a stamp (µs since 1970) about 2·10^15. */
const STAMP_DIGITS = 10;
let lastStamp = 0;

/**
 * A new version id. OSS's are 64 characters of base64 starting `CAEQ` (a protobuf header), which
 * hold the version's creation time and a sequence number. Ours have that form too: after `CAEQ`,
 * a creation stamp (microseconds, strictly increasing in this process) in base 62, then random
 * letters and digits. The stamp says where a version stood among its key's versions even once it
 * is gone, which paging by version-id-marker needs (ops/versions.ts). No character needs escaping in a URL.
 */
export function newVersionId(): string {
  lastStamp = Math.max(Date.now() * 1000, lastStamp + 1);
  let stamp = '';
  for (let rest = lastStamp; stamp.length < STAMP_DIGITS; rest = Math.floor(rest / 62)) stamp = ID_ALPHABET[rest % 62]! + stamp;
  let random = '';
  for (const byte of randomBytes(64 - 4 - STAMP_DIGITS)) random += ID_ALPHABET[byte % 62];
  return `CAEQ${stamp}${random}`;
}

/** When an id this emulator made was created (newVersionId), to order it among versions; undefined for `null` or another's id. */
export function versionStamp(versionId: string): number | undefined {
  if (!/^CAEQ[0-9A-Za-z]{60}$/.test(versionId)) return undefined;
  let stamp = 0;
  for (const digit of versionId.slice(4, 4 + STAMP_DIGITS)) stamp = stamp * 62 + ID_ALPHABET.indexOf(digit);
  return stamp;
}

/**
 * The noncurrent versions of versioned buckets' objects, and their delete markers, in SQLite
 * (`object_versions`). A key's current version is its row in `objects`; every version it replaced
 * is here, newest with the highest seq. The current version is always newer than all of these, and
 * a key with no current version is absent or has a delete marker as its newest version. Methods
 * that change anything run inside the caller's transaction; keeping the blobs of versions live and
 * making those of removed ones garbage is the caller's business.
 */
export class Versions {
  private readonly q: Record<string, Statement>;

  constructor(db: Database) {
    this.q = {
      nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM object_versions WHERE bucket = ? AND key = ?'),
      archiveCurrent: db.prepare(
        `INSERT INTO object_versions (bucket, key, seq, version_id, delete_marker, ${CONTENT_COLUMNS})
         SELECT bucket, key, @seq, COALESCE(version_id, '${NULL_VERSION_ID}'), 0, ${CONTENT_COLUMNS} FROM objects WHERE bucket = @bucket AND key = @key`,
      ),
      addMarker: db.prepare(
        `INSERT INTO object_versions (bucket, key, seq, version_id, delete_marker, type, blob_id, size, crc64, etag, last_modified, acl, storage_class, http_headers, user_meta, tags)
         VALUES (@bucket, @key, @seq, @versionId, 1, 'DeleteMarker', 0, 0, '0', '', @lastModified, 'default', '', '{}', '[]', '[]')`,
      ),
      promote: db.prepare(
        `INSERT INTO objects (bucket, key, version_id, ${CONTENT_COLUMNS})
         SELECT bucket, key, version_id, ${CONTENT_COLUMNS} FROM object_versions WHERE bucket = ? AND key = ? AND seq = ?`,
      ),
      byId: db.prepare('SELECT * FROM object_versions WHERE bucket = ? AND key = ? AND version_id = ?'),
      newest: db.prepare('SELECT * FROM object_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1'),
      ofKey: db.prepare('SELECT * FROM object_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC'),
      remove: db.prepare('DELETE FROM object_versions WHERE bucket = ? AND key = ? AND seq = ?'),
      setAcl: db.prepare('UPDATE object_versions SET acl = ? WHERE bucket = ? AND key = ? AND seq = ?'),
      setTags: db.prepare('UPDATE object_versions SET tags = ? WHERE bucket = ? AND key = ? AND seq = ?'),
      setRestore: db.prepare('UPDATE object_versions SET restore_ready_at = ?, restore_expires_at = ?, restore_tier = ? WHERE bucket = ? AND key = ? AND seq = ?'),
      anyIn: db.prepare('SELECT 1 FROM object_versions WHERE bucket = ? LIMIT 1'),
      blobsOf: db.prepare('SELECT blob_id FROM object_versions WHERE bucket = ? AND delete_marker = 0'),
      purge: db.prepare('DELETE FROM object_versions WHERE bucket = ?'),
      // The first key after `after` (or from it, inclusive) that has noncurrent versions.
      nextKey: db.prepare('SELECT key FROM object_versions WHERE bucket = ? AND key > ? AND key >= ? ORDER BY key LIMIT 1'),
      firstKeyFrom: db.prepare('SELECT key FROM object_versions WHERE bucket = ? AND key >= ? AND key >= ? ORDER BY key LIMIT 1'),
    };
  }

  /** The current version (the `objects` row at this key, which the caller then replaces or deletes) becomes the newest noncurrent one. */
  archiveCurrent(bucket: string, key: string): void {
    this.q.archiveCurrent!.run({ bucket, key, seq: this.nextSeq(bucket, key) });
  }

  /** A delete marker becomes the key's newest version (there must be no current one). */
  addDeleteMarker(bucket: string, key: string, versionId: string, lastModified: number): void {
    this.q.addMarker!.run({ bucket, key, seq: this.nextSeq(bucket, key), versionId, lastModified });
  }

  get(bucket: string, key: string, versionId: string): NoncurrentVersion | undefined {
    const row = this.q.byId!.get(bucket, key, versionId) as VersionRow | undefined;
    return row && toVersion(row);
  }

  newest(bucket: string, key: string): NoncurrentVersion | undefined {
    const row = this.q.newest!.get(bucket, key) as VersionRow | undefined;
    return row && toVersion(row);
  }

  /** The key's noncurrent versions, newest first. */
  ofKey(bucket: string, key: string): NoncurrentVersion[] {
    return (this.q.ofKey!.all(bucket, key) as VersionRow[]).map(toVersion);
  }

  remove(version: NoncurrentVersion): void {
    const { bucket, key } = version.deleteMarker ? version : version.record;
    this.q.remove!.run(bucket, key, version.seq);
  }

  /** The version becomes the key's current one (the caller has made sure there is none, and that it is no delete marker). */
  promote(version: NoncurrentVersion & { deleteMarker: false }): void {
    const { bucket, key } = version.record;
    this.q.promote!.run(bucket, key, version.seq);
    this.q.remove!.run(bucket, key, version.seq);
  }

  setAcl(version: NoncurrentVersion & { deleteMarker: false }, acl: string): void {
    this.q.setAcl!.run(acl, version.record.bucket, version.record.key, version.seq);
  }

  setTags(version: NoncurrentVersion & { deleteMarker: false }, tags: Array<[string, string]>): void {
    this.q.setTags!.run(JSON.stringify(tags), version.record.bucket, version.record.key, version.seq);
  }

  setRestore(version: NoncurrentVersion & { deleteMarker: false }, restore: RestoreState): void {
    this.q.setRestore!.run(restore.readyAt, restore.expiresAt, restore.tier ?? null, version.record.bucket, version.record.key, version.seq);
  }

  anyIn(bucket: string): boolean {
    return this.q.anyIn!.get(bucket) !== undefined;
  }

  /** The blobs of a bucket's noncurrent object versions (not delete markers, which have none). */
  blobsOf(bucket: string): number[] {
    return (this.q.blobsOf!.all(bucket) as Array<{ blob_id: number }>).map((row) => row.blob_id);
  }

  purge(bucket: string): void {
    this.q.purge!.run(bucket);
  }

  /** The first key with noncurrent versions after `after` (or from it, when `inclusive`) that is at or after `from`. */
  nextKey(bucket: string, after: string, from: string, inclusive: boolean): string | undefined {
    const row = (inclusive ? this.q.firstKeyFrom! : this.q.nextKey!).get(bucket, after, from) as { key: string } | undefined;
    return row?.key;
  }

  private nextSeq(bucket: string, key: string): number {
    return (this.q.nextSeq!.get(bucket, key) as { seq: number }).seq;
  }
}

function toVersion(row: VersionRow): NoncurrentVersion {
  if (row.delete_marker !== 0) {
    return { deleteMarker: true, seq: row.seq, bucket: row.bucket, key: row.key, versionId: row.version_id, lastModified: row.last_modified };
  }
  return { deleteMarker: false, seq: row.seq, record: { ...toObject(row), versionId: row.version_id } };
}
