import type Koa from 'koa';
import { isAbsolute, relative, resolve } from 'node:path';
import { PolicyError } from './access/policy.js';
import { parseRamUsers } from './access/ram-users.js';
import { callbackPublicKeyPem } from './callbacks/signing.js';
import { maskedConfig, maskedRamUsers, type EmulatorConfig } from './config.js';
import { OssError } from './errors/oss-error.js';
import { bodyIdleLimit, readSmallBody } from './http/body.js';
import { closeIfBodyCutShort } from './http/respond.js';
import { bucketFromHost, parseQuery, splitRequestTarget } from './http/target.js';
import { sameSecret } from './util/same-secret.js';
import { seedFromDirectory, seedFromDocument, SeedError, type SeedDocument } from './seed.js';
import type { Store } from './store/store.js';

export interface AdminOptions {
  config: EmulatorConfig;
  store: Store;
  version: string;
  startedAt: number;
  reset: (bucket?: string) => void;
}

/** Seed documents may carry base64 content: allow more than an XML body, but not unbounded. */
const MAX_SEED_BODY_BYTES = 64 * 1024 * 1024;
const MAX_RAM_USERS_BODY_BYTES = 1024 * 1024;

/**
 * The emulator's own endpoints under /_ossemu/ (bucket names cannot contain `_`, so these never
 * shadow a bucket). health, config and the callback public key are open (config masks secrets); reset and seed change
 * data, so they need the admin token (Bearer) or the key pair (Basic) unless auth is off.
 */
export function createAdmin(options: AdminOptions): Koa.Middleware {
  const { config, store } = options;

  const health = (koa: Koa.Context): void => {
    const problem = store.healthProblem();
    const base = { version: options.version, uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000) };
    const storage = config.dataDir ? { mode: 'sqlite', location: store.location } : { mode: 'memory' };
    if (problem) {
      koa.status = 503;
      sendJson(koa, { status: 'unavailable', reason: problem, ...base, storage });
      return;
    }
    sendJson(koa, { status: 'ok', ...base, storage, ...store.counts() });
  };

  const showConfig = (koa: Koa.Context): void => {
    sendJson(koa, maskedConfig(config));
  };

  const reset = (koa: Koa.Context): void => {
    if (!allowed(koa, config)) return;
    // Read with the emulator's own query parser: Koa's throws on targets it cannot parse.
    let asked: Array<string | null>;
    try {
      asked = parseQuery(splitRequestTarget(undefined, koa.originalUrl).rawQuery).filter(([name]) => name === 'bucket').map(([, value]) => value);
    } catch {
      asked = [null, null];
    }
    const [bucket, ...more] = asked;
    // `?bucket=a&bucket=b` must not be read as "every bucket", nor a bare `?bucket` as none.
    if (more.length > 0 || bucket === null || bucket === '') {
      koa.status = 400;
      sendJson(koa, { error: 'reset takes at most one bucket, as ?bucket=name' });
      return;
    }
    if (bucket !== undefined && !store.getBucket(bucket)) {
      koa.status = 404;
      sendJson(koa, { error: `no bucket named ${bucket}` });
      return;
    }
    options.reset(bucket);
    sendJson(koa, { status: 'reset', bucket: bucket ?? null, ...store.counts() });
  };

  const seed = async (koa: Koa.Context): Promise<void> => {
    if (!allowed(koa, config)) return;
    const request = (await readJsonBody(koa, config, MAX_SEED_BODY_BYTES, 'a JSON seed document')) as (SeedDocument & { directory?: string }) | undefined;
    if (request === undefined) return;
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      koa.status = 400;
      sendJson(koa, { error: 'the body must be a JSON seed document: an object' });
      return;
    }
    if (typeof request.directory === 'string' && !insideSeedDir(request.directory, config.seedDir)) {
      // Otherwise anyone holding the (well-known default) key pair could read any folder the process can.
      koa.status = 403;
      sendJson(koa, { error: 'seeding from a folder is limited to folders inside --seed-dir (OSSEMU_SEED_DIR)' });
      return;
    }
    try {
      const result = typeof request.directory === 'string' ? await seedFromDirectory(store, request.directory) : await seedFromDocument(store, request);
      sendJson(koa, { status: 'seeded', ...result });
    } catch (error) {
      if (!(error instanceof SeedError)) throw error;
      koa.status = 400;
      sendJson(koa, { error: error.message });
    }
  };

  const listRamUsers = (koa: Koa.Context): void => {
    sendJson(koa, maskedRamUsers(config));
  };

  // Replaces every RAM user at once, so a test suite sets exactly the users it needs.
  const replaceRamUsers = async (koa: Koa.Context): Promise<void> => {
    if (!allowed(koa, config)) return;
    const specs = await readJsonBody(koa, config, MAX_RAM_USERS_BODY_BYTES, 'a JSON list of RAM users');
    if (specs === undefined) return;
    try {
      config.ramUsers = parseRamUsers(specs, config.accessKeyId);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      koa.status = 400;
      sendJson(koa, { error: error.message });
      return;
    }
    sendJson(koa, maskedRamUsers(config));
  };

  // The key that verifies upload callbacks' signatures (x-oss-pub-key-url names it): public, as OSS's is.
  const callbackPublicKey = (koa: Koa.Context): void => {
    koa.type = 'application/x-pem-file';
    koa.body = callbackPublicKeyPem();
  };

  const routes: Record<string, (koa: Koa.Context) => void | Promise<void>> = {
    'GET /_ossemu/health': health,
    'GET /_ossemu/callback-public-key': callbackPublicKey,
    'GET /_ossemu/config': showConfig,
    'GET /_ossemu/ram-users': listRamUsers,
    'PUT /_ossemu/ram-users': replaceRamUsers,
    'POST /_ossemu/reset': reset,
    'POST /_ossemu/seed': seed,
  };
  return async (koa, next) => {
    const path = adminPath(koa);
    if (path === undefined) return next();
    koa.state.operation = 'Admin';
    const route = routes[`${koa.method} ${path}`];
    if (route) return route(koa);
    const allowed = Object.keys(routes).filter((r) => r.endsWith(` ${path}`)).map((r) => r.split(' ')[0]);
    koa.status = allowed.length > 0 ? 405 : 404;
    if (allowed.length > 0) koa.set('Allow', allowed.join(', '));
    sendJson(koa, { error: allowed.length > 0 ? `use ${allowed.join(' or ')}` : `no admin endpoint ${path}` });
  };
}

