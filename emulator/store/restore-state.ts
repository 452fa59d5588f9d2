import { OssError } from '../errors/oss-error.js';
import { httpDate } from '../util/http-date.js';
import type { ObjectRecord, RestoreState } from './types.js';

/**
 * Frozen storage classes: their objects cannot be read until a RestoreObject has made a
 * temporary copy readable (RestoreObject and GetObject documentation).
 */
export const FROZEN_CLASSES: ReadonlySet<string> = new Set(['Archive', 'ColdArchive', 'DeepColdArchive']);

export type RestorePhase = 'none' | 'ongoing' | 'restored';

/** Where a restore stands at `now`; an expired copy counts as none, as in OSS. */
export function restorePhase(restore: RestoreState | undefined, now: number): RestorePhase {
  if (!restore || now >= restore.expiresAt) return 'none';
  return now < restore.readyAt ? 'ongoing' : 'restored';
}

/** The `x-oss-restore` header (HEAD and GET) and `<RestoreInfo>` (listings) text, if any. */
export function restoreInfo(object: ObjectRecord, now: number): string | undefined {
  const phase = restorePhase(object.restore, now);
  if (phase === 'none') return undefined;
  if (phase === 'ongoing') return 'ongoing-request="true"';
  return `ongoing-request="false", expiry-date="${httpDate(object.restore!.expiresAt)}"`;
}

/** GetObject of a frozen object without a readable restored copy is InvalidObjectState (403). */
export function requireReadable(object: ObjectRecord, now: number): void {
  if (FROZEN_CLASSES.has(object.storageClass) && restorePhase(object.restore, now) !== 'restored') {
    throw new OssError('InvalidObjectState', { details: [['Key', object.key]] });
  }
}
