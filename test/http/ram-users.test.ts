/**
 * RAM users on the wire: key pairs of the account limited by their RAM policies. The append
 * permissions of the seed document (oss:PutObject, plus oss:PutObjectTagging when tags are sent),
 * explicit Deny over Allow, resource and action patterns, conditions, the ACL as a fallback, and
 * the AccessDenied document with its AccessDeniedDetail.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { v4AuthorizationHeader, v4Datetime } from '../../client/signing/index.js';
import type { RamUserSpec, RunningEmulator } from '../../emulator/index.js';
import { crcOf, errorOf, expectEmptySuccess, expectError, md5Base64, presignV1, signingRequest, startTestEmulator, type OssClient, type OssRequest } from './helpers.js';

const B = 'ram-bkt';
const allow = (action: string | string[], resource: string | string[], condition?: unknown) => ({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) }],
});
const user = (name: string, ...policies: unknown[]): RamUserSpec => ({ name, accessKeyId: `${name}-key`, accessKeySecret: `${name}-secret`, policies });

const USERS: RamUserSpec[] = [
  user('appender', allow('oss:PutObject', `acs:oss:*:*:${B}/*`)),
  user('tagger', allow(['oss:PutObject', 'oss:PutObjectTagging', 'oss:GetObject'], `acs:oss:*:*:${B}/*`)),
  user('sealer', allow(['oss:PutObject', 'oss:SealAppendObject'], `acs:oss:*:*:${B}/*`)),
  user('unversioned', allow(['oss:GetObject', 'oss:DeleteObject'], `acs:oss:*:*:${B}/*`)),
  user('versioned', allow(['oss:GetObject', 'oss:DeleteObject', 'oss:GetObjectVersion', 'oss:DeleteObjectVersion'], `acs:oss:*:*:${B}/*`)),
  user('nobody'),
  user('reader', allow('oss:Get*', `acs:oss:*:*:${B}/public/*`)),
  user('careful', allow('oss:*', '*'), { Version: '1', Statement: [{ Effect: 'Deny', Action: 'oss:DeleteObject', Resource: `acs:oss:*:*:${B}/keep/*` }] }),
  user('local', allow('oss:GetObject', '*', { IpAddress: { 'acs:SourceIp': ['127.0.0.0/8'] } })),
  user('remote', allow('oss:GetObject', '*', { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } })),
  user('lister', allow('oss:ListObjects', `acs:oss:*:*:${B}`, { StringLike: { 'oss:Prefix': 'public/*' } })),
  user('everything-but', { Version: '1', Statement: [{ Effect: 'Allow', NotAction: 'oss:DeleteObject', Resource: '*' }] }),
  user(
    'conditional',
    allow('oss:GetObject', '*', {
      StringEquals: { 'acs:AccessId': 'conditional-key' },
      Bool: { 'acs:SecureTransport': 'false' },
      DateLessThan: { 'acs:CurrentTime': '2099-01-01T00:00:00Z' },
      StringLike: { 'acs:UserAgent': 'my-app/*' },
    }),
  ),
  // Each holds the same grant under one condition that fails here.
  user('other-key', allow('oss:GetObject', '*', { StringEquals: { 'acs:AccessId': 'conditional-key' } })),
  user('tls-only', allow('oss:GetObject', '*', { Bool: { 'acs:SecureTransport': 'true' } })),
  user('expired', allow('oss:GetObject', '*', { DateLessThan: { 'acs:CurrentTime': '2020-01-01T00:00:00Z' } })),
  user('by-folder', allow('oss:ListObjects', `acs:oss:*:*:${B}`, { StringEquals: { 'oss:Delimiter': '/' } })),
];

let emu: RunningEmulator;
let oss: OssClient;
beforeAll(async () => ({ emu, oss } = await startTestEmulator({ buckets: [B], ramUsers: USERS })));
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

/** A request signed with a RAM user's key pair. */
const as = (name: string, req: OssRequest) => oss.send({ ...req, accessKeyId: `${name}-key`, secret: `${name}-secret` });
const append = (name: string, key: string, position: number, body: string, headers: Record<string, string> = {}) =>
  as(name, { method: 'POST', bucket: B, key, query: `append&position=${position}`, headers, body });
