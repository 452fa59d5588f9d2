/**
 * CopyObject on the wire (facts §3.5, §1.7): the copy's bytes, ETag, CRC-64 and type, the metadata
 * and tagging directives, ACL and storage class, copying onto itself, the x-oss-copy-source-if-*
 * conditions, the source's encoding, and the errors. Each rule cites what the SDKs' tests against
 * real OSS show; the guesses are in docs/divergences.md.
 */
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { asArray, childOrder, crcOf, expectEmptySuccess, expectError, md5Hex, parseXml, signV1, useTestEmulator, type OssClient, type OssResponse } from './helpers.js';

const B = 'copy-bkt';
let emu: RunningEmulator;
let oss: OssClient;

useTestEmulator(B, (e, o) => ((emu = e), (oss = o)));

/** PUT `to` with `x-oss-copy-source: /<bucket>/<encoded from>`, plus `headers`. */
function copy(from: string, to: string, headers: Record<string, string> = {}, fromBucket = B, toBucket = B): Promise<OssResponse> {
  return oss.send({ method: 'PUT', bucket: toBucket, key: to, headers: { 'x-oss-copy-source': `/${fromBucket}/${encodeURIComponent(from)}`, ...headers } });
}

function result(res: OssResponse): { ETag: string; LastModified: string } {
  return parseXml(res.text)['CopyObjectResult'] as { ETag: string; LastModified: string };
}

