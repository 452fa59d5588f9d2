import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { assert, expectBody, expectError, expectHeader, expectStatus, sdkError } from '../expect.js';
import { postPolicySignatureV1 } from '../../client/index.js';
import type { CaseDefinition } from '../types.js';

const md5Hex = (s: string): string => createHash('md5').update(s).digest('hex').toUpperCase();
const md5Base64 = (s: string): string => createHash('md5').update(s).digest('base64');
/** The key of the Go SDK's real-service test of DeleteObjects with special characters. */
const SPECIAL_KEY = 'A \' < > " & ~ ` ! @ # $ % ^ & * ( ) [] {} - _ + = / | \\ ? . , : ; A';

/** The basics around append: put, get, range, delete, list. */
export const OBJECT_CASES: CaseDefinition[] = [
  {
    id: 'object.put-get',
    title: 'PutObject returns the MD5 ETag and CRC-64; GetObject returns the bytes and type Normal',
    confidence: 'validated',
    source: 'py1 unittests/common.py make_put_object; GetObjectMeta doc (ETag of PutObject = MD5)',
    runs: {
      wire: async (t) => {
        const key = t.key('hello.txt');
        const put = await t.wire.putObject(t.bucket, key, 'hello world', { 'content-type': 'text/plain' });
        t.record('put', put);
        expectStatus(put, 200);
        assert.equal(put.body.length, 0, 'empty body');
        expectHeader(put, 'etag', `"${md5Hex('hello world')}"`);
        expectHeader(put, 'content-md5', md5Base64('hello world'));
        const got = await t.wire.getObject(t.bucket, key);
        t.record('get', got);
        expectBody(got, 'hello world');
        expectHeader(got, 'x-oss-object-type', 'Normal');
        expectHeader(got, 'content-type', 'text/plain');
        expectHeader(got, 'etag', `"${md5Hex('hello world')}"`);
      },
      'ali-oss': async (t) => {
        const key = t.key('hello.txt');
        const put = await t.sdk.put(key, Buffer.from('hello world'));
        assert.equal((put.res.headers as Record<string, string>)['etag'], `"${md5Hex('hello world')}"`);
        const got = await t.sdk.get(key);
        assert.equal(got.content.toString(), 'hello world');
      },
    },
  },
  {
    id: 'object.range',
    title: 'Range GET: 206 with Content-Range; an unsatisfiable range is ignored (200) unless standard behaviour asks for 416',
    confidence: 'validated',
    source: 'alibabacloud.com/help/en/oss/how-to-obtain-oss-resources-by-segmenting-http-range-requests; http-status-code-416',
    runs: {
      wire: async (t) => {
        const key = t.key('digits.txt');
        await t.wire.putObject(t.bucket, key, '0123456789');
        const part = await t.wire.getObject(t.bucket, key, { range: 'bytes=2-5' });
        t.record('range', part);
        expectStatus(part, 206);
        expectBody(part, '2345');
        expectHeader(part, 'content-range', 'bytes 2-5/10');
        expectBody(await t.wire.getObject(t.bucket, key, { range: 'bytes=-3' }), '789');
        const beyond = await t.wire.getObject(t.bucket, key, { range: 'bytes=20-30' });
        expectStatus(beyond, 200);
        expectBody(beyond, '0123456789');
        const strict = await t.wire.getObject(t.bucket, key, { range: 'bytes=20-30', headers: { 'x-oss-range-behavior': 'standard' } });
        expectError(strict, { status: 416, code: 'InvalidRange' });
      },
      'ali-oss': async (t) => {
        const key = t.key('digits.txt');
        await t.sdk.put(key, Buffer.from('0123456789'));
        const part = await t.sdk.get(key, { headers: { Range: 'bytes=2-5' } });
        assert.equal(part.res.status, 206);
        assert.equal(part.content.toString(), '2345');
      },
    },
  },
  {
    id: 'object.forbid-overwrite',
    title: 'x-oss-forbid-overwrite: true on an existing key is 409 FileAlreadyExists and keeps the object; false overwrites',
    confidence: 'validated',
    source: 'http-status-code-409 and EC 0026-00000002 docs; go1 oss/bucket_test.go TestPutObjectWithForbidOverWrite (real service)',
    runs: {
      wire: async (t) => {
        const key = t.key('kept.txt');
        expectStatus(await t.wire.putObject(t.bucket, key, 'first', { 'x-oss-forbid-overwrite': 'true' }), 200);
        const refused = await t.wire.putObject(t.bucket, key, 'second', { 'x-oss-forbid-overwrite': 'true' });
        t.record('refused', refused);
        expectError(refused, { status: 409, code: 'FileAlreadyExists' });
        expectBody(await t.wire.getObject(t.bucket, key), 'first');
        expectStatus(await t.wire.putObject(t.bucket, key, 'third', { 'x-oss-forbid-overwrite': 'false' }), 200);
        expectBody(await t.wire.getObject(t.bucket, key), 'third');
      },
      'ali-oss': async (t) => {
        const key = t.key('kept.txt');
        const forbid = { headers: { 'x-oss-forbid-overwrite': 'true' } };
        await t.sdk.put(key, Buffer.from('first'), forbid);
        const error = await sdkError(() => t.sdk.put(key, Buffer.from('second'), forbid));
        assert.equal(error.status, 409);
        assert.equal(error.code, 'FileAlreadyExists');
        assert.equal((await t.sdk.get(key)).content.toString(), 'first');
      },
    },
  },
  {
    id: 'object.tagging',
    title: 'Tags sent with x-oss-tagging on PutObject read back with GetObjectTagging; PutObjectTagging replaces them and DeleteObjectTagging removes them',
    confidence: 'validated',
    source: 'PutObjectTagging, GetObjectTagging and DeleteObjectTagging docs; ali-oss test/node/object.test.js putObjectTagging/getObjectTagging',
    runs: {
      wire: async (t) => {
        const key = t.key('tagged.txt');
        expectStatus(await t.wire.putObject(t.bucket, key, 'x', { 'x-oss-tagging': 'team=storage&stage=a%20b' }), 200);
        const first = await t.wire.getObjectTagging(t.bucket, key);
        t.record('tags-from-put', first);
        expectStatus(first, 200);
        assert.deepEqual(first.tags, { team: 'storage', stage: 'a b' });
        expectStatus(await t.wire.putObjectTagging(t.bucket, key, { owner: 'ci' }), 200);
        assert.deepEqual((await t.wire.getObjectTagging(t.bucket, key)).tags, { owner: 'ci' });
        expectStatus(await t.wire.deleteObjectTagging(t.bucket, key), 204);
        assert.deepEqual((await t.wire.getObjectTagging(t.bucket, key)).tags ?? {}, {});
      },
      'ali-oss': async (t) => {
        const key = t.key('tagged.txt');
        await t.sdk.put(key, Buffer.from('x'));
        const sdk = t.sdk as unknown as {
          putObjectTagging(name: string, tag: Record<string, string>): Promise<{ status: number }>;
          getObjectTagging(name: string): Promise<{ tag: Record<string, string> }>;
          deleteObjectTagging(name: string): Promise<{ status: number }>;
        };
        assert.equal((await sdk.putObjectTagging(key, { owner: 'ci', note: 'a b' })).status, 200);
        assert.deepEqual((await sdk.getObjectTagging(key)).tag, { owner: 'ci', note: 'a b' });
        assert.equal((await sdk.deleteObjectTagging(key)).status, 204);
        assert.deepEqual((await sdk.getObjectTagging(key)).tag, {});
      },
    },
  },
  {
    id: 'object.acl',
    title: 'Object ACL: x-oss-object-acl on PutObject, read back with GetObjectACL; PutObjectACL default returns it to the bucket ACL',
    confidence: 'validated',
    source: 'PutObjectACL and GetObjectACL docs (values default, private, public-read, public-read-write); go2 oss/client_integration_test.go TestGetObjectAcl (real service: the ACL sent with PutObject reads back)',
    runs: {
      wire: async (t) => {
        const key = t.key('acl.txt');
        expectStatus(await t.wire.putObject(t.bucket, key, 'x', { 'x-oss-object-acl': 'private' }), 200);
        const set = await t.wire.getObjectAcl(t.bucket, key);
        t.record('acl-from-put', set);
        expectStatus(set, 200);
        assert.equal(set.acl, 'private');
        expectStatus(await t.wire.putObjectAcl(t.bucket, key, 'default'), 200);
        assert.equal((await t.wire.getObjectAcl(t.bucket, key)).acl, 'default');
      },
      'ali-oss': async (t) => {
        const key = t.key('acl.txt');
        await t.sdk.put(key, Buffer.from('x'));
        assert.equal((await t.sdk.getACL(key)).acl, 'default');
        await t.sdk.putACL(key, 'private');
        assert.equal((await t.sdk.getACL(key)).acl, 'private');
      },
    },
  },
  {
    id: 'object.content-md5',
    title: 'PutObject checks Content-MD5: a mismatch is 400 InvalidDigest and stores nothing; the right one is 200',
    confidence: 'validated',
    source: 'PutObject doc (Content-MD5); EC 0017-00000503; py1 tests/test_multipart.py test_upload_part_content_md5_bad (real service: InvalidDigest, not BadDigest)',
    runs: {
      wire: async (t) => {
        const key = t.key('digest.txt');
        const wrong = await t.wire.putObject(t.bucket, key, 'body', { 'content-md5': md5Base64('other') });
        t.record('wrong-md5', wrong);
        expectError(wrong, { status: 400, code: 'InvalidDigest' });
        expectError(await t.wire.getObject(t.bucket, key), { status: 404, code: 'NoSuchKey' });
        expectStatus(await t.wire.putObject(t.bucket, key, 'body', { 'content-md5': md5Base64('body') }), 200);
        expectBody(await t.wire.getObject(t.bucket, key), 'body');
      },
    },
  },
  {
    id: 'object.encryption',
    title: "PutObject's server-side encryption shows on the response and on GET; a copy has the request's, not the source's; an unknown algorithm is 400 InvalidEncryptionAlgorithmError",
    confidence: 'validated',
    source:
      "java integrationtests/ObjectEncryptionTest.java testNormalObject (put, get, copy without and with encryption; real service); go1 oss/bucket_test.go TestSetObjectMeta (ServerSideEncryption(\"invalid\") fails; real service); OSS's error table (InvalidEncryptionAlgorithmError, 400)",
    runs: {
      wire: async (t) => {
        const key = t.key('sealed.txt');
        const put = await t.wire.putObject(t.bucket, key, 'sealed', { 'x-oss-server-side-encryption': 'KMS', 'x-oss-server-side-data-encryption': 'SM4' });
        t.record('put', put);
        expectStatus(put, 200);
        expectHeader(put, 'x-oss-server-side-encryption', 'KMS');
        expectHeader(put, 'x-oss-server-side-data-encryption', 'SM4');
        const got = await t.wire.getObject(t.bucket, key);
        expectHeader(got, 'x-oss-server-side-encryption', 'KMS');
        expectHeader(got, 'x-oss-server-side-data-encryption', 'SM4');
        const copied = await t.wire.copyObject({ bucket: t.bucket, key }, t.bucket, t.key('copy.txt'));
        t.record('copy', copied);
        expectStatus(copied, 200);
        expectHeader(copied, 'x-oss-server-side-encryption', undefined);
        expectHeader(await t.wire.headObject(t.bucket, t.key('copy.txt')), 'x-oss-server-side-encryption', undefined);
        const refused = await t.wire.putObject(t.bucket, t.key('refused.txt'), 'x', { 'x-oss-server-side-encryption': 'invalid' });
        t.record('invalid', refused);
        expectError(refused, { status: 400, code: 'InvalidEncryptionAlgorithmError' });
      },
    },
  },
  {
    id: 'object.gzip-download',
    title: 'GET and HEAD with Accept-Encoding: gzip of a text object of 1 KB or more: Content-Encoding gzip, no ETag or Content-Length; the body unzips to the object',
    confidence: 'validated',
    source: "OSS FAQ 39645 (How do I compress objects that I download from OSS in the GZIP format?): the conditions, the sample response, and the headers left out on GetObject and HeadObject",
    runs: {
      wire: async (t) => {
        const key = t.key('page.txt');
        const content = 'compressible text\n'.repeat(200);
        expectStatus(await t.wire.putObject(t.bucket, key, content, { 'content-type': 'text/plain' }), 200);
        const got = await t.wire.getObject(t.bucket, key, { headers: { 'accept-encoding': 'gzip' } });
        t.record('get', got);
        expectStatus(got, 200);
        expectHeader(got, 'content-encoding', 'gzip');
        expectHeader(got, 'etag', undefined);
        expectHeader(got, 'content-length', undefined);
        assert.equal(gunzipSync(got.body).toString(), content);
        const head = await t.wire.headObject(t.bucket, key, { headers: { 'accept-encoding': 'gzip' } });
        t.record('head', head);
        expectHeader(head, 'content-encoding', 'gzip');
        expectHeader(head, 'content-length', undefined);
        expectHeader(await t.wire.headObject(t.bucket, key), 'content-length', String(content.length));
      },
    },
  },
  {
    id: 'object.conditional-get',
    title: 'Conditional GET: If-None-Match with the ETag is 304 without a body, If-Match with another ETag is 412 PreconditionFailed',
    confidence: 'validated',
    source: 'HeadObject/GetObject docs, help.aliyun.com/document_detail/31984 (If-Match fails with 412, If-None-Match with 304)',
    runs: {
      wire: async (t) => {
        const key = t.key('conditional.txt');
        const put = await t.wire.putObject(t.bucket, key, 'cached');
        const etag = put.headers['etag'] as string;
        const unchanged = await t.wire.getObject(t.bucket, key, { headers: { 'if-none-match': etag } });
        t.record('if-none-match', unchanged);
        expectStatus(unchanged, 304);
        assert.equal(unchanged.body.length, 0, 'a 304 has no body');
        expectBody(await t.wire.getObject(t.bucket, key, { headers: { 'if-match': etag } }), 'cached');
        const changed = await t.wire.getObject(t.bucket, key, { headers: { 'if-match': '"00000000000000000000000000000000"' } });
        t.record('if-match-other', changed);
        expectError(changed, { status: 412, code: 'PreconditionFailed' });
      },
      'ali-oss': async (t) => {
        const key = t.key('conditional.txt');
        const put = await t.sdk.put(key, Buffer.from('cached'));
        const etag = (put.res.headers as Record<string, string>)['etag']!;
        const unchanged = await t.sdk.get(key, { headers: { 'If-None-Match': etag } });
        assert.equal(unchanged.res.status, 304);
      },
    },
  },
  {
    id: 'object.copy',
    title: 'CopyObject keeps the source\'s bytes, ETag and (with COPY) its metadata, never its ACL; REPLACE takes the request\'s metadata; a source without its bucket is 400 InvalidArgument',
    confidence: 'validated',
    source:
      'java integrationtests/CopyObjectTest.java testCopyExistingObject (copy ETag = source ETag, COPY and REPLACE); go1 oss/bucket_test.go TestCopyObject (a public-read source copies as default); go2 oss/client_integration_test.go TestCopyObject (a source without its bucket, message compared); ali-oss test/node/object.test.js copy(); CopyObject docs (<CopyObjectResult><ETag/><LastModified/>)',
    runs: {
      wire: async (t) => {
        const source = { bucket: t.bucket, key: t.key('source.txt') };
        const put = await t.wire.putObject(t.bucket, source.key, 'copy me', { 'x-oss-meta-author': 'alice', 'x-oss-object-acl': 'public-read' });
        const copied = await t.wire.copyObject(source, t.bucket, t.key('copy.txt'));
        t.record('copy', copied);
        expectStatus(copied, 200);
        assert.equal(copied.copied?.etag, put.headers['etag']);
        assert.match(copied.copied?.lastModified ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        const got = await t.wire.getObject(t.bucket, t.key('copy.txt'));
        expectBody(got, 'copy me');
        expectHeader(got, 'x-oss-meta-author', 'alice');
        expectHeader(got, 'etag', put.headers['etag']!);
        assert.equal((await t.wire.getObjectAcl(t.bucket, t.key('copy.txt'))).acl, 'default');

        const replaced = await t.wire.copyObject(source, t.bucket, t.key('replaced.txt'), { 'x-oss-metadata-directive': 'REPLACE', 'x-oss-meta-reviewer': 'bob' });
        expectStatus(replaced, 200);
        const head = await t.wire.headObject(t.bucket, t.key('replaced.txt'));
        expectHeader(head, 'x-oss-meta-reviewer', 'bob');
        expectHeader(head, 'x-oss-meta-author', undefined);

        const noBucket = await t.wire.copyObject(source, t.bucket, t.key('nowhere.txt'), { 'x-oss-copy-source': 'source-without-bucket' });
        t.record('source-without-bucket', noBucket);
        expectError(noBucket, { status: 400, code: 'InvalidArgument', message: 'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.' });
      },
      'ali-oss': async (t) => {
        const from = t.key('source.txt');
        const put = await t.sdk.put(from, Buffer.from('copy me'), { meta: { author: 'alice' } as never });
        const copied = await t.sdk.copy(t.key('copy.txt'), from);
        assert.equal(copied.data.etag, (put.res.headers as Record<string, string>)['etag']);
        assert.deepEqual((await t.sdk.head(t.key('copy.txt'))).meta, { author: 'alice' });
        await t.sdk.copy(t.key('replaced.txt'), from, { meta: { reviewer: 'bob' } as never });
        assert.deepEqual((await t.sdk.head(t.key('replaced.txt'))).meta, { reviewer: 'bob' });
      },
    },
  },
  {
    id: 'object.copy-conditions',
    title: 'CopyObject\'s x-oss-copy-source-if-match of another ETag is 412 PreconditionFailed; -if-none-match of the source\'s ETag is 304 with no body; neither copies',
    confidence: 'validated',
    source: 'ali-oss test/node/object.test.js copy() with If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since; go1 oss/bucket_test.go TestCopyObject (real service)',
    runs: {
      wire: async (t) => {
        const source = { bucket: t.bucket, key: t.key('source.txt') };
        const put = await t.wire.putObject(t.bucket, source.key, 'x');
        const failed = await t.wire.copyObject(source, t.bucket, t.key('copy.txt'), { 'x-oss-copy-source-if-match': '"0123456789ABCDEF0123456789ABCDEF"' });
        t.record('if-match-fails', failed);
        expectError(failed, { status: 412, code: 'PreconditionFailed' });
        const unchanged = await t.wire.copyObject(source, t.bucket, t.key('copy.txt'), { 'x-oss-copy-source-if-none-match': put.headers['etag']! });
        t.record('if-none-match-matches', unchanged);
        expectStatus(unchanged, 304);
        expectBody(unchanged, '');
        expectStatus(await t.wire.headObject(t.bucket, t.key('copy.txt')), 404);
      },
      'ali-oss': async (t) => {
        const from = t.key('source.txt');
        const put = await t.sdk.put(from, Buffer.from('x'));
        const etag = (put.res.headers as Record<string, string>)['etag']!;
        const unchanged = await t.sdk.copy(t.key('copy.txt'), from, { headers: { 'If-None-Match': etag } });
        assert.equal(unchanged.res.status, 304);
        const error = await sdkError(() => t.sdk.copy(t.key('copy.txt'), from, { headers: { 'If-Match': '"0123456789ABCDEF0123456789ABCDEF"' } }));
        assert.equal(error.status, 412);
      },
    },
  },
  {
    id: 'object.delete',
    title: 'DeleteObject is 204, also for a missing key; GET afterwards is 404 NoSuchKey',
    confidence: 'validated',
    source: 'py1 tests/test_mock_object.py test_delete (204); ali-oss "should delete not exists object"',
    runs: {
      wire: async (t) => {
        const key = t.key('gone.txt');
        await t.wire.putObject(t.bucket, key, 'x');
        expectStatus(await t.wire.deleteObject(t.bucket, key), 204);
        expectStatus(await t.wire.deleteObject(t.bucket, key), 204);
        const got = await t.wire.getObject(t.bucket, key);
        t.record('get-missing', got);
        expectError(got, { status: 404, code: 'NoSuchKey', ec: '0026-00000001' });
      },
      'ali-oss': async (t) => {
        const key = t.key('gone.txt');
        await t.sdk.put(key, Buffer.from('x'));
        assert.equal((await t.sdk.delete(key)).res.status, 204);
        assert.equal((await t.sdk.delete(key)).res.status, 204);
      },
    },
  },
  {
    id: 'list.object-types',
    title: 'ListObjects shows Type Appendable and Normal, Size and StorageClass per object',
    confidence: 'validated',
    source: 'go2 ObjectProperties.Type; py1 unittests/test_iterator.py (Normal/Multipart)',
    runs: {
      wire: async (t) => {
        await t.wire.appendObject(t.bucket, t.key('a.log'), 0, 'appended');
        await t.wire.putObject(t.bucket, t.key('b.txt'), 'put');
        const list = await t.wire.listObjects(t.bucket, { prefix: t.key('') });
        expectStatus(list, 200);
        const rows = (list.contents ?? []).map((o) => [o.key.slice(t.key('').length), o.type, o.size, o.storageClass]);
        assert.deepEqual(rows, [['a.log', 'Appendable', 8, 'Standard'], ['b.txt', 'Normal', 3, 'Standard']]);
      },
      'ali-oss': async (t) => {
        await t.sdk.append(t.key('a.log'), Buffer.from('appended'));
        await t.sdk.put(t.key('b.txt'), Buffer.from('put'));
        const list = await t.sdk.list({ prefix: t.key(''), 'max-keys': 100 }, {});
        const rows = list.objects.map((o) => [o.name.slice(t.key('').length), o.type, o.size]);
        assert.deepEqual(rows, [['a.log', 'Appendable', 8], ['b.txt', 'Normal', 3]]);
      },
    },
  },
  {
    id: 'object.symlink',
    title: "A symlink serves its target's bytes and length as type Symlink; GetSymlink names the target; a missing target is 404 SymlinkTargetNotExist; an append is 409",
    confidence: 'validated',
    source:
      'go1 oss/bucket_test.go TestSymlink; py1 tests/test_object.py test_put_symlink (length and ETag of the target on HEAD); ' +
      'java integrationtests/SymlinkTest.java (SymlinkTargetNotExist); ali-oss test/node/object.test.js (x-oss-object-type: Symlink); PutSymlink, HeadObject docs',
    runs: {
      wire: async (t) => {
        const target = t.key('target 目标.txt');
        const link = t.key('link');
        const put = await t.wire.putObject(t.bucket, target, 'hello');
        const symlink = (key: string, to: string) =>
          t.wire.request({ method: 'PUT', bucket: t.bucket, key, query: [['symlink', null]], headers: { 'x-oss-symlink-target': encodeURIComponent(to).replace(/%2F/g, '/') } });
        expectStatus(await symlink(link, target), 200);
        const named = await t.wire.request({ method: 'GET', bucket: t.bucket, key: link, query: [['symlink', null]] });
        expectStatus(named, 200);
        assert.equal(decodeURIComponent(named.headers['x-oss-symlink-target'] ?? ''), target);
        const head = await t.wire.headObject(t.bucket, link);
        expectHeader(head, 'x-oss-object-type', 'Symlink');
        expectHeader(head, 'content-length', '5');
        expectHeader(head, 'etag', put.headers['etag']);
        expectBody(await t.wire.getObject(t.bucket, link), 'hello');
        expectError(await t.wire.appendObject(t.bucket, link, 0, 'x'), { status: 409, code: 'ObjectNotAppendable' });
        // Only that it fails: OSS documents the EC (0043-00000101) but not the code or status (docs/divergences.md).
        const notALink = await t.wire.request({ method: 'GET', bucket: t.bucket, key: target, query: [['symlink', null]] });
        assert.ok(notALink.status >= 400 && notALink.error, `GetSymlink of a Normal object must fail, got ${notALink.status}`);
        const dangling = t.key('dangling');
        expectStatus(await symlink(dangling, t.key('nothing-here')), 200);
        expectError(await t.wire.getObject(t.bucket, dangling), { status: 404, code: 'SymlinkTargetNotExist' });
      },
      'ali-oss': async (t) => {
        const target = t.key('target.txt');
        const link = t.key('link');
        await t.sdk.put(target, Buffer.from('hello'));
        await t.sdk.putSymlink(link, target);
        assert.equal((await t.sdk.getSymlink(link)).targetName, target);
        const head = await t.sdk.head(link);
        assert.equal((head.res.headers as Record<string, string>)['x-oss-object-type'], 'Symlink');
        assert.equal((await t.sdk.get(link)).content.toString(), 'hello');
      },
    },
  },
  {
    id: 'list.prefix-delimiter-paging',
    title: 'Listing with a delimiter rolls keys up into CommonPrefixes; V2 pages with continuation tokens',
    confidence: 'validated',
    source: 'ListObjects / ListObjectsV2 docs; go2 TestListObjectsV2',
    runs: {
      wire: async (t) => {
        for (const name of ['dir1/a', 'dir1/b', 'dir2/c', 'top1', 'top2']) await t.wire.putObject(t.bucket, t.key(name), name);
        const base = t.key('');
        const rolled = await t.wire.listObjects(t.bucket, { prefix: base, delimiter: '/' });
        assert.deepEqual((rolled.commonPrefixes ?? []).map((p) => p.slice(base.length)), ['dir1/', 'dir2/']);
        assert.deepEqual((rolled.contents ?? []).map((o) => o.key.slice(base.length)), ['top1', 'top2']);
        const seen: string[] = [];
        let token: string | undefined;
        for (let page = 0; page < 10; page++) {
          const res = await t.wire.listObjectsV2(t.bucket, { prefix: base, maxKeys: 2, continuationToken: token });
          expectStatus(res, 200);
          seen.push(...(res.contents ?? []).map((o) => o.key.slice(base.length)));
          if (!res.isTruncated) break;
          token = res.nextContinuationToken;
        }
        assert.deepEqual(seen, ['dir1/a', 'dir1/b', 'dir2/c', 'top1', 'top2']);
      },
    },
  },
  {
    id: 'object.odd-keys',
    title: 'Keys with spaces, plus signs, unicode and slashes round-trip through put, get and list',
    confidence: 'validated',
    source: 'ali-oss "should return correct encode when name include + and space"; facts §4.4',
    runs: {
      wire: async (t) => {
        const names = ['a b+c.txt', 'ünï/cødé 文件.txt', 'x%2By'];
        for (const name of names) expectStatus(await t.wire.putObject(t.bucket, t.key(name), name), 200);
        for (const name of names) expectBody(await t.wire.getObject(t.bucket, t.key(name)), name);
        const list = await t.wire.listObjects(t.bucket, { prefix: t.key(''), encodingType: 'url' });
        assert.deepEqual((list.contents ?? []).map((o) => o.key.slice(t.key('').length)).sort(), [...names].sort());
      },
      'ali-oss': async (t) => {
        for (const name of ['a b+c.txt', 'ünï/cødé 文件.txt']) {
          await t.sdk.put(t.key(name), Buffer.from(name));
          assert.equal((await t.sdk.get(t.key(name))).content.toString(), name);
        }
      },
    },
  },
  {
    id: 'object.delete-multiple-special-key',
    title: "DeleteMultipleObjects deletes a key full of XML's special characters (' \" & < >), whichever way the client escapes them",
    confidence: 'validated',
    source:
      "go1 oss/bucket_test.go TestDeleteObjects (real service): the key below is deleted by DeleteObjects, whose encoding/xml writes ' and \" as &#39; and &#34;; ali-oss writes &#39; too",
    runs: {
      wire: async (t) => {
        const key = t.key(SPECIAL_KEY);
        expectStatus(await t.wire.putObject(t.bucket, key, 'value'), 200);
        const res = await t.wire.deleteMultipleObjects(t.bucket, [key]);
        t.record('delete', res);
        expectStatus(res, 200);
        assert.deepEqual(res.deleted, [key]);
        expectError(await t.wire.headObject(t.bucket, key), { status: 404, code: 'NoSuchKey' });
      },
      'ali-oss': async (t) => {
        const key = t.key(SPECIAL_KEY);
        await t.sdk.put(key, Buffer.from('value'));
        const result = await t.sdk.deleteMulti([key]);
        // @types/ali-oss says string[]; ali-oss returns one { Key } per deleted object.
        const deleted = (result.deleted ?? []) as unknown as Array<{ Key: string }>;
        assert.deepEqual(deleted.map((d) => d.Key), [key]);
        const list = await t.sdk.list({ prefix: key, 'max-keys': 10 }, {});
        assert.deepEqual(list.objects ?? [], []);
      },
    },
  },
  {
    id: 'object.archive-restore',
    title: 'Archive: GET is 403 InvalidObjectState until restored, HEAD works; RestoreObject is 202, then 409 RestoreAlreadyInProgress while it runs',
    confidence: 'validated',
    source: 'RestoreObject and GetObject docs; EC 0016-00000701; aliyun/alibabacloud-oss-csharp-sdk-v2 and ali-oss integration tests (202, then 409)',
    runs: {
      wire: async (t) => {
        const key = t.key('frozen.bin');
        expectStatus(await t.wire.putObject(t.bucket, key, 'frozen', { 'x-oss-storage-class': 'Archive' }), 200);
        const frozen = await t.wire.getObject(t.bucket, key);
        t.record('get-frozen', frozen);
        expectError(frozen, { status: 403, code: 'InvalidObjectState', message: "The operation is not valid for the object's state" });
        const head = await t.wire.headObject(t.bucket, key);
        expectStatus(head, 200);
        expectHeader(head, 'x-oss-storage-class', 'Archive');
        expectHeader(head, 'x-oss-restore', undefined);
        const started = await t.wire.restoreObject(t.bucket, key, { days: 1 });
        t.record('restore', started);
        expectStatus(started, 202);
        // Archive restores take about a minute on OSS, and --restore-delay (1 s by default) here.
        const again = await t.wire.restoreObject(t.bucket, key, { days: 1 });
        t.record('restore-again', again);
        expectError(again, { status: 409, code: 'RestoreAlreadyInProgress', message: 'The restore operation is in progress.', ec: '0016-00000701' });
        expectHeader(await t.wire.headObject(t.bucket, key), 'x-oss-restore', 'ongoing-request="true"');
        const standard = t.key('warm.txt');
        await t.wire.putObject(t.bucket, standard, 'warm');
        expectError(await t.wire.restoreObject(t.bucket, standard), { status: 400, code: 'OperationNotSupported', ec: '0016-00000702' });
      },
      'ali-oss': async (t) => {
        const key = t.key('frozen.bin');
        await t.sdk.put(key, Buffer.from('frozen'), { headers: { 'x-oss-storage-class': 'Archive' } });
        const frozen = await sdkError(() => t.sdk.get(key));
        assert.equal(frozen.code, 'InvalidObjectState');
        assert.equal(frozen.status, 403);
        const restored = (await t.sdk.restore(key)) as unknown as { res: { status: number } };
        assert.equal(restored.res.status, 202);
        const again = await sdkError(() => t.sdk.restore(key));
        assert.equal(again.code, 'RestoreAlreadyInProgress');
        assert.equal(again.status, 409);
      },
    },
  },
  {
    id: 'object.callback-refused',
    title: 'An upload callback that is not base64, or not JSON, is 400 InvalidArgument before anything is stored',
    confidence: 'validated',
    source:
      "Callback API reference and the upload-callback troubleshooting page (0007-00000002 'The callback configuration is not base64 encoded.', 0007-00000003 'The callback configuration is not json format.')",
    runs: {
      wire: async (t) => {
        const key = t.key('callback.txt');
        const notBase64 = await t.wire.putObject(t.bucket, key, 'x', { 'x-oss-callback': 'not base64!' });
        t.record('not-base64', notBase64);
        expectError(notBase64, { status: 400, code: 'InvalidArgument', ec: '0007-00000002', message: 'The callback configuration is not base64 encoded.' });
        const notJson = await t.wire.putObject(t.bucket, key, 'x', { 'x-oss-callback': Buffer.from('{callbackUrl:').toString('base64') });
        t.record('not-json', notJson);
        expectError(notJson, { status: 400, code: 'InvalidArgument', ec: '0007-00000003', message: 'The callback configuration is not json format.' });
        expectStatus(await t.wire.headObject(t.bucket, key), 404);
      },
    },
  },
  {
    id: 'object.post-form',
    title:
      'PostObject: a V1-signed form uploads its file (201 with <PostResponse>, the MD5 ETag, the form\'s metadata); an expired policy and a failed condition are 403 with OSS\'s messages',
    confidence: 'validated',
    source:
      "PostObject API reference and troubleshooting table (help.aliyun.com/document_detail/31988, 42976): the form, success_action_status 201 and <PostResponse>, 'Invalid according to Policy: Policy expired.', 'Policy Condition failed: [\"starts-with\", \"$key\", …]'; EC pages 0006-00000213, 0006-00000227",
    runs: {
      wire: async (t) => {
        const prefix = t.key('form/');
        const policyOf = (expiration: string, conditions: unknown[]): string => Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
        const signed = (policy: string): Array<[string, string]> => [
          ['OSSAccessKeyId', t.target.accessKeyId],
          ['policy', policy],
          ['Signature', postPolicySignatureV1(t.target.accessKeySecret, policy)],
          ...(t.target.securityToken ? [['x-oss-security-token', t.target.securityToken] as [string, string]] : []),
        ];
        const later = new Date(Date.now() + 600_000).toISOString();
        const policy = policyOf(later, [{ bucket: t.bucket }, ['starts-with', '$key', prefix], ['content-length-range', 1, 1024]]);
        const key = `${prefix}note.txt`;
        const posted = await t.wire.postObject(
          t.bucket,
          [['key', `${prefix}\${filename}`], ...signed(policy), ['success_action_status', '201'], ['x-oss-meta-source', 'form']],
          { content: 'posted by a form', filename: 'note.txt', contentType: 'text/plain' },
        );
        expectStatus(posted, 201);
        const response = (posted.xml?.['PostResponse'] ?? {}) as Record<string, unknown>;
        assert.deepEqual([response['Bucket'], response['Key'], response['ETag']], [t.bucket, key, `"${md5Hex('posted by a form')}"`]);
        expectHeader(posted, 'etag', `"${md5Hex('posted by a form')}"`);
        const got = await t.wire.getObject(t.bucket, key);
        expectBody(got, 'posted by a form');
        expectHeader(got, 'x-oss-meta-source', 'form');
        expectHeader(got, 'x-oss-object-type', 'Normal');

        const expired = await t.wire.postObject(t.bucket, [['key', `${prefix}late.txt`], ...signed(policyOf('2020-01-01T00:00:00.000Z', [{ bucket: t.bucket }]))], { content: 'x' });
        t.record('expired', expired);
        expectError(expired, { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });
        // Inside the run's prefix, outside the policy's.
        const elsewhereKey = t.key('elsewhere.txt');
        const elsewhere = await t.wire.postObject(t.bucket, [['key', elsewhereKey], ...signed(policy)], { content: 'x' });
        t.record('condition-failed', elsewhere);
        expectError(elsewhere, { status: 403, code: 'AccessDenied', message: `Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "${prefix}"]` });
        expectStatus(await t.wire.headObject(t.bucket, elsewhereKey), 404);
        await t.wire.deleteObject(t.bucket, key);
      },
    },
  },
];
