import type { Database, Statement } from 'better-sqlite3';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { ByteStore, PendingExtent } from './bytes.js';
import type { Transactions } from './commits.js';

/** Bytes per push when streaming an object out: bounds the memory a read holds at once. */
const READ_PIECE_BYTES = 1024 * 1024;
/** Extent rows a download fetches per query. */
const EXTENTS_PER_BATCH = 256;
/** Contiguous appends grow one extent row up to this length (extent files rotate at 64 MiB anyway). */
const MAX_EXTENT_BYTES = 64 * 1024 * 1024;

/** `length` bytes of a blob from `offset`, stored at `position` in byte-store source `source`. */
interface Extent {
  offset: number;
  length: number;
  source: number;
  position: number;
}

/**
 * Object contents. A blob is the byte sequence of one object version: a list of extents
 * (blob offset → bytes in the byte store). Committing a body inserts its extents; an append adds
 * extents at the end of the object's blob, so it never touches the bytes already there.
 * A replaced or deleted object's blob becomes 'garbage' and is destroyed once no reader streams it.
 */
export class BlobStore {
  private readonly readers = new Map<number, number>();
  private collectScheduled = false;
  private readonly stmt: {
    newBlob: Statement<[]>;
    setGarbage: Statement<[number]>;
    insertExtent: Statement<[number, number, number, number, number]>;
    cloneExtents: Statement<[number, number, number]>;
    extentsOverlapping: Statement<[number, number, number]>;
    growLastExtent: Statement<{ blobId: number; at: number; source: number; position: number; length: number; max: number }>;
    extentsAfter: Statement<[number, number, number]>;
    extentCovering: Statement<[number, number]>;
    garbage: Statement<[]>;
    sourcesOf: Statement<[number]>;
    deleteExtents: Statement<[number]>;
    deleteBlob: Statement<[number]>;
    sourceUsed: Statement<[number]>;
    sourceEnd: Statement<[number]>;
  };

  constructor(
    private readonly db: Database,
    readonly bytes: ByteStore,
    private readonly commits: Transactions,
  ) {
    bytes.onReclaimable = () => this.scheduleCollect();
    this.stmt = {
      newBlob: db.prepare("INSERT INTO blobs (state) VALUES ('live')"),
      setGarbage: db.prepare("UPDATE blobs SET state = 'garbage' WHERE id = ?"),
      insertExtent: db.prepare('INSERT INTO extents (blob_id, offset, length, source, position) VALUES (?, ?, ?, ?, ?)'),
      cloneExtents: db.prepare('INSERT INTO extents (blob_id, offset, length, source, position) SELECT ?, offset + ?, length, source, position FROM extents WHERE blob_id = ?'),
      extentsOverlapping: db.prepare('SELECT offset, length, source, position FROM extents WHERE blob_id = ? AND offset < ? AND offset + length > ? ORDER BY offset'),
      // The blob's last extent grows by `length` if it ends exactly where these bytes go, in the
      // object and in the same source, and stays within MAX_EXTENT_BYTES.
      growLastExtent: db.prepare(
        `UPDATE extents SET length = length + @length
         WHERE blob_id = @blobId AND offset = (SELECT MAX(offset) FROM extents WHERE blob_id = @blobId)
           AND offset + length = @at AND source = @source AND position + length = @position AND length + @length <= @max`,
      ),
      extentsAfter: db.prepare('SELECT offset, length, source, position FROM extents WHERE blob_id = ? AND offset > ? ORDER BY offset LIMIT ?'),
      extentCovering: db.prepare('SELECT offset, length, source, position FROM extents WHERE blob_id = ? AND offset <= ? ORDER BY offset DESC LIMIT 1'),
      garbage: db.prepare("SELECT id FROM blobs WHERE state = 'garbage'"),
      sourcesOf: db.prepare('SELECT DISTINCT source FROM extents WHERE blob_id = ?'),
      deleteExtents: db.prepare('DELETE FROM extents WHERE blob_id = ?'),
      deleteBlob: db.prepare('DELETE FROM blobs WHERE id = ?'),
      sourceUsed: db.prepare('SELECT 1 FROM extents WHERE source = ? LIMIT 1'),
      sourceEnd: db.prepare('SELECT MAX(position + length) AS end FROM extents WHERE source = ?'),
    };
  }

  /** After a crash: destroy unreclaimed garbage, then cut bytes no committed extent refers to. */
  recover(): void {
    this.collectGarbage();
    const highest = (this.db.prepare('SELECT COALESCE(MAX(source), 0) AS source FROM extents').get() as { source: number }).source;
    this.bytes.recover((source) => (this.stmt.sourceEnd.get(source) as { end: number | null }).end ?? undefined, highest);
  }

  /** Inside the caller's transaction: a new, empty blob. */
  newBlob(): number {
    return Number(this.stmt.newBlob.run().lastInsertRowid);
  }