const detailOf = (res: Awaited<ReturnType<typeof as>>): Record<string, string> =>
  (errorOf(res) as unknown as { AccessDeniedDetail: Record<string, string> }).AccessDeniedDetail;

describe('the append permissions of the seed document', () => {
  it('oss:PutObject alone lets a RAM user create and continue an appendable object', async () => {
    expectEmptySuccess(await append('appender', 'log', 0, 'first '));
    const res = await append('appender', 'log', 6, 'second');
    expectEmptySuccess(res);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('first second'));
  });

  it('sending x-oss-tagging also needs oss:PutObjectTagging: AccessDenied, and nothing is written', async () => {
    const res = await append('appender', 'tagged', 0, 'data', { 'x-oss-tagging': 'team=storage' });
    // An object operation no policy allows falls through to the ACL, and is refused there.
    const error = expectError(res, 403, 'AccessDenied', { ec: '0003-00000001', message: 'You have no right to access this object because of bucket acl.' });
    expect(error['Bucket']).toBe(B);
    expect(detailOf(res)).toMatchObject({ AuthAction: 'oss:PutObjectTagging', NoPermissionType: 'ImplicitDeny', AuthPrincipalType: 'SubUser' });
    expect((await oss.send({ method: 'HEAD', bucket: B, key: 'tagged' })).status).toBe(404);
  });

  it('a later append that carries tags needs the permission too, though OSS would ignore the tags', async () => {
    expectEmptySuccess(await append('appender', 'log', 0, 'first'));
    expectError(await append('appender', 'log', 5, 'more', { 'x-oss-tagging': 'a=b' }), 403, 'AccessDenied');
    expect((await oss.send({ method: 'HEAD', bucket: B, key: 'log' })).headers['x-oss-next-append-position']).toBe('5');
  });

  it('with oss:PutObjectTagging granted, the creating append stores its tags', async () => {
    expectEmptySuccess(await append('tagger', 'tagged', 0, 'data', { 'x-oss-tagging': 'team=storage' }));
    const tags = await oss.send({ method: 'GET', bucket: B, key: 'tagged', query: 'tagging' });
    expect(tags.text).toContain('<Key>team</Key>');
  });

  it('PutObject follows the same rule', async () => {
    expectEmptySuccess(await as('appender', { method: 'PUT', bucket: B, key: 'plain', body: 'x' }));
    expectError(await as('appender', { method: 'PUT', bucket: B, key: 'plain2', body: 'x', headers: { 'x-oss-tagging': 'a=b' } }), 403, 'AccessDenied');
  });

  it('oss:PutObject does not grant reading: GetObject and HEAD are refused (HEAD through x-oss-err)', async () => {
    await oss.put(B, 'log', 'content');
    const get = await as('appender', { method: 'GET', bucket: B, key: 'log' });
    expectError(get, 403, 'AccessDenied', { ec: '0003-00000001' });
    expect(detailOf(get).AuthAction).toBe('oss:GetObject');
    const head = await as('appender', { method: 'HEAD', bucket: B, key: 'log' });
    expect(head.body.length).toBe(0);
    expectError(head, 403, 'AccessDenied', { ec: '0003-00000001' });
  });
});

describe('SealAppendObject permissions', () => {
  const seal = (name: string, key: string, position: number) => as(name, { method: 'POST', bucket: B, key, query: `seal&position=${position}` });

  it('needs oss:SealAppendObject: oss:PutObject alone may append but not seal', async () => {
    expectEmptySuccess(await append('appender', 'log', 0, 'abc'));
    const refused = await seal('appender', 'log', 3);
    expectError(refused, 403, 'AccessDenied', { ec: '0003-00000001' });
    expect(detailOf(refused)).toMatchObject({ AuthAction: 'oss:SealAppendObject', NoPermissionType: 'ImplicitDeny' });
    expect((await oss.send({ method: 'HEAD', bucket: B, key: 'log' })).headers['x-oss-sealed-time']).toBeUndefined();
    expectEmptySuccess(await seal('sealer', 'log', 3));
    expectError(await append('sealer', 'log', 3, 'd'), 409, 'AppendSealedObjectNotAllowed');
  });
});

