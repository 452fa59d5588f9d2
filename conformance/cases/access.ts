import type { OssClient } from '../../client/index.js';
import { assert, expectError, expectHeader, expectStatus, sdkError } from '../expect.js';
import { sdkClient } from '../sdk.js';
import type { CaseContext, CaseDefinition } from '../types.js';
import { wireClient } from '../wire.js';

/**
 * The permissions that guard AppendObject, checked with a RAM user whose only permission is
 * oss:PutObject on the bucket's objects (the target's putOnlyUser; skipped without one).
 */
const SOURCE = 'AppendObject permission table (alibabacloud.com/help/en/oss/developer-reference/appendobject): oss:PutObject, plus oss:PutObjectTagging with x-oss-tagging';

function putOnly(t: CaseContext): { accessKeyId: string; accessKeySecret: string } {
  const user = t.target.putOnlyUser;
  if (!user) t.skip('needs a RAM user allowed only oss:PutObject on the bucket: set OSS_RAM_ACCESS_KEY_ID and OSS_RAM_ACCESS_KEY_SECRET');
  return user;
}

async function withPutOnlyWire(t: CaseContext, use: (client: OssClient) => Promise<void>): Promise<void> {
  const client = wireClient(t.target, { ...putOnly(t), securityToken: null });
  try {
    await use(client);
  } finally {
    client.destroy();
  }
}

const putOnlySdk = (t: CaseContext) => sdkClient(t.target, { ...putOnly(t), stsToken: undefined });

export const ACCESS_CASES: CaseDefinition[] = [
  {
    id: 'access.append-with-put-object',
    title: 'oss:PutObject alone lets a RAM user create an appendable object and append to it',
    confidence: 'validated',
    source: SOURCE,
    runs: {
      wire: (t) =>
        withPutOnlyWire(t, async (client) => {
          const key = t.key('ram-append.log');
          expectStatus(await client.appendObject(t.bucket, key, 0, 'first '), 200);
          const second = await client.appendObject(t.bucket, key, 6, 'second');
          expectStatus(second, 200);
          expectHeader(second, 'x-oss-next-append-position', '12');
        }),
      'ali-oss': async (t) => {
        const sdk = putOnlySdk(t);
        const key = t.key('ram-append.log');
        await sdk.append(key, Buffer.from('first '));
        const second = await sdk.append(key, Buffer.from('second'), { position: '6' });
        assert.equal(second.nextAppendPosition, '12');
      },
    },
  },
  {
    id: 'access.append-tags-need-put-object-tagging',
    title: 'An append that sends x-oss-tagging also needs oss:PutObjectTagging: 403 AccessDenied, and no object is created',
    confidence: 'validated',
    source: SOURCE,
    runs: {
      wire: (t) =>
        withPutOnlyWire(t, async (client) => {
          const key = t.key('ram-tagged.log');
          const res = await client.appendObject(t.bucket, key, 0, 'data', { 'x-oss-tagging': 'team=storage' });
          t.record('append-tags-without-permission', res);
          expectError(res, { status: 403, code: 'AccessDenied' });
          expectStatus(await t.wire.headObject(t.bucket, key), 404);
        }),
      'ali-oss': async (t) => {
        const sdk = putOnlySdk(t);
        const key = t.key('ram-tagged.log');
        const error = await sdkError(() => sdk.append(key, Buffer.from('data'), { headers: { 'x-oss-tagging': 'team=storage' } } as never));
        assert.equal(error.code, 'AccessDenied');
        assert.equal(error.status, 403);
        const missing = await sdkError(() => t.sdk.head(key));
        assert.equal(missing.status, 404);
      },
    },
  },
  {
    id: 'access.put-object-does-not-grant-reads',
    title: 'oss:PutObject does not grant reading: GetObject and HeadObject are 403 AccessDenied (HEAD through x-oss-err)',
    confidence: 'validated',
    source: 'RAM policy overview: GetObject and HeadObject need oss:GetObject',
    runs: {
      wire: (t) =>
        withPutOnlyWire(t, async (client) => {
          const key = t.key('ram-read.log');
          expectStatus(await client.appendObject(t.bucket, key, 0, 'data'), 200);
          expectError(await client.getObject(t.bucket, key), { status: 403, code: 'AccessDenied' });
          expectError(await client.headObject(t.bucket, key), { status: 403, code: 'AccessDenied' });
        }),
      'ali-oss': async (t) => {
        const sdk = putOnlySdk(t);
        const key = t.key('ram-read.log');
        await sdk.append(key, Buffer.from('data'));
        assert.equal((await sdkError(() => sdk.get(key))).code, 'AccessDenied');
        assert.equal((await sdkError(() => sdk.head(key))).status, 403);
      },
    },
  },
];