  /**
   * Inside the caller's transaction: the extents become the blob's bytes from `offset` on.
   * Consecutive appends usually land right after each other in the same extent file; then the
   * blob's last extent just grows, which keeps the table small and the commit to one row update.
   */
  attach(blobId: number, offset: number, extents: readonly PendingExtent[]): void {
    let at = offset;
    for (const extent of coalesce(extents)) {
      const grown =
        at > 0 &&
        this.stmt.growLastExtent.run({ blobId, at, source: extent.source, position: extent.position, length: extent.length, max: MAX_EXTENT_BYTES }).changes === 1;
      if (!grown) this.stmt.insertExtent.run(blobId, at, extent.length, extent.source, extent.position);
      at += extent.length;
    }
  }

  /**
   * Inside the caller's transaction: a new blob with the same bytes as `blobId`, whose extents name
   * the same stored bytes (a copy writes no byte, whatever its size). A source is reclaimed only
   * once no extent of any blob names it, so either blob may go first.
   */
  cloneBlob(blobId: number): number {
    const copy = this.newBlob();
    this.cloneInto(copy, 0, blobId);
    return copy;
  }

  /**
   * Inside the caller's transaction: the bytes of blob `from` become those of blob `into` from
   * `offset` on, naming the same stored bytes (CompleteMultipartUpload joins its parts this way).
   */
  cloneInto(into: number, offset: number, from: number): void {
    this.stmt.cloneExtents.run(into, offset, from);
  }

  /**
   * Inside the caller's transaction: a new blob with bytes [start, end) of blob `from`, naming the
   * same stored bytes (UploadPartCopy): the extents at either end are cut to the range.
   */
  cloneRange(from: number, start: number, end: number): number {
    const copy = this.newBlob();
    if (end <= start) return copy;
    for (const extent of this.stmt.extentsOverlapping.all(from, end, start) as Extent[]) {
      const first = Math.max(start, extent.offset);
      const last = Math.min(end, extent.offset + extent.length);
      this.stmt.insertExtent.run(copy, first - start, last - first, extent.source, extent.position + (first - extent.offset));
    }
    return copy;
  }

  /** Inside the caller's transaction: the blob is no longer reachable; reclaim it when unread. */
  markGarbage(blobId: number): void {
    this.stmt.setGarbage.run(blobId);
    this.scheduleCollect();
  }

  /**
   * Writes bytes [start, end) of a blob to `out` (a download) and resolves when all of it was
   * handed to the socket. Unlike a Readable, this reuses two read buffers: each is refilled only
   * once the socket is done with it, so a large download allocates (and page-faults) nothing per
   * piece. The blob is pinned meanwhile, so replacing or deleting its object during the download
   * does not cut it short. If `out` (or `connection`) closes early (the client went away) it
   * rejects at once; the buffers are then left to the garbage collector, since a dead socket may
   * still hold them.
   *
   * With `idleMs` > 0, a download that cannot hand one piece (1 MiB) to the client within that
   * time (a client that stopped reading, or reads slower than a piece per `idleMs`) is cut: its
   * connection is destroyed, so neither it nor the pinned blob is held for ever. `connection` is
   * the socket the response will use: a pipelined response still queued behind another has none
   * of its own yet, and must still notice when the client goes away.
   */
  async writeTo(out: Writable, blobId: number, start: number, end: number, options: { idleMs?: number; connection?: Socket } = {}): Promise<void> {
    const { idleMs = 0, connection } = options;
    this.commits.applyDeferred();
    const release = this.hold(blobId);
    const buffers = [this.takeBuffer(), this.takeBuffer()];
    const inFlight: Array<Promise<void> | undefined> = [undefined, undefined];
    // A destroyed socket never calls a write's callback: wait for the write or for the end of `out`.
    let fail!: () => void;
    const closed = new Promise<never>((_, reject) => {
      fail = () => reject(new Error('the download was closed before it was complete'));
    });
    closed.catch(() => undefined); // a download that completes never looks at it
    if (out.destroyed || out.writableFinished || connection?.destroyed) fail();
    out.once('close', fail);
    connection?.once('close', fail);
    const settled = (write: Promise<void> | undefined): Promise<void> | undefined => {
      if (!write) return undefined;
      if (idleMs <= 0) return Promise.race([write, closed]);
      const stalled = setTimeout(() => (connection ?? out).destroy(), idleMs);
      return Promise.race([write, closed]).finally(() => clearTimeout(stalled));
    };
    let complete = false;
    try {
      let position = start;
      const extents = this.extentCursor(blobId, start);
      for (let turn = 0; position < end; turn ^= 1) {
        await settled(inFlight[turn]); // the socket has finished with this buffer
        const pieceEnd = Math.min(end, position + READ_PIECE_BYTES);
        const piece = this.readPiece(extents, position, pieceEnd, buffers[turn]!);
        position = pieceEnd;
        const write = new Promise<void>((resolve, reject) => out.write(piece, (error) => (error ? reject(error) : resolve())));
        write.catch(() => undefined); // observed through settled(); never an unhandled rejection
        inFlight[turn] = write;
      }
      await Promise.all(inFlight.map(settled));
      complete = true;
    } finally {
      out.off('close', fail);
      connection?.off('close', fail);
      if (complete) this.buffers.push(...buffers);
      release();
    }
  }

