import type { IncomingMessage } from 'node:http';
import type { EmulatorConfig } from '../config.js';
import { OssError } from '../errors/oss-error.js';
import { readPieces, type IdleLimit } from '../util/read-pieces.js';

/** XML request bodies (tagging, CreateBucketConfiguration, Delete) are small; cap what we hold. */
export const MAX_XML_BODY_BYTES = 1024 * 1024;

/**
 * How long a request body may stall before the request fails with 400 RequestTimeout (and its
 * connection is closed: the rest of the body is not waited for).
 */
export function bodyIdleLimit(config: Pick<EmulatorConfig, 'bodyIdleTimeoutMs'>): IdleLimit {
  return { ms: config.bodyIdleTimeoutMs, error: () => new OssError('RequestTimeout') };
}

/** Reads a small body whole; past `limit` bytes it fails with `tooLarge` (by default MalformedXML). */
export async function readSmallBody(
  req: IncomingMessage,
  idle: IdleLimit,
  limit = MAX_XML_BODY_BYTES,
  tooLarge = (): OssError => new OssError('MalformedXML', { message: `The XML body exceeds ${limit} bytes.` }),
): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let size = 0;
  await readPieces(
    req,
    (piece) => {
      size += piece.length;
      if (size > limit) throw tooLarge();
      pieces.push(piece);
    },
    idle,
  );
  return Buffer.concat(pieces, size);
}
