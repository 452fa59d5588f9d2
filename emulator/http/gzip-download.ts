import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Context } from 'koa';
import type { ObjectRecord } from '../store/types.js';

/**
 * OSS compresses a download when the client accepts gzip, the object is at least 1 KB and its
 * type is one of these (OSS's FAQ 39645, "How do I compress objects that I download from OSS in
 * the GZIP format?"). Go's HTTP transport asks for gzip on every GET without a Range, so Go
 * programs meet this without asking for it.
 */
const COMPRESSED_TYPES: ReadonlySet<string> = new Set([
  'text/cache-manifest',
  'text/xml',
  'text/css',
  'text/html',
  'text/plain',
  'application/javascript',
  'application/x-javascript',
  'application/rss+xml',
  'application/json',
  'text/json',
]);
const MIN_COMPRESSED_BYTES = 1024;

/**
 * Whether a GET or HEAD of `object` is answered compressed. An object stored with its own
 * Content-Encoding is sent as stored (one response cannot name two codings; OSS does not say).
 */
export function answersCompressed(acceptEncoding: string | undefined, object: ObjectRecord): boolean {
  if (object.size < MIN_COMPRESSED_BYTES || object.httpHeaders.contentEncoding) return false;
  const type = (object.httpHeaders.contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return COMPRESSED_TYPES.has(type) && acceptsGzip(acceptEncoding);
}

/** `Accept-Encoding` names gzip with a quality above zero (`gzip`, `gzip, deflate`, `br;q=1, gzip;q=0.5`). */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((entry) => {
    const [coding = '', ...params] = entry.split(';');
    if (coding.trim().toLowerCase() !== 'gzip') return false;
    const quality = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((q) => q !== undefined);
    return quality === undefined || Number(quality) > 0;
  });
}

/** The headers of a compressed answer: as OSS's, no ETag, Content-Length or Accept-Ranges. */
export function describeCompressed(koa: Pick<Context, 'set' | 'remove' | 'vary'>): void {
  koa.remove('ETag');
  koa.remove('Accept-Ranges');
  koa.remove('Content-Length');
  koa.set('Content-Encoding', 'gzip');
  koa.vary('Accept-Encoding'); // beside a bucket's `Vary: Origin` (ResponseVary), not instead
}

/**
 * A gzip stream whose output goes to `res` as it comes: what a compressed download writes into.
 * `abandon` stops it without a byte sent (an answer is still possible), or after (the connection is then cut).
 */
export function gzipInto(res: ServerResponse): { sink: Writable; abandon: () => void } {
  const gzip = createGzip();
  gzip.pipe(res);
  gzip.once('error', () => res.destroy());
  res.once('close', () => gzip.destroy());
  return {
    sink: gzip,
    abandon: () => {
      gzip.unpipe(res);
      gzip.destroy();
    },
  };
}
