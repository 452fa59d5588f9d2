import { OssError } from '../errors/oss-error.js';
import type { WormPolicy } from '../store/types.js';

/**
 * Bucket WORM retention (OSS's "Retention policies"): while a policy is in force, an object may be
 * read but neither deleted nor overwritten (nor appended to) until `RetentionPeriodInDays` after its
 * last modification, whether it was written before the policy or after. A policy is in force from
 * InitiateBucketWorm (InProgress, which lapses unless CompleteBucketWorm locks it within 24 hours)
 * and for good once Locked.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
export const WORM_LOCK_WITHIN_MS = DAY_MS;
/** RetentionPeriodInDays: 1 day to 70 years (EC pages 0027-00000002 and 0027-00000005). */
export const MAX_RETENTION_DAYS = 25_550;

/** The policy, if it is in force at `now`: a Locked one, or an InProgress one younger than a day. */
export function wormInForce(policy: WormPolicy | undefined, now: number): WormPolicy | undefined {
  if (policy?.state === 'InProgress' && now >= policy.createdAt + WORM_LOCK_WITHIN_MS) return undefined;
  return policy;
}

/** Refuses a change to `key`, last modified at `lastModified`, while the bucket's policy protects it. */
export function requireMutable(policy: WormPolicy | undefined, key: string, lastModified: number, now: number): void {
  const inForce = wormInForce(policy, now);
  if (inForce !== undefined && now < lastModified + inForce.days * DAY_MS) {
    throw new OssError('FileImmutable', { details: [['Key', key]] });
  }
}
