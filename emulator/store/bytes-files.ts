import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
  write,
} from 'node:fs';
import { join } from 'node:path';
import { MAX_PENDING_BODY_BYTES, type ByteStore, type ByteWriter, type PendingExtent } from './bytes.js';
import { writeAll, writevAll } from './file-io.js';

/** An extent file is closed to new writes once it reaches this size (tests may choose a smaller one). */
const DEFAULT_ROTATE_AT_BYTES = 64 * 1024 * 1024;
/** A writer's buffers: a body is written in units of this size (see `writer`). */
const WRITE_UNIT_BYTES = 256 * 1024;
/** With this many in flight the writer asks for a pause (`capacity`). More gained nothing: writes to one file queue on its inode lock. */
const MAX_WRITES_IN_FLIGHT = 2;
/**
 * Bodies of at most this size, when their size is known beforehand, go to files of their own
 * (`SizeClass`): a long-lived object grown by small appends then never keeps alive a file that
 * otherwise held large bodies since deleted, as it would sharing their files. A file is deleted
 * only once no extent in it is live, and space is not reclaimed within a file.
 */
const SMALL_BODY_BYTES = 1024 * 1024;
type SizeClass = 'small' | 'large';

/** Buffers kept for reuse (fresh ones cost page faults), across all writers. */
const MAX_POOLED_BUFFERS = 32;
/** `<id>.extent`, or `<id>.small.extent` for a file of small bodies (its class survives a restart). */
const FILE_NAME = /^(\d+)(\.small)?\.extent$/;
const fileName = (id: number, sizeClass: SizeClass): string => (sizeClass === 'small' ? `${id}.small.extent` : `${id}.extent`);

interface ExtentFile {
  id: number;
  fd: number;
  /** Bytes written or reserved: the next body starts here. */
  size: number;
  /** Held by a writer: nothing else appends to it, and it is not deleted. */
  busy: boolean;
  /** The bodies it takes; in its name, so a restart keeps them apart too. */
  sizeClass: SizeClass;
  /** Reserved ranges whose bytes are not written yet (finishPending), in position order. */
  pending: PendingBytes[];
}

interface PendingBytes {
  position: number;
  bytes: Buffer;
}

/**
 * Object bytes in append-only extent files (`<dataDir>/extents/<id>[.small].extent`). Each writer has a
 * file to itself while it writes, so a body's bytes are contiguous and a rejected body is undone
 * by truncating the file back. A file is deleted once no committed extent refers to it.
 * With `fsync`, bytes are flushed to disk before their extents can be committed.
 */
export class FileByteStore implements ByteStore {
  private readonly dir: string;
  private readonly files = new Map<number, ExtentFile>();
  /** Files not held by a writer and not full, per size class. */
  private readonly idle: Record<SizeClass, ExtentFile[]> = { small: [], large: [] };
  private readonly buffers: Buffer[] = [];
  /** Files with pending bytes. */
  private readonly withPending = new Set<ExtentFile>();
  /** Files reclaim() found unreferenced while a writer held them: offered again once it lets go. */
  private readonly reclaimWhenIdle = new Set<ExtentFile>();
  onReclaimable?: () => void;
  private nextId = 1;
  private closed = false;

  constructor(
    dataDir: string,
    private readonly fsync: boolean,
    private readonly rotateAtBytes = DEFAULT_ROTATE_AT_BYTES,
  ) {
    this.dir = join(dataDir, 'extents');
    mkdirSync(this.dir, { recursive: true });
    try {
      for (const name of readdirSync(this.dir)) {
        const match = FILE_NAME.exec(name);
        const id = Number(match?.[1]);
        if (!match || !Number.isInteger(id)) continue;
        const fd = openSync(join(this.dir, name), 'r+');
        // In the map before fstat, so that close() reaches its descriptor if fstat throws.
        const file: ExtentFile = { id, fd, size: 0, busy: false, sizeClass: match[2] ? 'small' : 'large', pending: [] };
        this.files.set(id, file);
        file.size = fstatSync(fd).size;
        this.nextId = Math.max(this.nextId, id + 1);
      }
    } catch (error) {
      this.close(); // an extent file that cannot be opened leaves the others closed, not leaked
      throw error;
    }
  }

