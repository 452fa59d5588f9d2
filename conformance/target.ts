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

/** The RAM policy the permission cases expect of OSS_RAM_ACCESS_KEY_ID's user (README, "Conformance"). */
export function putOnlyPolicy(bucket: string): object {
  return { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: [`acs:oss:*:*:${bucket}/*`] }] };
}

/**
 * `emulator`: an in-process emulator on port 0, in memory, with its own bucket.
 * `oss`: the bucket named by the environment (a real one, or any OSS-compatible endpoint).
 */
export async function openTarget(name: 'emulator' | 'oss', env: NodeJS.ProcessEnv): Promise<OpenTarget> {
  if (name === 'emulator') {
    const putOnlyUser = { accessKeyId: 'conformance-put-only', accessKeySecret: 'conformance-put-only-secret' };
    const emulator = await startEmulator({
      buckets: [EMULATOR_BUCKET],
      ramUsers: [{ name: 'put-only', ...putOnlyUser, policy: putOnlyPolicy(EMULATOR_BUCKET) }],
      // As long as a real Archive restore (about a minute), so the cases see one in progress as on OSS.
      restoreDelayMs: 60_000,
    });
    return {
      info: {
        name,
        endpoint: emulator.endpoint,
        region: emulator.region,
        bucket: EMULATOR_BUCKET,
        accessKeyId: emulator.accessKeyId,
        accessKeySecret: emulator.accessKeySecret,
        allowBucketOps: true,
        putOnlyUser,
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
      ...(env['OSS_RAM_ACCESS_KEY_ID'] && env['OSS_RAM_ACCESS_KEY_SECRET']
        ? { putOnlyUser: { accessKeyId: env['OSS_RAM_ACCESS_KEY_ID'], accessKeySecret: env['OSS_RAM_ACCESS_KEY_SECRET'] } }
        : {}),
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
