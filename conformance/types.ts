import type OSS from 'ali-oss';
import type { OssClient, OssResponse } from '../client/index.js';

/** How a case talks to the target: our transparent client (exact wire) or the official SDK (what users see). */
export type Driver = 'wire' | 'ali-oss';
export const DRIVERS: readonly Driver[] = ['wire', 'ali-oss'];

/**
 * How much a case's expectation is worth:
 * - `validated`: real OSS is documented, or was recorded, to behave this way (`source` says where);
 * - `emulator-only`: our choice where real OSS is undocumented (see docs/divergences.md);
 * - `known-divergence`: the emulator knowingly differs from real OSS (`source` says how).
 */
export type Confidence = 'validated' | 'emulator-only' | 'known-divergence';

/** Where the suite runs: the in-process emulator, or an OSS endpoint from the environment. */
export interface TargetInfo {
  name: 'emulator' | 'oss';
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** How to address the bucket; default: path style for IP/localhost endpoints, virtual-host otherwise. */
  addressing?: 'path' | 'virtual-host';
  /** Whether cases may create and delete buckets (always for the emulator; OSS_ALLOW_BUCKET_OPS=1 for oss). */
  allowBucketOps: boolean;
  /**
   * A RAM user whose one permission is oss:PutObject on the bucket's objects (OSS_RAM_ACCESS_KEY_ID and
   * OSS_RAM_ACCESS_KEY_SECRET for oss; the emulator target configures one). The permission cases need it.
   */
  putOnlyUser?: { accessKeyId: string; accessKeySecret: string };
}

export interface CaseContext {
  readonly driver: Driver;
  readonly target: TargetInfo;
  readonly bucket: string;
  /** Our client, signed with the target's credentials (every case may use it, e.g. for set-up). */
  readonly wire: OssClient;
  /** The official ali-oss client for the target bucket. */
  readonly sdk: OSS;
  /** A key unique to this case and driver, under the run's prefix. */
  key(name: string): string;
  /** Keeps a response as a named exchange, for recording fixtures or comparing with them. */
  record(name: string, response: OssResponse): void;
  /** Ends the case as skipped, with the reason. */
  skip(reason: string): never;
}

export type CaseBody = (t: CaseContext) => Promise<void>;

export interface CaseDefinition {
  /** Stable id, `area.what` (fixtures are filed under it). */
  id: string;
  title: string;
  confidence: Confidence;
  /** Documentation, recording or reason behind the expectation. */
  source: string;
  /** One body per driver the case runs with. */
  runs: Partial<Record<Driver, CaseBody>>;
}

export type CaseStatus = 'pass' | 'fail' | 'skip';

export interface CaseResult {
  id: string;
  title: string;
  driver: Driver;
  confidence: Confidence;
  status: CaseStatus;
  reason: string;
  ms: number;
  /** Differences from the recorded or documented fixture, if one exists. */
  fixture?: { kind: 'recorded' | 'documented'; source: string; differences: string[] };
}

export interface Report {
  target: TargetInfo['name'];
  endpoint: string;
  startedAt: string;
  prefix: string;
  cases: CaseResult[];
}
