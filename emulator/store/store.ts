import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc64, crc64Combine } from '../../client/crc64.js';
import { requireMutable, wormInForce } from '../access/worm.js';
import { OssError } from '../errors/oss-error.js';
import { BlobStore } from './blob-store.js';
import type { ByteStore, PendingExtent } from './bytes.js';
import { FileByteStore } from './bytes-files.js';
import { MemoryByteStore } from './bytes-memory.js';
import { Commits } from './commits.js';
import type { StagedBody } from './ingest.js';
import { Journal } from './journal.js';
import { ObjectRecordCache } from './record-cache.js';
import { migrate } from './schema.js';
import { Uploads, type PartRecord, type UploadRecord } from './uploads.js';
import { encryptionOf, toObject, toRow, type ObjectRow } from './object-rows.js';
import { newVersionId, NULL_VERSION_ID, Versions, type NoncurrentVersion } from './versions.js';
import { prefixSuccessor } from '../util/key-order.js';
import type { BucketAcl, BucketConfigurations, BucketRecord, Encryption, ObjectAcl, ObjectAttributes, ObjectRecord, ObjectType, RestoreState } from './types.js';

export interface StoreOptions {
  /** Folder for the database file; undefined keeps everything in memory. */
  dataDir?: string;
  /** `full` fsyncs every commit (survives power loss); `normal` survives process crashes. */
  sync?: 'normal' | 'full';
}

/** Outside Standard, OSS bills an object under 64 KiB as 64 KiB (GetBucketStat's *Storage figures). */
const MIN_BILLED_BYTES = 64 * 1024;

/** GetBucketStat's figures: object versions per storage class (noncurrent ones too), delete markers, and multipart uploads in progress. */
export interface BucketStat {
  byClass: ReadonlyMap<string, { objects: number; bytes: number; billedBytes: number }>;
  deleteMarkers: number;
  uploads: number;
  parts: number;
  partBytes: number;
}

/** The largest appendable object OSS allows: 5 GiB. */
export const MAX_APPENDABLE_SIZE = 5 * 1024 ** 3;

interface BucketRow {
  name: string;
  created_at: number;
  acl: BucketAcl;
  storage_class: string;
  redundancy: string;
  policy: string | null;
  configurations: string | null;
}

/** A bucket as PutBucket makes it: no policy and no configurations yet. */
export type NewBucket = Pick<BucketRecord, 'name' | 'createdAt' | 'acl' | 'storageClass' | 'redundancy'>;

/** The object an append was checked and streamed against: the commit verifies it is unchanged. */
export interface AppendSeed {
  crc64: bigint;
  /** The object's blob, when the object existed at the pre-check. */
  blobId?: number;
}

/** One AppendObject to commit. */
export interface AppendRequest {
  bucket: string;
  key: string;
  position: number;
  staged: StagedBody;
  seed: AppendSeed;
  /** Used only if this append creates the object; later appends keep the stored ones. */
  attributes: () => ObjectAttributes;
  /** An explicit x-oss-object-acl: the one attribute a later append does change. */
  aclChange?: ObjectAcl;
  now: number;
}

/** What an append leaves the object at, and the encryption its creating append chose (every append's response shows it). */
export type AppendResult = Pick<ObjectRecord, 'size' | 'crc64' | 'etag' | 'lastModified' | 'encryption' | 'versionId'>;

/**
 * An append to an existing appendable object that is still exactly as its pre-check saw it: the
 * common case, deferred and journaled (commits.ts). Everything needed to apply it again after a
 * crash, on the state it was first applied to.
 */
interface InPlaceAppend {
  bucket: string;
  key: string;
  blobId: number;
  position: number;
  /** CRC-64 of the object before this append, as a decimal string (like every CRC stored). */
  seedCrc: string;
  size: number;
  crc64: string;
  etag: string;
  lastModified: number;
  /** An explicit x-oss-object-acl, else null. */
  acl: ObjectAcl | null;
  extents: PendingExtent[];
}

/** The fields the append rules need, read without decoding metadata. */
export interface AppendTarget {
  size: number;
  crc64: bigint;
  blobId: number;
  encryption?: Encryption;
  lastModified: number;
  versionId?: string;
}

/** What a read of a version found: the version, or (OSS answers differently) a delete marker. */
export type VersionLookup = { deleteMarker: false; record: ObjectRecord } | { deleteMarker: true; versionId: string; lastModified: number };

/** A key's versions as ListObjectVersions shows them, newest first: the current one (if any), then the rest. */
export interface KeyVersions {
  key: string;
  current?: ObjectRecord;
  noncurrent: NoncurrentVersion[];
}

/** Buckets and objects: metadata in SQLite (every mutation one transaction), bytes in a byte store. */
export class Store {
  readonly db: Db;
  readonly blobs: BlobStore;
  /** Multipart uploads in progress; change them inside `atomically`. */
  readonly uploads: Uploads;
  /** Noncurrent versions and delete markers of versioned buckets' objects; change them inside `atomically`. */
  readonly versions: Versions;
  readonly location: string;
  /** The database file's inode when opened: a different one means the file was replaced under us. */
  private readonly inode?: number;
  private readonly q: Record<string, Statement>;
  private readonly bucketCache = new Map<string, BucketRecord | undefined>();
  private readonly commits: Commits<InPlaceAppend>;
  /**
   * What recent appends left their objects at (deferred ones included), so that the next append
   * is checked without a query: an entry is exact, because this store is the only writer of its
   * database and every write that changes whether or where its object may be appended (replacing,
   * removing or sealing it) drops the object's entry. An
   * append whose object has no entry (forgotten, or never appended to here) takes the general
   * path, which checks in SQLite.
   */
  private readonly appendStates = new Map<string, AppendTarget>();
  /** Records read recently, for GET and HEAD; every write below forgets the key it writes. */
  private readonly records = new ObjectRecordCache();

