import type { Database, Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { OssError } from '../errors/oss-error.js';
import type { BlobStore } from './blob-store.js';
import { toSecond } from '../util/http-date.js';
import type { ObjectAttributes } from './types.js';

/** A multipart upload in progress (InitiateMultipartUpload until Complete or Abort). */
export interface UploadRecord {
  /** 32 upper-case hex digits, as OSS's. */
  id: string;
  bucket: string;
  key: string;
  /** Epoch ms. */
  initiated: number;
  /** What the completed object gets: from InitiateMultipartUpload's headers. */
  attributes: ObjectAttributes;
}

export interface PartRecord {
  partNumber: number;
  blobId: number;
  size: number;
  /** Upper-case hex MD5 of the part, without quotes. */
  etag: string;
  crc64: bigint;
  /** Epoch ms. */
  lastModified: number;
}

interface UploadRow {
  id: string;
  bucket: string;
  key: string;
  initiated: number;
  attributes: string;
}

interface PartRow {
  part_number: number;
  blob_id: number;
  size: number;
  etag: string;
  crc64: string;
  last_modified: number;
}

/**
 * Multipart uploads and their parts, in SQLite. A part's bytes are a live blob of its own until
 * the upload ends: Complete makes the object's blob from the parts' extents (no byte is copied),
 * Abort makes them garbage. Methods that change anything run inside the caller's transaction.
 */
export class Uploads {
  private readonly q: Record<string, Statement>;

  constructor(
    db: Database,
    private readonly blobs: BlobStore,
  ) {
    this.q = {
      insert: db.prepare('INSERT INTO uploads (id, bucket, key, initiated, attributes) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare('SELECT * FROM uploads WHERE id = ?'),
      remove: db.prepare('DELETE FROM uploads WHERE id = ?'),
      any: db.prepare('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1'),
      stat: db.prepare(
        `SELECT (SELECT COUNT(*) FROM uploads WHERE bucket = @bucket) AS uploads, COUNT(p.upload_id) AS parts, SUM(p.size) AS part_bytes
         FROM uploads u JOIN parts p ON p.upload_id = u.id WHERE u.bucket = @bucket`,
      ),
      ofBucket: db.prepare('SELECT * FROM uploads WHERE bucket = ?'),
      // Key order, then upload id order (as OSS lists them), from after a (key, upload id) marker.
      listFrom: db.prepare(
        `SELECT * FROM uploads WHERE bucket = @bucket AND key >= @prefix AND (key > @key OR (key = @key AND id > @id))
         ORDER BY key, id LIMIT @limit`,
      ),
      putPart: db.prepare(
        'INSERT OR REPLACE INTO parts (upload_id, part_number, blob_id, size, etag, crc64, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      getPart: db.prepare('SELECT * FROM parts WHERE upload_id = ? AND part_number = ?'),
      partsFrom: db.prepare('SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'),
      removeParts: db.prepare('DELETE FROM parts WHERE upload_id = ?'),
    };
  }

  /** A new upload at `now` (epoch ms; OSS keeps the time to the second, the id keeps the order). */
  initiate(bucket: string, key: string, attributes: ObjectAttributes, now: number): UploadRecord {
    const upload = { id: newUploadId(now), bucket, key, initiated: toSecond(now), attributes };
    this.q.insert!.run(upload.id, bucket, key, upload.initiated, JSON.stringify(attributes));
    return upload;
  }

  /**
   * The upload `id` of this object; NoSuchUpload (404) if there is none (never was, or completed or
   * aborted), with the EC of the operation asking (OSS has one per operation).
   */
  require(bucket: string, key: string, id: string, ec?: string): UploadRecord {
    const row = this.q.get!.get(id) as UploadRow | undefined;
    if (!row || row.bucket !== bucket || row.key !== key) throw new OssError('NoSuchUpload', { ec, details: [['UploadId', id]] });
    return toUpload(row);
  }

  /** Makes blob `blobId` (new, holding the part's bytes) part `partNumber`, replacing an earlier upload of that number. */
  putPart(upload: UploadRecord, partNumber: number, blobId: number, part: Omit<PartRecord, 'partNumber' | 'blobId'>): PartRecord {
    const previous = this.getPart(upload, partNumber);
    if (previous) this.blobs.markGarbage(previous.blobId);
    this.q.putPart!.run(upload.id, partNumber, blobId, part.size, part.etag, part.crc64.toString(), part.lastModified);
    return { partNumber, blobId, ...part };
  }

  getPart(upload: UploadRecord, partNumber: number): PartRecord | undefined {
    const row = this.q.getPart!.get(upload.id, partNumber) as PartRow | undefined;
    return row && toPart(row);
  }

  /** Parts numbered after `after`, in order, at most `limit`. */
  parts(upload: UploadRecord, after: number, limit: number): PartRecord[] {
    return (this.q.partsFrom!.all(upload.id, after, limit) as PartRow[]).map(toPart);
  }

  /** Ends the upload: its rows go, and the parts' blobs become garbage (Complete has taken what it needs). */
  end(upload: UploadRecord): void {
    for (const part of this.parts(upload, 0, Number.MAX_SAFE_INTEGER)) this.blobs.markGarbage(part.blobId);
    this.q.removeParts!.run(upload.id);
    this.q.remove!.run(upload.id);
  }

  /**
   * Uploads of a bucket with keys from `prefix`, after the marker, at most `limit`: keys after
   * `key`, and with `uploadId`, that key's uploads after it too.
   */
  list(bucket: string, prefix: string, after: { key: string; uploadId?: string }, limit: number): UploadRecord[] {
    // No id sorts after '\uffff': without one, none of the marker key's uploads come back.
    const rows = this.q.listFrom!.all({ bucket, prefix, key: after.key, id: after.uploadId ?? '\uffff', limit }) as UploadRow[];
    return rows.filter((row) => row.key.startsWith(prefix)).map(toUpload);
  }

  /** The uploads in progress in a bucket, and their parts' count and bytes. */
  stat(bucket: string): { uploads: number; parts: number; partBytes: number } {
    const row = this.q.stat!.get({ bucket }) as { uploads: number; parts: number | null; part_bytes: number | null };
    return { uploads: row.uploads, parts: row.parts ?? 0, partBytes: row.part_bytes ?? 0 };
  }

  anyIn(bucket: string): boolean {
    return this.q.any!.get(bucket) !== undefined;
  }

  /** Ends every upload of a bucket (the admin reset). */
  purge(bucket: string): void {
    for (const row of this.q.ofBucket!.all(bucket) as UploadRow[]) this.end(toUpload(row));
  }
}

/**
 * 32 upper-case hex digits, as OSS's: the time in ms (12 digits), then 80 random bits. Listings
 * sort a key's uploads by id, so they come in the order they began (within one ms, at random).
 */
function newUploadId(now: number): string {
  return (now.toString(16).padStart(12, '0') + randomBytes(10).toString('hex')).toUpperCase();
}

function toUpload(row: UploadRow): UploadRecord {
  return { id: row.id, bucket: row.bucket, key: row.key, initiated: row.initiated, attributes: JSON.parse(row.attributes) as ObjectAttributes };
}

function toPart(row: PartRow): PartRecord {
  return { partNumber: row.part_number, blobId: row.blob_id, size: row.size, etag: row.etag, crc64: BigInt(row.crc64), lastModified: row.last_modified };
}
