import type { Database, Statement } from 'better-sqlite3';
import { Readable } from 'node:stream';

/**
 * Object bytes: immutable chunks addressed through extents. A blob is written as
 * 'staging', becomes 'live' when an object (or an append) takes it, and 'garbage' when its object
 * is replaced or deleted. Garbage is removed once no reader still streams it; staging and
 * garbage left by a crash are removed at start-up.
 */
export class BlobStore {
  /** Bytes per stored chunk: bounds the memory a write or read holds at once. */
  static readonly CHUNK_SIZE = 1024 * 1024;

  private readonly readers = new Map<number, number>();
  private collectScheduled = false;
  private readonly stmt: {
    newBlob: Statement<[string]>;
    setState: Statement<[string, number]>;
    insertChunk: Statement<[Buffer]>;
    insertExtent: Statement<[number, number, number, number | bigint]>;
    moveExtents: Statement<[number, number, number]>;
    extentAt: Statement<[number, number]>;
    extentCovering: Statement<[number, number]>;
    garbage: Statement<[]>;
    deleteChunks: Statement<[number]>;
    deleteExtents: Statement<[number]>;
    deleteBlob: Statement<[number]>;
    leftovers: Statement<[]>;
  };

  constructor(private readonly db: Database) {
    this.stmt = {
      newBlob: db.prepare('INSERT INTO blobs (state) VALUES (?)'),
      setState: db.prepare('UPDATE blobs SET state = ? WHERE id = ?'),
      insertChunk: db.prepare('INSERT INTO chunks (data) VALUES (?)'),
      insertExtent: db.prepare('INSERT INTO extents (blob_id, offset, length, chunk_id) VALUES (?, ?, ?, ?)'),
      moveExtents: db.prepare('UPDATE extents SET blob_id = ?, offset = offset + ? WHERE blob_id = ?'),
      extentAt: db.prepare(
        'SELECT e.offset AS offset, c.data AS data FROM extents e JOIN chunks c ON c.id = e.chunk_id WHERE e.blob_id = ? AND e.offset = ?',
      ),
      extentCovering: db.prepare(
        `SELECT e.offset AS offset, c.data AS data FROM extents e JOIN chunks c ON c.id = e.chunk_id
         WHERE e.blob_id = ? AND e.offset <= ? ORDER BY e.offset DESC LIMIT 1`,
      ),
      garbage: db.prepare("SELECT id FROM blobs WHERE state = 'garbage'"),
      deleteChunks: db.prepare('DELETE FROM chunks WHERE id IN (SELECT chunk_id FROM extents WHERE blob_id = ?)'),
      deleteExtents: db.prepare('DELETE FROM extents WHERE blob_id = ?'),
      deleteBlob: db.prepare('DELETE FROM blobs WHERE id = ?'),
      leftovers: db.prepare("SELECT id FROM blobs WHERE state IN ('staging', 'garbage')"),
    };
  }

  /** Removes what a crash left behind: staged uploads never committed and unreclaimed garbage. */
  recover(): void {
    const ids = (this.stmt.leftovers.all() as Array<{ id: number }>).map((r) => r.id);
    this.db.transaction(() => ids.forEach((id) => this.destroy(id)))();
  }

  newStagingBlob(): number {
    return Number(this.stmt.newBlob.run('staging').lastInsertRowid);
  }

  /** Creates a live, empty blob (an object of zero bytes, or the start of an appendable one). */
  newLiveBlob(): number {
    return Number(this.stmt.newBlob.run('live').lastInsertRowid);
  }

  /** Stores one chunk of a staging blob at the given offset. */
  writeChunk(blobId: number, offset: number, data: Buffer): void {
    this.db.transaction(() => {
      const chunkId = this.stmt.insertChunk.run(data).lastInsertRowid;
      this.stmt.insertExtent.run(blobId, offset, data.length, chunkId);
    })();
  }

  /** Must run inside the caller's transaction: the staged bytes become part of `target` at `offset`. */
  attach(stagingId: number, target: number, offset: number): void {
    this.stmt.moveExtents.run(target, offset, stagingId);
    this.stmt.deleteBlob.run(stagingId);
  }

  /** Inside the caller's transaction: the blob now holds an object's bytes. */
  markLive(blobId: number): void {
    this.stmt.setState.run('live', blobId);
  }

  /** Inside the caller's transaction: the blob is no longer reachable; reclaim it when unread. */
  markGarbage(blobId: number): void {
    this.stmt.setState.run('garbage', blobId);
    this.scheduleCollect();
  }

  /** Drops a staging blob whose upload was rejected or aborted. */
  discard(blobId: number): void {
    // Closed during shutdown: the staging blob is removed by recover() at the next start.
    if (!this.db.open) return;
    if (this.readers.has(blobId)) return this.markGarbage(blobId);
    this.db.transaction(() => this.destroy(blobId))();
  }

  /**
   * Streams bytes [start, end) of a blob. The blob is pinned while the stream is open, so
   * replacing or deleting its object meanwhile does not cut the download short.
   */
  createReadStream(blobId: number, start: number, end: number): Readable {
    this.readers.set(blobId, (this.readers.get(blobId) ?? 0) + 1);
    let position = start;
    let nextExtent: number | undefined;
    const stmt = this.stmt;
    return new Readable({
      highWaterMark: BlobStore.CHUNK_SIZE,
      read() {
        if (position >= end) return void this.push(null);
        // The first read seeks to the extent covering `start`; extents are contiguous after that.
        const row = (nextExtent === undefined
          ? stmt.extentCovering.get(blobId, position)
          : stmt.extentAt.get(blobId, nextExtent)) as { offset: number; data: Buffer } | undefined;
        if (!row) return void this.destroy(new Error(`blob ${blobId} has no bytes at ${position}`));
        const to = Math.min(row.data.length, end - row.offset);
        const piece = row.data.subarray(position - row.offset, to);
        nextExtent = row.offset + row.data.length;
        position = row.offset + to;
        this.push(piece);
      },
      destroy: (error, callback) => {
        this.release(blobId);
        callback(error);
      },
    });
  }

  private release(blobId: number): void {
    const left = (this.readers.get(blobId) ?? 1) - 1;
    if (left === 0) this.readers.delete(blobId);
    else this.readers.set(blobId, left);
    this.scheduleCollect();
  }

  private scheduleCollect(): void {
    if (this.collectScheduled) return;
    this.collectScheduled = true;
    setImmediate(() => {
      this.collectScheduled = false;
      this.collectGarbage();
    });
  }

  /** Deletes the bytes of garbage blobs nobody is reading. */
  collectGarbage(): void {
    if (!this.db.open) return;
    const ids = (this.stmt.garbage.all() as Array<{ id: number }>).map((r) => r.id).filter((id) => !this.readers.has(id));
    for (const id of ids) this.db.transaction(() => this.destroy(id))();
  }

  private destroy(blobId: number): void {
    this.stmt.deleteChunks.run(blobId);
    this.stmt.deleteExtents.run(blobId);
    this.stmt.deleteBlob.run(blobId);
  }
}
