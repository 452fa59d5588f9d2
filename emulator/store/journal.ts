import { closeSync, constants, fdatasyncSync, openSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { readFully, writeAll } from './file-io.js';

/** One journal record: its sequence number, its entry, and the bytes it carries (an append's body), if any. */
export interface JournalRecord<T> {
  seq: number;
  entry: T;
  attachment?: Buffer;
}

/**
 * A redo log: numbered records written in order, each in a single write, framed as
 *   entry length (uint32) · attachment length (uint32) · sequence number (uint48) · 0 (uint16) ·
 *   CRC-32 of all that and the rest (uint32) · entry (UTF-8 JSON) · attachment        (all LE)
 * A record counts once its write has returned. `restart` starts over at the beginning of the file
 * without truncating it: overwriting pages already there is much cheaper than growing a file
 * (no block allocation, no inode size change, no filesystem journal transaction per write).
 * Reading therefore stops at the first frame that is short, fails its CRC, or does not carry the
 * next sequence number: a torn tail (a write a crash cut off, which nobody was told had
 * succeeded) or what is left of records from before the last restart.
 */
export class Journal<T> {
  private readonly fd: number;
  /** Where the next record goes. */
  private offset = 0;
  private lastSeq = 0;
  /** Reused for every frame (grown when one does not fit): the write copies it before returning. */
  private frame = Buffer.allocUnsafe(64 * 1024);
  /** The records the file held when it was opened, from its start. */
  readonly found: ReadonlyArray<JournalRecord<T>>;

  /** Opens (or creates) the journal at `path` and reads its records. */
  constructor(
    readonly path: string,
    private readonly fsync: boolean,
  ) {
    this.fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    try {
      this.found = this.readRecords();
    } catch (error) {
      closeSync(this.fd); // a journal that cannot be read leaves nothing open behind it
      throw error;
    }
  }

  /** Continues after `seq` (the last record whose effects are stored elsewhere), from the start of the file. */
  restart(seq: number): void {
    this.offset = 0;
    this.lastSeq = seq;
  }

  /** Appends the next record in a single write (and flushes it to disk first, with fsync); returns its sequence number. */
  write(entry: T, attachment?: Buffer): number {
    const seq = this.lastSeq + 1;
    const json = JSON.stringify(entry);
    const attachmentBytes = attachment?.length ?? 0;
    const capacity = HEADER_BYTES + json.length * 3 + attachmentBytes; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.frame.length < capacity) this.frame = Buffer.allocUnsafe(capacity);
    const entryBytes = this.frame.write(json, HEADER_BYTES, 'utf8');
    const frame = this.frame.subarray(0, HEADER_BYTES + entryBytes + attachmentBytes);
    attachment?.copy(frame, HEADER_BYTES + entryBytes);
    frame.writeUInt32LE(entryBytes, 0);
    frame.writeUInt32LE(attachmentBytes, 4);
    frame.writeUIntLE(seq, 8, 6);
    frame.writeUInt16LE(0, 14);
    frame.writeUInt32LE(frameCrc(frame), CRC_AT);
    writeAll(this.fd, frame, frame.length, this.offset);
    if (this.fsync) fdatasyncSync(this.fd);
    // Only now: a failed write leaves offset and seq as they were, so the next record overwrites it.
    this.offset += frame.length;
    this.lastSeq = seq;
    return seq;
  }

  close(): void {
    closeSync(this.fd);
  }

  private readRecords(): Array<JournalRecord<T>> {
    const records: Array<JournalRecord<T>> = [];
    const header = Buffer.alloc(HEADER_BYTES);
    for (let at = 0; ; ) {
      if (readFully(this.fd, header, at) < HEADER_BYTES) break;
      const entryBytes = header.readUInt32LE(0);
      const attachmentBytes = header.readUInt32LE(4);
      const seq = header.readUIntLE(8, 6);
      if (entryBytes + attachmentBytes > MAX_RECORD_BYTES) break;
      if (records.length > 0 && seq !== records.at(-1)!.seq + 1) break;
      const frame = Buffer.alloc(HEADER_BYTES + entryBytes + attachmentBytes);
      if (readFully(this.fd, frame, at) < frame.length) break;
      if (frameCrc(frame) !== frame.readUInt32LE(CRC_AT)) break;
      const entry = JSON.parse(frame.toString('utf8', HEADER_BYTES, HEADER_BYTES + entryBytes)) as T;
      records.push(attachmentBytes > 0 ? { seq, entry, attachment: frame.subarray(HEADER_BYTES + entryBytes) } : { seq, entry });
      at += frame.length;
    }
    return records;
  }
}

const CRC_AT = 16;
const HEADER_BYTES = 20;
/** Far above any record written; a larger length is a torn or stale header. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** CRC-32 of a frame, its own CRC field left out. */
function frameCrc(frame: Buffer): number {
  return crc32(frame.subarray(HEADER_BYTES), crc32(frame.subarray(0, CRC_AT)));
}
