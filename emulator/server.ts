import type { IncomingMessage } from 'node:http';
import Koa from 'koa';
import type { Logger } from 'pino';
import { authenticate, type Principal } from './auth/authenticate.js';
import { locationOf, type EmulatorConfig } from './config.js';
import { OssError } from './errors/oss-error.js';
import { authorize } from './http/authorize.js';
import { brokenBodyAnswer } from './http/client-error.js';
import type { OssContext } from './http/context.js';
import { selectOperation } from './http/dispatch.js';
import { refuseMisplacedEncryption } from './http/object-input.js';
import { sendError, stampServerTime } from './http/respond.js';
import { resolveTarget, splitRequestTarget, type Target } from './http/target.js';
import { validateTarget } from './http/validate.js';
import { applyBucketCors } from './ops/cors.js';
import type { Store } from './store/store.js';
import { headerText } from './util/header-text.js';
import { newRequestId } from './util/request-id.js';

/** Counts requests still inside the pipeline, so shutdown can wait for them before closing the store. */
export class RequestTracker {
  private active = 0;
  private waiters: Array<() => void> = [];

  enter(): void {
    this.active++;
  }

  exit(): void {
    this.active--;
    if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once no request is being handled. */
  idle(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface AppDependencies {
  config: EmulatorConfig;
  store: Store;
  logger: Logger;
  /** Extra middleware mounted before the OSS pipeline (the admin surface). */
  admin?: Koa.Middleware;
  tracker?: RequestTracker;
}

/**
 * The request pipeline, in order:
 *   envelope (tracking, request id + common headers, framing checks, server time, error rendering, access log) →
 *   admin surface →
 *   resolve target → authenticate → validate names → dispatch → authorize → operation.
 * The envelope is one middleware rather than one per concern: every layer costs a promise and a
 * closure per request, and these four always run together.
 */
export function createApp({ config, store, logger, admin, tracker }: AppDependencies): Koa {
  const app = new Koa();
  app.silent = true;

  app.use(async (koa, next) => {
    tracker?.enter();
    const started = performance.now();
    koa.state.started = started;
    const requestId = newRequestId();
    koa.state.requestId = requestId;
    koa.set('x-oss-request-id', requestId);
    koa.set('Server', 'AliyunOSS');
    try {
      checkFraming(koa);
      await next();
    } catch (thrown) {
      const error = toOssError(thrown, koa, logger);
      koa.state.errorCode = error.code;
      const target = koa.state.target as Target | undefined;
      sendError(koa, error, requestId, hostId(config, target?.bucket));
    } finally {
      stampServerTime(koa); // Koa ignores it where a handler already sent the headers
      if (logger.isLevelEnabled('info')) logRequest(koa, logger, requestId, started);
      tracker?.exit();
    }
  });

  if (admin) app.use(admin);

  app.use(async (koa) => {
    const target = resolveTarget(koa.get('host') || undefined, koa.originalUrl);
    koa.state.target = target;
    const headers = joinRepeatedHeaders(koa.req);
    // Before authentication and the handler: a page reads their errors only if these come with them.
    applyBucketCors(koa, store, target, headers);
    const now = Date.now();
    // A preflight is answered from the bucket's CORS rules alone: OSS ignores any signature on it.
    const principal: Principal =
      config.auth === 'off'
        ? { kind: 'owner', accessKeyId: config.accessKeyId }
        : koa.method === 'OPTIONS'
          ? { kind: 'anonymous' }
          : authenticate(
              { method: koa.method, bucket: target.bucket, key: target.key, query: target.query, headers: headersAsSigned(headers) },
              {
                credentials: config,
                ramUsers: config.ramUsers,
                now,
                onMismatch: (d) => logger.debug({ canonicalRequest: d.canonicalRequest, stringToSign: d.stringToSign }, 'signature mismatch'),
              },
            );
    validateTarget(target);
    const ctx: OssContext = {
      koa,
      requestId: koa.state.requestId as string,
      method: koa.method,
      target,
      params: firstValues(target.query),
      headers,
      principal,
      store,
      config,
    };
    const operation = selectOperation(ctx);
    koa.state.operation = operation.name;
    authorize(ctx, operation);
    refuseMisplacedEncryption(ctx.headers, operation.takesEncryption === true);
    await operation.handler(ctx);
  });

  return app;
}

/**
 * What Node's HTTP server would otherwise answer itself, bare (no request id, no <Error>), or not
 * at all: an HTTP/1.1 request without Host (400), and a body in a transfer coding other than
 * chunked, whose length cannot be known (501, as RFC 9112 §6.1 asks; the connection closes, since
 * where the body ends is unknown).
 */
function checkFraming(koa: Koa.Context): void {
  if (koa.req.httpVersion === '1.1' && koa.req.headers.host === undefined) {
    throw new OssError('InvalidRequest', { message: 'An HTTP/1.1 request must carry a Host header.' });
  }
  const coding = koa.req.headers['transfer-encoding'];
  if (coding !== undefined && coding.trim().toLowerCase() !== 'chunked') {
    koa.set('Connection', 'close');
    throw new OssError('NotImplemented', { message: `Transfer-Encoding ${coding} is not supported; send the body as is, or chunked.`, details: [['Header', 'Transfer-Encoding']] });
  }
}

/** The access log: one line per request. */
function logRequest(koa: Koa.Context, logger: Logger, requestId: string, started: number): void {
  const state = koa.state as { operation?: string; errorCode?: string; target?: Target };
  // A request whose body broke off was answered before the app (answerUnparsableRequest): log that answer.
  const broken = brokenBodyAnswer(koa.req);
  logger.info(
    {
      requestId: broken?.requestId ?? requestId,
      method: koa.method,
      bucket: state.target?.bucket,
      key: state.target?.key,
      // Requests that never resolve to a bucket or key (the admin endpoints, ListBuckets): the path.
      path: state.target?.bucket === undefined ? splitRequestTarget(undefined, koa.originalUrl).rawPath : undefined,
      operation: state.operation,
      status: broken?.error.status ?? koa.status,
      errorCode: broken?.error.code ?? state.errorCode,
      cause: broken?.cause,
      bytesIn: Number(koa.get('content-length')) || 0,
      bytesOut: koa.response.length ?? 0,
      ms: Math.round((performance.now() - started) * 10) / 10,
    },
    'request',
  );
}

function toOssError(thrown: unknown, koa: Koa.Context, logger: Logger): OssError {
  if (thrown instanceof OssError) return thrown;
  const code = (thrown as { code?: string }).code;
  // The client went away or stalled mid-body: nobody will read this answer, but keep it an OSS error.
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (thrown as Error).message === 'aborted') {
    return new OssError('RequestTimeout');
  }
  logger.error({ err: thrown, method: koa.method, url: koa.originalUrl }, 'internal error');
  return new OssError('InternalError');
}

function hostId(config: EmulatorConfig, bucket: string | undefined): string {
  const endpoint = `${locationOf(config.region)}.aliyuncs.com`;
  return bucket ? `${bucket}.${endpoint}` : endpoint;
}

/**
 * The request's headers, names lower-cased, a repeated header's values joined with ',' as OSS's
 * signers join the `x-oss-*` headers they sign (`x-oss-meta-a: 1` twice signs `x-oss-meta-a:1,1`).
 * Node joins most repeated headers with ', ' and keeps only the first of some (Authorization,
 * Content-Type…); only a value Node joined is looked at again, so most requests never build
 * `headersDistinct`.
 */
function joinRepeatedHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    if (Array.isArray(value)) {
      headers[name] = value.join(',');
    } else if (value !== undefined && name.startsWith('x-oss-') && value.includes(', ')) {
      const all = req.headersDistinct[name]!;
      headers[name] = all.length > 1 && value === all.join(', ') ? all.join(',') : value;
    } else {
      headers[name] = value;
    }
  }
  return headers;
}

/**
 * Node reads header bytes as Latin-1, but SDKs sign the bytes they send, which are UTF-8 for any
 * non-ASCII value (x-oss-meta-* above all), and the signers hash strings as UTF-8. So the signature
 * check sees each value re-read as UTF-8 where its bytes are valid UTF-8; other values stay as
 * they came. Only authentication gets this view: handlers keep the raw bytes, which is what
 * they store and echo back.
 */
function headersAsSigned(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  let out: Record<string, string | undefined> | undefined; // a copy, made only if some value needs re-reading
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = headerText(value);
    if (text !== value) (out ??= { ...headers })[name] = text;
  }
  return out ?? headers;
}

function firstValues(query: Array<[string, string | null]>): Map<string, string | null> {
  const params = new Map<string, string | null>();
  for (const [name, value] of query) if (!params.has(name)) params.set(name, value);
  return params;
}