describe('CopyObject of a Normal object', () => {
  it('200 with <CopyObjectResult> (ETag, then LastModified); the copy has the bytes, ETag and CRC-64 of the source', async () => {
    await oss.put(B, 'src.txt', 'copy me', { 'x-oss-meta-author': 'alice', 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
    const res = await copy('src.txt', 'dst.txt');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(childOrder(res.text, 'CopyObjectResult')).toEqual(['ETag', 'LastModified']);
    // The Java SDK's integration test asserts the copy's ETag equals the source's.
    expect(result(res).ETag).toBe(`"${md5Hex('copy me')}"`);
    expect(result(res).LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    // oss2 reads the ETag and CRC from the headers.
    expect(res.headers['etag']).toBe(`"${md5Hex('copy me')}"`);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('copy me'));

    const get = await oss.get(B, 'dst.txt');
    expect(get.text).toBe('copy me');
    expect(get.headers['x-oss-object-type']).toBe('Normal');
    expect(get.headers['x-oss-meta-author']).toBe('alice');
    expect(get.headers['content-type']).toBe('text/plain');
    expect(get.headers['cache-control']).toBe('no-cache');
    expect(get.headers['x-oss-hash-crc64ecma']).toBe(crcOf('copy me'));
  });

  it('the copy keeps its bytes when the source is overwritten or deleted (they share stored bytes)', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    await oss.put(B, 'shared', big);
    await copy('shared', 'kept');
    await oss.put(B, 'shared', 'replaced');
    await oss.delete(B, 'shared');
    await new Promise((resolve) => setImmediate(resolve)); // garbage collection runs on the next turn
    const get = await oss.get(B, 'kept');
    expect(get.body.equals(big)).toBe(true);
  });

  it('into another bucket', async () => {
    expectEmptySuccess(await oss.bucket('PUT', 'copy-other'));
    await oss.put(B, 'a', 'across');
    expect((await copy('a', 'b', {}, B, 'copy-other')).status).toBe(200);
    expect((await oss.get('copy-other', 'b')).text).toBe('across');
  });

  it('source keys are percent-decoded, with + as a space (the Go SDK QueryEscapes the key, slashes included)', async () => {
    await oss.put(B, 'dir/a b+c ü.txt', 'odd key');
    const goStyle = `/${B}/${'dir/a b+c ü.txt'.split('').map((ch) => (ch === ' ' ? '+' : encodeURIComponent(ch))).join('')}`;
    expect((await oss.send({ method: 'PUT', bucket: B, key: 'x', headers: { 'x-oss-copy-source': goStyle } })).status).toBe(200);
    expect((await oss.send({ method: 'PUT', bucket: B, key: 'y', headers: { 'x-oss-copy-source': `/${B}/dir/a%20b%2Bc%20%C3%BC.txt` } })).status).toBe(200);
    expect((await oss.get(B, 'x')).text).toBe('odd key');
    expect((await oss.get(B, 'y')).text).toBe('odd key');
  });

  it('a source key sent unescaped in UTF-8 (the Go SDK 1.5.0 UploadPartCopy, hence its CopyFile) names that key, for CopyObject and UploadPartCopy', async () => {
    await oss.put(B, 'src中文.bin', 'unescaped');
    // Signed over the text, sent as its UTF-8 bytes (Node's client writes a Latin-1 string byte for byte).
    const sendWithUtf8Source = (req: { key: string; query?: string }): Promise<OssResponse> => {
      const signed = signV1({ method: 'PUT', bucket: B, ...req, headers: { 'x-oss-copy-source': `/${B}/src中文.bin` } });
      return oss.sendRaw({ method: 'PUT', bucket: B, ...req }, { ...signed, 'x-oss-copy-source': Buffer.from(`/${B}/src中文.bin`).toString('latin1') });
    };
    const copied = await sendWithUtf8Source({ key: 'copied' });
    expect(copied.status, copied.text).toBe(200);
    expect((await oss.get(B, 'copied')).text).toBe('unescaped');
    const uploadId = (parseXml((await oss.send({ method: 'POST', bucket: B, key: 'mp', query: 'uploads' })).text)['InitiateMultipartUploadResult'] as { UploadId: string }).UploadId;
    const part = await sendWithUtf8Source({ key: 'mp', query: `partNumber=1&uploadId=${uploadId}` });
    expect(part.status, part.text).toBe(200);
    expect(part.headers['etag']).toBe(`"${md5Hex('unescaped')}"`);
  });
});

describe('CopyObject of an appendable object', () => {
  it('makes a Normal copy that cannot be appended to, while the source stays appendable and the copy unchanged', async () => {
    await oss.append(B, 'log', 0, 'first,');
    await oss.append(B, 'log', 6, 'second');
    const res = await copy('log', 'snapshot');
    expect(res.status).toBe(200);
    const head = await oss.head(B, 'snapshot');
    expect(head.headers['x-oss-object-type']).toBe('Normal');
    expect(head.headers['x-oss-next-append-position']).toBeUndefined();
    expect(head.headers['x-oss-hash-crc64ecma']).toBe(crcOf('first,second'));
    expectError(await oss.append(B, 'snapshot', 12, 'more'), 409, 'ObjectNotAppendable');

    expect((await oss.append(B, 'log', 12, ',third')).status).toBe(200);
    expect((await oss.get(B, 'log')).text).toBe('first,second,third');
    expect((await oss.get(B, 'snapshot')).text).toBe('first,second');
  });
});

describe('metadata, tags, ACL and storage class', () => {
  it('COPY (the default) keeps the source metadata and ignores the request\'s, which ali-oss always sends a Content-Type in', async () => {
    await oss.put(B, 'm', 'x', { 'x-oss-meta-a': '1', 'Content-Type': 'text/csv' });
    await copy('m', 'm2', { 'x-oss-meta-b': '2', 'Content-Type': 'image/png' });
    const head = await oss.head(B, 'm2');
    expect(head.headers['x-oss-meta-a']).toBe('1');
    expect(head.headers['x-oss-meta-b']).toBeUndefined();
    expect(head.headers['content-type']).toBe('text/csv');
  });

  it('REPLACE takes only the request\'s metadata (any case)', async () => {
    await oss.put(B, 'm', 'x', { 'x-oss-meta-a': '1', 'Content-Type': 'text/csv' });
    await copy('m', 'm2', { 'x-oss-metadata-directive': 'replace', 'x-oss-meta-b': '2' });
    const head = await oss.head(B, 'm2');
    expect(head.headers['x-oss-meta-a']).toBeUndefined();
    expect(head.headers['x-oss-meta-b']).toBe('2');
    expect(head.headers['content-type']).toBe('application/octet-stream');
  });

  it('tags: Copy (the default) keeps the source\'s, Replace takes x-oss-tagging (directive in any case)', async () => {
    await oss.put(B, 't', 'x', { 'x-oss-tagging': 'a=1&b=2' });
    await copy('t', 'kept', { 'x-oss-tagging': 'ignored=1' });
    await copy('t', 'replaced', { 'x-oss-tagging-directive': 'REPLACE', 'x-oss-tagging': 'c=3' });
    const tagsOf = async (key: string): Promise<string[]> => {
      const tagging = parseXml((await oss.get(B, key, {}, 'tagging')).text)['Tagging'] as { TagSet: { Tag?: unknown } };
      return asArray(tagging.TagSet.Tag as Array<{ Key: string; Value: string }>).map((tag) => `${tag.Key}=${tag.Value}`);
    };
    expect(await tagsOf('kept')).toEqual(['a=1', 'b=2']);
    expect(await tagsOf('replaced')).toEqual(['c=3']);
  });

  it('the ACL is never copied (the Go SDK\'s test: a public-read source copies as default); x-oss-object-acl sets it', async () => {
    await oss.put(B, 'open', 'x', { 'x-oss-object-acl': 'public-read' });
    await copy('open', 'plain');
    await copy('open', 'wide', { 'x-oss-object-acl': 'public-read-write' });
    const aclOf = async (key: string): Promise<string> => (await oss.get(B, key, {}, 'acl')).text;
    expect(await aclOf('plain')).toContain('<Grant>default</Grant>');
    expect(await aclOf('wide')).toContain('<Grant>public-read-write</Grant>');
  });

  it('x-oss-storage-class applies whatever the directive; without it the copy keeps the source\'s class', async () => {
    await oss.put(B, 's', 'x', { 'x-oss-storage-class': 'IA' });
    await copy('s', 'still-ia');
    await copy('s', 'to-archive', { 'x-oss-storage-class': 'Archive' });
    await copy('s', 's', { 'x-oss-metadata-directive': 'REPLACE' });
    expect((await oss.head(B, 'still-ia')).headers['x-oss-storage-class']).toBe('IA');
    expect((await oss.head(B, 'to-archive')).headers['x-oss-storage-class']).toBe('Archive');
    expect((await oss.head(B, 's')).headers['x-oss-storage-class']).toBe('IA');
  });

  it('copied onto itself, the object takes the metadata the request sends, directive or not (oss2\'s update_object_meta)', async () => {
    await oss.put(B, 'self.txt', 'same bytes', { 'x-oss-meta-old': '1', 'Content-Type': 'text/plain', 'Content-Language': 'en' });
    const before = await oss.head(B, 'self.txt');
    const res = await copy('self.txt', 'self.txt', { 'Content-Type': 'text/markdown', 'x-oss-meta-category': 'notes' });
    expect(res.status).toBe(200);
    const head = await oss.head(B, 'self.txt');
    expect(head.headers['content-type']).toBe('text/markdown');
    expect(head.headers['x-oss-meta-category']).toBe('notes');
    expect(head.headers['x-oss-meta-old']).toBeUndefined();
    expect(head.headers['content-language']).toBe('en'); // not sent: kept
    expect(head.headers['etag']).toBe(before.headers['etag']);
    expect((await oss.get(B, 'self.txt')).text).toBe('same bytes');
  });

  it('copied onto itself, an appendable object stays appendable (only its metadata changes)', async () => {
    await oss.append(B, 'self.log', 0, 'first,');
    expect((await copy('self.log', 'self.log', { 'x-oss-metadata-directive': 'REPLACE', 'x-oss-meta-a': '1' })).status).toBe(200);
    const head = await oss.head(B, 'self.log');
    expect(head.headers['x-oss-object-type']).toBe('Appendable');
    expect(head.headers['x-oss-next-append-position']).toBe('6');
    expect(head.headers['x-oss-meta-a']).toBe('1');
    expect((await oss.append(B, 'self.log', 6, 'second')).status).toBe(200);
    expect((await oss.get(B, 'self.log')).text).toBe('first,second');
  });

  it('copied onto itself, the object keeps its ACL unless x-oss-object-acl is sent', async () => {
    await oss.put(B, 'self.txt', 'x', { 'x-oss-object-acl': 'public-read' });
    await copy('self.txt', 'self.txt', { 'x-oss-metadata-directive': 'REPLACE', 'x-oss-meta-a': '1' });
    expect((await oss.get(B, 'self.txt', {}, 'acl')).text).toContain('<Grant>public-read</Grant>');
    await copy('self.txt', 'self.txt', { 'x-oss-object-acl': 'private' });
    expect((await oss.get(B, 'self.txt', {}, 'acl')).text).toContain('<Grant>private</Grant>');
  });
});

describe('x-oss-copy-source-if-* conditions', () => {
  it('if-match of another ETag and if-unmodified-since before the source\'s time → 412; nothing is copied', async () => {
    await oss.put(B, 'c', 'x');
    expectError(await copy('c', 'c2', { 'x-oss-copy-source-if-match': '"0123456789ABCDEF0123456789ABCDEF"' }), 412, 'PreconditionFailed');
    expectError(await copy('c', 'c2', { 'x-oss-copy-source-if-unmodified-since': new Date(Date.now() - 86_400_000).toUTCString() }), 412, 'PreconditionFailed');
    expectError(await oss.head(B, 'c2'), 404, 'NoSuchKey');
  });

  it('if-none-match of the source\'s ETag, or if-modified-since not before its time (a future date too) → 304 with no body; nothing is copied', async () => {
    const put = await oss.put(B, 'c', 'x');
    const unchanged: Array<Record<string, string>> = [
      { 'x-oss-copy-source-if-none-match': put.headers['etag']! },
      { 'x-oss-copy-source-if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() },
    ];
    for (const headers of unchanged) {
      const res = await copy('c', 'c2', headers);
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
    }
    expectError(await oss.head(B, 'c2'), 404, 'NoSuchKey');
  });

  it('conditions that hold copy; plain If-* headers (ali-oss sends them alongside) are not refused as on PutObject', async () => {
    const put = await oss.put(B, 'c', 'x');
    const etag = put.headers['etag']!;
    const res = await copy('c', 'c2', { 'x-oss-copy-source-if-match': etag, 'If-Match': etag, 'x-oss-copy-source-if-modified-since': new Date(Date.now() - 86_400_000).toUTCString() });
    expect(res.status).toBe(200);
  });
});

describe('errors', () => {
  it('a missing source key → 404 NoSuchKey; a missing source or destination bucket → 404 NoSuchBucket', async () => {
    expectError(await copy('absent', 'dst'), 404, 'NoSuchKey');
    await oss.put(B, 'a', 'x');
    expectError(await copy('a', 'dst', {}, 'copy-no-such-bucket'), 404, 'NoSuchBucket');
    expectError(await copy('a', 'dst', {}, B, 'copy-no-such-bucket'), 404, 'NoSuchBucket');
  });

  it('a malformed x-oss-copy-source, a version, or an unknown directive → 400 InvalidArgument', async () => {
    await oss.put(B, 'a', 'x');
    for (const source of [`/${B}`, `/${B}/`, '/', `/${B}/%zz`, `/${B}/a?versionId=CAEQ`, `/${B}/a?x=1`, '/Bad_Bucket/a']) {
      const res = await oss.send({ method: 'PUT', bucket: B, key: 'dst', headers: { 'x-oss-copy-source': source } });
      expect(res.status, source).toBeGreaterThanOrEqual(400);
      expect(res.status, source).toBeLessThan(500);
    }
    for (const source of [`/${B}`, 'a']) {
      expectError(await oss.send({ method: 'PUT', bucket: B, key: 'dst', headers: { 'x-oss-copy-source': source } }), 400, 'InvalidArgument', {
        message: 'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.',
      });
    }
    expectError(await copy('a', 'dst', { 'x-oss-metadata-directive': 'MERGE' }), 400, 'InvalidArgument');
    expectError(await copy('a', 'dst', { 'x-oss-tagging-directive': 'Keep' }), 400, 'InvalidArgument');
    expectError(await oss.head(B, 'dst'), 404, 'NoSuchKey');
  });

  it('x-oss-copy-source with ?partNumber&uploadId is UploadPartCopy, not a CopyObject to the key (multipart.test.ts has the rest)', async () => {
    await oss.put(B, 'a', 'x');
    const res = await oss.send({ method: 'PUT', bucket: B, key: 'dst', query: 'partNumber=1&uploadId=0004B9895DBBB6EC98E36', headers: { 'x-oss-copy-source': `/${B}/a` } });
    expectError(res, 404, 'NoSuchUpload');
    expectError(await oss.head(B, 'dst'), 404, 'NoSuchKey');
  });

  it('the leading slash may be left out', async () => {
    await oss.put(B, 'a', 'no slash');
    expect((await oss.send({ method: 'PUT', bucket: B, key: 'dst', headers: { 'x-oss-copy-source': `${B}/a` } })).status).toBe(200);
    expect((await oss.get(B, 'dst')).text).toBe('no slash');
  });

  it('x-oss-forbid-overwrite: true over an existing destination → 409 FileAlreadyExists, the destination kept', async () => {
    await oss.put(B, 'a', 'new');
    await oss.put(B, 'dst', 'old');
    expectError(await copy('a', 'dst', { 'x-oss-forbid-overwrite': 'true' }), 409, 'FileAlreadyExists', { message: 'The object you specified already exists and can not be overwritten' });
    expect((await oss.get(B, 'dst')).text).toBe('old');
  });

  it('a frozen (Archive, not restored) source → 403 InvalidObjectState', async () => {
    await oss.put(B, 'cold', 'x', { 'x-oss-storage-class': 'Archive' });
    expectError(await copy('cold', 'warm'), 403, 'InvalidObjectState');
  });

  it('an anonymous copy needs read access to the source as well as write access to the destination', async () => {
    await oss.bucket('PUT', B, 'acl', undefined, { 'x-oss-acl': 'public-read-write' });
    await oss.put(B, 'private', 'secret', { 'x-oss-object-acl': 'private' });
    await oss.put(B, 'public', 'open');
    const anonymous = (from: string): Promise<OssResponse> =>
      oss.send({ method: 'PUT', bucket: B, key: `copy-of-${from}`, auth: 'none', headers: { 'x-oss-copy-source': `/${B}/${from}` } });
    expectError(await anonymous('private'), 403, 'AccessDenied');
    expect((await anonymous('public')).status).toBe(200);
    expect(emu.port).toBeGreaterThan(0);
  });
});
