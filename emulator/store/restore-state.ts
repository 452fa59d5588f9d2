import type { RestoreState } from './types.js';

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
