import type Koa from 'koa';
import { matchCorsRule, requestedHeaders, setCorsHeaders } from '../access/cors.js';
import { OssError } from '../errors/oss-error.js';
import type { OssContext } from '../http/context.js';
import { sendEmpty } from '../http/respond.js';
import type { Target } from '../http/target.js';
import type { Store } from '../store/store.js';
import { isValidBucketName } from './bucket.js';

/**
 * A browser's preflight (`OPTIONS` on an object or the bucket). OSS answers it from the bucket's
 * rules alone, whoever asks and whatever signature comes with it: 200 with the matched rule's
 * headers, else 403 AccessForbidden.
 */
export function preflight(ctx: OssContext): void {
  const { cors } = ctx.store.requireBucket(ctx.target.bucket!).configurations;
  if (cors === undefined) throw new OssError('AccessForbidden', { message: 'CORSResponse: CORS is not enabled for this bucket.' });
  const origin = ctx.headers['origin'];
  const method = ctx.headers['access-control-request-method'];
  const asked = ctx.headers['access-control-request-headers'];
  const headers = requestedHeaders(asked);
  const match = origin && method ? matchCorsRule(cors, origin, method, headers) : undefined;
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
  const cors = store.getBucket(target.bucket)?.configurations.cors;
  if (cors === undefined) return;
  if (cors.responseVary) koa.vary('Origin');
  const origin = headers['origin'];
  if (origin === undefined || koa.method === 'OPTIONS') return;
  const match = matchCorsRule(cors, origin, koa.method);
  if (match) setCorsHeaders(koa, match);
}