  constructor(options: StoreOptions = {}) {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    this.location = options.dataDir ? join(options.dataDir, 'ossemu.sqlite') : ':memory:';
    this.db = new Database(this.location);
    // Whatever fails from here (a locked or foreign database, a newer schema, an unreadable journal or
    // extent file) must not leave the database locked or files open: a caller may report the error
    // and go on, or try again.
    let journal: Journal<InPlaceAppend> | undefined;
    let bytes: ByteStore | undefined;
    try {
      if (options.dataDir) {
        this.db.pragma('journal_mode = WAL');
        // One emulator process owns its database: exclusive locking saves two lock syscalls per
        // transaction (other processes can read the file once the emulator has stopped).
        this.db.pragma('locking_mode = EXCLUSIVE');
        this.inode = statSync(this.location).ino;
      }
      this.db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
      // Metadata only lives here; a small page cache keeps the process's memory low.
      this.db.pragma('cache_size = -4000');
      migrate(this.db);
      const fsync = options.sync === 'full';
      journal = options.dataDir ? new Journal<InPlaceAppend>(join(options.dataDir, 'append-journal'), fsync) : undefined;
      const byteStore = options.dataDir ? new FileByteStore(options.dataDir, fsync) : new MemoryByteStore();
      bytes = byteStore;
      this.commits = new Commits(this.db, journal, {
        apply: (writes) => this.applyInPlaceAppends(writes),
        beforeCommit: () => byteStore.writePending(),
      });
      this.blobs = new BlobStore(this.db, byteStore, this.commits);
      this.uploads = new Uploads(this.db, this.blobs);
      this.versions = new Versions(this.db);
      this.q = prepareQueries(this.db);
      // Appends a crash kept out of SQLite first: recovery keeps only the bytes committed extents name.
      this.commits.replay((write, heldBody) => {
        if (heldBody) this.blobs.bytes.restore(write.extents[0]!.source, write.extents[0]!.position, heldBody);
        return this.applyInPlaceAppend(write);
      });
      this.blobs.recover();
    } catch (error) {
      journal?.close();
      bytes?.close();
      this.db.close();
      throw error;
    }
  }

  /** Runs `body` in one transaction, committed before this returns: all of it, or (if it throws) none of it. */
  atomically<T>(body: () => T): T {
    return this.commits.atomically(body);
  }

  /** Commits every deferred append now (they are durable through the journal already). */
  flush(): void {
    this.commits.flush();
  }

  close(): void {
    this.commits.close();
    if (this.db.open) this.db.close();
    this.blobs.bytes.close();
  }