/**
 * The admin endpoint a request names: a path under /_ossemu/ on a host that names no bucket. On a
 * virtual-host bucket (`Host: b.oss-cn-hangzhou.aliyuncs.com`) `/_ossemu/reset` is an object key,
 * which ali-oss sends for `client.append('_ossemu/reset', …)`: that stays an OSS request.
 */
function adminPath(koa: Koa.Context): string | undefined {
  const { host, rawPath } = splitRequestTarget(koa.get('host') || undefined, koa.originalUrl);
  if (!rawPath.startsWith('/_ossemu/') || bucketFromHost(host) !== undefined) return undefined;
  return rawPath;
}

/** Reads a JSON body; on a bad or stalled one answers 400 itself and returns undefined. */
async function readJsonBody(koa: Koa.Context, config: EmulatorConfig, limit: number, what: string): Promise<unknown> {
  try {
    return JSON.parse((await readSmallBody(koa.req, bodyIdleLimit(config), limit)).toString('utf8')) as unknown;
  } catch (error) {
    koa.status = 400;
    closeIfBodyCutShort(koa);
    const stalled = error instanceof OssError && error.code === 'RequestTimeout';
    sendJson(koa, { error: stalled ? `the request body stalled for ${config.bodyIdleTimeoutMs} ms` : `the body must be ${what}: ${(error as Error).message}` });
    return undefined;
  }
}

/**
 * Answers with `value` as JSON text. Koa would serialize an object itself, but on the way it checks
 * whether the body is a fetch `Response`, and touching that global makes Node 20 load undici
 * (20–50 ms here): the first health check after start would pay for it.
 */
function sendJson(koa: Koa.Context, value: unknown): void {
  koa.type = 'json';
  koa.body = JSON.stringify(value);
}

function allowed(koa: Koa.Context, config: EmulatorConfig): boolean {
  if (config.auth === 'off') return true;
  const header = koa.get('authorization');
  const bearer = /^Bearer (.+)$/.exec(header)?.[1];
  const basic = /^Basic (.+)$/.exec(header)?.[1];
  const ok =
    (bearer !== undefined && config.adminToken !== undefined && sameSecret(bearer, config.adminToken)) ||
    (basic !== undefined && sameSecret(Buffer.from(basic, 'base64').toString('utf8'), `${config.accessKeyId}:${config.accessKeySecret}`));
  if (!ok) {
    koa.status = 401;
    koa.set('WWW-Authenticate', 'Basic realm="ossemu admin"');
    sendJson(koa, { error: 'admin endpoints need Authorization: Bearer <admin token> or Basic <access key id:secret>' });
  }
  return ok;
}

function insideSeedDir(directory: string, seedDir: string | undefined): boolean {
  if (seedDir === undefined) return false;
  const within = relative(resolve(seedDir), resolve(directory));
  return !within.startsWith('..') && !isAbsolute(within);
}