describe('version permissions (versionId=null, test/http/versions.test.ts)', () => {
  it('reading or deleting a named version also needs oss:GetObjectVersion / oss:DeleteObjectVersion, as in OSS', async () => {
    await oss.put(B, 'obj', 'content');
    expect((await as('unversioned', { method: 'GET', bucket: B, key: 'obj' })).status).toBe(200);
    const read = await as('unversioned', { method: 'GET', bucket: B, key: 'obj', query: 'versionId=null' });
    expectError(read, 403, 'AccessDenied');
    expect(detailOf(read).AuthAction).toBe('oss:GetObjectVersion');
    const removed = await as('unversioned', { method: 'DELETE', bucket: B, key: 'obj', query: 'versionId=null' });
    expect(detailOf(removed).AuthAction).toBe('oss:DeleteObjectVersion');
    const body = '<Delete><Object><Key>obj</Key><VersionId>null</VersionId></Object></Delete>';
    const batch = await as('unversioned', { method: 'POST', bucket: B, query: 'delete', body, headers: { 'Content-MD5': md5Base64(body) } });
    expectError(batch, 403, 'AccessDenied');
    expect((await oss.get(B, 'obj')).text).toBe('content');
    expect((await as('versioned', { method: 'GET', bucket: B, key: 'obj', query: 'versionId=null' })).text).toBe('content');
    expectEmptySuccess(await as('versioned', { method: 'DELETE', bucket: B, key: 'obj', query: 'versionId=null' }), 204);
  });
});

describe('CopyObject permissions', () => {
  it('needs oss:GetObject on the source besides oss:PutObject on the destination (and oss:PutObjectTagging for x-oss-tagging)', async () => {
    await oss.put(B, 'source', 'to copy');
    const copyAs = (name: string, headers: Record<string, string> = {}) =>
      as(name, { method: 'PUT', bucket: B, key: `copy-by-${name}`, headers: { 'x-oss-copy-source': `/${B}/source`, ...headers } });
    const refused = await copyAs('appender');
    expectError(refused, 403, 'AccessDenied', { ec: '0003-00000001' });
    expect(detailOf(refused)).toMatchObject({ AuthAction: 'oss:GetObject', NoPermissionType: 'ImplicitDeny' });
    expect((await oss.send({ method: 'HEAD', bucket: B, key: 'copy-by-appender' })).status).toBe(404);

    expect((await copyAs('tagger', { 'x-oss-tagging-directive': 'Replace', 'x-oss-tagging': 'a=b' })).status).toBe(200);
    expect((await oss.get(B, 'copy-by-tagger')).text).toBe('to copy');
    // The destination's permission is checked first: 'nobody' may not even write there.
    expect(detailOf(await copyAs('nobody'))).toMatchObject({ AuthAction: 'oss:PutObject' });
  });
});

