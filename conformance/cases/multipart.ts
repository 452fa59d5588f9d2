import { createHash } from 'node:crypto';
import { crc64 } from '../../client/crc64.js';
import { assert, expectBody, expectError, expectHeader, expectStatus, sdkError } from '../expect.js';
import type { CaseDefinition } from '../types.js';

const KB = 1024;

/** OSS's multipart ETag (facts §5.4): the MD5 of the parts' ETags as text, upper-case hex, then -count. */
function multipartEtag(etags: string[]): string {
  return `"${createHash('md5').update(etags.map((e) => e.replace(/"/g, '')).join('')).digest('hex').toUpperCase()}-${etags.length}"`;
}

/** Multipart upload: what the completed object is, and what Complete refuses. */
export const MULTIPART_CASES: CaseDefinition[] = [
  {
    id: 'multipart.complete',
    title: 'Initiate, two parts, Complete: a Multipart object with the parts\' bytes, the ETag "<MD5 of the part ETags>-2" and the CRC-64 of the whole',
    confidence: 'validated',
    source:
      'java integrationtests/UploadPartTest.java (Complete and GET ETag = calcMultipartsETag over the parts; real service); py1 tests/test_multipart.py (complete_result.crc); go2 client_mock_test.go (CompleteMultipartUploadResult captured)',
    runs: {
      wire: async (t) => {
        const key = t.key('joined.bin');
        const initiated = await t.wire.initiateMultipartUpload(t.bucket, key, { 'x-oss-meta-origin': 'parts' });
        t.record('initiate', initiated);
        expectStatus(initiated, 200);
        const uploadId = initiated.uploadId!;
        const bodies = [Buffer.alloc(100 * KB, 0x31), Buffer.from('the last part')];
        const etags: string[] = [];
        for (const [i, body] of bodies.entries()) {
          const part = await t.wire.uploadPart(t.bucket, key, uploadId, i + 1, body);
          expectStatus(part, 200);
          etags.push(part.etag!);
        }
        const done = await t.wire.completeMultipartUpload(t.bucket, key, uploadId, etags.map((etag, i) => ({ partNumber: i + 1, etag })));
        t.record('complete', done);
        expectStatus(done, 200);
        expectHeader(done, 'etag', multipartEtag(etags));
        const whole = Buffer.concat(bodies);
        assert.equal(done.crc64, crc64(whole));
        const got = await t.wire.getObject(t.bucket, key);
        expectBody(got, whole);
        expectHeader(got, 'x-oss-object-type', 'Multipart');
        expectHeader(got, 'x-oss-meta-origin', 'parts');
      },
      'ali-oss': async (t) => {
        const key = t.key('joined.bin');
        const data = Buffer.alloc(250 * KB, 0x32);
        const result = await t.sdk.multipartUpload(key, data, { partSize: 100 * KB });
        assert.match(result.etag, /^"[0-9A-F]{32}-3"$/);
        const head = await t.sdk.head(key);
        assert.equal((head.res.headers as Record<string, string>)['x-oss-object-type'], 'Multipart');
      },
    },
  },
  {
    id: 'multipart.complete-errors',
    title: 'Complete refuses a part under 100 KB before the last (400 EntityTooSmall), a wrong ETag (400 InvalidPart) and x-oss-complete-all with a body (400 InvalidArgument); after Abort the upload is 404 NoSuchUpload',
    confidence: 'validated',
    source: 'java integrationtests/UploadPartTest.java testUnormalCompleteMultipartUpload (64 KB parts → EntityTooSmall; bad ETag → InvalidPart) and testUnormalAbortMultipartUpload (real service); go2 oss/client_integration_test.go TestCompleteMultipartUpload (complete-all with a body, message compared); EC pages 0042-00000213, 0042-00000216',
    runs: {
      wire: async (t) => {
        const key = t.key('refused.bin');
        const uploadId = (await t.wire.initiateMultipartUpload(t.bucket, key)).uploadId!;
        const small = (await t.wire.uploadPart(t.bucket, key, uploadId, 1, Buffer.alloc(64 * KB, 1))).etag!;
        const last = (await t.wire.uploadPart(t.bucket, key, uploadId, 2, 'end')).etag!;
        const tooSmall = await t.wire.completeMultipartUpload(t.bucket, key, uploadId, [{ partNumber: 1, etag: small }, { partNumber: 2, etag: last }]);
        t.record('too-small', tooSmall);
        expectError(tooSmall, { status: 400, code: 'EntityTooSmall', ec: '0042-00000213' });
        const wrong = await t.wire.completeMultipartUpload(t.bucket, key, uploadId, [{ partNumber: 1, etag: '"00000000000000000000000000000000"' }]);
        expectError(wrong, { status: 400, code: 'InvalidPart' });
        const both = await t.wire.completeMultipartUpload(t.bucket, key, uploadId, [{ partNumber: 2, etag: last }], { 'x-oss-complete-all': 'yes' });
        t.record('complete-all-with-body', both);
        // The typo is OSS's own.
        expectError(both, { status: 400, code: 'InvalidArgument', ec: '0042-00000216', message: 'Should not speficy both complete all header and http body.' });
        expectStatus(await t.wire.abortMultipartUpload(t.bucket, key, uploadId), 204);
        const gone = await t.wire.listParts(t.bucket, key, uploadId);
        t.record('after-abort', gone);
        expectError(gone, { status: 404, code: 'NoSuchUpload' });
      },
      'ali-oss': async (t) => {
        const key = t.key('refused.bin');
        const { uploadId } = await t.sdk.initMultipartUpload(key);
        const error = await sdkError(() => t.sdk.completeMultipartUpload(key, uploadId, [{ number: 1, etag: '"00000000000000000000000000000000"' }]));
        assert.equal(error.status, 400);
        assert.equal(error.code, 'InvalidPart');
        await t.sdk.abortMultipartUpload(key, uploadId);
      },
    },
  },
  {
    id: 'multipart.upload-part-copy',
    title: 'UploadPartCopy copies a byte range of an object into a part (<CopyPartResult>, the part\'s ETag the MD5 of the range); Complete joins the copied parts',
    confidence: 'validated',
    source: 'UploadPartCopy docs (x-oss-copy-source-range: bytes=a-b, inclusive); go1 oss/multicopy_test.go CopyFile and ali-oss test/node/multipart.test.js multipartUploadCopy (real service)',
    runs: {
      wire: async (t) => {
        const source = t.key('source.bin');
        const data = Buffer.alloc(150 * KB, 0x33);
        data.write('distinct start');
        await t.wire.putObject(t.bucket, source, data);
        const key = t.key('copied.bin');
        const uploadId = (await t.wire.initiateMultipartUpload(t.bucket, key)).uploadId!;
        const ranges: Array<[number, number]> = [[0, 100 * KB - 1], [100 * KB, data.length - 1]];
        const etags: string[] = [];
        for (const [i, [first, last]] of ranges.entries()) {
          const part = await t.wire.uploadPart(t.bucket, key, uploadId, i + 1, '', { 'x-oss-copy-source': `/${t.bucket}/${encodeURIComponent(source)}`, 'x-oss-copy-source-range': `bytes=${first}-${last}` });
          if (i === 0) t.record('copy-part', part);
          expectStatus(part, 200);
          const etag = (part.xml?.['CopyPartResult'] as { ETag?: string } | undefined)?.ETag ?? '';
          assert.equal(etag, `"${createHash('md5').update(data.subarray(first, last + 1)).digest('hex').toUpperCase()}"`);
          etags.push(etag);
        }
        expectStatus(await t.wire.completeMultipartUpload(t.bucket, key, uploadId, etags.map((etag, i) => ({ partNumber: i + 1, etag }))), 200);
        expectBody(await t.wire.getObject(t.bucket, key), data);
      },
      'ali-oss': async (t) => {
        const source = t.key('source.bin');
        const data = Buffer.alloc(150 * KB, 0x34);
        await t.sdk.put(source, data);
        await t.sdk.multipartUploadCopy(t.key('copied.bin'), { sourceKey: source, sourceBucketName: t.bucket, startOffset: 0, endOffset: data.length }, { partSize: 100 * KB });
        assert.equal(((await t.sdk.get(t.key('copied.bin'))).content as Buffer).equals(data), true);
      },
    },
  },
  {
    id: 'multipart.complete-acl',
    title: "x-oss-object-acl sets the object's ACL when sent with Complete; sent with Initiate only, it is ignored",
    confidence: 'validated',
    source:
      "PutObjectACL page (help.aliyun.com/document_detail/31986): the writes, CompleteMultipartUpload among them, may carry x-oss-object-acl to the same effect as PutObjectACL; go2 oss/api_op_object.go (CompleteMultipartUploadRequest.Acl → x-oss-object-acl); go1 1.5.0 oss/multipart_test.go TestUploadFile (ObjectACL sent with Initiate only → GetObjectACL \"default\"; real service)",
    runs: {
      wire: async (t) => {
        const key = t.key('acl.bin');
        const uploadId = (await t.wire.initiateMultipartUpload(t.bucket, key, { 'x-oss-object-acl': 'private' })).uploadId!;
        const etag = (await t.wire.uploadPart(t.bucket, key, uploadId, 1, 'one part')).etag!;
        const done = await t.wire.completeMultipartUpload(t.bucket, key, uploadId, [{ partNumber: 1, etag }], { 'x-oss-object-acl': 'public-read' });
        t.record('complete', done);
        expectStatus(done, 200);
        const acl = await t.wire.getObjectAcl(t.bucket, key);
        t.record('get-acl', acl);
        assert.equal(acl.acl, 'public-read');
        const ignoredKey = t.key('initiate-acl.bin');
        const ignoredId = (await t.wire.initiateMultipartUpload(t.bucket, ignoredKey, { 'x-oss-object-acl': 'public-read' })).uploadId!;
        const ignoredEtag = (await t.wire.uploadPart(t.bucket, ignoredKey, ignoredId, 1, 'one part')).etag!;
        expectStatus(await t.wire.completeMultipartUpload(t.bucket, ignoredKey, ignoredId, [{ partNumber: 1, etag: ignoredEtag }]), 200);
        const ignored = await t.wire.getObjectAcl(t.bucket, ignoredKey);
        t.record('get-acl-after-initiate-only', ignored);
        assert.equal(ignored.acl, 'default');
      },
    },
  },
  {
    id: 'multipart.not-appendable',
    title: 'A Multipart object cannot be appended to: 409 ObjectNotAppendable',
    confidence: 'validated',
    source: 'AppendObject docs: an object that is not appendable gives ObjectNotAppendable (EC 0026-00000017); the Multipart case itself is not shown anywhere',
    runs: {
      wire: async (t) => {
        const key = t.key('multipart.log');
        const uploadId = (await t.wire.initiateMultipartUpload(t.bucket, key)).uploadId!;
        const etag = (await t.wire.uploadPart(t.bucket, key, uploadId, 1, 'one part')).etag!;
        expectStatus(await t.wire.completeMultipartUpload(t.bucket, key, uploadId, [{ partNumber: 1, etag }]), 200);
        const refused = await t.wire.appendObject(t.bucket, key, 8, 'more');
        t.record('append', refused);
        expectError(refused, { status: 409, code: 'ObjectNotAppendable' });
      },
    },
  },
];
