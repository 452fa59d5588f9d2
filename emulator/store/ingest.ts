import { createHash, type Hash } from 'node:crypto';
import type { OssError } from '../errors/oss-error.js';
import { bodyBytesConsumed } from '../util/body-memory.js';
import { readPieces, type IdleLimit } from '../util/read-pieces.js';
import { bodyCrc64 } from './body-crc64.js';
import type { ByteStore, ByteWriter, PendingExtent } from './bytes.js';

/**
 * A request body written to the byte store but not yet part of any object: its extents are
 * committed with the object's metadata, or its writer aborted, which removes the bytes.
 */
export interface StagedBody {
  extents: PendingExtent[];
  size: number;
  /** CRC-64 of the preceding bytes (the seed) followed by this body. */
  crc64: bigint;
  /** Base64 MD5 of the body, when asked for. */
  md5?: string;
  writer: ByteWriter;
  /** The body's bytes, when the writer held them back (`holdSmallBody`): not in the byte store's files yet. */
  pending?: Buffer;
}

export interface IngestOptions {
  /** CRC of the bytes this body continues (an append's current object), 0 for a new object. */
  seedCrc?: bigint;
  wantMd5?: boolean;
  /** The body's Content-Length, when sent: picks how its CRC-64 is computed (`bodyCrc64`). */
  expectedBytes?: number;
  /** Bytes the body may hold at most; more is rejected with `tooLarge` while streaming. */
  maxBytes: number;
  tooLarge: () => OssError;
  /** A body that stalls for this long fails (the request's own idle limit; none for a seed file). */
  idle?: IdleLimit;
  /**
   * Leave a small body unwritten (ByteWriter.finishPending), for a caller that journals it: an
   * append. Whatever commits it next writes it out first (Commits' beforeCommit).
   */
  holdSmallBody?: boolean;
}

/**
 * Streams a body into the byte store, computing its CRC-64 (and MD5) on the way: memory stays
 * bounded whatever the size. On any failure (client abort, size limit, stall) the bytes are removed.
 */
export async function ingestBody(bytes: ByteStore, body: AsyncIterable<Buffer>, options: IngestOptions): Promise<StagedBody> {
  // Nothing here may wait before readPieces listens to the body, or a client that goes away meanwhile is missed.
  const crc = bodyCrc64(options.seedCrc ?? 0n, options.expectedBytes);
  const md5: Hash | undefined = options.wantMd5 ? createHash('md5') : undefined;
  /** For the catch below: the writer, once made. */
  let opened: ByteWriter | undefined;
  let size = 0;
  try {
    const writer = bytes.writer(options.expectedBytes);
    opened = writer;
    const consume = (piece: Buffer): Promise<void> | undefined => {
      size += piece.length;
      if (size > options.maxBytes) throw options.tooLarge();
      crc.update(piece);
      md5?.update(piece);
      writer.write(piece);
      bodyBytesConsumed(piece.length);
      return writer.capacity?.();
    };
    await readPieces(body, consume, options.idle);
    const held = options.holdSmallBody ? writer.finishPending?.() : undefined;
    const extents = held ? [held.extent] : await writer.finish();
    return { extents, size, crc64: crc.digest(), md5: md5?.digest('base64'), writer, pending: held?.bytes };
  } catch (error) {
    opened?.abort();
    throw error;
  } finally {
    crc.release();
  }
}

/** Runs the commit of a staged body: on success its bytes are kept, on any error removed. */
export function commitStaged<T>(staged: StagedBody, commit: () => T): T {
  let result: T;
  try {
    result = commit();
  } catch (error) {
    staged.writer.abort();
    throw error;
  }
  staged.writer.release();
  return result;
}
