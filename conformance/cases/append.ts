import { crc64 } from '../../client/index.js';
import { assert, expectBody, expectError, expectHeader, expectStatus, sdkError } from '../expect.js';
import type { OssResponse } from '../../client/index.js';
import type { CaseContext, CaseDefinition } from '../types.js';

const APPENDABLE_ETAG = /^"[0-9A-F]{24}00000000"$/;
const POSITION_MESSAGE = 'Position is not equal to file length';
const crcOf = (...parts: string[]): string => crc64(Buffer.from(parts.join(''))).toString();
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * SealAppendObject, ended as skipped where the account may not call it: OSS enables it on request
 * (a ticket), and answers 400 OperationNotSupported until then (go2 TestSealAppendObject).
 */
async function sealOrSkip(t: CaseContext, key: string, position: number): Promise<OssResponse> {
  const res = await t.wire.sealAppendObject(t.bucket, key, position);
  if (res.status === 400 && res.error?.code === 'OperationNotSupported') {
    t.skip('SealAppendObject is not enabled for this account (400 OperationNotSupported): OSS enables it on request');
  }
  return res;
}

/** Every statement of the seed document and every AppendObject rule of the facts file. */
export const APPEND_CASES: CaseDefinition[] = [
  {
    id: 'append.create-at-zero',
    title: 'AppendObject at position 0 creates an Appendable object',
    confidence: 'validated',
    source: 'AppendObject doc (help.aliyun.com/en/oss/developer-reference/appendobject); py1 mock make_append_object',
    runs: {
      wire: async (t) => {
        const key = t.key('log.txt');
        const res = await t.wire.appendObject(t.bucket, key, 0, 'Hello');
        t.record('append', res);
        expectStatus(res, 200);
        assert.equal(res.body.length, 0, 'empty body');
        expectHeader(res, 'x-oss-next-append-position', '5');
        expectHeader(res, 'x-oss-hash-crc64ecma', crcOf('Hello'));
        expectHeader(res, 'etag', APPENDABLE_ETAG);
        const head = await t.wire.headObject(t.bucket, key);
        t.record('head', head);
        expectHeader(head, 'x-oss-object-type', 'Appendable');
      },
      'ali-oss': async (t) => {
        const key = t.key('log.txt');
        const result = await t.sdk.append(key, Buffer.from('Hello'));
        assert.equal(result.nextAppendPosition, '5');
        assert.equal(result.res.status, 200);
        const head = await t.sdk.head(key);
        assert.equal((head.res.headers as Record<string, string>)['x-oss-object-type'], 'Appendable');
      },
    },
  },
  {
    id: 'append.chain',
    title: 'Each append continues at the position the previous one returned',
    confidence: 'validated',
    source: 'Seed document sample; ali-oss test/node/object.test.js append() ("foo" → 3, "bar" → 6)',
    runs: {
      wire: async (t) => {
        const key = t.key('chain.log');
        let position = 0;
        for (const part of ['foo', 'bar', 'baz']) {
          const res = await t.wire.appendObject(t.bucket, key, position, part);
          expectStatus(res, 200);
          position = res.nextPosition!;
        }
        assert.equal(position, 9);
        const got = await t.wire.getObject(t.bucket, key);
        t.record('get', got);
        expectBody(got, 'foobarbaz');
        expectHeader(got, 'x-oss-next-append-position', '9');
      },
      'ali-oss': async (t) => {
        const key = t.key('chain.log');
        let position = '0';
        for (const part of ['foo', 'bar', 'baz']) position = (await t.sdk.append(key, Buffer.from(part), { position })).nextAppendPosition;
        assert.equal(position, '9');
        const got = await t.sdk.get(key);
        assert.equal(got.content.toString(), 'foobarbaz');
        assert.equal((got.res.headers as Record<string, string>)['x-oss-next-append-position'], '9');
      },
    },
  },
  {
    id: 'append.resume-from-head',
    title: 'After a restart, x-oss-next-append-position from HEAD resumes appending',
    confidence: 'validated',
    source: 'Seed document FAQ (GetObjectDetailedMeta → X-Oss-Next-Append-Position); 0026-00000016 HEAD example',
    runs: {
      wire: async (t) => {
        const key = t.key('resume.log');
        await t.wire.appendObject(t.bucket, key, 0, 'first;');
        const head = await t.wire.headObject(t.bucket, key);
        expectHeader(head, 'x-oss-next-append-position', '6');
        const meta = await t.wire.getObjectMeta(t.bucket, key);
        expectStatus(meta, 200);
        expectHeader(meta, 'content-length', '6');
        const res = await t.wire.appendObject(t.bucket, key, Number(head.headers['x-oss-next-append-position']), 'second');
        expectStatus(res, 200);
        expectBody(await t.wire.getObject(t.bucket, key), 'first;second');
      },
      'ali-oss': async (t) => {
        const key = t.key('resume.log');
        await t.sdk.append(key, Buffer.from('first;'));
        const head = await t.sdk.head(key);
        const position = (head.res.headers as Record<string, string>)['x-oss-next-append-position']!;
        await t.sdk.append(key, Buffer.from('second'), { position });
        assert.equal((await t.sdk.get(key)).content.toString(), 'first;second');
      },
    },
  },
  {
    id: 'append.position-not-equal',
    title: 'A position other than the current length is 409 PositionNotEqualToLength with the length',
    confidence: 'validated',
    source: 'py1 tests/test_object.py test_append_object (e.next_position == length); ali-oss append() message; EC 0026-00000016',
    runs: {
      wire: async (t) => {
        const key = t.key('mismatch.log');
        await t.wire.appendObject(t.bucket, key, 0, 'abc');
        const res = await t.wire.appendObject(t.bucket, key, 2, 'xyz');
        t.record('append-mismatch', res);
        expectError(res, { status: 409, code: 'PositionNotEqualToLength', message: POSITION_MESSAGE, ec: '0026-00000016' });
        expectHeader(res, 'x-oss-next-append-position', '3');
        expectBody(await t.wire.getObject(t.bucket, key), 'abc');
      },
      'ali-oss': async (t) => {
        const key = t.key('mismatch.log');
        await t.sdk.append(key, Buffer.from('abc'));
        const error = await sdkError(() => t.sdk.append(key, Buffer.from('xyz'), { position: '2' }));
        assert.equal(error.code, 'PositionNotEqualToLength');
        assert.equal(error.status, 409);
        assert.equal(error.name, 'PositionNotEqualToLengthError');
        assert.equal(error.message, POSITION_MESSAGE);
        assert.ok(error.requestId, 'requestId');
      },
    },
  },
  {
    id: 'append.position-zero-on-nonempty',
    title: 'Position 0 never resets a non-empty appendable object',
    confidence: 'validated',
    source: 'py1 tests/test_object.py test_append_object (append at 0 twice → PositionNotEqualToLength); 0026-00000016 notes',
    runs: {
      wire: async (t) => {
        const key = t.key('reset.log');
        await t.wire.appendObject(t.bucket, key, 0, 'keep me');
        const res = await t.wire.appendObject(t.bucket, key, 0, 'replace?');
        expectError(res, { status: 409, code: 'PositionNotEqualToLength' });
        expectHeader(res, 'x-oss-next-append-position', '7');
        expectBody(await t.wire.getObject(t.bucket, key), 'keep me');
      },
      'ali-oss': async (t) => {
        const key = t.key('reset.log');
        await t.sdk.append(key, Buffer.from('keep me'));
        const error = await sdkError(() => t.sdk.append(key, Buffer.from('replace?'), { position: '0' }));
        assert.equal(error.code, 'PositionNotEqualToLength');
        assert.equal((await t.sdk.get(key)).content.toString(), 'keep me');
      },
    },
  },
  {
    id: 'append.position-on-absent-key',
    title: 'A non-zero position on a missing key is 409 PositionNotEqualToLength (next position 0)',
    confidence: 'emulator-only',
    source: 'Code documented (0026-00000016: only position 0 succeeds when there is no object); the header value 0 is our choice',
    runs: {
      wire: async (t) => {
        const res = await t.wire.appendObject(t.bucket, t.key('absent.log'), 5, 'x');
        expectError(res, { status: 409, code: 'PositionNotEqualToLength' });
        expectHeader(res, 'x-oss-next-append-position', '0');
        expectStatus(await t.wire.headObject(t.bucket, t.key('absent.log')), 404);
      },
    },
  },
  {
    id: 'append.not-appendable',
    title: 'Appending to a Normal object (PutObject) is 409 ObjectNotAppendable',
    confidence: 'validated',
    source: 'Seed document; java integrationtests/AppendObjectTest.java testAppendExistingNormalObject; EC 0026-00000017',
    runs: {
      wire: async (t) => {
        const key = t.key('normal.txt');
        await t.wire.putObject(t.bucket, key, 'normal');
        const res = await t.wire.appendObject(t.bucket, key, 6, 'more');
        t.record('append-normal', res);
        expectError(res, { status: 409, code: 'ObjectNotAppendable', message: 'The object is not appendable', ec: '0026-00000017' });
        const head = await t.wire.headObject(t.bucket, key);
        expectHeader(head, 'x-oss-object-type', 'Normal');
        expectBody(await t.wire.getObject(t.bucket, key), 'normal');
      },
      'ali-oss': async (t) => {
        const key = t.key('normal.txt');
        await t.sdk.put(key, Buffer.from('normal'));
        const error = await sdkError(() => t.sdk.append(key, Buffer.from('more'), { position: '6' }));
        assert.equal(error.code, 'ObjectNotAppendable');
        assert.equal(error.status, 409);
      },
    },
  },
  {
    id: 'append.metadata-from-first-append',
    title: 'Metadata, Content-Type and tags come from the creating append; later ones are ignored without error',
    confidence: 'validated',
    source: 'go1 oss/bucket_test.go TestAppendObject (meta kept); py1 tests/test_object.py test_append_object_with_tagging_wrong_num (later tagging ignored)',
    runs: {
      wire: async (t) => {
        const key = t.key('meta.log');
        const first = await t.wire.appendObject(t.bucket, key, 0, 'one', {
          'x-oss-meta-owner': 'first',
          'content-type': 'text/plain',
          'x-oss-tagging': 'stage=first',
        });
        expectStatus(first, 200);
        const tooManyTags = Array.from({ length: 15 }, (_, i) => `k${i}=v${i}`).join('&');
        const second = await t.wire.appendObject(t.bucket, key, 3, 'two', {
          'x-oss-meta-owner': 'second',
          'x-oss-meta-extra': 'x',
          'content-type': 'application/json',
          'x-oss-tagging': tooManyTags,
        });
        expectStatus(second, 200);
        const head = await t.wire.headObject(t.bucket, key);
        t.record('head', head);
        expectHeader(head, 'x-oss-meta-owner', 'first');
        expectHeader(head, 'x-oss-meta-extra', undefined);
        expectHeader(head, 'content-type', 'text/plain');
        const tags = await t.wire.getObjectTagging(t.bucket, key);
        assert.deepEqual(tags.tags, { stage: 'first' });
      },
      'ali-oss': async (t) => {
        const key = t.key('meta.log');
        await t.sdk.append(key, Buffer.from('one'), { meta: { owner: 'first' }, mime: 'text/plain' } as never);
        await t.sdk.append(key, Buffer.from('two'), { position: '3', meta: { owner: 'second', extra: 'x' }, mime: 'application/json' } as never);
        const head = await t.sdk.head(key);
        assert.deepEqual(head.meta, { owner: 'first' });
        assert.equal((head.res.headers as Record<string, string>)['content-type'], 'text/plain');
      },
    },
  },
  {
    id: 'append.encryption-from-first-append',
    title: "Every append's response shows the creating append's server-side encryption; a later append's is ignored",
    confidence: 'validated',
    source: 'java integrationtests/ObjectEncryptionTest.java testAppendObject (three appends, the later ones with other SSE headers; real service)',
    runs: {
      wire: async (t) => {
        const key = t.key('sealed.log');
        const first = await t.wire.appendObject(t.bucket, key, 0, 'one', { 'x-oss-server-side-encryption': 'AES256' });
        t.record('first', first);
        expectStatus(first, 200);
        expectHeader(first, 'x-oss-server-side-encryption', 'AES256');
        const second = await t.wire.appendObject(t.bucket, key, 3, 'two', { 'x-oss-server-side-encryption': 'KMS', 'x-oss-server-side-data-encryption': 'SM4' });
        t.record('second', second);
        expectStatus(second, 200);
        expectHeader(second, 'x-oss-server-side-encryption', 'AES256');
        expectHeader(second, 'x-oss-server-side-data-encryption', undefined);
        const head = await t.wire.headObject(t.bucket, key);
        t.record('head', head);
        expectHeader(head, 'x-oss-server-side-encryption', 'AES256');
      },
    },
  },
  {
    id: 'append.acl-on-later-append',
    title: 'x-oss-object-acl on a later append changes the object ACL',
    confidence: 'validated',
    source: 'go1 oss/bucket_test.go OssBucketSuite.TestAppendObject (ACL public-read after the second append)',
    runs: {
      wire: async (t) => {
        const key = t.key('acl.log');
        await t.wire.appendObject(t.bucket, key, 0, 'a', { 'x-oss-object-acl': 'public-read-write' });
        await t.wire.appendObject(t.bucket, key, 1, 'b', { 'x-oss-object-acl': 'public-read' });
        const acl = await t.wire.getObjectAcl(t.bucket, key);
        expectStatus(acl, 200);
        assert.equal(acl.acl, 'public-read');
      },
    },
  },
  {
    id: 'append.crc64-whole-object',
    title: 'x-oss-hash-crc64ecma after each append is the CRC-64 of the whole object',
    confidence: 'validated',
    source: 'java integrationtests/CRCChecksumTest.java testAppendObjectCRC; go1/py1 init_crc continuation checks',
    runs: {
      wire: async (t) => {
        const key = t.key('crc.bin');
        const parts = ['123456789', 'abc', '', 'the end'];
        let position = 0;
        for (const [i, part] of parts.entries()) {
          const res = await t.wire.appendObject(t.bucket, key, position, part);
          expectStatus(res, 200);
          expectHeader(res, 'x-oss-hash-crc64ecma', crcOf(...parts.slice(0, i + 1)));
          position += part.length;
        }
        const got = await t.wire.getObject(t.bucket, key);
        expectHeader(got, 'x-oss-hash-crc64ecma', crcOf(...parts));
        const range = await t.wire.getObject(t.bucket, key, { range: 'bytes=0-3' });
        expectHeader(range, 'x-oss-hash-crc64ecma', crcOf(...parts));
      },
    },
  },
  {
    id: 'append.expires',
    title: 'Expires sent on the first append is stored and returned',
    confidence: 'validated',
    source: 'Seed document sample (oss.Expires option on the first append); AppendObject doc header table',
    runs: {
      wire: async (t) => {
        const key = t.key('expires.log');
        const expires = 'Wed, 10 Dec 2025 23:00:00 GMT';
        await t.wire.appendObject(t.bucket, key, 0, 'x', { expires });
        expectHeader(await t.wire.headObject(t.bucket, key), 'expires', expires);
        expectHeader(await t.wire.getObject(t.bucket, key), 'expires', expires);
      },
      'ali-oss': async (t) => {
        const key = t.key('expires.log');
        const expires = 'Wed, 10 Dec 2025 23:00:00 GMT';
        await t.sdk.append(key, Buffer.from('x'), { headers: { Expires: expires } });
        const head = await t.sdk.head(key);
        assert.equal((head.res.headers as Record<string, string>)['expires'], expires);
      },
    },
  },
  {
    id: 'append.content-md5',
    title: 'Content-MD5 is checked against each append body; a mismatch appends nothing',
    confidence: 'validated',
    source: 'AppendObject doc header table (Content-MD5); 0017-00000503 (InvalidDigest); per-request scope is our reading',
    runs: {
      wire: async (t) => {
        const key = t.key('md5.log');
        const ok = await t.wire.appendObject(t.bucket, key, 0, 'abc', { 'content-md5': 'kAFQmDzST7DWlj99KOF/cg==' });
        expectStatus(ok, 200);
        const bad = await t.wire.appendObject(t.bucket, key, 3, 'def', { 'content-md5': 'kAFQmDzST7DWlj99KOF/cg==' });
        t.record('append-bad-md5', bad);
        expectError(bad, { status: 400, code: 'InvalidDigest' });
        expectHeader(await t.wire.headObject(t.bucket, key), 'x-oss-next-append-position', '3');
      },
    },
  },
  {
    id: 'append.missing-position',
    title: 'AppendObject without position is 400 MissingArgument',
    confidence: 'validated',
    source: 'java integrationtests/AppendObjectTest.java testAppendObjectMissingArguments; EC 0016-00000501',
    runs: {
      wire: async (t) => {
        const res = await t.wire.request({ method: 'POST', bucket: t.bucket, key: t.key('nopos.log'), query: [['append', null]], body: 'x' });
        t.record('append-no-position', res);
        expectError(res, { status: 400, code: 'MissingArgument', message: 'Missing Some Required Arguments.', ec: '0016-00000501' });
      },
    },
  },
  {
    id: 'append.invalid-position',
    title: 'A non-numeric or negative position is 400 InvalidArgument',
    confidence: 'emulator-only',
    source: 'EC 0016-00000502 is documented; the Code name and status are our choice',
    runs: {
      wire: async (t) => {
        for (const position of ['abc', '-1']) {
          const res = await t.wire.request({ method: 'POST', bucket: t.bucket, key: t.key('badpos.log'), query: [['append', null], ['position', position]], body: 'x' });
          expectError(res, { status: 400, code: 'InvalidArgument', ec: '0016-00000502' });
        }
      },
    },
  },
  {
    id: 'append.put-replaces-appendable',
    title: 'PutObject over an appendable object makes it Normal, and it can no longer be appended to',
    confidence: 'validated',
    source: 'AppendObject doc (Versioning: PutObject on an Appendable current version); objects from PutObject are Normal',
    runs: {
      wire: async (t) => {
        const key = t.key('replace.log');
        await t.wire.appendObject(t.bucket, key, 0, 'appendable');
        expectStatus(await t.wire.putObject(t.bucket, key, 'normal now'), 200);
        const head = await t.wire.headObject(t.bucket, key);
        expectHeader(head, 'x-oss-object-type', 'Normal');
        expectHeader(head, 'x-oss-next-append-position', undefined);
        expectError(await t.wire.appendObject(t.bucket, key, 10, 'x'), { status: 409, code: 'ObjectNotAppendable' });
      },
      'ali-oss': async (t) => {
        const key = t.key('replace.log');
        await t.sdk.append(key, Buffer.from('appendable'));
        await t.sdk.put(key, Buffer.from('normal now'));
        const head = await t.sdk.head(key);
        assert.equal((head.res.headers as Record<string, string>)['x-oss-object-type'], 'Normal');
      },
    },
  },
  {
    id: 'append.copy-appendable',
    title: 'CopyObject of an appendable object works in an unversioned bucket: the copy holds its bytes, and the source can still be appended to',
    confidence: 'validated',
    source: 'java integrationtests/ObjectEncryptionTest.java testAppendObject (appends three times, copies, checks the copy\'s content; real service); CopyObject docs (refused only in versioned buckets)',
    runs: {
      wire: async (t) => {
        const key = t.key('source.log');
        await t.wire.appendObject(t.bucket, key, 0, 'one,');
        await t.wire.appendObject(t.bucket, key, 4, 'two');
        const copied = await t.wire.copyObject({ bucket: t.bucket, key }, t.bucket, t.key('copy.log'));
        t.record('copy', copied);
        expectStatus(copied, 200);
        expectBody(await t.wire.getObject(t.bucket, t.key('copy.log')), 'one,two');
        expectStatus(await t.wire.appendObject(t.bucket, key, 7, ',three'), 200);
        expectBody(await t.wire.getObject(t.bucket, t.key('copy.log')), 'one,two');
      },
      'ali-oss': async (t) => {
        const key = t.key('source.log');
        const first = await t.sdk.append(key, Buffer.from('one,'));
        await t.sdk.append(key, Buffer.from('two'), { position: first.nextAppendPosition });
        await t.sdk.copy(t.key('copy.log'), key);
        assert.equal(((await t.sdk.get(t.key('copy.log'))).content as Buffer).toString(), 'one,two');
      },
    },
  },
  {
    id: 'append.copy-is-normal',
    title: 'The copy of an appendable object is Normal: no x-oss-next-append-position, and appending to it is 409 ObjectNotAppendable',
    confidence: 'emulator-only',
    source: 'Undocumented (facts §1.7: no test asserts the copy\'s type); our choice, see docs/divergences.md',
    runs: {
      wire: async (t) => {
        const key = t.key('source.log');
        await t.wire.appendObject(t.bucket, key, 0, 'appendable');
        expectStatus(await t.wire.copyObject({ bucket: t.bucket, key }, t.bucket, t.key('copy.log')), 200);
        const head = await t.wire.headObject(t.bucket, t.key('copy.log'));
        t.record('head-copy', head);
        expectHeader(head, 'x-oss-object-type', 'Normal');
        expectHeader(head, 'x-oss-next-append-position', undefined);
        expectError(await t.wire.appendObject(t.bucket, t.key('copy.log'), 10, 'x'), { status: 409, code: 'ObjectNotAppendable' });
      },
      'ali-oss': async (t) => {
        const key = t.key('source.log');
        await t.sdk.append(key, Buffer.from('appendable'));
        await t.sdk.copy(t.key('copy.log'), key);
        const head = await t.sdk.head(t.key('copy.log'));
        assert.equal((head.res.headers as Record<string, string>)['x-oss-object-type'], 'Normal');
      },
    },
  },
  {
    id: 'append.seal',
    title: 'SealAppendObject at the length: 200 with x-oss-sealed-time, which HEAD and GET show; sealing again keeps the time, at another position is 409',
    confidence: 'validated',
    source:
      'SealAppendObject doc (x-oss-sealed-time on seal, HEAD and GET; the first time kept); go2 TestSealAppendObject (a second seal at 0 → 409 PositionNotEqualToLength); java1 SealAppendObjectTest (the type stays Appendable)',
    runs: {
      wire: async (t) => {
        const key = t.key('sealed.log');
        await t.wire.appendObject(t.bucket, key, 0, 'Hello, ');
        await t.wire.appendObject(t.bucket, key, 7, 'OSS!');
        expectHeader(await t.wire.headObject(t.bucket, key), 'x-oss-sealed-time', undefined);
        const sealed = await sealOrSkip(t, key, 11);
        t.record('seal', sealed);
        expectStatus(sealed, 200);
        expectHeader(sealed, 'x-oss-sealed-time', HTTP_DATE);
        const sealedTime = sealed.headers['x-oss-sealed-time']!;
        const head = await t.wire.headObject(t.bucket, key);
        t.record('head', head);
        expectHeader(head, 'x-oss-sealed-time', sealedTime);
        expectHeader(head, 'x-oss-object-type', 'Appendable');
        const get = await t.wire.getObject(t.bucket, key);
        expectHeader(get, 'x-oss-sealed-time', sealedTime);
        expectBody(get, 'Hello, OSS!');
        const again = await t.wire.sealAppendObject(t.bucket, key, 11);
        expectStatus(again, 200);
        expectHeader(again, 'x-oss-sealed-time', sealedTime);
        const wrong = await t.wire.sealAppendObject(t.bucket, key, 0);
        t.record('seal-wrong-position', wrong);
        expectError(wrong, { status: 409, code: 'PositionNotEqualToLength' });
      },
    },
  },
  {
    id: 'append.after-seal',
    title: 'An append to a sealed object is 409 AppendSealedObjectNotAllowed, and the object is unchanged',
    confidence: 'emulator-only',
    source:
      "The code is SealAppendObject's error table's and py2 test_seal_append_object's (skipped there, expecting 400); the status 409 (the table's) and the message are our choice, see docs/divergences.md",
    runs: {
      wire: async (t) => {
        const key = t.key('sealed.log');
        await t.wire.appendObject(t.bucket, key, 0, 'final');
        expectStatus(await sealOrSkip(t, key, 5), 200);
        const res = await t.wire.appendObject(t.bucket, key, 5, 'more');
        t.record('append-after-seal', res);
        expectError(res, { status: 409, code: 'AppendSealedObjectNotAllowed' });
        expectBody(await t.wire.getObject(t.bucket, key), 'final');
      },
    },
  },
  {
    id: 'append.delete-and-recreate',
    title: 'After DeleteObject, an append at position 0 starts a new appendable object',
    confidence: 'validated',
    source: 'AppendObject doc: a new Appendable object is created with position 0 when the object does not exist',
    runs: {
      wire: async (t) => {
        const key = t.key('recreate.log');
        await t.wire.appendObject(t.bucket, key, 0, 'old content');
        expectStatus(await t.wire.deleteObject(t.bucket, key), 204);
        const res = await t.wire.appendObject(t.bucket, key, 0, 'new');
        expectStatus(res, 200);
        expectHeader(res, 'x-oss-next-append-position', '3');
        expectBody(await t.wire.getObject(t.bucket, key), 'new');
      },
      'ali-oss': async (t) => {
        const key = t.key('recreate.log');
        await t.sdk.append(key, Buffer.from('old content'));
        await t.sdk.delete(key);
        assert.equal((await t.sdk.append(key, Buffer.from('new'))).nextAppendPosition, '3');
      },
    },
  },
  {
    id: 'append.empty-body',
    title: 'A zero-byte append at the current length succeeds and changes nothing but the time',
    confidence: 'emulator-only',
    source: 'Undocumented (facts §11 item 3); our choice, see docs/divergences.md',
    runs: {
      wire: async (t) => {
        const key = t.key('empty.log');
        const first = await t.wire.appendObject(t.bucket, key, 0, 'abc');
        const res = await t.wire.appendObject(t.bucket, key, 3, '');
        expectStatus(res, 200);
        expectHeader(res, 'x-oss-next-append-position', '3');
        expectHeader(res, 'x-oss-hash-crc64ecma', first.headers['x-oss-hash-crc64ecma']);
      },
    },
  },
];
