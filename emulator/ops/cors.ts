import type Koa from 'koa';
import { corsConfigurationXml, matchCorsRule, readCorsConfiguration, requestedHeaders, setCorsHeaders } from '../access/cors.js';
import { OssError } from '../errors/oss-error.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { sendEmpty, sendXml } from '../http/respond.js';
import type { Target } from '../http/target.js';
import type { Store } from '../store/store.js';
import { decodeXmlBody, parseXmlBody } from '../util/xml.js';
import { checkDocumentText } from '../util/xml-fields.js';
import { isValidBucketName } from './bucket.js';

/** PutBucketCors: the rules replace any the bucket had. A missing bucket is refused before its body is read. */
export async function putBucketCors(ctx: OssContext): Promise<void> {
  const name = ctx.target.bucket!;
  ctx.store.requireBucket(name);
  const root = parseXmlBody(decodeXmlBody(await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config))), 'CORSConfiguration');
  checkDocumentText(root, () => new OssError('InvalidArgument', { message: 'A CORS rule may not hold control characters.', ec: '0034-00000002' }));
  ctx.store.setBucketCors(name, readCorsConfiguration(root));
  sendEmpty(ctx.koa);
}

export function getBucketCors(ctx: OssContext): void {
  const bucket = ctx.store.requireBucket(ctx.target.bucket!);
  if (bucket.cors === undefined) throw new OssError('NoSuchCORSConfiguration', { details: [['BucketName', bucket.name]] });
  sendXml(ctx.koa, 'CORSConfiguration', corsConfigurationXml(bucket.cors));
}

/** DeleteBucketCors: 204 whether or not the bucket had rules (setBucketCors refuses a missing bucket). */
export function deleteBucketCors(ctx: OssContext): void {
  ctx.store.setBucketCors(ctx.target.bucket!, undefined);
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
  const headers = requestedHeaders(asked);
  const match = origin && method ? matchCorsRule(bucket.cors, origin, method, headers) : undefined;
  if (!match) throw new OssError('AccessForbidden');
  setCorsHeaders(ctx.koa, match);
  if (headers.length > 0) ctx.koa.set('Access-Control-Allow-Headers', asked!);
  sendEmpty(ctx.koa);
}

/**
 * The bucket's CORS headers on any answer but a preflight's, set before authentication and the
 * handler run so that their errors carry them too: a request with an Origin that a rule allows for
 * its method gets that rule's headers, and with ResponseVary every answer of the bucket says
 * `Vary: Origin`. A request no rule allows is served as usual, without them; the browser then
 * withholds the answer from the page.
 */
export function applyBucketCors(koa: Koa.Context, store: Store, target: Target, headers: Record<string, string | undefined>): void {
  if (target.bucket === undefined || !isValidBucketName(target.bucket)) return;
  const cors = store.getBucket(target.bucket)?.cors;
  if (cors === undefined) return;
  if (cors.responseVary) koa.vary('Origin');
  const origin = headers['origin'];
  if (origin === undefined || koa.method === 'OPTIONS') return;
  const match = matchCorsRule(cors, origin, koa.method);
  if (match) setCorsHeaders(koa, match);
}
