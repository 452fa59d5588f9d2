import OSS from 'ali-oss';
import { isIP } from 'node:net';
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
    // Path style where virtual hosts cannot resolve (<bucket>.localhost, a compose service name).
    // Never for an IP endpoint: there ali-oss already sends the bucket in a forged Host header.
    ...(url.hostname === 'localhost' || (info.addressing === 'path' && !isIP(url.hostname)) ? { sldEnable: true } : {}),
    ...overrides,
  } as OSS.Options);
}
