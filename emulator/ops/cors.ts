import { corsConfigurationXml, corsResponseHeaders, matchCorsRule, readCorsConfiguration, requestedHeaders } from '../access/cors.js';
import { OssError } from '../errors/oss-error.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import { decodeXmlBody, parseXmlBody } from '../util/xml.js';

/** PutBucketCors: the rules replace any the bucket had. */
export async function putBucketCors(ctx: OssContext): Promise<void> {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  const root = parseXmlBody(decodeXmlBody(await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config))), 'CORSConfiguration');
  ctx.store.setBucketCors(name, readCorsConfiguration(root));
  sendEmpty(ctx.koa);
}

export function getBucketCors(ctx: OssContext): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  if (bucket.cors === undefined) throw new OssError('NoSuchCORSConfiguration', { details: [['BucketName', bucket.name]] });
  sendXml(ctx.koa, 'CORSConfiguration', corsConfigurationXml(bucket.cors));
}

/** DeleteBucketCors: 204 whether or not the bucket had rules. */
export function deleteBucketCors(ctx: OssContext): void {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  ctx.store.setBucketCors(name, undefined);
  sendEmpty(ctx.koa, 204);
}

/**
 * A browser's preflight (`OPTIONS` on an object or the bucket). OSS answers it from the bucket's
 * rules alone, whoever asks and whatever signature comes with it: 200 with the matched rule's
 * headers, else 403 AccessForbidden.
 */
export function preflight(ctx: OssContext): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  if (bucket.cors === undefined) throw new OssError('AccessForbidden', { message: 'CORSResponse: CORS is not enabled for this bucket.' });
  const origin = ctx.headers['origin'];
  const method = ctx.headers['access-control-request-method'];
  const asked = ctx.headers['access-control-request-headers'];
  const match = origin && method ? matchCorsRule(bucket.cors, origin, method, requestedHeaders(asked)) : undefined;
  if (!match) throw new OssError('AccessForbidden');
  for (const [name, value] of Object.entries(corsResponseHeaders(match))) ctx.koa.set(name, value);
  if (asked !== undefined && asked.trim() !== '') ctx.koa.set('Access-Control-Allow-Headers', asked);
  sendEmpty(ctx.koa);
}
