import { OssError } from '../errors/oss-error.js';
import { bodyIdleLimit, readSmallBody } from '../http/body.js';
import type { OssContext } from '../http/context.js';
import { objectAddress } from '../http/context.js';
import { sendEmpty } from '../http/respond.js';
import { FROZEN_CLASSES, restorePhase } from '../store/restore-state.js';
import type { RestoreState } from '../store/types.js';
import { decodeXmlBody, parseXmlBody } from '../util/xml.js';
import { readVersion, requestedVersion, setVersionHeader } from './versions.js';

/** How many days a restored copy may be kept, per class (RestoreObject documentation). */
const MAX_DAYS: Record<string, number> = { Archive: 7, ColdArchive: 365, DeepColdArchive: 365 };

/** Retrieval tiers each class accepts; Archive takes none (sending one is MalformedXML). */
const TIERS: Record<string, readonly string[]> = {
  ColdArchive: ['Expedited', 'Standard', 'Bulk'],
  DeepColdArchive: ['Expedited', 'Standard'],
};

const DAY_MS = 24 * 3600 * 1000;

/**
 * RestoreObject (`POST /<key>?restore`): 202 when a restore starts, 409 RestoreAlreadyInProgress
 * while one runs, 200 once the copy is readable (and its expiry is pushed out to `Days` from now).
 * A restore takes `--restore-delay` here, not the minutes to hours of real OSS.
 */
export async function restoreObject(ctx: OssContext): Promise<void> {
  const { bucket, key } = objectAddress(ctx);
  const versionId = requestedVersion(ctx);
  const object = readVersion(ctx);
  // A link holds no archived bytes to restore: its target is restored by its own name (our choice).
  if (object.type === 'Symlink') {
    throw new OssError('OperationNotSupported', { details: [['Detail', `RestoreObject does not restore a symlink; restore its target, ${object.symlinkTarget}`]] });
  }
  if (!FROZEN_CLASSES.has(object.storageClass)) {
    throw new OssError('OperationNotSupported', { details: [['Detail', 'RestoreObject operation does not support this object storage class']] });
  }
  const request = readRestoreRequest(decodeXmlBody(await readSmallBody(ctx.koa.req, bodyIdleLimit(ctx.config))), object.storageClass);
  const now = Date.now();
  const phase = restorePhase(object.restore, now);
  if (phase === 'ongoing') throw new OssError('RestoreAlreadyInProgress');
  const keptFor = request.days * DAY_MS;
  const restore: RestoreState =
    phase === 'restored'
      ? { ...object.restore!, expiresAt: Math.max(object.restore!.expiresAt, now + keptFor) }
      : { readyAt: now + ctx.config.restoreDelayMs, expiresAt: now + ctx.config.restoreDelayMs + keptFor, tier: request.tier };
  ctx.store.setObjectRestore(bucket, key, restore, versionId);
  if (restore.tier !== undefined) ctx.koa.set('x-oss-object-restore-priority', restore.tier);
  if (versionId !== undefined) setVersionHeader(ctx, object);
  sendEmpty(ctx.koa, phase === 'restored' ? 200 : 202);
}

/** `<RestoreRequest><Days/><JobParameters><Tier/></JobParameters></RestoreRequest>`, all optional. */
function readRestoreRequest(raw: string, storageClass: string): { days: number; tier?: string } {
  const tiers = TIERS[storageClass];
  const defaultTier = tiers ? 'Standard' : undefined;
  if (raw.trim() === '') return { days: 1, tier: defaultTier };
  const body = parseXmlBody(raw, 'RestoreRequest');
  const unknown = Object.keys(body).find((name) => name !== 'Days' && name !== 'JobParameters');
  if (unknown !== undefined) throw new OssError('MalformedXML', { ec: '0016-00000714' });
  const days = readDays(body['Days'], storageClass);
  const job = body['JobParameters'];
  if (job === undefined) return { days, tier: defaultTier };
  // Archive objects take no retrieval tier: the ali-oss tests, run against OSS, expect MalformedXML.
  if (!tiers || typeof job !== 'object' || job === null) throw new OssError('MalformedXML');
  const tier = (job as Record<string, unknown>)['Tier'];
  if (tier === undefined) return { days, tier: defaultTier };
  if (typeof tier !== 'string' || !tiers.includes(tier)) {
    throw new OssError('InvalidArgument', { message: `The retrieval tier must be one of ${tiers.join(', ')}.`, ec: '0016-00000703', details: [['ArgumentName', 'Tier'], ['ArgumentValue', String(tier)]] });
  }
  return { days, tier };
}

function readDays(value: unknown, storageClass: string): number {
  if (value === undefined) return 1;
  const max = MAX_DAYS[storageClass]!;
  const text = String(value);
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new OssError('InvalidArgument', {
      message: `Days must be an integer from 1 to ${max} for ${storageClass} objects.`,
      ec: storageClass === 'Archive' ? '0016-00000708' : '0016-00000704',
      details: [['ArgumentName', 'Days'], ['ArgumentValue', text]],
    });
  }
  return Number(text);
}
