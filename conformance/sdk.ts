import OSS from 'ali-oss';
import type { TargetInfo } from './types.js';

/** ali-oss configured for a target as a user would, with optional overrides (other secret, endpoint…). */
export function sdkClient(info: TargetInfo, overrides: Partial<OSS.Options> & { sldEnable?: boolean } = {}): OSS {
  const endpoint = overrides.endpoint ?? info.endpoint;
  const url = new URL(endpoint);
  return new OSS({
    endpoint,
    region: `oss-${info.region}`,
    bucket: info.bucket,
    accessKeyId: info.accessKeyId,
    accessKeySecret: info.accessKeySecret,
    stsToken: info.securityToken,
    secure: url.protocol === 'https:',
    // ali-oss would dial <bucket>.localhost, which does not resolve: path style instead.
    ...(url.hostname === 'localhost' ? { sldEnable: true } : {}),
    ...overrides,
  } as OSS.Options);
}
