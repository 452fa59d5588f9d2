import { createHash, type Hash } from 'node:crypto';
import { Crc64 } from '../../client/crc64.js';
import { OssError } from '../errors/oss-error.js';
import { BlobStore } from './blob-store.js';

/** A request body written to a staging blob, with the digests computed on the way through. */
export interface StagedBody {
  blobId: number;
  size: number;
  /** CRC-64 of the preceding bytes (the seed) followed by this body. */
  crc64: bigint;
  /** Base64 MD5 of the body, when asked for. */
  md5?: string;
}

export interface IngestOptions {
  /** CRC of the bytes this body continues (an append's current object), 0 for a new object. */
  seedCrc?: bigint;
  wantMd5?: boolean;
  /** Bytes the body may hold at most; more is rejected with `tooLarge` while streaming. */
  maxBytes: number;
  tooLarge: () => OssError;
}

/**
 * Streams a body into a new staging blob in bounded chunks: memory stays at one chunk however
 * large the upload. On any failure (client abort, size limit) the staged bytes are discarded.
 */
export async function ingestBody(blobs: BlobStore, body: AsyncIterable<Buffer>, options: IngestOptions): Promise<StagedBody> {
  const blobId = blobs.newStagingBlob();
  const crc = new Crc64(options.seedCrc ?? 0n);
  const md5: Hash | undefined = options.wantMd5 ? createHash('md5') : undefined;
  let size = 0;
  let flushed = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    blobs.writeChunk(blobId, flushed, chunk);
    flushed += chunk.length;
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const piece of body) {
      size += piece.length;
      if (size > options.maxBytes) throw options.tooLarge();
      crc.update(piece);
      md5?.update(piece);
      // Keep a chunk at most CHUNK_SIZE so reads and writes hold bounded memory.
      let rest = piece;
      while (pendingBytes + rest.length >= BlobStore.CHUNK_SIZE) {
        const take = BlobStore.CHUNK_SIZE - pendingBytes;
        pending.push(rest.subarray(0, take));
        pendingBytes += take;
        rest = rest.subarray(take);
        flush();
      }
      if (rest.length > 0) {
        // Copy: the socket may reuse the buffer behind a small piece.
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
    flush();
  } catch (error) {
    blobs.discard(blobId);
    throw error;
  }
  return { blobId, size, crc64: crc.digest(), md5: md5?.digest('base64') };
}
