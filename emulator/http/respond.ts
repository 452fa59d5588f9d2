import type { Context } from 'koa';
import { OssError } from '../errors/oss-error.js';
import { renderXml, type XmlElement } from '../util/xml.js';

/**
 * An error raised while the request body was being read (it stalled, or grew past a limit) leaves
 * the rest of it unread: close the connection after the answer rather than keep it for what may
 * never come or be gigabytes (the close lingers a while, so the client still sees the answer:
 * lingering-close.ts). An error found before reading keeps the connection (Node discards the body
 * the client still sends), so an SDK's 409 on append does not cost it a reconnect.
 */
export function closeIfBodyCutShort(koa: Pick<Context, 'req' | 'set'>): void {
  if (koa.req.readableDidRead && !koa.req.complete) koa.set('Connection', 'close');
}

/**
 * `x-oss-server-time`: the ms spent on the request so far, which OSS sends on every response. The
 * envelope stamps it last; a handler that writes its own body stamps it before the first write.
 */
export function stampServerTime(koa: Pick<Context, 'state' | 'set'>): void {
  koa.set('x-oss-server-time', String(Math.round(performance.now() - (koa.state.started as number))));
}

/** A success with no body: Content-Length 0 and no Content-Type, as OSS answers PUT and append. */
export function sendEmpty(koa: Context, status = 200): void {
  koa.body = null;
  koa.status = status;
}

export function sendXml(koa: Context, root: string, body: XmlElement, status = 200): void {
  koa.status = status;
  koa.set('Content-Type', 'application/xml');
  koa.body = renderXml(root, body);
}

/** The error document OSS sends: Code, Message, RequestId, HostId, EC, then cause-specific elements. */
export function errorXml(error: OssError, requestId: string, hostId: string, details = error.details): string {
  const body: XmlElement = {
    Code: error.code,
    Message: error.message,
    RequestId: requestId,
    HostId: hostId,
    EC: error.ec,
  };
  for (const [name, value] of details) body[name] = value;
  body['RecommendDoc'] = `https://api.aliyun.com/troubleshoot?q=${error.ec}`;
  return renderXml('Error', body);
}

/**
 * Node's HTTP client refuses a response whose header section passes 16 KiB. A V1
 * SignatureDoesNotMatch carries the string to sign twice (as text and as hex bytes), so a HEAD
 * with a few KB of x-oss-meta-* would yield an error no Node SDK could read.
 */
const MAX_ERR_HEADER_CHARS = 8 * 1024;

/** `x-oss-err`: the error document in base64, without its long diagnostic elements if it would pass MAX_ERR_HEADER_CHARS. */
function errHeader(error: OssError, requestId: string, hostId: string, xml: string): string {
  const full = Buffer.from(xml).toString('base64');
  if (full.length <= MAX_ERR_HEADER_CHARS) return full;
  const brief = error.details.filter(([, value]) => typeof value !== 'string' || value.length <= 256);
  return Buffer.from(errorXml(error, requestId, hostId, brief)).toString('base64');
}

/**
 * Renders an OSS error. HEAD responses cannot carry a body, so the document travels base64-encoded
 * in `x-oss-err` (Go v2, oss2, Java and ali-oss read it from there).
 */
export function sendError(koa: Context, error: OssError, requestId: string, hostId: string): void {
  const xml = errorXml(error, requestId, hostId);
  koa.status = error.status;
  for (const [name, value] of Object.entries(error.headers)) koa.set(name, value);
  koa.set('x-oss-ec', error.ec);
  if (koa.method === 'HEAD') koa.set('x-oss-err', errHeader(error, requestId, hostId, xml));
  closeIfBodyCutShort(koa);
  koa.set('Content-Type', 'application/xml');
  koa.body = xml;
}
