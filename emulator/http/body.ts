import type { IncomingMessage } from 'node:http';
import { OssError } from '../errors/oss-error.js';

/** XML request bodies (tagging, CreateBucketConfiguration, Delete) are small; cap what we hold. */
export const MAX_XML_BODY_BYTES = 1024 * 1024;

export async function readSmallBody(req: IncomingMessage, limit = MAX_XML_BODY_BYTES): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of req as AsyncIterable<Buffer>) {
    size += piece.length;
    if (size > limit) throw new OssError('MalformedXML', { message: `The XML body exceeds ${limit} bytes.` });
    pieces.push(piece);
  }
  return Buffer.concat(pieces, size);
}
