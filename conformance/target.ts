import { startEmulator } from '../emulator/index.js';
import type { TargetInfo } from './types.js';

/** The variables an `oss` run needs: the names the official SDKs' samples use. */
export const OSS_ENV = ['OSS_ENDPOINT', 'OSS_REGION', 'OSS_BUCKET', 'OSS_ACCESS_KEY_ID', 'OSS_ACCESS_KEY_SECRET'] as const;

export class MissingConfiguration extends Error {}

export interface OpenTarget {
  info: TargetInfo;
  close(): Promise<void>;
}

/** The bucket the in-process emulator target creates for the suite. */
const EMULATOR_BUCKET = 'ossemu-conformance';

/**
 * `emulator`: an in-process emulator on port 0, in memory, with its own bucket.
 * `oss`: the bucket named by the environment (a real one, or any OSS-compatible endpoint).
 */
export async function openTarget(name: 'emulator' | 'oss', env: NodeJS.ProcessEnv): Promise<OpenTarget> {
  if (name === 'emulator') {
    const emulator = await startEmulator({ buckets: [EMULATOR_BUCKET] });
    return {
      info: {
        name,
        endpoint: emulator.endpoint,
        region: emulator.region,
        bucket: EMULATOR_BUCKET,
        accessKeyId: emulator.accessKeyId,
        accessKeySecret: emulator.accessKeySecret,
        allowBucketOps: true,
      },
      close: () => emulator.close(),
    };
  }
  const missing = OSS_ENV.filter((variable) => !env[variable]);
  if (missing.length > 0) {
    throw new MissingConfiguration(
      `--target oss needs ${missing.join(', ')} (and optionally OSS_SESSION_TOKEN, OSS_ALLOW_BUCKET_OPS=1); missing: ${missing.join(', ')}`,
    );
  }
  return {
    info: {
      name,
      endpoint: env['OSS_ENDPOINT']!.replace(/\/+$/, ''),
      region: env['OSS_REGION']!.replace(/^oss-/, ''),
      bucket: env['OSS_BUCKET']!,
      accessKeyId: env['OSS_ACCESS_KEY_ID']!,
      accessKeySecret: env['OSS_ACCESS_KEY_SECRET']!,
      securityToken: env['OSS_SESSION_TOKEN'] || undefined,
      allowBucketOps: env['OSS_ALLOW_BUCKET_OPS'] === '1',
      addressing: readAddressing(env['OSS_ADDRESSING']),
    },
    close: async () => undefined,
  };
}

/** OSS_ADDRESSING=path suits OSS-compatible endpoints without wildcard DNS (a compose service name). */
function readAddressing(value: string | undefined): TargetInfo['addressing'] {
  if (value === undefined || value === '') return undefined;
  if (value !== 'path' && value !== 'virtual-host') throw new MissingConfiguration(`OSS_ADDRESSING must be path or virtual-host (got ${value})`);
  return value;
}
