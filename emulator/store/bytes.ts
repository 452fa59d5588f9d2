/**
 * Where object bytes physically live. SQLite keeps only metadata (which bytes form which object);
 * a ByteStore keeps the bytes: in append-only extent files on disk, or in memory.
 *
 * An extent is a run of bytes: `length` bytes at `position` in `source` (a file, or a memory chunk).
 */
export interface PendingExtent {
  source: number;
  position: number;
  length: number;
}

/** Receives one request body. Its bytes become visible only when the caller commits its extents. */
export interface ByteWriter {
  write(piece: Buffer): void;
  /**
   * Undefined while the writer can take more; otherwise (its writes in flight are at their limit)
   * a promise that settles once it can, and rejects if a write failed. The caller stops feeding it
   * until then: backpressure that, unlike a write that blocks, leaves the event loop to other requests.
   */
  capacity?(): Promise<void> | undefined;
  /** Writes out the rest and resolves to the extents holding everything written, in order. */
  finish(): Promise<PendingExtent[]>;
  /**
   * Instead of `finish`, for a small body still wholly in the write buffer: reserves its place
   * but leaves it unwritten, as *pending* bytes that reads already see and
   * `ByteStore.writePending` writes out. Returns its one extent and a copy of the bytes, or
   * undefined where the store or the body does not allow it (call `finish` then). The caller
   * must make the bytes durable another way (a journal record) before acknowledging them, and
   * see that `writePending` runs before any commit that names them.
   */
  finishPending?(): { extent: PendingExtent; bytes: Buffer } | undefined;
  /** The extents were committed: the writer's resources go back to the pool. */
  release(): void;
  /** The body was rejected or cut off: its bytes are removed and nothing is left behind. */
  abort(): void;
}

export interface ByteStore {
  /** A writer for one body; `expectedBytes`, its size when known, lets a store keep small bodies apart from large ones. */
  writer(expectedBytes?: number): ByteWriter;
  /**
   * Reads `length` bytes of a committed extent starting `position` bytes into its source. A store
   * that copies (files) reads into `into` when given one, so downloads can reuse their buffers;
   * one that holds the bytes (memory) returns a view and ignores it.
   */
  read(source: number, position: number, length: number, into?: Buffer): Buffer;
  /**
   * Extents in these sources were deleted; drop any source nothing refers to any more. A source a
   * writer is filling is kept, and offered again by `takeReclaimable` once the writer lets go.
   */
  reclaim(sources: Iterable<number>, isReferenced: (source: number) => boolean): void;
  /**
   * Sources `reclaim` kept because a writer held them, now that it has let go: to pass to `reclaim`
   * again (the writer may have been refused, leaving nothing in them). `onReclaimable` is called
   * when there are some.
   */
  takeReclaimable(): number[];
  onReclaimable?: () => void;
  /**
   * After a crash: cut every source back to the end of its last committed extent, and delete
   * sources no extent refers to. `committedEnd` gives that end, or undefined for none;
   * `highestSource` is the largest source any extent names (new sources must come after it).
   */
  recover(committedEnd: (source: number) => number | undefined, highestSource: number): void;
  /** Writes out every pending byte (see `ByteWriter.finishPending`): runs before each commit. */
  writePending(): void;
  /** Recovery: puts back bytes a crash lost while pending, from the journal that kept them. */
  restore(source: number, position: number, bytes: Buffer): void;
  /** Bytes held, committed or not: what the store occupies. */
  usage(): { sources: number; bytes: number };
  close(): void;
}

/** Bytes an in-memory writer collects into one chunk: bounds allocations for large bodies and memory for all. */
export const WRITE_BUFFER_BYTES = 1024 * 1024;

/** The largest body `finishPending` holds back: small appends, whose cost is mostly syscalls. */
export const MAX_PENDING_BODY_BYTES = 64 * 1024;
