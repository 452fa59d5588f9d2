import { describeRamUser, type RamUser, type RamUserSpec } from './access/ram-users.js';

/** Everything the emulator can be told, from flags, env or the programmatic API. */
export interface EmulatorConfig {
  host: string;
  port: number;
  /** Folder of the SQLite database; undefined means in memory. */
  dataDir?: string;
  sync: 'normal' | 'full';
  accessKeyId: string;
  accessKeySecret: string;
  /** Region id without the `oss-` prefix, e.g. cn-hangzhou. */
  region: string;
  /** `off` accepts any request as the owner, signed or not. */
  auth: 'on' | 'off';
  /** Further key pairs of the account, limited by their RAM policies (access/ram-users.ts). */
  ramUsers: RamUser[];
  /** Buckets created at start if missing. */
  buckets: string[];
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  logFormat: 'text' | 'json';
  /** Bearer token for the admin endpoints (reset, seed); the key pair also works as Basic auth. */
  adminToken?: string;
  /** Folder seeded at start: each sub-folder a bucket, each file an object. */
  seedDir?: string;
  /** How long shutdown waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: number;
  /**
   * A request body that delivers nothing for this long fails with 400 RequestTimeout, and a download
   * that cannot hand 1 MiB to its client in this time is cut; 0: wait for ever.
   */
  bodyIdleTimeoutMs: number;
  /** How long a RestoreObject takes before the copy is readable (real OSS: a minute to hours). */
  restoreDelayMs: number;
  /** How long an upload callback's server may take to answer (real OSS: 5 s, fixed). */
  callbackTimeoutMs: number;
}

/** The documented default key pair: SDKs work out of the box with these. */
export const DEFAULT_ACCESS_KEY_ID = 'ossemu-access-key-id';
export const DEFAULT_ACCESS_KEY_SECRET = 'ossemu-access-key-secret';

export const DEFAULT_CONFIG: EmulatorConfig = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: undefined,
  sync: 'normal',
  accessKeyId: DEFAULT_ACCESS_KEY_ID,
  accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
  region: 'cn-hangzhou',
  auth: 'on',
  ramUsers: [],
  buckets: [],
  logLevel: 'silent',
  logFormat: 'text',
  adminToken: undefined,
  seedDir: undefined,
  shutdownTimeoutMs: 10_000,
  bodyIdleTimeoutMs: 60_000,
  restoreDelayMs: 1_000,
  callbackTimeoutMs: 5_000,
};

/** The configuration with secrets masked, as /_ossemu/config shows it. */
export function maskedConfig(config: EmulatorConfig): Record<string, unknown> {
  return { ...config, accessKeySecret: mask(config.accessKeySecret), adminToken: mask(config.adminToken), ramUsers: maskedRamUsers(config) };
}

/** The RAM users as /_ossemu/config and /_ossemu/ram-users show them: policies as given, secrets masked. */
export function maskedRamUsers(config: Pick<EmulatorConfig, 'ramUsers'>): RamUserSpec[] {
  return config.ramUsers.map((user) => describeRamUser(user, mask));
}

function mask(secret: string | undefined): string | undefined {
  return secret === undefined ? undefined : secret.length <= 4 ? '****' : `${secret.slice(0, 2)}****${secret.slice(-2)}`;
}

/** The region as OSS writes it in Location elements: oss-cn-hangzhou. */
export function locationOf(region: string): string {
  return `oss-${region}`;
}
