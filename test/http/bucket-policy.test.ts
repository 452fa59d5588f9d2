/**
 * Bucket policies: PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy on the wire, the
 * documents OSS refuses, and how a policy grants and denies beside RAM policies and ACLs:
 * principals (a RAM user's UID, or `*` for everybody, anonymous callers included), and the rule
 * that `*` reaches the bucket owner only in statements with a Condition.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RamUserSpec, RunningEmulator } from '../../emulator/index.js';
import { errorOf, expectEmptySuccess, expectError, md5Base64, startTestEmulator, type OssClient, type OssRequest } from './helpers.js';

const B = 'policy-bkt';
const READER_ID = '200000000000000001';
const CAREFUL_ID = '200000000000000002';
const USERS: RamUserSpec[] = [
  { name: 'reader', id: READER_ID, accessKeyId: 'reader-key', accessKeySecret: 'reader-secret' },
  {
    name: 'careful',
    id: CAREFUL_ID,
    accessKeyId: 'careful-key',
    accessKeySecret: 'careful-secret',
    policies: [{ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: '*' }, { Effect: 'Deny', Action: 'oss:DeleteObject', Resource: `acs:oss:*:*:${B}/*` }] }],
  },
];

let emu: RunningEmulator;
let oss: OssClient;
beforeAll(async () => ({ emu, oss } = await startTestEmulator({ buckets: [B], ramUsers: USERS })));
afterAll(() => emu?.close());
beforeEach(async () => {
  emu.reset();
  await oss.put(B, 'doc.txt', 'content');
});

const statement = (effect: 'Allow' | 'Deny', principal: string[] | undefined, action: string, resource: string, condition?: unknown) => ({
  Effect: effect,
  ...(principal ? { Principal: principal } : {}),
  Action: [action],
  Resource: [resource],
  ...(condition ? { Condition: condition } : {}),
});
const putPolicy = (policy: unknown) =>
  oss.send({ method: 'PUT', bucket: B, query: 'policy', body: typeof policy === 'string' ? policy : JSON.stringify(policy) });
const as = (name: string, req: OssRequest) => oss.send({ ...req, accessKeyId: `${name}-key`, secret: `${name}-secret` });
const getDoc: OssRequest = { method: 'GET', bucket: B, key: 'doc.txt' };

describe('the API', () => {
  it('a bucket without a policy: GetBucketPolicy is 404 NoSuchBucketPolicy', async () => {
    const error = expectError(await oss.send({ method: 'GET', bucket: B, query: 'policy' }), 404, 'NoSuchBucketPolicy', { ec: '0030-00000006' });
    expect(error['BucketName']).toBe(B);
  });

  it('put, get (byte for byte, as JSON), delete (204, also when there is none)', async () => {
    const text = `{"Version":"1", "Statement": [ {"Effect":"Allow","Principal":["${READER_ID}"],"Action":["oss:GetObject"],"Resource":["acs:oss:*:*:${B}/*"]}]}`;
    expectEmptySuccess(await putPolicy(text));
    const got = await oss.send({ method: 'GET', bucket: B, query: 'policy' });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.text).toBe(text);
    expectEmptySuccess(await oss.send({ method: 'DELETE', bucket: B, query: 'policy' }), 204);
    expectError(await oss.send({ method: 'GET', bucket: B, query: 'policy' }), 404, 'NoSuchBucketPolicy');
    expectEmptySuccess(await oss.send({ method: 'DELETE', bucket: B, query: 'policy' }), 204);
  });

  it.each([
    ['not JSON', '{"Version":', '0030-00000005'],
    ['Version other than "1"', JSON.stringify({ Version: '2', Statement: [statement('Allow', ['*'], 'oss:GetObject', '*')] }), '0030-00000002'],
    ['Version as a number', JSON.stringify({ Version: 1, Statement: [statement('Allow', ['*'], 'oss:GetObject', '*')] }), '0030-00000005'],
    ['consecutive wildcards', JSON.stringify({ Version: '1', Statement: [statement('Allow', ['*'], 'oss:GetObject', `acs:oss:*:*:${B}/**`)] }), '0030-00000007'],
    ['no Statement', JSON.stringify({ Version: '1' }), '0030-00000005'],
    ['a bad Effect', JSON.stringify({ Version: '1', Statement: [{ ...statement('Allow', ['*'], 'oss:GetObject', '*'), Effect: 'Maybe' }] }), '0030-00000005'],
    ['an unknown condition operator', JSON.stringify({ Version: '1', Statement: [statement('Allow', ['*'], 'oss:GetObject', '*', { Sometimes: { 'acs:SourceIp': '1.2.3.4' } })] }), '0030-00000005'],
    ['more than 16 KB', JSON.stringify({ Version: '1', Statement: [statement('Allow', ['*'], 'oss:GetObject', 'x'.repeat(17 * 1024))] }), '0030-00000001'],
  ])('PutBucketPolicy refuses %s: 400 InvalidPolicyDocument', async (_what, body, ec) => {
    expectError(await putPolicy(body), 400, 'InvalidPolicyDocument', { ec });
    expectError(await oss.send({ method: 'GET', bucket: B, query: 'policy' }), 404, 'NoSuchBucketPolicy');
  });

  it('a body that is not UTF-8 is refused with 0030-00000004', async () => {
    const res = await oss.send({ method: 'PUT', bucket: B, query: 'policy', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    expectError(res, 400, 'InvalidPolicyDocument', { ec: '0030-00000004' });
  });

  it('a byte-order mark is not JSON: refused, and the bucket goes on working', async () => {
    const policy = JSON.stringify({ Version: '1', Statement: [statement('Allow', ['*'], 'oss:GetObject', '*')] });
    expectError(await putPolicy(`\uFEFF${policy}`), 400, 'InvalidPolicyDocument', { ec: '0030-00000005' });
    expect((await oss.send(getDoc)).text).toBe('content');
    expectError(await oss.send({ method: 'GET', bucket: B, query: 'policy' }), 404, 'NoSuchBucketPolicy');
  });

  it('a stored policy that no longer parses (here: one with a byte-order mark, as an earlier ossemu kept it) refuses everything but its own removal', async () => {
    emu.store.setBucketPolicy(B, `\uFEFF${JSON.stringify({ Version: '1', Statement: [statement('Deny', ['*'], 'oss:GetObject', '*')] })}`);
    const refused = await oss.send(getDoc);
    expectError(refused, 403, 'AccessDenied', { ec: '0003-00000101' });
    expect(errorOf(refused).Message).toContain('no longer valid');
    expect((await oss.send({ ...getDoc, auth: 'none' })).status).toBe(403);
    expect((await oss.send({ method: 'GET', bucket: B, query: 'policy' })).status).toBe(200);
    expectEmptySuccess(await oss.send({ method: 'DELETE', bucket: B, query: 'policy' }), 204);
    expect((await oss.send(getDoc)).text).toBe('content');
  });

  it('a bucket that does not exist is NoSuchBucket', async () => {
    expectError(await oss.send({ method: 'PUT', bucket: 'no-such-bkt', query: 'policy', body: '{}' }), 404, 'NoSuchBucket');
  });

  it('RAM users need oss:PutBucketPolicy / oss:GetBucketPolicy; anonymous callers are refused', async () => {
    const policy = { Version: '1', Statement: [statement('Allow', ['*'], 'oss:GetObject', '*')] };
    expectError(await as('reader', { method: 'PUT', bucket: B, query: 'policy', body: JSON.stringify(policy) }), 403, 'AccessDenied', { ec: '0003-00000202' });
    expectEmptySuccess(await as('careful', { method: 'PUT', bucket: B, query: 'policy', body: JSON.stringify(policy) }));
    expect((await as('careful', { method: 'GET', bucket: B, query: 'policy' })).status).toBe(200);
    expectError(await oss.send({ method: 'GET', bucket: B, query: 'policy', auth: 'none' }), 403, 'AccessDenied');
  });
});

describe('what a policy grants and denies', () => {
  it('an Allow naming a RAM user\'s UID grants that user, and nobody else', async () => {
    expectError(await as('reader', getDoc), 403, 'AccessDenied');
    expectEmptySuccess(await putPolicy({ Version: '1', Statement: [statement('Allow', [READER_ID], 'oss:GetObject', `acs:oss:*:*:${B}/*`)] }));
    expect((await as('reader', getDoc)).text).toBe('content');
    expectError(await as('reader', { method: 'PUT', bucket: B, key: 'x', body: 'y' }), 403, 'AccessDenied');
    expectError(await oss.send({ ...getDoc, auth: 'none' }), 403, 'AccessDenied');
  });

  it('Principal "*" (or none at all) includes anonymous callers: a private bucket becomes readable', async () => {
    expectEmptySuccess(await putPolicy({ Version: '1', Statement: [statement('Allow', undefined, 'oss:GetObject', `acs:oss:*:*:${B}/*`)] }));
    expect((await oss.send({ ...getDoc, auth: 'none' })).text).toBe('content');
    expectError(await oss.send({ method: 'GET', bucket: B, auth: 'none' }), 403, 'AccessDenied');
  });

  it('a policy letting "*" read objects and their tags: anonymous GETs see no x-oss-tagging-count, as GetObjectTagging stays refused', async () => {
    await oss.put(B, 'tagged.txt', 'x', { 'x-oss-tagging': 'a=1&b=2' });
    expectEmptySuccess(await putPolicy({ Version: '1', Statement: [statement('Allow', ['*'], 'oss:Get*', `acs:oss:*:*:${B}/*`)] }));
    const anonymous = await oss.send({ method: 'HEAD', bucket: B, key: 'tagged.txt', auth: 'none' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers['x-oss-tagging-count']).toBeUndefined();
    expectError(await oss.send({ method: 'GET', bucket: B, key: 'tagged.txt', query: 'tagging', auth: 'none' }), 403, 'AccessDenied');
    expect((await oss.send({ method: 'HEAD', bucket: B, key: 'tagged.txt' })).headers['x-oss-tagging-count']).toBe('2');
  });

  it('a Deny for "*" without a Condition refuses RAM users and anonymous callers, never the owner', async () => {
    await oss.send({ method: 'PUT', bucket: B, query: 'acl', headers: { 'x-oss-acl': 'public-read' } });
    expectEmptySuccess(await putPolicy({ Version: '1', Statement: [statement('Deny', ['*'], 'oss:GetObject', `acs:oss:*:*:${B}/*`)] }));
    const res = await as('careful', getDoc);
    expectError(res, 403, 'AccessDenied', { ec: '0003-00000101', message: 'Access denied by bucket policy.' });
    expect((errorOf(res) as unknown as { AccessDeniedDetail: Record<string, string> }).AccessDeniedDetail).toMatchObject({ NoPermissionType: 'ExplicitDeny', AuthAction: 'oss:GetObject' });
    expectError(await oss.send({ ...getDoc, auth: 'none' }), 403, 'AccessDenied', { ec: '0003-00000101' });
    expect((await oss.send(getDoc)).text).toBe('content');
  });

  it('a Deny for "*" with a Condition refuses the owner too', async () => {
    const policy = { Version: '1', Statement: [statement('Deny', ['*'], 'oss:PutObject', `acs:oss:*:*:${B}/*`, { IpAddress: { 'acs:SourceIp': '127.0.0.0/8' } })] };
    expectEmptySuccess(await putPolicy(policy));
    const res = await oss.send({ method: 'PUT', bucket: B, key: 'blocked', body: 'x' });
    expectError(res, 403, 'AccessDenied', { ec: '0003-00000101' });
    expect((errorOf(res) as unknown as { AccessDeniedDetail: Record<string, string> }).AccessDeniedDetail).toMatchObject({ AuthPrincipalType: 'Account' });
    expectError(await oss.send({ method: 'POST', bucket: B, key: 'log', query: 'append&position=0', body: 'x' }), 403, 'AccessDenied');
    expect((await oss.send(getDoc)).status).toBe(200);
  });

  it('a policy that refuses the owner everything can still be read and removed by the owner', async () => {
    const lockout = { Version: '1', Statement: [statement('Deny', ['*'], 'oss:*', '*', { StringNotEquals: { 'acs:SourceVpc': 'vpc-1' } })] };
    expectEmptySuccess(await putPolicy(lockout));
    expectError(await oss.send(getDoc), 403, 'AccessDenied', { ec: '0003-00000101' });
    expect((await oss.send({ method: 'GET', bucket: B, query: 'policy' })).status).toBe(200);
    expectEmptySuccess(await oss.send({ method: 'DELETE', bucket: B, query: 'policy' }), 204);
    expect((await oss.send(getDoc)).text).toBe('content');
  });

  it('a policy for "*" never opens configuration to anonymous callers', async () => {
    const everything = { Version: '1', Statement: [statement('Allow', ['*'], 'oss:*', '*')] };
    expectEmptySuccess(await putPolicy(everything));
    expect((await oss.send({ ...getDoc, auth: 'none' })).text).toBe('content');
    for (const req of [
      { method: 'GET', bucket: B, query: 'acl' },
      { method: 'PUT', bucket: B, query: 'acl', headers: { 'x-oss-acl': 'public-read-write' } },
      { method: 'GET', bucket: B, query: 'policy' },
      { method: 'PUT', bucket: B, query: 'policy', body: JSON.stringify(everything) },
      { method: 'DELETE', bucket: B, query: 'policy' },
      { method: 'GET', bucket: B, query: 'bucketInfo' },
      { method: 'GET', bucket: B, key: 'doc.txt', query: 'acl' },
    ] as OssRequest[]) {
      expectError(await oss.send({ ...req, auth: 'none' }), 403, 'AccessDenied');
    }
  });

  it('DeleteMultipleObjects: a key the bucket policy denies refuses the owner\'s whole request (0003-00000204)', async () => {
    await oss.put(B, 'keep/x', 'x');
    expectEmptySuccess(await putPolicy({ Version: '1', Statement: [statement('Deny', ['*'], 'oss:DeleteObject', `acs:oss:*:*:${B}/keep/*`, { IpAddress: { 'acs:SourceIp': '127.0.0.0/8' } })] }));
    const body = '<Delete><Object><Key>doc.txt</Key></Object><Object><Key>keep/x</Key></Object></Delete>';
    const res = await oss.send({ method: 'POST', bucket: B, query: 'delete', body, headers: { 'content-md5': md5Base64(body) } });
    expectError(res, 403, 'AccessDenied', { ec: '0003-00000204' });
    expect((await oss.send(getDoc)).status).toBe(200);
  });

  it('a Deny in both the RAM policy and the bucket policy is 0003-00000203', async () => {
    expectEmptySuccess(await putPolicy({ Version: '1', Statement: [statement('Deny', [CAREFUL_ID], 'oss:DeleteObject', `acs:oss:*:*:${B}/*`)] }));
    expectError(await as('careful', { method: 'DELETE', bucket: B, key: 'doc.txt' }), 403, 'AccessDenied', { ec: '0003-00000203' });
  });

  it('/_ossemu/reset drops the bucket, and its policy with it', async () => {
    expectEmptySuccess(await putPolicy({ Version: '1', Statement: [statement('Allow', ['*'], 'oss:GetObject', '*')] }));
    emu.reset();
    expectError(await oss.send({ method: 'GET', bucket: B, query: 'policy' }), 404, 'NoSuchBucketPolicy');
  });
});
