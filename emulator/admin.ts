import Router from '@koa/router';
import type Koa from 'koa';
import type { EmulatorConfig } from './config.js';
import type { Store } from './store/store.js';

/**
 * The emulator's own endpoints under /_ossemu/ (bucket names cannot contain `_`, so these never
 * shadow a bucket): health for probes and reset for test suites.
 */
export function createAdmin(options: { config: EmulatorConfig; store: Store; version: string; startedAt: number; reset: (bucket?: string) => void }): Koa.Middleware {
  const router = new Router({ prefix: '/_ossemu' });
  router.get('/health', (koa) => {
    try {
      const counts = options.store.counts();
      koa.body = {
        status: 'ok',
        version: options.version,
        uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
        storage: options.config.dataDir ? { mode: 'sqlite', location: options.store.location } : { mode: 'memory' },
        ...counts,
      };
    } catch (error) {
      koa.status = 503;
      koa.body = { status: 'unavailable', reason: (error as Error).message };
    }
  });
  router.post('/reset', (koa) => {
    const bucket = typeof koa.query['bucket'] === 'string' ? koa.query['bucket'] : undefined;
    options.reset(bucket);
    koa.body = { status: 'reset', bucket: bucket ?? null };
  });
  return router.routes() as unknown as Koa.Middleware;
}
