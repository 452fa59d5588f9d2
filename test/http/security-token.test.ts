/**
 * STS security tokens. A RAM user given a `securityToken` stands for STS temporary credentials: its
 * key pair works only with that token, in the header or in a presigned URL, with V1 and V4, and its
 * policies limit it as any RAM user's. A token sent with a long-term key (the account's, or a RAM
 * user's without one) is refused, as OSS refuses it, before the signature is looked at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssClient, type OssResponse, type SignatureVersion } from '../../client/index.js';
import { startEmulator, type RamUserSpec, type RunningEmulator } from '../../emulator/index.js';

const B = 'sts-bkt';
const TOKEN = 'CAIS-session-token-of-the-uploader';
const OTHER_TOKEN = 'CAIS-session-token-of-the-reader';
const allow = (action: string | string[]) => ({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: [`acs:oss:*:*:${B}`, `acs:oss:*:*:${B}/*`] }] });

const USERS: RamUserSpec[] = [
  // A role session that may write and read objects, nothing else.
  { name: 'uploader-session', accessKeyId: 'STS.uploader', accessKeySecret: 'uploader-secret', securityToken: TOKEN, policies: [allow(['oss:PutObject', 'oss:GetObject'])] },
  { name: 'reader-session', accessKeyId: 'STS.reader', accessKeySecret: 'reader-secret', securityToken: OTHER_TOKEN, policies: [allow('oss:GetObject')] },
  // A long-term RAM user key.
  { name: 'plain', accessKeyId: 'plain-key', accessKeySecret: 'plain-secret', policies: [allow('oss:*')] },
];

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ buckets: [B], ramUsers: USERS });
});
afterAll(() => emu?.close());

function client(accessKeyId: string, accessKeySecret: string, securityToken?: string, signatureVersion: SignatureVersion = 'v1'): OssClient {
  return new OssClient({ endpoint: emu.endpoint, accessKeyId, accessKeySecret, securityToken, region: emu.region, signatureVersion });
}
const uploader = (signatureVersion: SignatureVersion = 'v1', token = TOKEN) => client('STS.uploader', 'uploader-secret', token, signatureVersion);

function expectRefusal(res: OssResponse, code: string, ec: string, message: string): void {
  expect(res.status).toBe(403);
  expect(res.error?.code).toBe(code);
  expect(res.error?.ec).toBe(ec);
  expect(res.error?.message).toBe(message);
}
const UNKNOWN_KEY = 'The OSS Access Key Id you provided does not exist in our records.';

describe('STS credentials (a RAM user with a securityToken)', () => {
  it.each(['v1', 'v4'] as const)('work with their token in the header (%s): append, HEAD, GET', async (version) => {
    const sts = uploader(version);
    const key = `sts-${version}`;
    expect((await sts.appendObject(B, key, 0, 'hello ')).status).toBe(200);
    expect((await sts.appendObject(B, key, 6, 'world')).headers['x-oss-next-append-position']).toBe('11');
    expect((await sts.headObject(B, key)).headers['x-oss-object-type']).toBe('Appendable');
    expect((await sts.getObject(B, key)).body.toString()).toBe('hello world');
  });

  it.each(['v1', 'v4'] as const)('work with their token in a presigned URL (%s)', async (version) => {
    await uploader().putObject(B, 'presigned', 'via a URL');
    const { url, headers } = uploader(version).presign({ method: 'GET', bucket: B, key: 'presigned', expiresInSeconds: 300 });
    expect(url).toContain(version === 'v1' ? 'security-token=' : 'x-oss-security-token=');
    const res = await uploader().sendRaw({ method: 'GET', url, headers });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('via a URL');
  });

  it('are limited by their policies like any RAM user', async () => {
    const res = await uploader().deleteObject(B, 'presigned');
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('AccessDenied');
  });

  it('without their token → 403 InvalidAccessKeyId, EC 0002-00000003, with the hint OSS adds', async () => {
    const res = await client('STS.uploader', 'uploader-secret').getObject(B, 'sts-v1');
    expectRefusal(res, 'InvalidAccessKeyId', '0002-00000003', `${UNKNOWN_KEY} The Security Token may be lost to specify that it is a STS Access Id.`);
    expect(res.error?.details['OSSAccessKeyId']).toBe('STS.uploader');
  });

  it('with a token that is no STS credential\'s → 403 InvalidSecurityToken, EC 0002-00000006', async () => {
    for (const version of ['v1', 'v4'] as const) {
      expectRefusal(await uploader(version, 'made-up').getObject(B, 'sts-v1'), 'InvalidSecurityToken', '0002-00000006', 'The security token you provided is invalid.');
    }
  });

  it("with another STS credential's token → 403 AccessKeyIdAndSecurityTokenNotMatch, EC 0002-00000004", async () => {
    const res = await uploader('v1', OTHER_TOKEN).getObject(B, 'sts-v1');
    expectRefusal(res, 'AccessKeyIdAndSecurityTokenNotMatch', '0002-00000004', 'The OSS access key id and security token you provided does not match.');
  });

  it.each(['v1', 'v4'] as const)('with a wrong token in a presigned URL (%s) → 403 InvalidSecurityToken', async (version) => {
    const { url, headers } = uploader(version, 'made-up').presign({ method: 'GET', bucket: B, key: 'sts-v1', expiresInSeconds: 300 });
    expectRefusal(await uploader().sendRaw({ method: 'GET', url, headers }), 'InvalidSecurityToken', '0002-00000006', 'The security token you provided is invalid.');
  });

  it("a token in the header counts over one in the URL (OSS refuses both at once, EC 0002-00000010: not emulated)", async () => {
    const { url } = uploader('v1').presign({ method: 'GET', bucket: B, key: 'sts-v1', expiresInSeconds: 300 });
    const res = await uploader().sendRaw({ method: 'GET', url, headers: { 'x-oss-security-token': 'made-up' } });
    expect(res.error?.code).toBe('InvalidSecurityToken');
  });

  it('a wrong token is reported before a wrong signature', async () => {
    const res = await client('STS.uploader', 'not-the-secret', 'made-up').getObject(B, 'sts-v1');
    expect(res.error?.code).toBe('InvalidSecurityToken');
  });

  it('a refused append writes nothing; on HEAD the error is in x-oss-err and x-oss-ec', async () => {
    expect((await uploader('v1', 'made-up').appendObject(B, 'never', 0, 'data')).status).toBe(403);
    const head = await uploader('v1', 'made-up').headObject(B, 'sts-v1');
    expect(head.status).toBe(403);
    expect(head.headers['x-oss-ec']).toBe('0002-00000006');
    expect(head.error?.fromHeader).toBe(true);
    expect(head.error?.code).toBe('InvalidSecurityToken');
    expect((await uploader().headObject(B, 'never')).status).toBe(404);
  });
});

describe('a security token with a long-term key', () => {
  it.each([
    ['the account', () => client(emu.accessKeyId, emu.accessKeySecret, 'Invalid')],
    ['a RAM user without a token', () => client('plain-key', 'plain-secret', 'Invalid')],
    ['the account, V4', () => client(emu.accessKeyId, emu.accessKeySecret, 'Invalid', 'v4')],
  ])('%s → 403 InvalidAccessKeyId, EC 0002-00000002 (OSS takes it for an unknown STS key)', async (_, make) => {
    const sts = make();
    expectRefusal(await sts.listObjects(B), 'InvalidAccessKeyId', '0002-00000002', UNKNOWN_KEY);
    expectRefusal(await sts.putObject(B, 'never', 'x'), 'InvalidAccessKeyId', '0002-00000002', UNKNOWN_KEY);
    expect((await client(emu.accessKeyId, emu.accessKeySecret).headObject(B, 'never')).status).toBe(404);
  });

  it('an unknown key with a token → the same EC 0002-00000002 (an STS key OSS does not know)', async () => {
    expectRefusal(await client('STS.nobody', 'x', 'some-token').getObject(B, 'sts-v1'), 'InvalidAccessKeyId', '0002-00000002', UNKNOWN_KEY);
    expect((await client('nobody', 'x').getObject(B, 'sts-v1')).error?.ec).toBe('0002-00000902');
  });

  it('in a presigned V1 URL too', async () => {
    const { url } = client(emu.accessKeyId, emu.accessKeySecret, 'Invalid').presign({ method: 'GET', bucket: B, key: 'sts-v1', expiresInSeconds: 300 });
    expectRefusal(await uploader().sendRaw({ method: 'GET', url }), 'InvalidAccessKeyId', '0002-00000002', UNKNOWN_KEY);
  });

  it('the same keys without a token still work', async () => {
    expect((await client(emu.accessKeyId, emu.accessKeySecret).getObject(B, 'sts-v1')).status).toBe(200);
    expect((await client('plain-key', 'plain-secret').getObject(B, 'sts-v1')).status).toBe(200);
  });
});