  recover(committedEnd: (source: number) => number | undefined, highestSource: number): void {
    // A file lost in a power cut must not have its id handed out again while extents name it.
    this.nextId = Math.max(this.nextId, highestSource + 1);
    for (const file of [...this.files.values()]) {
      const end = committedEnd(file.id);
      if (end === undefined) {
        this.delete(file);
        continue;
      }
      if (file.size > end) {
        ftruncateSync(file.fd, end);
        file.size = end;
      }
      if (file.size < this.rotateAtBytes) this.idle[file.sizeClass].push(file);
    }
  }

  /**
   * A writer fills WRITE_UNIT_BYTES buffers and hands each full one to the thread pool, so the
   * kernel's work on a write (above all, fresh page-cache pages, which are slow to come by on a
   * VM) overlaps with receiving and checksumming the rest of the body, and the event loop does not
   * wait for them. With MAX_WRITES_IN_FLIGHT in flight, `capacity` asks the caller to stop reading
   * the body until one completes: backpressure, and bounded memory whatever the body's size. A
   * unit that fills while the caller has not stopped yet (one piece spanning several units) is
   * written at once instead. Only the last unit of a body is written while the request waits. A
   * writer keeps its files until all its writes have settled, so an abort never truncates under
   * a write that lands later.
   */
  writer(expectedBytes?: number): ByteWriter {
    const sizeClass: SizeClass = expectedBytes !== undefined && expectedBytes <= SMALL_BODY_BYTES ? 'small' : 'large';
    let buffer = this.takeBuffer();
    let buffered = 0;
    /** Per file this writer used: where its bytes began there, for abort. */
    const used: Array<{ file: ExtentFile; start: number }> = [];
    const extents: PendingExtent[] = [];
    let file = this.take(sizeClass);
    used.push({ file, start: file.size });
    let done = false;
    let aborting = false;
    let inFlight = 0;
    let failure: Error | undefined;
    let onSettled: (() => void) | undefined;
    /** The caller waiting for `capacity`. */
    let onRoom: { resolve: () => void; reject: (error: Error) => void } | undefined;

    /** Reserves the next `buffered` bytes of the current file (rotating when full) and returns their position. */
    const reserve = (): number => {
      if (this.closed) throw new Error('the byte store is closed');
      if (file.size >= this.rotateAtBytes) {
        // Full: move on to another file. This one stays busy (never deleted) until the writer is done.
        file = this.take(sizeClass);
        used.push({ file, start: file.size });
      }
      const position = file.size;
      const last = extents.at(-1);
      if (last && last.source === file.id && last.position + last.length === position) last.length += buffered;
      else extents.push({ source: file.id, position, length: buffered });
      file.size += buffered;
      return position;
    };
    const writeNow = (): void => {
      if (buffered === 0) return;
      // Reserve first: reserve() may rotate to another file, and the bytes must go where they were reserved.
      const position = reserve();
      writeAll(file.fd, buffer, buffered, position);
      buffered = 0;
    };
    const writeInBackground = (): void => {
      if (inFlight >= MAX_WRITES_IN_FLIGHT) return writeNow();
      const unit = buffer;
      const length = buffered;
      const position = reserve();
      const fd = file.fd; // `file` may have moved on by the time the write completes
      inFlight++;
      write(fd, unit, 0, length, position, (error, written) => {
        // A short write to a regular file is not expected; finish it here rather than lose bytes.
        try {
          if (!error && written < length) writeAll(fd, unit.subarray(written), length - written, position + written);
        } catch (late) {
          error = late as NodeJS.ErrnoException;
        }
        if (error) failure ??= error;
        this.giveBackBuffer(unit);
        inFlight--;
        if (onRoom && (failure || inFlight < MAX_WRITES_IN_FLIGHT)) {
          const waiting = onRoom;
          onRoom = undefined;
          if (failure) waiting.reject(failure);
          else waiting.resolve();
        }
        if (inFlight === 0) onSettled?.();
      });
      buffer = this.takeBuffer();
      buffered = 0;
    };
    const settled = (): Promise<void> =>
      inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (onSettled = () => ((onSettled = undefined), resolve())));
    const finishUsing = (): void => {
      done = true;
      this.giveBackBuffer(buffer);
      let reclaimable = false;
      for (const { file: f } of used) {
        f.busy = false;
        if (f.size < this.rotateAtBytes && this.files.has(f.id)) this.idle[f.sizeClass].push(f);
        reclaimable ||= this.reclaimWhenIdle.has(f);
      }
      // Its objects were deleted while this writer held it: if the writer was refused, nothing is left in it.
      if (reclaimable) this.onReclaimable?.();
    };

