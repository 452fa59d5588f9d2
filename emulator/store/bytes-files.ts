import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WRITE_BUFFER_BYTES, type ByteStore, type ByteWriter, type PendingExtent } from './bytes.js';

/** An extent file is closed to new writes once it reaches this size. */
const ROTATE_AT_BYTES = 64 * 1024 * 1024;
const FILE_NAME = /^(\d+)\.extent$/;

interface ExtentFile {
  id: number;
  fd: number;
  size: number;
  /** Held by a writer: nothing else appends to it, and it is not deleted. */
  busy: boolean;
}

/**
 * Object bytes in append-only extent files (`<dataDir>/extents/<id>.extent`). Each writer has a
 * file to itself while it writes, so a body's bytes are contiguous and a rejected body is undone
 * by truncating the file back. A file is deleted once no committed extent refers to it.
 * With `fsync`, bytes are flushed to disk before their extents can be committed.
 */
export class FileByteStore implements ByteStore {
  private readonly dir: string;
  private readonly files = new Map<number, ExtentFile>();
  private readonly idle: ExtentFile[] = [];
  private readonly buffers: Buffer[] = [];
  private nextId = 1;
  private closed = false;

  constructor(dataDir: string, private readonly fsync: boolean) {
    this.dir = join(dataDir, 'extents');
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      const id = Number(FILE_NAME.exec(name)?.[1]);
      if (!Number.isInteger(id)) continue;
      const fd = openSync(join(this.dir, name), 'r+');
      this.files.set(id, { id, fd, size: fstatSync(fd).size, busy: false });
      this.nextId = Math.max(this.nextId, id + 1);
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
      if (file.size < ROTATE_AT_BYTES) this.idle.push(file);
    }
  }

  writer(): ByteWriter {
    const buffer = this.buffers.pop() ?? Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    let buffered = 0;
    /** Per file this writer used: where its bytes began there, for abort. */
    const used: Array<{ file: ExtentFile; start: number }> = [];
    const extents: PendingExtent[] = [];
    let file = this.take();
    used.push({ file, start: file.size });
    let done = false;

    const flush = (): void => {
      if (buffered === 0) return;
      if (this.closed) throw new Error('the byte store is closed');
      if (file.size >= ROTATE_AT_BYTES) {
        // Full: move on to another file. This one stays busy (never deleted) until the writer is done.
        file = this.take();
        used.push({ file, start: file.size });
      }
      writeAll(file.fd, buffer, buffered, file.size);
      const last = extents.at(-1);
      if (last && last.source === file.id && last.position + last.length === file.size) last.length += buffered;
      else extents.push({ source: file.id, position: file.size, length: buffered });
      file.size += buffered;
      buffered = 0;
    };
    const finishUsing = (): void => {
      done = true;
      this.buffers.push(buffer);
      for (const { file: f } of used) {
        f.busy = false;
        if (f.size < ROTATE_AT_BYTES && this.files.has(f.id)) this.idle.push(f);
      }
    };

    return {
      write: (piece) => {
        let offset = 0;
        while (offset < piece.length) {
          const n = piece.copy(buffer, buffered, offset);
          buffered += n;
          offset += n;
          if (buffered === buffer.length) flush();
        }
      },
      finish: () => {
        flush();
        if (this.fsync) for (const { file: f } of used) fdatasyncSync(f.fd);
        return extents;
      },
      release: () => {
        if (!done) finishUsing();
      },
      abort: () => {
        // After close() the descriptors are gone (and may be reused): recovery cuts the bytes instead.
        if (done || this.closed) return;
        for (const { file: f, start } of used) {
          ftruncateSync(f.fd, start);
          f.size = start;
        }
        finishUsing();
      },
    };
  }

  read(source: number, position: number, length: number, into?: Buffer): Buffer {
    const file = this.files.get(source);
    if (!file) throw new Error(`no extent file ${source}`);
    const out = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(file.fd, out, done, length - done, position + done);
      if (n === 0) throw new Error(`extent file ${source} ends before ${position + length}`);
      done += n;
    }
    return out;
  }

  reclaim(sources: Iterable<number>, isReferenced: (source: number) => boolean): void {
    for (const source of sources) {
      const file = this.files.get(source);
      if (file && !file.busy && !isReferenced(source)) this.delete(file);
    }
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
    this.idle.length = 0;
  }

  private take(): ExtentFile {
    let file = this.idle.pop();
    if (!file) {
      const id = this.nextId++;
      file = { id, fd: openSync(join(this.dir, `${id}.extent`), 'w+'), size: 0, busy: false };
      this.files.set(id, file);
      // With fsync, the new file's directory entry must be durable too, not only its bytes.
      if (this.fsync) syncDirectory(this.dir);
    }
    file.busy = true;
    return file;
  }

  private delete(file: ExtentFile): void {
    closeSync(file.fd);
    unlinkSync(join(this.dir, `${file.id}.extent`));
    this.files.delete(file.id);
    const idle = this.idle.indexOf(file);
    if (idle !== -1) this.idle.splice(idle, 1);
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

function writeAll(fd: number, buffer: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buffer, done, length - done, position + done);
}