  /**
   * A walk over a blob's extents from the one covering `start`, in order, fetched a batch at a
   * time: given a position (never going back), the extent holding it. Extents below the end of a
   * read never change while it runs (the blob is pinned, and appends only add bytes after its
   * end), so a batch fetched early stays true.
   */
  private extentCursor(blobId: number, start: number): (position: number) => Extent {
    let batch: Extent[] = [];
    let next = 0;
    let current: Extent | undefined;
    return (position) => {
      while (!current || position >= current.offset + current.length) {
        if (next === batch.length) {
          batch = (current ? this.stmt.extentsAfter.all(blobId, current.offset, EXTENTS_PER_BATCH) : [this.stmt.extentCovering.get(blobId, start)]) as Extent[];
          next = 0;
          if (batch[0] === undefined) throw new Error(`blob ${blobId} has no bytes at ${position}`);
        }
        current = batch[next++]!;
      }
      if (position < current.offset) throw new Error(`blob ${blobId} has no bytes at ${position}`);
      return current;
    };
  }

  /**
   * Bytes [position, pieceEnd) of the blob. From one extent: whatever the byte store returns (a
   * view, for the memory store). Across several (an object of small appends made between other
   * objects' appends is many short extents): gathered into `buffer`, so the download still makes
   * one socket write per piece, not one per extent.
   */
  private readPiece(extentAt: (position: number) => Extent, position: number, pieceEnd: number, buffer: Buffer): Buffer {
    let filled = 0;
    for (let at = position; at < pieceEnd; ) {
      const extent = extentAt(at);
      const into = at - extent.offset;
      const length = Math.min(extent.length - into, pieceEnd - at);
      const target = buffer.subarray(filled, filled + length);
      const got = this.bytes.read(extent.source, extent.position + into, length, target);
      if (length === pieceEnd - position) return got;
      if (got.buffer !== target.buffer || got.byteOffset !== target.byteOffset) got.copy(buffer, filled);
      filled += length;
      at += length;
    }
    return buffer.subarray(0, filled);
  }

  private readonly buffers: Buffer[] = [];

  private takeBuffer(): Buffer {
    return this.buffers.pop() ?? Buffer.allocUnsafe(READ_PIECE_BYTES);
  }

  /**
   * Keeps a blob's bytes from being collected until the returned function is called (once is
   * enough; more do nothing), even if its object is replaced or deleted meanwhile: a download
   * while it streams, UploadPartCopy from reading its source until the part names those bytes.
   */
  hold(blobId: number): () => void {
    this.readers.set(blobId, (this.readers.get(blobId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.readers.get(blobId)! - 1;
      if (left === 0) this.readers.delete(blobId);
      else this.readers.set(blobId, left);
      this.scheduleCollect();
    };
  }

  private scheduleCollect(): void {
    if (this.collectScheduled) return;
    this.collectScheduled = true;
    setImmediate(() => {
      this.collectScheduled = false;
      this.collectGarbage();
    });
  }

  /** Deletes garbage blobs nobody is reading, and the bytes only they referred to. */
  collectGarbage(): void {
    if (!this.db.open) return;
    const ids = (this.stmt.garbage.all() as Array<{ id: number }>).map((r) => r.id).filter((id) => !this.readers.has(id));
    if (ids.length > 0) {
      // All in one transaction (a completed multipart upload leaves up to 10,000 part blobs), committed
      // before any file goes: a crash must never leave extents naming a deleted file.
      const sources = this.commits.atomically(() => {
        const used = new Set<number>();
        for (const id of ids) {
          for (const { source } of this.stmt.sourcesOf.all(id) as Array<{ source: number }>) used.add(source);
          this.stmt.deleteExtents.run(id);
          this.stmt.deleteBlob.run(id);
        }
        return used;
      });
      this.bytes.reclaim(sources, this.isReferenced);
    }
    const idle = this.bytes.takeReclaimable();
    if (idle.length > 0) {
      // Deferred appends name their extents only once applied: apply them before asking.
      this.commits.applyDeferred();
      this.bytes.reclaim(idle, this.isReferenced);
    }
  }

  /** Whether any committed extent (or deferred append, once applied) lies in `source`. */
  private readonly isReferenced = (source: number): boolean => this.stmt.sourceUsed.get(source) !== undefined;
}

/** Joins extents that continue each other in the same source (within MAX_EXTENT_BYTES). */
function coalesce(extents: readonly PendingExtent[]): PendingExtent[] {
  const out: PendingExtent[] = [];
  for (const extent of extents) {
    const last = out.at(-1);
    if (last && last.source === extent.source && last.position + last.length === extent.position && last.length + extent.length <= MAX_EXTENT_BYTES) {
      out[out.length - 1] = { ...last, length: last.length + extent.length };
    } else {
      out.push(extent);
    }
  }
  return out;
}
