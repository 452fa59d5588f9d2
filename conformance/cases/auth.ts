import type { OssClient } from '../../client/index.js';
import { assert, expectBody, expectError, expectHeader, expectStatus, sdkError } from '../expect.js';
import { sdkClient } from '../sdk.js';
import { wireClient } from '../wire.js';
import type { CaseContext, CaseDefinition } from '../types.js';

/** A client for the same target with other credentials or signing. */
function wireWith(t: CaseContext, change: Parameters<typeof wireClient>[1]): OssClient {
  return wireClient(t.target, change);
}

/** Signature failures and presigned URLs, as OSS reports them. */
export const AUTH_CASES: CaseDefinition[] = [
  {
    id: 'auth.signature-mismatch',
    title: 'A wrong secret is 403 SignatureDoesNotMatch, with the server\'s StringToSign (V1) or CanonicalRequest (V4)',
    confidence: 'validated',
    source: 'go1 oss/bucket_test.go sign-URL tests, py1 tests/test_object.py (SignatureDoesNotMatch); facts §6 (error elements)',
    runs: {
      wire: async (t) => {
        for (const signatureVersion of ['v1', 'v4'] as const) {
          const client = wireWith(t, { accessKeySecret: 'not-the-secret', signatureVersion });
          try {
            const res = await client.appendObject(t.bucket, t.key(`sig-${signatureVersion}.log`), 0, 'x');
            t.record(`append-bad-signature-${signatureVersion}`, res);
            expectError(res, { status: 403, code: 'SignatureDoesNotMatch' });
            const detail = signatureVersion === 'v1' ? 'StringToSign' : 'CanonicalRequest';
            assert.ok(res.error?.details[detail], `${detail} in the error document`);
          } finally {
            client.destroy();
          }
        }
      },
      'ali-oss': async (t) => {
        const sdk = sdkClient(t.target, { accessKeySecret: 'not-the-secret' });
        const error = await sdkError(() => sdk.append(t.key('sig.log'), Buffer.from('x')));
        assert.equal(error.code, 'SignatureDoesNotMatch');
        assert.equal(error.status, 403);
      },
    },
  },
  {
    id: 'auth.unknown-access-key',
    title: 'An unknown AccessKey ID is 403 InvalidAccessKeyId',
    confidence: 'validated',
    source: 'go2 oss/client_integration_test.go (InvalidAccessKeyId, EC 0002-00000902)',
    runs: {
      wire: async (t) => {
        const client = wireWith(t, { accessKeyId: 'LTAIossemuNoSuchKeyId' });
        try {
          const res = await client.headObject(t.bucket, t.key('any'));
          expectError(res, { status: 403, code: 'InvalidAccessKeyId', ec: '0002-00000902' });
        } finally {
          client.destroy();
        }
      },
    },
  },
  {
    id: 'auth.security-token',
    title: 'A security token that does not go with the key is refused before the signature: InvalidAccessKeyId or InvalidSecurityToken',
    confidence: 'validated',
    source:
      'EC pages 0002-00000002, 0002-00000003, 0002-00000006; wire errors quoted in aliyun-oss-java-sdk#424 and lucky1213/aliyun_oss#19 (0002-00000003), ' +
      'matrixorigin/matrixone#12445 (InvalidSecurityToken, 0002-00000006); go1 oss/bucket_test.go TestSTSTonekNegative (a long-term key with a token fails)',
    runs: {
      wire: async (t) => {
        // With STS credentials (OSS_SESSION_TOKEN) the key is an STS key; else a long-term one.
        if (t.target.securityToken) {
          const wrongToken = wireWith(t, { securityToken: 'ossemu-made-up-token' });
          const noToken = wireWith(t, { securityToken: null });
          try {
            expectError(await wrongToken.headObject(t.bucket, t.key('any')), { status: 403, code: 'InvalidSecurityToken', ec: '0002-00000006' });
            expectError(await noToken.headObject(t.bucket, t.key('any')), { status: 403, code: 'InvalidAccessKeyId', ec: '0002-00000003' });
          } finally {
            wrongToken.destroy();
            noToken.destroy();
          }
          return;
        }
        for (const signatureVersion of ['v1', 'v4'] as const) {
          const client = wireWith(t, { securityToken: 'ossemu-made-up-token', signatureVersion });
          try {
            const res = await client.appendObject(t.bucket, t.key(`token-${signatureVersion}.log`), 0, 'x');
            t.record(`append-long-term-key-with-token-${signatureVersion}`, res);
            expectError(res, { status: 403, code: 'InvalidAccessKeyId', ec: '0002-00000002' });
            expectStatus(await t.wire.headObject(t.bucket, t.key(`token-${signatureVersion}.log`)), 404);
          } finally {
            client.destroy();
          }
        }
      },
      'ali-oss': async (t) => {
        const sdk = sdkClient(t.target, { stsToken: t.target.securityToken ? 'ossemu-made-up-token' : 'ossemu-token-for-a-long-term-key' });
        const error = await sdkError(() => sdk.put(t.key('token.txt'), Buffer.from('x')));
        assert.equal(error.status, 403);
        assert.equal(error.code, t.target.securityToken ? 'InvalidSecurityToken' : 'InvalidAccessKeyId');
      },
    },
  },
  {
    id: 'auth.clock-skew',
    title: 'A request dated more than 15 minutes off is 403 RequestTimeTooSkewed',
    confidence: 'validated',
    source: 'py1 tests/test_sign.py test_sign_v1_x_oss_date; EC 0002-00000504',
    runs: {
      wire: async (t) => {
        const res = await t.wire.headObject(t.bucket, t.key('any'), { dateOverride: new Date(Date.now() - 60 * 60 * 1000) });
        expectError(res, { status: 403, code: 'RequestTimeTooSkewed' });
      },
    },
  },
  {
    id: 'auth.presigned-url',
    title: 'Presigned V1 and V4 URLs read an object; an expired one is 403 AccessDenied',
    confidence: 'validated',
    source: 'Presigned URL docs (V1 OSSAccessKeyId/Expires/Signature, V4 x-oss-signature); go2 signer tests',
    runs: {
      wire: async (t) => {
        const key = t.key('shared.txt');
        await t.wire.putObject(t.bucket, key, 'shared');
        for (const signatureVersion of ['v1', 'v4'] as const) {
          const client = wireWith(t, { signatureVersion });
          try {
            const fresh = await client.sendRaw(client.presign({ method: 'GET', bucket: t.bucket, key, expiresInSeconds: 300 }));
            expectStatus(fresh, 200);
            expectBody(fresh, 'shared');
          } finally {
            client.destroy();
          }
        }
        const expired = await t.wire.sendRaw(t.wire.presign({ method: 'GET', bucket: t.bucket, key, expiresInSeconds: -60 }));
        expectError(expired, { status: 403, code: 'AccessDenied' });
      },
      'ali-oss': async (t) => {
        const key = t.key('shared.txt');
        await t.sdk.put(key, Buffer.from('shared'));
        // ali-oss refuses to presign for an IP endpoint; the same host by name with path style works.
        const endpoint = new URL(t.target.endpoint);
        const signer = endpoint.hostname === '127.0.0.1' ? sdkClient(t.target, { endpoint: t.target.endpoint.replace('127.0.0.1', 'localhost') }) : t.sdk;
        const url = signer.signatureUrl(key, { expires: 300 });
        const res = await fetch(url);
        assert.equal(res.status, 200);
        assert.equal(await res.text(), 'shared');
      },
    },
  },
  {
    id: 'common.request-id',
    title: 'Every response, success, error or HEAD error, carries a 24-hex x-oss-request-id and Server: AliyunOSS',
    confidence: 'validated',
    source: 'py1 mocks (24 upper-case hex request ids); facts §6',
    runs: {
      wire: async (t) => {
        const key = t.key('id.txt');
        for (const res of [
          await t.wire.putObject(t.bucket, key, 'x'),
          await t.wire.getObject(t.bucket, t.key('missing')),
          await t.wire.headObject(t.bucket, t.key('missing')),
          await t.wire.appendObject(t.bucket, key, 0, 'x'),
        ]) {
          expectHeader(res, 'x-oss-request-id', /^[0-9A-F]{24}$/);
          expectHeader(res, 'server', 'AliyunOSS');
          expectHeader(res, 'date', /GMT$/);
        }
      },
    },
  },
];
