import { OssClient } from '../client/index.js';
import type { TargetInfo } from './types.js';

/** Our transparent client for a target, optionally with other credentials or signing. */
export function wireClient(
  info: TargetInfo,
  change: { accessKeyId?: string; accessKeySecret?: string; signatureVersion?: 'v1' | 'v4'; securityToken?: string | null } = {},
): OssClient {
  return new OssClient({
    endpoint: info.endpoint,
    accessKeyId: change.accessKeyId ?? info.accessKeyId,
    accessKeySecret: change.accessKeySecret ?? info.accessKeySecret,
    // null: no token (a RAM user's long-term key pair must not carry the target's STS token).
    securityToken: change.securityToken === null ? undefined : (change.securityToken ?? info.securityToken),
    region: info.region,
    addressing: info.addressing,
    signatureVersion: change.signatureVersion,
  });
}