  /**
   * Whether the database is usable: it answers queries and, on disk, its file is still the one we
   * opened, readable and writable by its owner, and starts with SQLite's header. (An open
   * connection keeps working on a deleted or chmod-ed file, so the query alone would say yes.)
   * Returns the reason when it is not.
   */
  healthProblem(): string | undefined {
    try {
      this.counts();
      if (this.inode === undefined) return undefined;
      const stat = statSync(this.location);
      if (stat.ino !== this.inode) return `${this.location} was replaced`;
      if ((stat.mode & 0o600) !== 0o600) return `${this.location} is not readable and writable by its owner`;
      const header = Buffer.alloc(16);
      const fd = openSync(this.location, 'r');
      try {
        readSync(fd, header, 0, 16, 0);
      } finally {
        closeSync(fd);
      }
      if (header.toString('latin1') !== 'SQLite format 3\0') return `${this.location} is not an SQLite database any more`;
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  // ---- buckets -------------------------------------------------------------------------------

  /** Buckets change rarely and this process owns the database, so they are cached. */
  getBucket(name: string): BucketRecord | undefined {
    if (!this.bucketCache.has(name)) {
      const row = this.q.getBucket!.get(name) as BucketRow | undefined;
      this.bucketCache.set(name, row && toBucket(row));
    }
    return this.bucketCache.get(name);
  }

  requireBucket(name: string): BucketRecord {
    const bucket = this.getBucket(name);
    if (!bucket) throw new OssError('NoSuchBucket', { details: [['BucketName', name]] });
    return bucket;
  }

  /** Buckets after `marker` whose names start with `prefix`, in name order. */
  listBuckets(prefix: string, marker: string, limit: number): BucketRecord[] {
    return (this.q.listBuckets!.all(marker, prefix, limit) as BucketRow[]).filter((r) => r.name.startsWith(prefix)).map(toBucket);
  }

  createBucket(bucket: NewBucket): void {
    this.atomically(() => this.q.insertBucket!.run(bucket));
    this.bucketCache.delete(bucket.name);
  }

  setBucketAcl(name: string, acl: BucketAcl): void {
    this.atomically(() => this.q.setBucketAcl!.run(acl, name));
    this.bucketCache.delete(name);
  }

  /** Sets (text) or removes (undefined) the bucket's policy. */
  setBucketPolicy(name: string, policy: string | undefined): void {
    this.atomically(() => this.q.setBucketPolicy!.run(policy ?? null, name));
    this.bucketCache.delete(name);
  }

  /**
   * Sets (a value) or removes (undefined) one of the bucket's configurations, checking the bucket in
   * the same transaction: the operation read its body first, and the bucket may be gone by then.
   */
  setBucketConfiguration<K extends keyof BucketConfigurations>(name: string, kind: K, value: BucketConfigurations[K] | undefined): void {
    this.updateBucketConfiguration(name, kind, () => value);
  }

  /**
   * Reads and rewrites one of the bucket's configurations in one transaction: `update` sees the
   * current value and returns the next (undefined removes it), or throws to change nothing.
   */
  updateBucketConfiguration<K extends keyof BucketConfigurations>(
    name: string,
    kind: K,
    update: (current: BucketConfigurations[K] | undefined) => BucketConfigurations[K] | undefined,
  ): void {
    this.atomically(() => {
      const configurations: BucketConfigurations = { ...this.requireBucket(name).configurations };
      const value = update(configurations[kind]);
      if (value === undefined) delete configurations[kind];
      else configurations[kind] = value;
      this.q.setBucketConfigurations!.run(Object.keys(configurations).length === 0 ? null : JSON.stringify(configurations), name);
    });
    this.bucketCache.delete(name);
    // A retention policy now in force: appends must be checked against it, not answered from memory.
    if (kind === 'worm') this.appendStates.clear();
  }

  deleteBucket(name: string): void {
    this.atomically(() => {
      this.requireBucket(name);
      // Unfinished multipart uploads keep a bucket from being deleted, as objects do.
      if (this.q.anyObject!.get(name) || this.versions.anyIn(name) || this.uploads.anyIn(name)) throw new OssError('BucketNotEmpty', { details: [['BucketName', name]] });
      this.q.deleteBucket!.run(name);
    });
    this.bucketCache.delete(name);
  }

  /** Drops every object and bucket (or one bucket and its objects): the admin reset. */
  purge(bucket?: string): void {
    this.atomically(() => {
      const names = bucket === undefined ? this.listBuckets('', '', Number.MAX_SAFE_INTEGER).map((b) => b.name) : [bucket];
      for (const name of names) {
        for (const row of this.q.blobsOfBucket!.all(name) as Array<{ blob_id: number }>) this.blobs.markGarbage(row.blob_id);
        for (const blobId of this.versions.blobsOf(name)) this.blobs.markGarbage(blobId);
        this.q.deleteObjectsOfBucket!.run(name);
        this.versions.purge(name);
        this.uploads.purge(name);
        this.appendStates.clear();
        this.records.clear();
        this.q.deleteBucket!.run(name);
      }
    });
    this.bucketCache.clear();
  }

  /**
   * What a bucket holds, counted now: per storage class the objects, their bytes, and their bytes
   * as billed (an object under 64 KiB counts as 64 KiB outside Standard); the multipart uploads
   * in progress and their parts.
   */
  bucketStat(bucket: string): BucketStat {
    this.requireBucket(bucket);
    this.commits.applyDeferred(); // appends not yet applied count too
    const byClass = new Map<string, { objects: number; bytes: number; billedBytes: number }>();
    const rows = [...(this.q.statByClass!.all(bucket) as ClassStatRow[]), ...(this.q.versionStatByClass!.all(bucket) as ClassStatRow[])];
    for (const row of rows) {
      const sum = byClass.get(row.storage_class) ?? { objects: 0, bytes: 0, billedBytes: 0 };
      byClass.set(row.storage_class, { objects: sum.objects + row.objects, bytes: sum.bytes + row.bytes, billedBytes: sum.billedBytes + row.billed });
    }
    const deleteMarkers = (this.q.countDeleteMarkers!.get(bucket) as { n: number }).n;
    return { byClass, deleteMarkers, ...this.uploads.stat(bucket) };
  }

  counts(): { buckets: number; objects: number } {
    return {
      buckets: (this.q.countBuckets!.get() as { n: number }).n,
      objects: (this.q.countObjects!.get() as { n: number }).n,
    };
  }

  // ---- objects -------------------------------------------------------------------------------

  getObject(bucket: string, key: string): ObjectRecord | undefined {
    // Inside a transaction (a write's, or the deferred appends' batch) rows may yet roll back or
    // be this write's own: those are read from SQLite and never remembered.
    const cacheable = !this.db.inTransaction;
    const remembered = cacheable ? this.records.get(bucket, key) : undefined;
    if (remembered) return remembered; // no deferred append to it is pending: deferring one forgets it
    this.commits.applyDeferred();
    const row = this.q.getObject!.get(bucket, key) as ObjectRow | undefined;
    if (!row) return undefined;
    const record = toObject(row);
    return cacheable && !this.db.inTransaction ? this.records.remember(record) : record;
  }

  /** The key's current object; NoSuchKey without one, saying so when a delete marker is the newest version (as OSS does). */
  requireObject(bucket: string, key: string): ObjectRecord {
    this.requireBucket(bucket);
    const object = this.getObject(bucket, key);
    if (object) return object;
    const newest = this.versions.newest(bucket, key);
    const headers = newest?.deleteMarker ? { 'x-oss-delete-marker': 'true', 'x-oss-version-id': newest.versionId } : undefined;
    throw new OssError('NoSuchKey', { details: [['Key', key]], ...(headers ? { headers } : {}) });
  }

  /**
   * One version of a key by its id: the current object when the id is its own (`null` for one
   * written while the bucket was not versioned), else a noncurrent version or delete marker.
   */
  findVersion(bucket: string, key: string, versionId: string): VersionLookup | undefined {
    this.requireBucket(bucket);
    const current = this.getObject(bucket, key);
    if (current && isVersion(current, versionId)) return { deleteMarker: false, record: current };
    const version = this.versions.get(bucket, key, versionId);
    if (!version) return undefined;
    return version.deleteMarker ? { deleteMarker: true, versionId, lastModified: version.lastModified } : { deleteMarker: false, record: version.record };
  }

  /**
   * The object version a read names (the current object without an id): NoSuchVersion for an id
   * the key never had, and 405 MethodNotAllowed for a delete marker's (404 for a copy's source),
   * as OSS answers them.
   */
  requireVersion(bucket: string, key: string, versionId: string | undefined, { asCopySource = false, method = 'GET' } = {}): ObjectRecord {
    if (versionId === undefined) return this.requireObject(bucket, key);
    const found = this.findVersion(bucket, key, versionId);
    if (!found) throw new OssError('NoSuchVersion', { details: [['Key', key], ['VersionId', versionId]] });
    const markerHeaders = { 'x-oss-delete-marker': 'true', 'x-oss-version-id': versionId };
    // A copy whose source version is a delete marker is 404 (OSS's EC page 0016-00000307 names no code: ours).
    if (found.deleteMarker && asCopySource) throw new OssError('NoSuchKey', { ec: '0016-00000307', headers: markerHeaders, details: [['Key', key]] });
    if (found.deleteMarker) {
      throw new OssError('MethodNotAllowed', {
        headers: { ...markerHeaders, Allow: 'DELETE' },
        details: [['Method', method], ['ResourceType', 'DeleteMarker']],
      });
    }
    return found.record;
  }

  /**
   * Every version of each key of a bucket after `after` (or from it, with `includeAfter`) that starts
   * with `prefix`, in key order (ListObjectVersions). As iterateObjects, the consumer may answer a
   * yield with a prefix to skip.
   */
  *iterateVersions(bucket: string, prefix: string, after: string, includeAfter = false): Generator<KeyVersions, void, string | undefined> {
    yield* this.walkKeys(prefix, after, includeAfter, (cursor, inclusive) => {
      const row = (inclusive ? this.q.firstObjectFrom! : this.q.nextObject!).get(bucket, cursor, prefix) as ObjectRow | undefined;
      const versionKey = this.versions.nextKey(bucket, cursor, prefix, inclusive);
      const key = row === undefined || (versionKey !== undefined && versionKey < row.key) ? versionKey : row.key;
      if (key === undefined) return undefined;
      const current = row?.key === key ? toObject(row) : undefined;
      return { key, item: { key, ...(current ? { current } : {}), noncurrent: this.versions.ofKey(bucket, key) } };
    });
  }

  /**
   * Objects of a bucket with keys after `after` and starting with `prefix`, in key order. The
   * consumer may answer a yield with a prefix whose keys it wants skipped (a common prefix).
   */
  *iterateObjects(bucket: string, prefix: string, after: string): Generator<ObjectRecord, void, string | undefined> {
    yield* this.walkKeys(prefix, after, false, (cursor, inclusive) => {
      const row = (inclusive ? this.q.firstObjectFrom! : this.q.nextObject!).get(bucket, cursor, prefix) as ObjectRow | undefined;
      return row && { key: row.key, item: toObject(row) };
    });
  }

  /**
   * Walks keys in order from `after` (itself included if `inclusive`) while they start with
   * `prefix`: `find` gives the first key past its cursor and what to yield for it. A yield answered
   * with a prefix skips every key under it.
   */
  private *walkKeys<T>(
    prefix: string,
    after: string,
    inclusive: boolean,
    find: (cursor: string, inclusive: boolean) => { key: string; item: T } | undefined,
  ): Generator<T, void, string | undefined> {
    let cursor = after;
    for (;;) {
      this.commits.applyDeferred(); // appends may arrive while a listing is paged through
      const found = find(cursor, inclusive);
      if (!found || !found.key.startsWith(prefix)) return;
      const skipPrefix = yield found.item;
      if (skipPrefix === undefined) {
        cursor = found.key;
        inclusive = false;
        continue;
      }
      const next = prefixSuccessor(skipPrefix);
      if (next === undefined) return;
      cursor = next;
      inclusive = true;
    }
  }

  /**
   * Makes a fully staged body the object's content, replacing whatever was there (PutObject).
   * With `forbidOverwrite`, an existing object is left alone and FileAlreadyExists thrown. With
   * `ignoreRetention` (seeding, a test tool like the admin reset) a WORM policy does not stop it.
   */
  putObject(
    bucket: string,
    key: string,
    staged: StagedBody,
    attributes: ObjectAttributes,
    options: { forbidOverwrite?: boolean; type?: ObjectType; etag: string; now: number; ignoreRetention?: boolean },
  ): ObjectRecord {
    return this.atomically(() => {
      this.requireBucket(bucket);
      const existing = this.objectToReplace(bucket, key, options.forbidOverwrite, undefined, options.ignoreRetention);
      const blobId = this.blobs.newBlob();
      this.blobs.attach(blobId, 0, staged.extents);
      const record: ObjectRecord = {
        bucket,
        key,
        type: options.type ?? 'Normal',
        blobId,
        size: staged.size,
        crc64: staged.crc64,
        etag: options.etag,
        contentMd5: staged.md5,
        lastModified: options.now,
        ...attributes,
      };
      this.replaceObject(record, existing);
      return record;
    });
  }

  /**
   * PutSymlink: the key becomes a Symlink to `target` (in the same bucket, existing or not),
   * replacing whatever was there unless `forbidOverwrite` finds it. OSS describes a link as if its
   * content were its target's name (the size listings and GetObjectMeta show). Those bytes are not
   * stored: a link's blob is empty and its size has nothing behind it, so nothing may read a link's
   * blob (GET and HEAD read the target; UploadPartCopy refuses a link; CopyObject clones the empty blob).
   */
  putSymlink(
    bucket: string,
    key: string,
    target: string,
    attributes: ObjectAttributes,
    options: { forbidOverwrite?: boolean; etag: string; now: number },
  ): ObjectRecord {
    return this.atomically(() => {
      this.requireBucket(bucket);
      const existing = this.objectToReplace(bucket, key, options.forbidOverwrite);
      const name = Buffer.from(target, 'utf8');
      const record: ObjectRecord = {
        bucket,
        key,
        type: 'Symlink',
        blobId: this.blobs.newBlob(),
        size: name.length,
        crc64: crc64(name),
        etag: options.etag,
        lastModified: options.now,
        ...attributes,
        symlinkTarget: target,
      };
      this.replaceObject(record, existing);
      return record;
    });
  }

  /**
   * CopyObject, in one transaction: reads the source and lets `plan` check it and say what the
   * copy keeps, restore state and seal included (or throw; or return undefined for no copy, when an
   * x-oss-copy-source-if-* condition finds the source unchanged). The destination becomes an
   * object (Normal unless `plan` says) over the same stored bytes (`BlobStore.cloneBlob`);
   * whatever it held is replaced, unless `forbidOverwrite` finds it there.
   */
  copyObject(
    from: { bucket: string; key: string; versionId?: string },
    to: { bucket: string; key: string },
    plan: (source: ObjectRecord) => { attributes: ObjectAttributes; etag: string; type?: ObjectType; restore?: RestoreState; sealedAt?: number } | undefined,
    options: { forbidOverwrite?: boolean; now: number },
  ): ObjectRecord | undefined {
    return this.atomically(() => {
      const source = this.requireVersion(from.bucket, from.key, from.versionId, { asCopySource: true });
      const planned = plan(source);
      if (!planned) return undefined;
      const { attributes, etag, restore, sealedAt, type = 'Normal' } = planned;
      this.requireBucket(to.bucket);
      const existing = this.objectToReplace(to.bucket, to.key, options.forbidOverwrite);
      const blobId = this.blobs.cloneBlob(source.blobId);
      const record: ObjectRecord = {
        bucket: to.bucket,
        key: to.key,
        type,
        blobId,
        size: source.size,
        crc64: source.crc64,
        etag,
        contentMd5: source.contentMd5,
        lastModified: options.now,
        ...attributes,
        ...(restore ? { restore } : {}),
        ...(type === 'Symlink' ? { symlinkTarget: source.symlinkTarget! } : {}),
        ...(sealedAt !== undefined ? { sealedAt } : {}),
      };
      this.replaceObject(record, existing);
      if (restore) this.q.setObjectRestore!.run(restore.readyAt, restore.expiresAt, restore.tier ?? null, to.bucket, to.key);
      return record;
    });
  }

  /**
   * CompleteMultipartUpload, in one transaction: the upload must still be in progress; `plan`
   * checks its parts (and throws for a missing one, a wrong ETag, an order or size OSS refuses)
   * and names the ones that make the object, in order. The object is a Multipart object over the
   * parts' stored bytes (no byte is copied); the upload ends, and with it every part not used.
   */
  completeUpload(
    upload: { bucket: string; key: string; id: string },
    plan: (upload: UploadRecord) => { parts: readonly PartRecord[]; etag: string },
    options: { forbidOverwrite?: boolean; acl?: ObjectAcl; now: number },
  ): ObjectRecord {
    return this.atomically(() => {
      this.requireBucket(upload.bucket);
      const current = this.uploads.require(upload.bucket, upload.key, upload.id);
      const { parts, etag } = plan(current);
      const existing = this.objectToReplace(upload.bucket, upload.key, options.forbidOverwrite, '0042-00000214');
      const blobId = this.blobs.newBlob();
      let size = 0;
      let crc = 0n;
      for (const part of parts) {
        this.blobs.cloneInto(blobId, size, part.blobId);
        crc = crc64Combine(crc, part.crc64, part.size);
        size += part.size;
      }
      this.uploads.end(current);
      const record: ObjectRecord = {
        bucket: upload.bucket,
        key: upload.key,
        type: 'Multipart',
        blobId,
        size,
        crc64: crc,
        etag,
        lastModified: options.now,
        ...current.attributes,
        // Complete's, never Initiate's (ops/multipart.ts; an upload an older ossemu began may hold one).
        acl: options.acl ?? 'default',
      };
      this.replaceObject(record, existing);
      return record;
    });
  }

  /**
   * The object a write to this key replaces, if any. With `forbidOverwrite` there must be none:
   * FileAlreadyExists (with the EC of the operation asking, where OSS has one). Writes check it in
   * their transaction; PutObject also before reading its body, to refuse at once.
   */
  objectToReplace(bucket: string, key: string, forbidOverwrite: boolean | undefined, ec?: string, ignoreRetention = false): ObjectRecord | undefined {
    const existing = this.getObject(bucket, key);
    // A versioned bucket keeps what a write replaces, so OSS ignores the header there.
    if (existing && forbidOverwrite && this.versioningOf(bucket) === undefined) throw new OssError('FileAlreadyExists', { ec, details: [['Key', key]] });
    if (existing && !ignoreRetention && this.replacingDestroys(bucket)) this.requireMutable(bucket, existing);
    return existing;
  }

  /**
   * Whether a write or plain delete destroys the current object (which a retention policy may
   * forbid). With versioning Enabled it is kept as a noncurrent version; OSS allows a policy only
   * then or without versioning (configs/versioning.ts, ops/bucket-worm.ts), so a Suspended bucket,
   * where a `null` version is replaced, has none.
   */
  private replacingDestroys(bucket: string): boolean {
    return this.versioningOf(bucket) !== 'Enabled';
  }

  /** FileImmutable while the bucket's WORM retention policy protects the object (access/worm.ts). */
  private requireMutable(bucket: string, object: { key: string; lastModified: number }): void {
    requireMutable(this.getBucket(bucket)?.configurations.worm, object.key, object.lastModified, Date.now());
  }

  /** Whether the bucket has a WORM retention policy in force. */
  private hasWormInForce(bucket: string): boolean {
    return wormInForce(this.getBucket(bucket)?.configurations.worm, Date.now()) !== undefined;
  }

  /** DeleteObject's checks without the deletion, for DeleteMultipleObjects to refuse a request before it deletes anything. */
  checkDeletable(bucket: string, key: string, versionId?: string): void {
    if (versionId === undefined && !this.replacingDestroys(bucket)) return;
    const found = versionId === undefined ? this.getObject(bucket, key) : this.findVersion(bucket, key, versionId);
    const object = found && 'deleteMarker' in found ? (found.deleteMarker ? undefined : found.record) : found;
    if (object) this.requireMutable(bucket, object);
  }

  /**
   * Inside a transaction: `record` becomes the object at its key, as a new version where the bucket
   * is versioned (its id set here), and what was there (`existing`) stops being current.
   */
  private replaceObject(record: ObjectRecord, existing: ObjectRecord | undefined): void {
    const versionId = this.newVersionIdIn(record.bucket);
    if (versionId === undefined) delete record.versionId;
    else record.versionId = versionId;
    this.retireCurrent(record.bucket, record.key, existing);
    this.appendStates.delete(appendStateKey(record.bucket, record.key));
    this.records.forget(record.bucket, record.key);
    this.q.upsertObject!.run(toRow(record));
  }

  /** A bucket's versioning status: undefined while it was never enabled. */
  private versioningOf(bucket: string): 'Enabled' | 'Suspended' | undefined {
    return this.getBucket(bucket)?.configurations.versioning;
  }

  /** The id of a version written now: a new one while versioning is Enabled, `null` while Suspended, none if never versioned. */
  private newVersionIdIn(bucket: string): string | undefined {
    const status = this.versioningOf(bucket);
    return status === 'Enabled' ? newVersionId() : status === 'Suspended' ? NULL_VERSION_ID : undefined;
  }

  /**
   * Inside a transaction, before a write or a delete marker takes the key: the current object
   * (`existing`, whose row the caller then overwrites or deletes) stops being current. Never
   * versioned, it goes (its bytes become garbage). Versioned, it is kept as a noncurrent version,
   * except that a `null` version is replaced by the next `null` one, which every write and delete
   * makes while versioning is Suspended.
   */
  private retireCurrent(bucket: string, key: string, existing: ObjectRecord | undefined): void {
    const status = this.versioningOf(bucket);
    if (status === undefined) {
      if (existing) this.blobs.markGarbage(existing.blobId);
      return;
    }
    if (status === 'Suspended') {
      const nullVersion = this.versions.get(bucket, key, NULL_VERSION_ID);
      if (nullVersion) this.dropNoncurrent(nullVersion);
    }
    if (!existing) return;
    if (status === 'Suspended' && (existing.versionId ?? NULL_VERSION_ID) === NULL_VERSION_ID) this.blobs.markGarbage(existing.blobId);
    else this.versions.archiveCurrent(bucket, key);
  }

  /** Inside a transaction: a noncurrent version (or delete marker) is gone for good. */
  private dropNoncurrent(version: NoncurrentVersion): void {
    this.versions.remove(version);
    if (!version.deleteMarker) this.blobs.markGarbage(version.record.blobId);
  }

  /**
   * Commits an append: re-checks, atomically with the write, that the object is still
   * appendable and exactly `position` bytes long, then attaches the staged bytes. A rejected
   * append throws (and `commitStaged` removes its bytes).
   *
   * `attributes` apply only when this append creates the object; on later appends only an
   * explicit object ACL changes anything (the Go SDK's integration test against real OSS shows both).
   */
  appendObject(request: AppendRequest): AppendResult {
    const inPlace = this.appendInPlace(request);
    if (inPlace) return inPlace;
    const record = this.atomically(() => this.appendChecked(request));
    // Under a retention policy every append is checked against it (the object's protection grows with each append).
    if (!this.hasWormInForce(request.bucket)) this.rememberAppend(appendStateKey(request.bucket, request.key), record);
    return record;
  }

  private rememberAppend(stateKey: string, { size, crc64, blobId, encryption, lastModified, versionId }: AppendTarget): void {
    if (this.appendStates.size >= MAX_APPEND_STATES) this.appendStates.clear();
    this.appendStates.set(stateKey, { size, crc64, blobId, encryption, lastModified, ...(versionId !== undefined ? { versionId } : {}) });
  }

  /** In a bucket that is or was versioned an append keeps the version's Last-Modified: it makes no new version (facts §1). */
  private appendedAt(bucket: string, before: number, now: number): number {
    return this.versioningOf(bucket) === undefined ? now : before;
  }

  /**
   * The common case, deferred and journaled: a non-empty append to an existing object that is
   * still exactly what the pre-check saw. Undefined when it is not (the general path decides).
   */
  private appendInPlace({ bucket, key, position, staged, seed, aclChange, now }: AppendRequest): AppendResult | undefined {
    if (seed.blobId === undefined || staged.size === 0) return undefined;
    // The object must still be exactly what the pre-check saw: this is the atomic position check.
    const stateKey = appendStateKey(bucket, key);
    const current = this.appendStates.get(stateKey);
    if (current?.size !== position || current.blobId !== seed.blobId || current.crc64 !== seed.crc64) return undefined;
    const size = position + staged.size;
    if (size > MAX_APPENDABLE_SIZE) throw appendTooLarge();
    const lastModified = this.appendedAt(bucket, current.lastModified, now);
    const write: InPlaceAppend = {
      bucket,
      key,
      blobId: seed.blobId,
      position,
      seedCrc: seed.crc64.toString(),
      size,
      crc64: staged.crc64.toString(),
      etag: appendableEtag(size, staged.crc64),
      lastModified,
      acl: aclChange ?? null,
      extents: staged.extents,
    };
    // A body the writer held back (staged.pending) travels in the journal record: one write in all.
    this.commits.defer(write, staged.pending);
    this.records.forget(bucket, key);
    this.rememberAppend(stateKey, { ...current, size, crc64: staged.crc64, lastModified });
    return {
      size,
      crc64: staged.crc64,
      etag: write.etag,
      lastModified,
      ...(current.encryption ? { encryption: current.encryption } : {}),
      ...(current.versionId !== undefined ? { versionId: current.versionId } : {}),
    };
  }

  /**
   * Applies deferred appends in order. A run of appends to one object, each where the one before
   * ended, is applied as one: nobody read the states in between (every read applies what is
   * deferred first), so only the last one's size, CRC, ETag and time, and the last ACL given,
   * need writing, and their bytes are one contiguous range of the object.
   */
  private applyInPlaceAppends(writes: readonly InPlaceAppend[]): boolean {
    for (let start = 0; start < writes.length; ) {
      const first = writes[start]!;
      let last = first;
      let acl = first.acl;
      const extents = [...first.extents];
      let end = start + 1;
      for (; end < writes.length; end++) {
        const next = writes[end]!;
        if (next.bucket !== first.bucket || next.key !== first.key || next.blobId !== first.blobId || next.position !== last.size) break;
        extents.push(...next.extents);
        acl = next.acl ?? acl;
        last = next;
      }
      const run = end - start === 1 ? first : { ...last, position: first.position, seedCrc: first.seedCrc, acl, extents };
      if (!this.applyInPlaceAppend(run)) return false;
      start = end;
    }
    return true;
  }

  /**
   * One statement that is both the check and the update: it changes the object only if it is
   * still appendable, `position` bytes long, on the same blob and CRC. Then the bytes are attached.
   */
  private applyInPlaceAppend(write: InPlaceAppend): boolean {
    if (this.q.appendInPlace!.run(write).changes !== 1) return false;
    this.blobs.attach(write.blobId, write.position, write.extents);
    return true;
  }

  /** The general append: checks every rule against the object as it is now. */
  private appendChecked({ bucket, key, position, staged, seed, attributes, aclChange, now }: AppendRequest): ObjectRecord {
    this.records.forget(bucket, key);
    const target = this.checkAppendableNow(bucket, key, position);
    if (!target) {
      const blobId = this.blobs.newBlob();
      this.blobs.attach(blobId, 0, staged.extents);
      const record: ObjectRecord = {
        bucket,
        key,
        type: 'Appendable',
        blobId,
        size: staged.size,
        crc64: staged.crc64,
        etag: appendableEtag(staged.size, staged.crc64),
        lastModified: now,
        ...attributes(),
      };
      // Creating it is a write like any other: a new version where the bucket is versioned.
      this.replaceObject(record, undefined);
      return record;
    }
    const existing = this.getObject(bucket, key)!;
    if (existing.size + staged.size > MAX_APPENDABLE_SIZE) throw appendTooLarge();
    this.blobs.attach(existing.blobId, existing.size, staged.extents);
    // The body was streamed against the CRC seen at the pre-check; if the object changed in
    // between (deleted and re-created to the same length), re-base the CRC on the current bytes.
    const crc = existing.crc64 === seed.crc64 ? staged.crc64 : rebaseCrc(staged, seed.crc64, existing.crc64);
    const size = existing.size + staged.size;
    const record: ObjectRecord = {
      ...existing,
      size,
      crc64: crc,
      etag: staged.size === 0 ? existing.etag : appendableEtag(size, crc),
      lastModified: this.appendedAt(bucket, existing.lastModified, now),
      acl: aclChange ?? existing.acl,
    };
    this.q.upsertObject!.run(toRow(record));
    return record;
  }

  /**
   * The pre-check of an append, before its body is read: the append rules (below), answered from
   * the remembered state when it confirms `position` (the commit checks again).
   */
  checkAppendable(bucket: string, key: string, position: number): AppendTarget | undefined {
    const known = this.appendStates.get(appendStateKey(bucket, key));
    if (known?.size !== position) return this.checkAppendableNow(bucket, key, position);
    this.requireBucket(bucket);
    return known;
  }

  /**
   * The append rules of OSS, against the object as stored now: Normal and Multipart objects are
   * never appendable; otherwise the position must equal the current length (0 when absent).
   * Returns the current object, if any.
   */
  private checkAppendableNow(bucket: string, key: string, position: number): AppendTarget | undefined {
    this.requireBucket(bucket);
    this.commits.applyDeferred();
    const row = this.q.appendTarget!.get(bucket, key) as AppendTargetRow | undefined;
    if (row && row.type !== 'Appendable') throw new OssError('ObjectNotAppendable', { details: [['Key', key]] });
    if (row?.sealed_at != null) throw appendToSealed(key);
    if (row) this.requireMutable(bucket, { key, lastModified: row.last_modified });
    checkPosition(position, row?.size ?? 0);
    return (
      row && {
        size: row.size,
        crc64: BigInt(row.crc64),
        blobId: row.blob_id,
        ...encryptionOf(row.encryption),
        lastModified: row.last_modified,
        ...(row.version_id !== null ? { versionId: row.version_id } : {}),
      }
    );
  }

  /**
   * SealAppendObject: the appendable object at `key`, exactly `position` bytes long, takes no
   * more appends from now on. Sealing again (at the same length) keeps the first time. Appends
   * deferred before it are applied first, so the length checked is the one acknowledged.
   */
  sealObject(bucket: string, key: string, position: number, now: number): ObjectRecord {
    return this.atomically(() => {
      this.requireBucket(bucket);
      this.commits.applyDeferred();
      const object = this.requireObject(bucket, key);
      if (object.type !== 'Appendable') throw new OssError('AppendSealedObjectNotAllowed', { details: [['Key', key]] });
      checkPosition(position, object.size);
      if (object.sealedAt !== undefined) return object;
      this.q.sealObject!.run(now, bucket, key);
      // The fast path of appends trusts what it remembers: it must not remember this object as appendable.
      this.appendStates.delete(appendStateKey(bucket, key));
      this.records.forget(bucket, key);
      return { ...object, sealedAt: now };
    });
  }

  /**
   * DeleteObject without a version id. Never versioned, the object goes. Versioned, a delete marker
   * becomes the newest version (even over another one, as OSS does) and the current object, if any,
   * a noncurrent version; the marker's id is returned.
   */
  deleteObject(bucket: string, key: string, now = Date.now()): { deleteMarker?: string } {
    return this.atomically(() => {
      this.requireBucket(bucket);
      const existing = this.getObject(bucket, key);
      if (existing && this.replacingDestroys(bucket)) this.requireMutable(bucket, existing);
      const markerId = this.newVersionIdIn(bucket);
      if (!existing && markerId === undefined) return {};
      this.retireCurrent(bucket, key, existing);
      if (existing) this.forgetCurrent(bucket, key);
      if (markerId === undefined) return {};
      this.versions.addDeleteMarker(bucket, key, markerId, now);
      return { deleteMarker: markerId };
    });
  }

  /**
   * DeleteObject of one version: it is gone for good, whichever it is. When that was the newest,
   * the next newest becomes current (an object version, or a delete marker that makes the key read
   * as deleted). An id the key does not have deletes nothing. Says whether it was a delete marker.
   */
  deleteVersion(bucket: string, key: string, versionId: string): { deleteMarker: boolean } {
    return this.atomically(() => {
      const found = this.findVersion(bucket, key, versionId);
      if (!found) return { deleteMarker: false };
      if (!found.deleteMarker) this.requireMutable(bucket, found.record);
      const current = this.getObject(bucket, key);
      if (current && isVersion(current, versionId)) {
        this.forgetCurrent(bucket, key);
        this.blobs.markGarbage(current.blobId);
      } else {
        this.dropNoncurrent(this.versions.get(bucket, key, versionId)!);
      }
      if (!this.getObject(bucket, key)) {
        const newest = this.versions.newest(bucket, key);
        if (newest && !newest.deleteMarker) this.versions.promote(newest);
        this.records.forget(bucket, key);
      }
      return { deleteMarker: found.deleteMarker };
    });
  }

  /** Inside a transaction: the key's current object row goes (its bytes are the caller's business). */
  private forgetCurrent(bucket: string, key: string): void {
    this.q.deleteObject!.run(bucket, key);
    this.appendStates.delete(appendStateKey(bucket, key));
    this.records.forget(bucket, key);
  }

  /** PutObjectAcl, of the current object or of the version named. */
  setObjectAcl(bucket: string, key: string, acl: ObjectAcl, versionId?: string): void {
    this.changeVersion(bucket, key, versionId, {
      current: () => this.q.setObjectAcl!.run(acl, bucket, key),
      noncurrent: (version) => this.versions.setAcl(version, acl),
    });
  }

  /** PutObjectTagging and DeleteObjectTagging, of the current object or of the version named. */
  setObjectTags(bucket: string, key: string, tags: Array<[string, string]>, versionId?: string): void {
    this.changeVersion(bucket, key, versionId, {
      current: () => this.q.setObjectTags!.run(JSON.stringify(tags), bucket, key),
      noncurrent: (version) => this.versions.setTags(version, tags),
    });
  }

  /** One transaction that finds the version a change names (as a read would: requireVersion) and changes its row. */
  private changeVersion(
    bucket: string,
    key: string,
    versionId: string | undefined,
    change: { current: () => void; noncurrent: (version: NoncurrentVersion & { deleteMarker: false }) => void },
  ): void {
    this.atomically(() => {
      this.requireVersion(bucket, key, versionId);
      const current = this.getObject(bucket, key);
      if (versionId === undefined || (current && isVersion(current, versionId))) {
        this.records.forget(bucket, key);
        change.current();
        return;
      }
      const version = this.versions.get(bucket, key, versionId!);
      if (version && !version.deleteMarker) change.noncurrent(version);
    });
  }

  /** RestoreObject, of the current object or of the version named. */
  setObjectRestore(bucket: string, key: string, restore: RestoreState, versionId?: string): void {
    this.changeVersion(bucket, key, versionId, {
      current: () => this.q.setObjectRestore!.run(restore.readyAt, restore.expiresAt, restore.tier ?? null, bucket, key),
      noncurrent: (version) => this.versions.setRestore(version, restore),
    });
  }
}

interface ClassStatRow {
  storage_class: string;
  objects: number;
  bytes: number;
  billed: number;
}

interface AppendTargetRow {
  type: ObjectType;
  size: number;
  crc64: string;
  blob_id: number;
  encryption: string | null;
  sealed_at: number | null;
  last_modified: number;
  version_id: string | null;
}

/** An append or a seal names the length it expects the object to have: anything else is a conflict. */
function checkPosition(position: number, length: number): void {
  if (position !== length) throw new OssError('PositionNotEqualToLength', { headers: { 'x-oss-next-append-position': String(length) } });
}

/** An append to an object SealAppendObject has sealed (docs/divergences.md: the status and message are our choice). */
function appendToSealed(key: string): OssError {
  return new OssError('AppendSealedObjectNotAllowed', { message: 'The object has been sealed (SealAppendObject) and cannot be appended to.', details: [['Key', key]] });
}

/** Whether the object is the version with this id (`null` for one written while its bucket was never versioned). */
function isVersion(object: ObjectRecord, versionId: string): boolean {
  return (object.versionId ?? NULL_VERSION_ID) === versionId;
}

/** Objects whose last append is remembered (appendStates); past this the memory starts over. */
const MAX_APPEND_STATES = 4096;

function appendStateKey(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

export function appendTooLarge(): OssError {
  return new OssError('InvalidArgument', {
    message: 'The object size after append exceeds the maximum allowed size of an appendable object (5 GB).',
    ec: '0026-00000018',
  });
}

/**
 * ETag of an appendable object: OSS shows 24 hex digits and eight zeros, not an MD5. Ours is the
 * CRC-64 (16 hex digits) and the low 32 bits of the length (8), so it changes with every
 * non-empty append, is the same for the same content, and costs no hashing.
 */
export function appendableEtag(size: number, crc: bigint): string {
  const length = (size % 2 ** 32).toString(16).padStart(8, '0');
  return (crc.toString(16).padStart(16, '0') + length).toUpperCase() + '00000000';
}

/** crc(body) = staged ⊕ shift(seed); then continue from the actual prefix CRC instead. */
function rebaseCrc(staged: StagedBody, seed: bigint, actual: bigint): bigint {
  const bodyOnly = staged.crc64 ^ crc64Combine(seed, 0n, staged.size);
  return crc64Combine(actual, bodyOnly, staged.size);
}

/**
 * The configurations as this store wrote them. Text that is not an object (edited by hand, say)
 * counts as none, rather than failing every request to the bucket.
 */
function readStoredConfigurations(text: string | null): BucketConfigurations {
  if (text === null) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as BucketConfigurations) : {};
  } catch {
    return {};
  }
}

function toBucket(row: BucketRow): BucketRecord {
  const bucket: BucketRecord = {
    name: row.name,
    createdAt: row.created_at,
    acl: row.acl,
    storageClass: row.storage_class,
    redundancy: row.redundancy,
    configurations: readStoredConfigurations(row.configurations),
  };
  if (row.policy !== null) bucket.policy = row.policy;
  return bucket;
}

/** The statements the store runs, prepared once. */
function prepareQueries(db: Db): Record<string, Statement> {
  return {
    getBucket: db.prepare('SELECT * FROM buckets WHERE name = ?'),
    listBuckets: db.prepare('SELECT * FROM buckets WHERE name > ? AND name >= ? ORDER BY name LIMIT ?'),
    insertBucket: db.prepare(
      'INSERT INTO buckets (name, created_at, acl, storage_class, redundancy) VALUES (@name, @createdAt, @acl, @storageClass, @redundancy)',
    ),
    setBucketAcl: db.prepare('UPDATE buckets SET acl = ? WHERE name = ?'),
    setBucketPolicy: db.prepare('UPDATE buckets SET policy = ? WHERE name = ?'),
    setBucketConfigurations: db.prepare('UPDATE buckets SET configurations = ? WHERE name = ?'),
    deleteBucket: db.prepare('DELETE FROM buckets WHERE name = ?'),
    anyObject: db.prepare('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1'),
    countBuckets: db.prepare('SELECT COUNT(*) AS n FROM buckets'),
    countObjects: db.prepare('SELECT COUNT(*) AS n FROM objects'),
    statByClass: db.prepare(
      `SELECT storage_class, COUNT(*) AS objects, SUM(size) AS bytes, SUM(MAX(size, ${MIN_BILLED_BYTES})) AS billed
       FROM objects WHERE bucket = ? GROUP BY storage_class`,
    ),
    versionStatByClass: db.prepare(
      `SELECT storage_class, COUNT(*) AS objects, SUM(size) AS bytes, SUM(MAX(size, ${MIN_BILLED_BYTES})) AS billed
       FROM object_versions WHERE bucket = ? AND delete_marker = 0 GROUP BY storage_class`,
    ),
    countDeleteMarkers: db.prepare('SELECT COUNT(*) AS n FROM object_versions WHERE bucket = ? AND delete_marker = 1'),
    getObject: db.prepare('SELECT * FROM objects WHERE bucket = ? AND key = ?'),
    nextObject: db.prepare('SELECT * FROM objects WHERE bucket = ? AND key > ? AND key >= ? ORDER BY key LIMIT 1'),
    firstObjectFrom: db.prepare('SELECT * FROM objects WHERE bucket = ? AND key >= ? AND key >= ? ORDER BY key LIMIT 1'),
    upsertObject: db.prepare(
      `INSERT OR REPLACE INTO objects
         (bucket, key, type, blob_id, size, crc64, etag, content_md5, last_modified, acl, storage_class, http_headers, user_meta, tags, encryption, symlink_target, sealed_at, version_id)
       VALUES (@bucket, @key, @type, @blob_id, @size, @crc64, @etag, @content_md5, @last_modified, @acl, @storage_class, @http_headers, @user_meta, @tags, @encryption, @symlink_target, @sealed_at, @version_id)`,
    ),
    deleteObject: db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?'),
    setObjectAcl: db.prepare('UPDATE objects SET acl = ? WHERE bucket = ? AND key = ?'),
    setObjectTags: db.prepare('UPDATE objects SET tags = ? WHERE bucket = ? AND key = ?'),
    setObjectRestore: db.prepare('UPDATE objects SET restore_ready_at = ?, restore_expires_at = ?, restore_tier = ? WHERE bucket = ? AND key = ?'),
    blobsOfBucket: db.prepare('SELECT blob_id FROM objects WHERE bucket = ?'),
    appendTarget: db.prepare('SELECT type, size, crc64, blob_id, encryption, sealed_at, last_modified, version_id FROM objects WHERE bucket = ? AND key = ?'),
    appendInPlace: db.prepare(
      `UPDATE objects SET size = @size, crc64 = @crc64, etag = @etag, last_modified = @lastModified, acl = COALESCE(@acl, acl)
       WHERE bucket = @bucket AND key = @key AND type = 'Appendable' AND sealed_at IS NULL AND size = @position AND blob_id = @blobId AND crc64 = @seedCrc`,
    ),
    sealObject: db.prepare('UPDATE objects SET sealed_at = ? WHERE bucket = ? AND key = ? AND sealed_at IS NULL'),
    deleteObjectsOfBucket: db.prepare('DELETE FROM objects WHERE bucket = ?'),
  };
}
