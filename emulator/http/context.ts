import type { Context } from 'koa';
import type { Principal } from '../auth/authenticate.js';
import type { EmulatorConfig } from '../config.js';
import type { Store } from '../store/store.js';
import type { Target } from './target.js';

/** Everything an operation handler needs about one request. */
export interface OssContext {
  koa: Context;
  requestId: string;
  method: string;
  target: Target;
  /** First value of each query parameter; null for a bare name. */
  params: Map<string, string | null>;
  /** Lower-case header names; repeated headers joined with ','. */
  headers: Record<string, string | undefined>;
  principal: Principal;
  store: Store;
  config: EmulatorConfig;
}

/** The bucket and key of an object-level request (dispatch guarantees both). */
export function objectAddress(ctx: OssContext): { bucket: string; key: string } {
  return { bucket: ctx.target.bucket!, key: ctx.target.key! };
}
