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
  /** Buckets created at start if missing. */
  buckets: string[];
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  logFormat: 'text' | 'json';
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
  buckets: [],
  logLevel: 'silent',
  logFormat: 'text',
};

/** The region as OSS writes it in Location elements: oss-cn-hangzhou. */
export function locationOf(region: string): string {
  return `oss-${region}`;
}
