/**
 * Symlinks: PutSymlink and GetSymlink, GET and HEAD through a link (the target's bytes, the link's
 * own headers), the errors of a missing or wrong target, and what other operations make of a link:
 * an append is ObjectNotAppendable, a PutObject replaces it, a copy copies the link.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RamUserSpec, RunningEmulator } from '../../emulator/index.js';
import { crcOf, errorOf, expectEmptySuccess, expectError, md5Base64, startTestEmulator, type OssClient } from './helpers.js';

const B = 'symlink-bkt';
const READER: RamUserSpec = {
  name: 'link-reader',
  accessKeyId: 'link-reader-key',
  accessKeySecret: 'link-reader-secret',
  policies: [{ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject'], Resource: `acs:oss:*:*:${B}/links/*` }] }],
};

let emu: RunningEmulator;
let oss: OssClient;
beforeAll(async () => ({ emu, oss } = await startTestEmulator({ buckets: [B], ramUsers: [READER] })));
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

const putSymlink = (key: string, target: string | undefined, headers: Record<string, string> = {}) =>
  oss.send({ method: 'PUT', bucket: B, key, query: 'symlink', headers: target === undefined ? headers : { 'x-oss-symlink-target': target, ...headers } });
const getSymlink = (key: string) => oss.send({ method: 'GET', bucket: B, key, query: 'symlink' });

describe('PutSymlink and GetSymlink', () => {
  it('a link to a key that does not exist yet; GetSymlink names it, percent-encoded, with the link\'s metadata', async () => {
    const target = 'dir/a b+c 目标.txt';
    const res = await putSymlink('link', encodeURIComponent(target), { 'x-oss-meta-owner': 'me' });
    expectEmptySuccess(res);
    expect(res.headers['etag']).toMatch(/^"[0-9A-F]{32}"$/);
    const got = await getSymlink('link');
    expectEmptySuccess(got);
    expect(got.headers['x-oss-symlink-target']).toBe('dir/a%20b%2Bc%20%E7%9B%AE%E6%A0%87.txt');
    expect(decodeURIComponent(got.headers['x-oss-symlink-target']!)).toBe(target);
    expect(got.headers['x-oss-meta-owner']).toBe('me');
    expect(got.headers['etag']).toBe(res.headers['etag']);
  });

  it("reads the target as the SDKs send it: Go's QueryEscape writes a space as +", async () => {
    expectEmptySuccess(await putSymlink('link', 'a+b%2Bc'));
    expect((await getSymlink('link')).headers['x-oss-symlink-target']).toBe('a%20b%2Bc');
  });

  it('without x-oss-symlink-target → 400 MissingArgument, EC 0043-00000001; a target that is no valid key → InvalidObjectName', async () => {
    expectError(await putSymlink('link', undefined), 400, 'MissingArgument', { ec: '0043-00000001' });
    expectError(await putSymlink('link', '%2Fabsolute'), 400, 'InvalidObjectName');
    expect((await oss.head(B, 'link')).status).toBe(404);
  });

  it('GetSymlink of an object that is no link → 400 NotSymlink; of no object → 404 NoSuchKey', async () => {
    await oss.put(B, 'plain', 'x');
    expectError(await getSymlink('plain'), 400, 'NotSymlink', { ec: '0043-00000101' });
    expectError(await getSymlink('nothing'), 404, 'NoSuchKey');
  });

  it('x-oss-forbid-overwrite: true keeps an existing object (409 FileAlreadyExists)', async () => {
    await oss.put(B, 'taken', 'keep me');
    expectError(await putSymlink('taken', 'elsewhere', { 'x-oss-forbid-overwrite': 'true' }), 409, 'FileAlreadyExists');
    expect((await oss.get(B, 'taken')).text).toBe('keep me');
  });
});

describe('GET and HEAD through a link', () => {
  it("serve the target's bytes, length, ETag, CRC-64 and Content-MD5 with the link's type, content type and metadata", async () => {
    await oss.put(B, 'target', 'the content', { 'content-type': 'text/plain', 'x-oss-meta-side': 'target' });
    expectEmptySuccess(await putSymlink('link', 'target', { 'content-type': 'image/png', 'x-oss-meta-side': 'link' }));
    const head = await oss.head(B, 'link');
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({
      'x-oss-object-type': 'Symlink',
      'content-length': '11',
      'content-type': 'image/png',
      'x-oss-meta-side': 'link',
      'x-oss-hash-crc64ecma': crcOf('the content'),
      'content-md5': md5Base64('the content'),
      etag: (await oss.head(B, 'target')).headers['etag'],
    });
    const get = await oss.get(B, 'link');
    expect(get.status).toBe(200);
    expect(get.text).toBe('the content');
    const range = await oss.get(B, 'link', { range: 'bytes=4-10' });
    expect(range.status).toBe(206);
    expect(range.text).toBe('content');
  });

  it('follow the target as it is now: a replaced target is read anew', async () => {
    await oss.put(B, 'target', 'first');
    await putSymlink('link', 'target');
    await oss.put(B, 'target', 'second version');
    expect((await oss.get(B, 'link')).text).toBe('second version');
  });

  it('a missing target → 404 SymlinkTargetNotExist (on HEAD in x-oss-err)', async () => {
    await putSymlink('link', 'gone');
    expectError(await oss.get(B, 'link'), 404, 'SymlinkTargetNotExist', { ec: '0026-00000012', message: 'The symlink target object does not exist' });
    const head = await oss.head(B, 'link');
    expect(head.status).toBe(404);
    expect(errorOf(head).Code).toBe('SymlinkTargetNotExist');
  });

  it('a target that is itself a link → 400 InvalidTargetType', async () => {
    await oss.put(B, 'data', 'x');
    await putSymlink('inner', 'data');
    await putSymlink('outer', 'inner');
    expectError(await oss.get(B, 'outer'), 400, 'InvalidTargetType', { message: "The symbolic's target file type is invalid." });
    await putSymlink('self', 'self');
    expectError(await oss.head(B, 'self'), 400, 'InvalidTargetType');
    expect((await oss.get(B, 'inner')).text).toBe('x');
  });

  it("GetObjectMeta describes the link itself: its length is its target's name's", async () => {
    await oss.put(B, 'target', 'the content');
    await putSymlink('link', encodeURIComponent('目标'));
    const meta = await oss.head(B, 'link', {}, 'objectMeta');
    expect(meta.status).toBe(200);
    expect(meta.headers['content-length']).toBe(String(Buffer.byteLength('目标')));
    expect(meta.headers['etag']).toBe((await getSymlink('link')).headers['etag']);
  });

  it('reading through a link needs read access to the target too', async () => {
    await oss.put(B, 'private/target', 'secret');
    await oss.put(B, 'links/public-target', 'open');
    await putSymlink('links/to-private', 'private/target');
    await putSymlink('links/to-public', 'links/public-target');
    const asReader = (key: string) => oss.send({ method: 'GET', bucket: B, key, accessKeyId: READER.accessKeyId, secret: READER.accessKeySecret });
    expect((await asReader('links/to-public')).text).toBe('open');
    expectError(await asReader('links/to-private'), 403, 'AccessDenied');
    // Anonymous: a public link to a private target is refused; made public too, it is served.
    await oss.send({ method: 'PUT', bucket: B, key: 'links/to-private', query: 'acl', headers: { 'x-oss-object-acl': 'public-read' } });
    const anonymous = { method: 'GET' as const, bucket: B, key: 'links/to-private', auth: 'none' as const };
    expectError(await oss.send(anonymous), 403, 'AccessDenied');
    await oss.send({ method: 'PUT', bucket: B, key: 'private/target', query: 'acl', headers: { 'x-oss-object-acl': 'public-read' } });
    expect((await oss.send(anonymous)).text).toBe('secret');
  });
});

describe('other operations on a link', () => {
  it('an append is 409 ObjectNotAppendable, and the link is unchanged', async () => {
    await oss.put(B, 'target', 'data');
    await putSymlink('link', 'target');
    expectError(await oss.append(B, 'link', 0, 'more'), 409, 'ObjectNotAppendable');
    expect((await getSymlink('link')).headers['x-oss-symlink-target']).toBe('target');
  });

  it('PutObject replaces the link with a Normal object; the target stays', async () => {
    await oss.put(B, 'target', 'target bytes');
    await putSymlink('link', 'target');
    await oss.put(B, 'link', 'own bytes');
    expect((await oss.get(B, 'link')).text).toBe('own bytes');
    expect((await oss.head(B, 'link')).headers['x-oss-object-type']).toBe('Normal');
    expect((await oss.get(B, 'target')).text).toBe('target bytes');
  });

  it('a link over an appendable object replaces it; DeleteObject deletes the link, not the target', async () => {
    // Appends after the first take the deferred, journaled path: the link must replace what they wrote too.
    await oss.append(B, 'log', 0, 'abc');
    await oss.append(B, 'log', 3, 'def');
    await oss.append(B, 'log', 6, 'ghi');
    await putSymlink('log', 'target');
    expectError(await oss.append(B, 'log', 9, 'jkl'), 409, 'ObjectNotAppendable');
    await oss.put(B, 'target', 'x');
    expect((await oss.head(B, 'log')).headers['x-oss-object-type']).toBe('Symlink');
    expect((await oss.delete(B, 'log')).status).toBe(204);
    expect((await oss.head(B, 'log')).status).toBe(404);
    expect((await oss.get(B, 'target')).text).toBe('x');
  });

  it("ListObjects shows the link as Type Symlink, the size of its target's name", async () => {
    await oss.put(B, 'target', 'a longer content than the name');
    await putSymlink('link', 'target');
    const listed = await oss.bucket('GET', B);
    expect(listed.text).toMatch(/<Key>link<\/Key>[\s\S]*?<Type>Symlink<\/Type>\s*<Size>6<\/Size>/);
  });

  it('UploadPartCopy from a link → 400 InvalidArgument, EC 0042-00000308', async () => {
    await oss.put(B, 'target', 'data');
    await putSymlink('link', 'target');
    const id = await oss.initiateMultipartUpload(B, 'mp');
    const res = await oss.send({ method: 'PUT', bucket: B, key: 'mp', query: `partNumber=1&uploadId=${id}`, headers: { 'x-oss-copy-source': `/${B}/link` } });
    expectError(res, 400, 'InvalidArgument', { ec: '0042-00000308' });
  });

  it('CopyObject copies the link: the copy is a link to the same key', async () => {
    await oss.put(B, 'target', 'data');
    await putSymlink('link', 'target');
    const copied = await oss.send({ method: 'PUT', bucket: B, key: 'copy', headers: { 'x-oss-copy-source': `/${B}/link` } });
    expect(copied.status).toBe(200);
    expect((await getSymlink('copy')).headers['x-oss-symlink-target']).toBe('target');
    expect((await oss.get(B, 'copy')).text).toBe('data');
  });

  it("a link's storage class is its own: an Archive link copies, and reads follow the target's class", async () => {
    await oss.put(B, 'target', 'warm bytes');
    await putSymlink('cold-link', 'target', { 'x-oss-storage-class': 'Archive' });
    expect((await oss.head(B, 'cold-link')).headers['x-oss-storage-class']).toBe('Standard');
    expect((await oss.get(B, 'cold-link')).text).toBe('warm bytes');
    const copied = await oss.send({ method: 'PUT', bucket: B, key: 'copy', headers: { 'x-oss-copy-source': `/${B}/cold-link` } });
    expect(copied.status, copied.text).toBe(200);
    expect((await oss.get(B, 'copy')).text).toBe('warm bytes');
  });

  it('a frozen target must be restored before it is read through a link; RestoreObject of the link is refused', async () => {
    await oss.put(B, 'frozen', 'archived', { 'x-oss-storage-class': 'Archive' });
    await putSymlink('link', 'frozen');
    expectError(await oss.get(B, 'link'), 403, 'InvalidObjectState');
    expect((await oss.head(B, 'link')).headers['x-oss-storage-class']).toBe('Archive');
    const restoreLink = await oss.send({ method: 'POST', bucket: B, key: 'link', query: 'restore' });
    expectError(restoreLink, 400, 'OperationNotSupported');
    expect(errorOf(restoreLink)['Detail']).toContain('frozen');
  });

  it('x-oss-copy-source-if-match on a link source compares the link\'s own ETag: the link is what is copied', async () => {
    await oss.put(B, 'target', 'data');
    const linkEtag = (await putSymlink('link', 'target')).headers['etag']!;
    const targetEtag = (await oss.head(B, 'target')).headers['etag']!;
    const copy = (etag: string) => oss.send({ method: 'PUT', bucket: B, key: 'copy', headers: { 'x-oss-copy-source': `/${B}/link`, 'x-oss-copy-source-if-match': etag } });
    expectError(await copy(targetEtag), 412, 'PreconditionFailed');
    expect((await copy(linkEtag)).status).toBe(200);
  });

  it('PutSymlink refuses conditional headers, as PutObject does; a raw UTF-8 target is read as UTF-8', async () => {
    expectError(await putSymlink('link', 'target', { 'If-Match': '"x"' }), 400, 'NotImplemented', { ec: '0017-00000245' });
    await oss.put(B, '目标', 'utf-8 target');
    // What a client that does not escape the header sends: the UTF-8 bytes, which Node hands over as
    // Latin-1. Such a client signs the UTF-8 text, which this test's signer cannot: it writes anonymously.
    await oss.bucket('PUT', B, 'acl', undefined, { 'x-oss-acl': 'public-read-write' });
    const raw = { 'x-oss-symlink-target': Buffer.from('目标', 'utf8').toString('latin1') };
    expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, key: 'raw', query: 'symlink', headers: raw, auth: 'none' }));
    expect((await oss.get(B, 'raw')).text).toBe('utf-8 target');
  });

  it('tags sent with PutSymlink need oss:PutObjectTagging', async () => {
    const res = await oss.send({
      method: 'PUT',
      bucket: B,
      key: 'links/tagged',
      query: 'symlink',
      headers: { 'x-oss-symlink-target': 'target', 'x-oss-tagging': 'a=b' },
      accessKeyId: READER.accessKeyId,
      secret: READER.accessKeySecret,
    });
    expectError(res, 403, 'AccessDenied');
  });
});
