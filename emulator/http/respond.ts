import type { Context } from 'koa';
import { OssError } from '../errors/oss-error.js';
import { renderXml, type XmlElement } from '../util/xml.js';

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
export function errorXml(error: OssError, requestId: string, hostId: string): string {
  const body: XmlElement = {
    Code: error.code,
    Message: error.message,
    RequestId: requestId,
    HostId: hostId,
    EC: error.ec,
  };
  for (const [name, value] of error.details) body[name] = value;
  body['RecommendDoc'] = `https://api.aliyun.com/troubleshoot?q=${error.ec}`;
  return renderXml('Error', body);
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
  if (koa.method === 'HEAD') koa.set('x-oss-err', Buffer.from(xml).toString('base64'));
  // A body that stalled is not waited for: the connection closes after this answer.
  if (error.code === 'RequestTimeout' && !koa.req.complete) koa.set('Connection', 'close');
  koa.set('Content-Type', 'application/xml');
  koa.body = xml;
}