    return {
      write: (piece) => {
        let offset = 0;
        while (offset < piece.length) {
          const n = piece.copy(buffer, buffered, offset);
          buffered += n;
          offset += n;
          if (buffered === buffer.length) writeInBackground();
        }
      },
      capacity: () => {
        if (failure) return Promise.reject(failure);
        if (inFlight < MAX_WRITES_IN_FLIGHT) return undefined;
        return new Promise((resolve, reject) => (onRoom = { resolve, reject }));
      },
      finish: async () => {
        // Behind writes in flight, the last unit queues too; alone, writing it at once is quicker.
        if (inFlight > 0 && buffered > 0) writeInBackground();
        else writeNow();
        await settled();
        if (failure) throw failure;
        if (this.fsync) for (const { file: f } of used) fdatasyncSync(f.fd);
        return extents;
      },
      finishPending: () => {
        if (extents.length > 0 || buffered === 0 || buffered > MAX_PENDING_BODY_BYTES || file.size >= this.rotateAtBytes) return undefined;
        const bytes = Buffer.from(buffer.subarray(0, buffered)); // a copy: the write buffer is reused
        const extent = { source: file.id, position: file.size, length: buffered };
        file.pending.push({ position: file.size, bytes });
        this.withPending.add(file);
        extents.push(extent);
        file.size += buffered;
        buffered = 0;
        return { extent, bytes };
      },
      release: () => {
        if (!done && !aborting) finishUsing();
      },
      abort: () => {
        if (done || aborting) return;
        aborting = true;
        const cut = (): void => {
          // After close() the descriptors are gone (and may be reused): recovery cuts the bytes instead.
          if (this.closed) return;
          for (const { file: f, start } of used) {
            dropPending(f, start);
            if (f.pending.length === 0) this.withPending.delete(f);
            ftruncateSync(f.fd, start);
            f.size = start;
          }
          finishUsing();
        };
        if (inFlight === 0) cut();
        else void settled().then(cut);
      },
    };
  }

  private takeBuffer(): Buffer {
    return this.buffers.pop() ?? Buffer.allocUnsafe(WRITE_UNIT_BYTES);
  }

  private giveBackBuffer(buffer: Buffer): void {
    if (this.buffers.length < MAX_POOLED_BUFFERS) this.buffers.push(buffer);
  }

  read(source: number, position: number, length: number, into?: Buffer): Buffer {
    const file = this.files.get(source);
    if (!file) throw new Error(`no extent file ${source}`);
    const out = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    const end = position + length;
    // Pending ranges are in position order: skip those that end before this read starts.
    let next = firstPendingEndingAfter(file.pending, position);
    for (let at = position; at < end; ) {
      const held = file.pending[next];
      if (held && held.position <= at) {
        const from = at - held.position;
        at += held.bytes.copy(out, at - position, from, Math.min(held.bytes.length, from + end - at));
        next++;
        continue;
      }
      // From the file, up to the next pending range if it starts before the end.
      const until = held && held.position < end ? held.position : end;
      const n = readSync(file.fd, out, at - position, until - at, at);
      if (n === 0) throw new Error(`extent file ${source} ends before ${end}`);
      at += n;
    }
    return out;
  }

  writePending(): void {
    for (const file of this.withPending) {
      // Contiguous runs (the usual case: one appender's bodies back to back) go in one writev.
      for (let start = 0; start < file.pending.length; ) {
        let end = start + 1;
        let runEnd = file.pending[start]!.position + file.pending[start]!.bytes.length;
        while (end < file.pending.length && file.pending[end]!.position === runEnd) runEnd += file.pending[end++]!.bytes.length;
        writevAll(file.fd, file.pending.slice(start, end).map((p) => p.bytes), file.pending[start]!.position);
        start = end;
      }
      if (this.fsync) fdatasyncSync(file.fd);
      file.pending = [];
    }
    this.withPending.clear();
  }

  restore(source: number, position: number, bytes: Buffer): void {
    let file = this.files.get(source);
    if (!file) {
      // Lost with its name (a power cut before its directory entry was durable): its class is not known.
      file = this.createFile(source, 'large');
      this.nextId = Math.max(this.nextId, source + 1);
    }
    writeAll(file.fd, bytes, bytes.length, position);
    if (this.fsync) fdatasyncSync(file.fd);
    file.size = Math.max(file.size, position + bytes.length);
  }

  reclaim(sources: Iterable<number>, isReferenced: (source: number) => boolean): void {
    for (const source of sources) {
      const file = this.files.get(source);
      if (!file || isReferenced(source)) continue;
      if (file.busy) this.reclaimWhenIdle.add(file);
      else this.delete(file);
    }
  }

  takeReclaimable(): number[] {
    const ids: number[] = [];
    for (const file of this.reclaimWhenIdle) {
      if (file.busy) continue; // taken again by another writer: offered when that one lets go
      this.reclaimWhenIdle.delete(file);
      if (this.files.has(file.id)) ids.push(file.id);
    }
    return ids;
  }

  usage(): { sources: number; bytes: number } {
    let bytes = 0;
    for (const file of this.files.values()) bytes += file.size;
    return { sources: this.files.size, bytes };
  }

  close(): void {
    this.closed = true;
    for (const file of this.files.values()) closeSync(file.fd);
    this.files.clear();
    this.idle.small.length = 0;
    this.idle.large.length = 0;
  }

  private take(sizeClass: SizeClass): ExtentFile {
    let file = this.idle[sizeClass].pop();
    if (!file) {
      file = this.createFile(this.nextId++, sizeClass);
      // With fsync, the new file's directory entry must be durable too, not only its bytes.
      if (this.fsync) syncDirectory(this.dir);
    }
    file.busy = true;
    return file;
  }

  private createFile(id: number, sizeClass: SizeClass): ExtentFile {
    const file: ExtentFile = { id, fd: openSync(join(this.dir, fileName(id, sizeClass)), 'w+'), size: 0, busy: false, sizeClass, pending: [] };
    this.files.set(id, file);
    return file;
  }

  private delete(file: ExtentFile): void {
    this.reclaimWhenIdle.delete(file);
    closeSync(file.fd);
    unlinkSync(join(this.dir, fileName(file.id, file.sizeClass)));
    this.files.delete(file.id);
    const idle = this.idle[file.sizeClass];
    const at = idle.indexOf(file);
    if (at !== -1) idle.splice(at, 1);
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Index of the first pending range that ends after `position` (pending.length if none). */
function firstPendingEndingAfter(pending: readonly PendingBytes[], position: number): number {
  let low = 0;
  let high = pending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const p = pending[middle]!;
    if (p.position + p.bytes.length <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Forgets the pending bytes a writer reserved from `start` on (it was aborted). */
function dropPending(file: ExtentFile, start: number): void {
  file.pending = file.pending.filter((p) => p.position < start);
}
