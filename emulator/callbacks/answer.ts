import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import type { ObjectRecord } from '../store/types.js';
import { deliverCallback } from './deliver.js';
import type { UploadCallback } from './parse.js';
import { renderCallbackBody, type CallbackValues } from './template.js';

/**
 * Answers a write that asked for a callback, once its object is stored: the application server's
 * JSON with 200, in place of the operation's own answer (CompleteMultipartUpload's XML too); or
 * 203 CallbackFailed, the object stored all the same. The write's headers (ETag, CRC-64…) must be
 * set already: both answers carry them.
 */
export async function answerWithCallback(ctx: OssContext, callback: UploadCallback, record: ObjectRecord, operation: CallbackValues['operation']): Promise<void> {
  const values: CallbackValues = {
    bucket: record.bucket,
    object: record.key,
    etag: record.etag,
    size: record.size,
    mimeType: record.httpHeaders.contentType ?? 'application/octet-stream',
    crc64: record.crc64,
    contentMd5: operation === 'CompleteMultipartUpload' ? '' : (record.contentMd5 ?? ''),
    clientIp: unmapped(ctx.koa.req.socket.remoteAddress ?? ''),
    reqId: ctx.requestId,
    operation,
    custom: callback.variables,
  };
  const body = Buffer.from(renderCallbackBody(callback.body, callback.bodyType, values));
  // Once the client's connection is gone (it went away, or shutdown cut it) nobody can get the answer: stop calling.
  const socket = ctx.koa.req.socket;
  const gone = new AbortController();
  const abort = (): void => gone.abort();
  if (socket.destroyed) gone.abort();
  else socket.once('close', abort);
  let outcome;
  try {
    outcome = await deliverCallback(callback, body, { timeoutMs: ctx.config.callbackTimeoutMs, publicKeyUrl: publicKeyUrl(ctx), signal: gone.signal });
  } finally {
    socket.off('close', abort);
  }
  if (!outcome.ok) throw new OssError('CallbackFailed', { message: outcome.message, ec: outcome.ec });
  const koa = ctx.koa;
  koa.status = 200;
  koa.body = outcome.body;
  koa.set('Content-Type', 'application/json'); // after the body, and as OSS writes it: no charset
}

/** Where this emulator serves the callback public key: the address the request reached it at. */
function publicKeyUrl(ctx: OssContext): string {
  const socket = ctx.koa.req.socket;
  const address = unmapped(socket.localAddress ?? '127.0.0.1');
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${socket.localPort}/_ossemu/callback-public-key`;
}

/** An IPv4 address as a dual-stack socket reports it (`::ffff:127.0.0.1`), unwrapped. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