describe('multipart upload permissions', () => {
  it('oss:PutObject covers Initiate, UploadPart and Complete; Abort needs oss:AbortMultipartUpload and ListParts oss:ListParts', async () => {
    const initiated = await as('appender', { method: 'POST', bucket: B, key: 'mp', query: 'uploads' });
    expect(initiated.status).toBe(200);
    const id = /<UploadId>(\w+)<\/UploadId>/.exec(initiated.text)![1]!;
    const part = await as('appender', { method: 'PUT', bucket: B, key: 'mp', query: `partNumber=1&uploadId=${id}`, body: 'part' });
    expectEmptySuccess(part);
    expect(detailOf(await as('appender', { method: 'GET', bucket: B, key: 'mp', query: `uploadId=${id}` }))).toMatchObject({ AuthAction: 'oss:ListParts' });
    expect(detailOf(await as('appender', { method: 'DELETE', bucket: B, key: 'mp', query: `uploadId=${id}` }))).toMatchObject({ AuthAction: 'oss:AbortMultipartUpload' });
    // UploadPartCopy reads its source: oss:GetObject there too.
    await oss.put(B, 'copy-source', 'x');
    const copyPart = await as('appender', { method: 'PUT', bucket: B, key: 'mp', query: `partNumber=2&uploadId=${id}`, headers: { 'x-oss-copy-source': `/${B}/copy-source` } });
    expect(detailOf(copyPart)).toMatchObject({ AuthAction: 'oss:GetObject' });
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers['etag']}</ETag></Part></CompleteMultipartUpload>`;
    expect((await as('appender', { method: 'POST', bucket: B, key: 'mp', query: `uploadId=${id}`, body })).status).toBe(200);
    expect((await oss.get(B, 'mp')).text).toBe('part');
  });
});

describe('policy evaluation', () => {
  it('a RAM user without policies may do nothing: what an ACL could grant fails at the ACL, the rest for want of an Allow', async () => {
    await oss.put(B, 'a', 'x');
    for (const req of [{ method: 'GET', bucket: B, key: 'a' }, { method: 'DELETE', bucket: B, key: 'a' }, { method: 'GET', bucket: B }] as OssRequest[]) {
      expectError(await as('nobody', req), 403, 'AccessDenied', { ec: '0003-00000001' });
    }
    for (const req of [{ method: 'GET' }, { method: 'GET', bucket: B, query: 'bucketInfo' }, { method: 'PUT', bucket: 'new-bkt' }] as OssRequest[]) {
      expectError(await as('nobody', req), 403, 'AccessDenied', { ec: '0003-00000202' });
    }
    expect(detailOf(await as('nobody', { method: 'GET' }))).toMatchObject({ AuthAction: 'oss:ListBuckets', NoPermissionType: 'ImplicitDeny' });
  });

  it('resources scope a grant: reader may get public/* but nothing else; oss:Get* covers GetObject and HeadObject', async () => {
    await oss.put(B, 'public/a', 'open');
    await oss.put(B, 'private/b', 'closed');
    expect((await as('reader', { method: 'GET', bucket: B, key: 'public/a' })).text).toBe('open');
    expect((await as('reader', { method: 'HEAD', bucket: B, key: 'public/a' })).status).toBe(200);
    expectError(await as('reader', { method: 'GET', bucket: B, key: 'private/b' }), 403, 'AccessDenied');
    expectError(await as('reader', { method: 'PUT', bucket: B, key: 'public/c', body: 'x' }), 403, 'AccessDenied');
  });

  it('an explicit Deny beats an Allow: 0003-00000201 with NoPermissionType ExplicitDeny', async () => {
    await oss.put(B, 'keep/x', 'x');
    await oss.put(B, 'temp/y', 'y');
    const res = await as('careful', { method: 'DELETE', bucket: B, key: 'keep/x' });
    // OSS's own wording for a RAM policy's Deny, odd as it is (its documented example for 0003-00000201).
    expectError(res, 403, 'AccessDenied', { ec: '0003-00000201', message: 'Access denied by bucket policy.' });
    expect(detailOf(res)).toMatchObject({ NoPermissionType: 'ExplicitDeny', AuthAction: 'oss:DeleteObject' });
    expect((await as('careful', { method: 'DELETE', bucket: B, key: 'temp/y' })).status).toBe(204);
    expect((await as('careful', { method: 'GET', bucket: B, key: 'keep/x' })).text).toBe('x');
  });

  it('a key holding a literal * is matched like any other: the Deny on keep/* still holds for keep/*x', async () => {
    await oss.put(B, 'keep/*x', 'x');
    expectError(await as('careful', { method: 'DELETE', bucket: B, key: 'keep/*x' }), 403, 'AccessDenied', { ec: '0003-00000201' });
  });

  it('NotAction grants everything except what it lists', async () => {
    expectEmptySuccess(await as('everything-but', { method: 'PUT', bucket: B, key: 'k', body: 'x' }));
    expectError(await as('everything-but', { method: 'DELETE', bucket: B, key: 'k' }), 403, 'AccessDenied');
  });

  it('DeleteMultipleObjects checks every key first: one refused key refuses the request and deletes nothing', async () => {
    await oss.put(B, 'keep/x', 'x');
    await oss.put(B, 'temp/y', 'y');
    const body = '<Delete><Quiet>false</Quiet><Object><Key>temp/y</Key></Object><Object><Key>keep/x</Key></Object></Delete>';
    const res = await as('careful', { method: 'POST', bucket: B, query: 'delete', body, headers: { 'content-md5': md5Base64(body), 'content-type': 'application/xml' } });
    expectError(res, 403, 'AccessDenied', { ec: '0003-00000204' });
    // The diagnostic names the key that was refused.
    const diagnostic = JSON.parse(Buffer.from(detailOf(res).EncodedDiagnosticMessage!, 'base64').toString('utf8')) as Record<string, string>;
    expect(diagnostic).toMatchObject({ action: 'oss:DeleteObject', decision: 'ExplicitDeny', policyType: 'AccountLevelIdentityBasedPolicy' });
    expect(diagnostic['resource']).toMatch(new RegExp(`^acs:oss:cn-hangzhou:\\d+:${B}/keep/x$`));
    expect((await oss.send({ method: 'HEAD', bucket: B, key: 'temp/y' })).status).toBe(200);
    const allowed = '<Delete><Object><Key>temp/y</Key></Object></Delete>';
    expect((await as('careful', { method: 'POST', bucket: B, query: 'delete', body: allowed, headers: { 'content-md5': md5Base64(allowed) } })).status).toBe(200);
  });

  it('DeleteMultipleObjects with no Object is 400 MalformedXML; an anonymous caller on a private bucket is refused before its body is read', async () => {
    const empty = '<Delete><Quiet>true</Quiet></Delete>';
    const headers = { 'content-md5': md5Base64(empty) };
    expectError(await oss.send({ method: 'POST', bucket: B, query: 'delete', body: empty, headers }), 400, 'MalformedXML');
    expectError(await as('nobody', { method: 'POST', bucket: B, query: 'delete', body: empty, headers }), 400, 'MalformedXML');
    expectError(await oss.send({ method: 'POST', bucket: B, query: 'delete', body: empty, auth: 'none' }), 403, 'AccessDenied');
  });

  it('conditions: acs:SourceIp is the caller\'s address (127.0.0.1 here)', async () => {
    await oss.put(B, 'a', 'x');
    expect((await as('local', { method: 'GET', bucket: B, key: 'a' })).status).toBe(200);
    expectError(await as('remote', { method: 'GET', bucket: B, key: 'a' }), 403, 'AccessDenied');
  });

  it('conditions: acs:AccessId, acs:SecureTransport (false: plain HTTP), acs:CurrentTime and acs:UserAgent', async () => {
    await oss.put(B, 'a', 'x');
    expect((await as('conditional', { method: 'GET', bucket: B, key: 'a', headers: { 'user-agent': 'my-app/1.0' } })).status).toBe(200);
    expectError(await as('conditional', { method: 'GET', bucket: B, key: 'a', headers: { 'user-agent': 'other/1.0' } }), 403, 'AccessDenied');
  });

  it('each condition key counts: a different AccessKey ID, HTTPS only, or a past deadline refuses', async () => {
    await oss.put(B, 'a', 'x');
    for (const name of ['other-key', 'tls-only', 'expired']) {
      expectError(await as(name, { method: 'GET', bucket: B, key: 'a' }), 403, 'AccessDenied');
    }
  });

  it('conditions: oss:Delimiter', async () => {
    expect((await as('by-folder', { method: 'GET', bucket: B, query: 'delimiter=%2F' })).status).toBe(200);
    expectError(await as('by-folder', { method: 'GET', bucket: B }), 403, 'AccessDenied');
  });

  it('a V1 presigned URL made with a RAM user\'s key pair carries that user\'s rights', async () => {
    await oss.put(B, 'public/a', 'open');
    await oss.put(B, 'private/b', 'closed');
    const expires = Math.floor(Date.now() / 1000) + 300;
    const url = (key: string) => `${emu.endpoint}/${B}/${key}?${presignV1({ method: 'GET', bucket: B, key, accessKeyId: 'reader-key', secret: 'reader-secret' }, expires)}`;
    expect(await (await fetch(url('public/a'))).text()).toBe('open');
    expect((await fetch(url('private/b'))).status).toBe(403);
  });

  it('conditions: oss:Prefix limits ListObjects to the prefixes it names', async () => {
    await oss.put(B, 'public/a', 'x');
    const listed = await as('lister', { method: 'GET', bucket: B, query: 'prefix=public%2F' });
    expect(listed.status).toBe(200);
    expect(listed.text).toContain('<Key>public/a</Key>');
    expectError(await as('lister', { method: 'GET', bucket: B, query: 'prefix=private%2F' }), 403, 'AccessDenied');
    expectError(await as('lister', { method: 'GET', bucket: B }), 403, 'AccessDenied');
  });

  it('the ACL still grants what no policy does: public-read lets a RAM user without policies read, not write', async () => {
    await oss.put(B, 'a', 'x');
    expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, query: 'acl', headers: { 'x-oss-acl': 'public-read' } }));
    expect((await as('nobody', { method: 'GET', bucket: B, key: 'a' })).text).toBe('x');
    expectError(await as('nobody', { method: 'PUT', bucket: B, key: 'b', body: 'y' }), 403, 'AccessDenied', { ec: '0003-00000001' });
    expectError(await as('nobody', { method: 'GET', bucket: B, query: 'acl' }), 403, 'AccessDenied', { ec: '0003-00000202' });
  });

  it('public-read-write grants a tagged append, oss:PutObjectTagging included, to a RAM user without policies and to anonymous callers', async () => {
    expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, query: 'acl', headers: { 'x-oss-acl': 'public-read-write' } }));
    expectEmptySuccess(await append('nobody', 'open', 0, 'x', { 'x-oss-tagging': 'a=b' }));
    expectEmptySuccess(await oss.send({ method: 'POST', bucket: B, key: 'open', query: 'append&position=1', body: 'y', headers: { 'x-oss-tagging': 'a=b' }, auth: 'none' }));
  });
});

describe('x-oss-tagging-count', () => {
  it('is shown only to a caller who may read the tags (oss:GetObjectTagging), on GET and HEAD', async () => {
    for (const key of ['t', 'public/t']) {
      expect((await oss.send({ method: 'PUT', bucket: B, key, body: 'x', headers: { 'x-oss-tagging': 'a=1&b=2', 'x-oss-object-acl': 'public-read' } })).status).toBe(200);
    }
    const count = async (res: Promise<{ status: number; headers: Record<string, string | undefined> }>) => {
      const { status, headers } = await res;
      expect(status).toBe(200);
      return headers['x-oss-tagging-count'];
    };
    for (const method of ['GET', 'HEAD'] as const) {
      expect(await count(oss.send({ method, bucket: B, key: 't' }))).toBe('2');
      // Anonymous, through the object's public-read ACL: the ACL grants reads, not the tags.
      expect(await count(oss.send({ method, bucket: B, key: 't', auth: 'none' }))).toBeUndefined();
      // oss:GetObject without oss:GetObjectTagging; then oss:Get*, which has both.
      expect(await count(as('tagger', { method, bucket: B, key: 't' }))).toBeUndefined();
      expect(await count(as('reader', { method, bucket: B, key: 'public/t' }))).toBe('2');
    }
  });
});

describe('RAM user credentials', () => {
  it('a wrong secret is SignatureDoesNotMatch, an unknown key InvalidAccessKeyId', async () => {
    expectError(await oss.send({ method: 'GET', bucket: B, key: 'a', accessKeyId: 'appender-key', secret: 'wrong' }), 403, 'SignatureDoesNotMatch');
    expectError(await oss.send({ method: 'GET', bucket: B, key: 'a', accessKeyId: 'nobody-at-all', secret: 'x' }), 403, 'InvalidAccessKeyId');
  });

  it('V4 signatures identify RAM users too', async () => {
    const signV4 = (req: OssRequest): Record<string, string> => {
      const datetime = v4Datetime(new Date());
      const headers: Record<string, string> = { ...(req.headers ?? {}), 'x-oss-date': datetime, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
      const req4 = signingRequest(req, { ...headers, host: oss.hostPort });
      headers['Authorization'] = v4AuthorizationHeader({ accessKeyId: 'appender-key', secret: 'appender-secret', region: 'cn-hangzhou', req: req4, datetime });
      return headers;
    };
    const plain: OssRequest = { method: 'POST', bucket: B, key: 'v4', query: 'append&position=0', body: 'data' };
    expectEmptySuccess(await oss.sendRaw(plain, signV4(plain)));
    const tagged: OssRequest = { ...plain, key: 'v4-tagged', headers: { 'x-oss-tagging': 'a=b' } };
    expectError(await oss.sendRaw(tagged, signV4(tagged)), 403, 'AccessDenied');
  });

  it('/_ossemu/config lists RAM users with their policies and masked secrets', async () => {
    const res = await fetch(`${emu.endpoint}/_ossemu/config`);
    const config = (await res.json()) as { ramUsers: Array<{ name: string; accessKeySecret: string; policies: unknown[] }> };
    const appender = config.ramUsers.find((u) => u.name === 'appender')!;
    expect(appender.accessKeySecret).not.toContain('appender-secret');
    expect(appender.policies).toEqual(USERS[0]!.policies);
  });
});
