import { assert, expectError, expectHeader, expectStatus, sdkError } from '../expect.js';
import type { CaseDefinition } from '../types.js';

const FAR_FUTURE = 'Fri, 01 Jan 2100 00:00:00 GMT';
const LONG_AGO = 'Mon, 01 Jan 2001 00:00:00 GMT';

/** HeadObject and GetObjectMeta on appendable objects, their errors and conditions. */
export const HEAD_CASES: CaseDefinition[] = [
  {
    id: 'head.appendable',
    title: 'HEAD of an appendable object: type, next position, CRC-64, length, no Content-MD5',
    confidence: 'validated',
    source: 'help.aliyun.com/en/oss/user-guide/0026-00000016 (HEAD response example)',
    runs: {
      wire: async (t) => {
        const key = t.key('four.bin');
        await t.wire.appendObject(t.bucket, key, 0, 'oss!');
        const head = await t.wire.headObject(t.bucket, key);
        t.record('head', head);
        expectStatus(head, 200);
        expectHeader(head, 'content-length', '4');
        expectHeader(head, 'x-oss-object-type', 'Appendable');
        expectHeader(head, 'x-oss-next-append-position', '4');
        expectHeader(head, 'x-oss-hash-crc64ecma', /^\d+$/);
        expectHeader(head, 'x-oss-storage-class', 'Standard');
        expectHeader(head, 'content-md5', undefined);
        expectHeader(head, 'x-oss-request-id', /^[0-9A-F]{24}$/);
      },
      'ali-oss': async (t) => {
        const key = t.key('four.bin');
        await t.sdk.append(key, Buffer.from('oss!'));
        const head = await t.sdk.head(key);
        const headers = head.res.headers as Record<string, string>;
        assert.equal(headers['x-oss-object-type'], 'Appendable');
        assert.equal(headers['x-oss-next-append-position'], '4');
        assert.equal(headers['content-length'], '4');
      },
    },
  },
  {
    id: 'head.missing-key',
    title: 'HEAD of a missing key: 404, no body, the error in x-oss-err',
    confidence: 'validated',
    source: 'py1 unittests/test_object.py (x-oss-err mock); go2 client.go tryConvertServiceError; EC 0026-00000001',
    runs: {
      wire: async (t) => {
        const head = await t.wire.headObject(t.bucket, t.key('missing'));
        t.record('head-missing', head);
        expectError(head, { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', ec: '0026-00000001' });
        assert.equal(head.body.length, 0, 'HEAD carries no body');
        assert.equal(head.error?.fromHeader, true, 'the error came from x-oss-err');
        expectHeader(head, 'x-oss-ec', '0026-00000001');
      },
      'ali-oss': async (t) => {
        const error = await sdkError(() => t.sdk.head(t.key('missing')));
        assert.equal(error.code, 'NoSuchKey');
        assert.equal(error.status, 404);
      },
    },
  },
  {
    id: 'head.missing-bucket',
    title: 'HEAD in a missing bucket: 404 NoSuchBucket in x-oss-err',
    confidence: 'validated',
    source: 'go2 oss/client_integration_test.go TestHeadObject (NoSuchBucket, EC 0015-00000101)',
    runs: {
      wire: async (t) => {
        const head = await t.wire.headObject(`ossemu-no-such-${Date.now().toString(36)}`, 'k');
        expectError(head, { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist.' });
        assert.equal(head.body.length, 0);
      },
    },
  },
  {
    id: 'head.conditional',
    title: 'Conditional HEAD: If-None-Match and If-Modified-Since give 304, If-Match and If-Unmodified-Since 412',
    confidence: 'validated',
    source: 'HeadObject doc 31984; ali-oss test/node/object.test.js head() (future If-Modified-Since → 304)',
    runs: {
      wire: async (t) => {
        const key = t.key('cond.log');
        const put = await t.wire.appendObject(t.bucket, key, 0, 'x');
        const etag = put.headers['etag']!;
        const head = (headers: Record<string, string>) => t.wire.headObject(t.bucket, key, { headers });
        expectStatus(await head({ 'if-none-match': etag }), 304);
        expectStatus(await head({ 'if-none-match': '"0000"' }), 200);
        expectStatus(await head({ 'if-match': etag }), 200);
        expectError(await head({ 'if-match': '"0000"' }), { status: 412, code: 'PreconditionFailed' });
        expectStatus(await head({ 'if-modified-since': FAR_FUTURE }), 304);
        expectStatus(await head({ 'if-modified-since': LONG_AGO }), 200);
        expectError(await head({ 'if-unmodified-since': LONG_AGO }), { status: 412, code: 'PreconditionFailed' });
        expectStatus(await head({ 'if-unmodified-since': FAR_FUTURE }), 200);
      },
      'ali-oss': async (t) => {
        const key = t.key('cond.log');
        await t.sdk.append(key, Buffer.from('x'));
        const notModified = await t.sdk.head(key, { headers: { 'If-Modified-Since': FAR_FUTURE } } as never);
        assert.equal(notModified.status, 304);
        const error = await sdkError(() => t.sdk.head(key, { headers: { 'If-Unmodified-Since': LONG_AGO } } as never));
        assert.equal(error.status, 412);
      },
    },
  },
  {
    id: 'head.object-meta',
    title: 'GetObjectMeta (HEAD ?objectMeta): length, ETag, Last-Modified, CRC-64',
    confidence: 'validated',
    source: 'GetObjectMeta doc (alibabacloud.com/help/en/oss/developer-reference/getobjectmeta); go2 GetObjectMetaResult',
    runs: {
      wire: async (t) => {
        const key = t.key('meta.log');
        const put = await t.wire.appendObject(t.bucket, key, 0, 'twelve bytes');
        const meta = await t.wire.getObjectMeta(t.bucket, key);
        expectStatus(meta, 200);
        expectHeader(meta, 'content-length', '12');
        expectHeader(meta, 'etag', put.headers['etag']);
        expectHeader(meta, 'x-oss-hash-crc64ecma', put.headers['x-oss-hash-crc64ecma']);
        expectHeader(meta, 'last-modified', /GMT$/);
      },
    },
  },
];
