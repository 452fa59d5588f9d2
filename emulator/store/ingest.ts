import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Crc64 } from '../../client/crc64.js';
import type { OssError } from '../errors/oss-error.js';
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
  /** Bytes the body may hold at most; more is rejected with `tooLarge` while streaming. */
  maxBytes: number;
  tooLarge: () => OssError;
  /**
   * Leave a small body unwritten (ByteWriter.finishPending), for a caller that journals it: an
   * append. Whatever commits it next writes it out first (Commits' beforeCommit).
   */
  holdSmallBody?: boolean;
}

/**
 * Streams a body into the byte store, computing its CRC-64 (and MD5) on the way: memory stays
 * bounded whatever the size. On any failure (client abort, size limit) the bytes are removed.
 */
export async function ingestBody(bytes: ByteStore, body: AsyncIterable<Buffer>, options: IngestOptions): Promise<StagedBody> {
  const writer = bytes.writer();
  const crc = new Crc64(options.seedCrc ?? 0n);
  const md5: Hash | undefined = options.wantMd5 ? createHash('md5') : undefined;
  let size = 0;
  try {
    await forEachPiece(body, (piece) => {
      size += piece.length;
      if (size > options.maxBytes) throw options.tooLarge();
      crc.update(piece);
      md5?.update(piece);
      writer.write(piece);
    });
    const held = options.holdSmallBody ? writer.finishPending?.() : undefined;
    const extents = held ? [held.extent] : await writer.finish();
    return { extents, size, crc64: crc.digest(), md5: md5?.digest('base64'), writer, pending: held?.bytes };
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/**
 * Calls `consume` for every piece of a body, in order. A Node stream (a request) is read through
 * its 'data' events, which for small bodies costs far less than an async iterator; anything else
 * is iterated. If `consume` throws, reading stops and the promise rejects with that error.
 */
function forEachPiece(body: AsyncIterable<Buffer>, consume: (piece: Buffer) => void): Promise<void> {
  if (!(body instanceof Readable)) {
    return (async () => {
      for await (const piece of body) consume(piece);
    })();
  }
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      body.off('data', onData);
      body.pause();
      reject(error);
    };
    const onData = (piece: Buffer): void => {
      try {
        consume(piece);
      } catch (error) {
        fail(error);
      }
    };
    body.on('data', onData);
    body.once('end', () => resolve());
    body.once('error', fail);
    // A client that goes away mid-body: 'aborted' on the request, then 'close' without 'end'.
    body.once('close', () => {
      if (!body.readableEnded) fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    });
  });
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
