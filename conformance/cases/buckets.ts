import { randomBytes } from 'node:crypto';
import { assert, expectError, expectStatus } from '../expect.js';
import type { CaseDefinition } from '../types.js';

/** Bucket operations; those that create buckets run only where the run may (the emulator, or OSS_ALLOW_BUCKET_OPS=1). */
export const BUCKET_CASES: CaseDefinition[] = [
  {
    id: 'bucket.lifecycle',
    title: 'PutBucket is idempotent for its owner; DeleteBucket is 409 BucketNotEmpty, then 204, then 404',
    confidence: 'validated',
    source: 'java integrationtests/CreateBucketTest.java testPutWithCannedACL; http-status-code-409 doc; py1 (BucketNotEmpty 409)',
    runs: {
      wire: async (t) => {
        if (!t.target.allowBucketOps) t.skip('creates a bucket: set OSS_ALLOW_BUCKET_OPS=1 to allow');
        const bucket = `ossemu-conf-${randomBytes(5).toString('hex')}`;
        try {
          expectStatus(await t.wire.putBucket(bucket), 200);
          expectStatus(await t.wire.putBucket(bucket, { acl: 'public-read' }), 200);
          const acl = await t.wire.getBucketAcl(bucket);
          assert.equal(acl.acl, 'public-read');
          expectStatus(await t.wire.putObject(bucket, 'k', 'x'), 200);
          expectError(await t.wire.deleteBucket(bucket), { status: 409, code: 'BucketNotEmpty' });
          expectStatus(await t.wire.deleteObject(bucket, 'k'), 204);
          expectStatus(await t.wire.deleteBucket(bucket), 204);
          expectError(await t.wire.deleteBucket(bucket), { status: 404, code: 'NoSuchBucket' });
        } finally {
          await t.wire.deleteObject(bucket, 'k');
          await t.wire.deleteBucket(bucket);
        }
      },
    },
  },
  {
    id: 'bucket.cors',
    title: 'CORS rules: put, get, a preflight and an append from the allowed page (which can read x-oss-next-append-position), a refused preflight, delete',
    confidence: 'validated',
    source:
      'py2 tests/integration/test_bucket_cors_client.py and ali-oss test/node/bucket.test.js (real OSS): round trip, Allow-Methods joined by ", ", Allow-Headers echoed; ' +
      'Options doc and ossutil cors-options output (AccessForbidden, message with its typos); ali-oss PR #1218 (exposing x-oss-next-append-position). ' +
      'Expose-Headers is compared as a list: its separator is our choice (docs/divergences.md, CORS)',
    runs: {
      wire: async (t) => {
        if (!t.target.allowBucketOps) t.skip('changes a bucket configuration, so it runs on a bucket of its own: set OSS_ALLOW_BUCKET_OPS=1 to allow');
        const bucket = `ossemu-conf-${randomBytes(5).toString('hex')}`;
        const page = 'http://app.example.com';
        const key = 'cors/log.txt';
        const list = (value: string | undefined): string[] => (value ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
        try {
          expectStatus(await t.wire.putBucket(bucket), 200);
          expectError(await t.wire.getBucketCors(bucket), { status: 404, code: 'NoSuchCORSConfiguration' });
          const rule = { allowedOrigins: [page], allowedMethods: ['POST', 'GET'], allowedHeaders: ['*'], exposeHeaders: ['x-oss-next-append-position', 'ETag'], maxAgeSeconds: 60 };
          expectStatus(await t.wire.putBucketCors(bucket, [rule]), 200);
          const got = await t.wire.getBucketCors(bucket);
          t.record('get', got);
          expectStatus(got, 200);
          const config = (got.xml?.['CORSConfiguration'] ?? {}) as Record<string, unknown>;
          assert.deepEqual(config['CORSRule'], {
            AllowedOrigin: page,
            AllowedMethod: ['POST', 'GET'],
            AllowedHeader: '*',
            ExposeHeader: ['x-oss-next-append-position', 'ETag'],
            MaxAgeSeconds: '60',
          });

          const allowed = await t.wire.preflight(bucket, key, page, 'POST', 'content-type,x-oss-date');
          t.record('preflight', allowed);
          expectStatus(allowed, 200);
          assert.equal(allowed.headers['access-control-allow-origin'], page);
          assert.equal(allowed.headers['access-control-allow-methods'], 'POST, GET');
          assert.equal(allowed.headers['access-control-allow-headers'], 'content-type,x-oss-date');
          assert.deepEqual(list(allowed.headers['access-control-expose-headers']), ['x-oss-next-append-position', 'ETag']);
          assert.equal(allowed.headers['access-control-max-age'], '60');

          const appended = await t.wire.appendObject(bucket, key, 0, 'abc', { origin: page });
          expectStatus(appended, 200);
          assert.equal(appended.headers['access-control-allow-origin'], page);
          assert.ok(list(appended.headers['access-control-expose-headers']).includes('x-oss-next-append-position'), 'the append position is exposed to the page');

          const refused = await t.wire.preflight(bucket, key, page, 'DELETE');
          t.record('refused', refused);
          expectError(refused, { status: 403, code: 'AccessForbidden' });
          assert.equal(refused.headers['access-control-allow-origin'], undefined);

          expectStatus(await t.wire.deleteBucketCors(bucket), 204);
          expectError(await t.wire.getBucketCors(bucket), { status: 404, code: 'NoSuchCORSConfiguration' });
        } finally {
          await t.wire.deleteObject(bucket, key);
          await t.wire.deleteBucket(bucket);
        }
      },
    },
  },
  {
    id: 'bucket.list-invalid-prefix',
    title: 'ListBuckets with a prefix no bucket name can begin with (upper case) is refused: 400 InvalidArgument',
    confidence: 'validated',
    source: 'go1 oss/client_test.go TestIsBucketExist (IsBucketExist("BucketNameInvalid") lists with that prefix and fails; real service); EC page 0017-00000290; the code name is our reading',
    runs: {
      wire: async (t) => {
        const refused = await t.wire.listBuckets({ prefix: 'BucketNameInvalid', maxKeys: 1 });
        t.record('list', refused);
        expectError(refused, { status: 400, code: 'InvalidArgument' });
      },
    },
  },
  {
    id: 'bucket.stat',
    title: 'GetBucketStat answers <BucketStat> with the storage and object counts, in total and per storage class',
    confidence: 'validated',
    source: "GetBucketStat API reference (help.aliyun.com/document_detail/426056): the elements; OSS's figures lag by up to an hour, so only their presence is compared",
    runs: {
      wire: async (t) => {
        // Not recorded: every figure changes from run to run, so a recording could never be replayed.
        const res = await t.wire.getBucketStat(t.bucket);
        expectStatus(res, 200);
        for (const name of ['Storage', 'ObjectCount', 'MultipartUploadCount', 'LastModifiedTime', 'StandardStorage', 'StandardObjectCount', 'InfrequentAccessStorage', 'InfrequentAccessRealStorage', 'ArchiveObjectCount', 'ColdArchiveObjectCount']) {
          assert.ok(Number.isInteger(res.stat?.[name]), `${name} is a whole number`);
        }
      },
      'ali-oss': async (t) => {
        const { stat } = await (t.sdk as unknown as { getBucketStat(name: string): Promise<{ stat: Record<string, string> }> }).getBucketStat(t.bucket);
        assert.ok(Number(stat['ObjectCount']) >= 0 && Number(stat['Storage']) >= 0);
      },
    },
  },
];
