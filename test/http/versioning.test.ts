/**
 * Bucket versioning: PutBucketVersioning and GetBucketVersioning, the versions writes make, delete
 * markers, reading, copying, tagging and deleting one version, ListObjectVersions, appendable
 * objects in a versioned bucket (facts §1), and how versioning meets WORM and DeleteBucket.
 * Sources and choices: docs/divergences.md, "Versioning".
 */
import { describe, expect, it } from 'vitest';
import { acrossRestart, asArray, childOrder, expectEmptySuccess, expectError, md5Base64, parseXml, useTestEmulator, type OssClient, type OssResponse } from './helpers.js';

const B = 'versioning-bkt';
let oss: OssClient;
useTestEmulator(B, (_emu, o) => (oss = o));

const VERSION_ID = /^CAEQ[A-Za-z0-9._]{60}$/;
const UNKNOWN_ID = 'CAEQ'.padEnd(64, 'Z');

async function setVersioning(status: 'Enabled' | 'Suspended', bucket = B): Promise<void> {
  const body = `<VersioningConfiguration><Status>${status}</Status></VersioningConfiguration>`;
  expectEmptySuccess(await oss.bucket('PUT', bucket, 'versioning', body));
}

/** The version a write answered with. */
function versionOf(res: OssResponse): string {
  expect(res.status, res.text).toBeLessThan(300);
  return res.headers['x-oss-version-id']!;
}

interface ListedEntry {
  name: 'Version' | 'DeleteMarker';
  Key: string;
  VersionId: string;
  IsLatest: string;
}

/** ListObjectVersions' entries in document order (Version and DeleteMarker interleaved), and the result's own fields. */
async function listVersions(query = ''): Promise<{ entries: ListedEntry[]; result: Record<string, unknown>; xml: string }> {
  const res = await oss.bucket('GET', B, `versions${query}`);
  expect(res.status, res.text).toBe(200);
  const result = (parseXml(res.text) as { ListVersionsResult: Record<string, unknown> }).ListVersionsResult;
  const entries: ListedEntry[] = [];
  const pattern = /<(Version|DeleteMarker)>\s*<Key>([^<]*)<\/Key>\s*<VersionId>([^<]*)<\/VersionId>\s*<IsLatest>([^<]*)<\/IsLatest>/g;
  for (const match of res.text.matchAll(pattern)) {
    entries.push({ name: match[1] as ListedEntry['name'], Key: match[2]!, VersionId: match[3]!, IsLatest: match[4]! });
  }
  return { entries, result, xml: res.text };
}

describe('PutBucketVersioning and GetBucketVersioning', () => {
  it('a bucket never versioned: an empty VersioningConfiguration, no Versioning in GetBucketInfo', async () => {
    const res = await oss.bucket('GET', B, 'versioning');
    expect(res.status).toBe(200);
    expect(childOrder(res.text, 'VersioningConfiguration')).toEqual([]);
    expect(res.text).not.toContain('<Versioning>');
    expect((await oss.bucket('GET', B, 'bucketInfo')).text).not.toContain('<Versioning>');
  });

  it('Enabled, then Suspended, then Enabled again: 200, read back by GET and in GetBucketInfo', async () => {
    for (const status of ['Enabled', 'Suspended', 'Enabled'] as const) {
      await setVersioning(status);
      const res = await oss.bucket('GET', B, 'versioning');
      expect((parseXml(res.text) as { VersioningConfiguration: { Status: string } }).VersioningConfiguration.Status).toBe(status);
      expect((await oss.bucket('GET', B, 'bucketInfo')).text).toContain(`<Versioning>${status}</Versioning>`);
    }
  });

  it('no Status, Disabled, another word or another element → 400 MalformedXML; versioning unchanged', async () => {
    await setVersioning('Enabled');
    for (const body of [
      '<VersioningConfiguration/>',
      '<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>',
      '<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>',
      '<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>',
    ]) {
      expectError(await oss.bucket('PUT', B, 'versioning', body), 400, 'MalformedXML');
    }
    expect((await oss.bucket('GET', B, 'versioning')).text).toContain('<Status>Enabled</Status>');
  });

  it('there is no DeleteBucketVersioning: 405', async () => {
    expectError(await oss.send({ method: 'DELETE', bucket: B, query: 'versioning' }), 405, 'MethodNotAllowed');
  });
});

describe('writes and reads in a bucket with versioning Enabled', () => {
  it('each write is a new version: a 64-character id in x-oss-version-id, each readable by its id, the newest without one', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.put(B, 'k', 'one'));
    const second = versionOf(await oss.put(B, 'k', 'two'));
    expect(first).toMatch(VERSION_ID);
    expect(second).toMatch(VERSION_ID);
    expect(second).not.toBe(first);
    const current = await oss.get(B, 'k');
    expect(current.text).toBe('two');
    expect(current.headers['x-oss-version-id']).toBe(second);
    const old = await oss.get(B, 'k', {}, `versionId=${first}`);
    expect(old.text).toBe('one');
    expect(old.headers['x-oss-version-id']).toBe(first);
    const head = await oss.head(B, 'k', {}, `versionId=${first}`);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('3');
    const meta = await oss.head(B, 'k', {}, `objectMeta&versionId=${first}`);
    expect(meta.headers['x-oss-version-id']).toBe(first);
    // A plain listing shows the current version only.
    expect((await oss.bucket('GET', B, 'list-type=2')).text.match(/<Key>k<\/Key>/g)).toHaveLength(1);
  });

  it('an object written before versioning was enabled is version null: kept as such when overwritten', async () => {
    await oss.put(B, 'old', 'before');
    expect((await oss.get(B, 'old')).headers['x-oss-version-id']).toBeUndefined();
    await setVersioning('Enabled');
    // Once the bucket is versioned, answers about it name its version.
    expect((await oss.head(B, 'old')).headers['x-oss-version-id']).toBe('null');
    versionOf(await oss.put(B, 'old', 'after'));
    const kept = await oss.get(B, 'old', {}, 'versionId=null');
    expect(kept.text).toBe('before');
    expect(kept.headers['x-oss-version-id']).toBe('null');
    const { entries } = await listVersions();
    expect(entries.map((e) => [e.Key, e.VersionId === 'null', e.IsLatest])).toEqual([
      ['old', false, 'true'],
      ['old', true, 'false'],
    ]);
  });

  it('an id the key does not have → 404 NoSuchVersion; one OSS could not have made → 400 InvalidArgument', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'k', 'one');
    expectError(await oss.get(B, 'k', {}, `versionId=${UNKNOWN_ID}`), 404, 'NoSuchVersion');
    expectError(await oss.get(B, 'k', {}, 'versionId=v1'), 400, 'InvalidArgument', { ec: '0012-00000202' });
    expectError(await oss.get(B, 'k', {}, 'versionId='), 400, 'InvalidArgument', { ec: '0012-00000201' });
  });

  it('x-oss-forbid-overwrite is ignored: the write makes a new version', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'k', 'one');
    expect((await oss.put(B, 'k', 'two', { 'x-oss-forbid-overwrite': 'true' })).status).toBe(200);
    expect((await oss.get(B, 'k')).text).toBe('two');
  });

  it('multipart uploads and symlinks are versions too', async () => {
    await setVersioning('Enabled');
    const completed = await oss.multipartUpload(B, 'mp', [Buffer.from('parts')]);
    expect(completed.headers['x-oss-version-id']).toMatch(VERSION_ID);
    const link = await oss.send({ method: 'PUT', bucket: B, key: 'link', query: 'symlink', headers: { 'x-oss-symlink-target': 'mp' } });
    const linkVersion = versionOf(link);
    expect(linkVersion).toMatch(VERSION_ID);
    await oss.send({ method: 'PUT', bucket: B, key: 'link', query: 'symlink', headers: { 'x-oss-symlink-target': 'elsewhere' } });
    const old = await oss.get(B, 'link', {}, `symlink&versionId=${linkVersion}`);
    expect(old.headers['x-oss-symlink-target']).toBe('mp');
    expect(old.headers['x-oss-version-id']).toBe(linkVersion);
  });
});

describe('delete markers', () => {
  it('DeleteObject without an id: 204 with x-oss-delete-marker and the marker\'s id; the key then reads as absent, saying so', async () => {
    await setVersioning('Enabled');
    const kept = versionOf(await oss.put(B, 'k', 'one'));
    const del = await oss.delete(B, 'k');
    expect(del.status).toBe(204);
    expect(del.headers['x-oss-delete-marker']).toBe('true');
    const marker = del.headers['x-oss-version-id']!;
    expect(marker).toMatch(VERSION_ID);
    for (const res of [await oss.get(B, 'k'), await oss.head(B, 'k')]) {
      expectError(res, 404, 'NoSuchKey');
      expect(res.headers['x-oss-delete-marker']).toBe('true');
      expect(res.headers['x-oss-version-id']).toBe(marker);
    }
    expect((await oss.get(B, 'k', {}, `versionId=${kept}`)).text).toBe('one');
    expect((await oss.bucket('GET', B, 'list-type=2')).text).not.toContain('<Key>k</Key>');
  });

  it('GET or HEAD of a delete marker by its id → 405 MethodNotAllowed, with Allow: DELETE and the marker headers', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'k', 'one');
    const marker = (await oss.delete(B, 'k')).headers['x-oss-version-id']!;
    for (const res of [await oss.get(B, 'k', {}, `versionId=${marker}`), await oss.head(B, 'k', {}, `versionId=${marker}`)]) {
      const error = expectError(res, 405, 'MethodNotAllowed');
      expect(res.headers['allow']).toBe('DELETE');
      expect(res.headers['x-oss-delete-marker']).toBe('true');
      expect(res.headers['x-oss-version-id']).toBe(marker);
      expect(error['ResourceType']).toBe('DeleteMarker');
    }
  });

  it('deleting again stacks another marker; deleting the markers by id brings the object back', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'k', 'one');
    const first = (await oss.delete(B, 'k')).headers['x-oss-version-id']!;
    const second = (await oss.delete(B, 'k')).headers['x-oss-version-id']!;
    expect(second).not.toBe(first);
    for (const marker of [second, first]) {
      const res = await oss.delete(B, 'k', `versionId=${marker}`);
      expect(res.status).toBe(204);
      expect(res.headers['x-oss-delete-marker']).toBe('true');
      expect(res.headers['x-oss-version-id']).toBe(marker);
    }
    expect((await oss.get(B, 'k')).text).toBe('one');
  });

  it('deleting the current version by id: gone for good, the previous one current again; deleting every version empties the key', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.put(B, 'k', 'one'));
    const second = versionOf(await oss.put(B, 'k', 'two'));
    const res = await oss.delete(B, 'k', `versionId=${second}`);
    expect(res.status).toBe(204);
    expect(res.headers['x-oss-delete-marker']).toBeUndefined();
    expect(res.headers['x-oss-version-id']).toBe(second);
    expectError(await oss.get(B, 'k', {}, `versionId=${second}`), 404, 'NoSuchVersion');
    const current = await oss.get(B, 'k');
    expect(current.text).toBe('one');
    expect(current.headers['x-oss-version-id']).toBe(first);
    expect((await oss.delete(B, 'k', `versionId=${first}`)).status).toBe(204);
    const gone = await oss.get(B, 'k');
    expectError(gone, 404, 'NoSuchKey');
    expect(gone.headers['x-oss-delete-marker']).toBeUndefined();
    expect((await listVersions()).entries).toEqual([]);
  });

  it('deleting an id the key does not have: 204, nothing deleted', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'k', 'one');
    expect((await oss.delete(B, 'k', `versionId=${UNKNOWN_ID}`)).status).toBe(204);
    expect((await oss.get(B, 'k')).text).toBe('one');
  });
});

describe('versioning Suspended', () => {
  it('writes are version null, each replacing the last null version; versions made while Enabled are kept', async () => {
    await setVersioning('Enabled');
    const enabled = versionOf(await oss.put(B, 'k', 'enabled'));
    await setVersioning('Suspended');
    expect(versionOf(await oss.put(B, 'k', 'null one'))).toBe('null');
    expect(versionOf(await oss.put(B, 'k', 'null two'))).toBe('null');
    const { entries } = await listVersions();
    expect(entries.map((e) => [e.VersionId === enabled ? 'enabled' : e.VersionId, e.IsLatest])).toEqual([
      ['null', 'true'],
      ['enabled', 'false'],
    ]);
    expect((await oss.get(B, 'k', {}, 'versionId=null')).text).toBe('null two');
    expect((await oss.get(B, 'k', {}, `versionId=${enabled}`)).text).toBe('enabled');
  });

  it('DeleteObject makes a delete marker whose id is null, replacing a null version', async () => {
    await setVersioning('Suspended');
    await oss.put(B, 'k', 'x');
    const del = await oss.delete(B, 'k');
    expect(del.headers['x-oss-delete-marker']).toBe('true');
    expect(del.headers['x-oss-version-id']).toBe('null');
    const { entries } = await listVersions();
    expect(entries).toEqual([{ name: 'DeleteMarker', Key: 'k', VersionId: 'null', IsLatest: 'true' }]);
  });
});

describe('ListObjectVersions of a versioned bucket', () => {
  it('every version and delete marker, by key and newest first, interleaved in one sequence, with OSS\'s elements', async () => {
    await setVersioning('Enabled');
    const a1 = versionOf(await oss.put(B, 'a', '1'));
    const a2 = versionOf(await oss.put(B, 'a', '22'));
    const marker = (await oss.delete(B, 'a')).headers['x-oss-version-id']!;
    const b1 = versionOf(await oss.put(B, 'b', '333'));
    const { entries, xml } = await listVersions();
    expect(entries).toEqual([
      { name: 'DeleteMarker', Key: 'a', VersionId: marker, IsLatest: 'true' },
      { name: 'Version', Key: 'a', VersionId: a2, IsLatest: 'false' },
      { name: 'Version', Key: 'a', VersionId: a1, IsLatest: 'false' },
      { name: 'Version', Key: 'b', VersionId: b1, IsLatest: 'true' },
    ]);
    expect(childOrder(xml, 'DeleteMarker')).toEqual(['Key', 'VersionId', 'IsLatest', 'LastModified', 'Owner']);
    expect(childOrder(xml, 'Version')).toEqual(['Key', 'VersionId', 'IsLatest', 'LastModified', 'ETag', 'Type', 'Size', 'StorageClass', 'Owner']);
  });

  it('pages by max-keys with NextKeyMarker and NextVersionIdMarker naming the last entry, each entry once', async () => {
    await setVersioning('Enabled');
    for (const key of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) await oss.put(B, key, `${key}${i}`);
    }
    await oss.delete(B, 'b');
    const all = (await listVersions()).entries;
    expect(all).toHaveLength(10);
    const paged: ListedEntry[] = [];
    let query = '&max-keys=3';
    for (let page = 0; page < 10; page++) {
      const { entries, result } = await listVersions(query);
      paged.push(...entries);
      if (result['IsTruncated'] !== 'true') break;
      const last = entries.at(-1)!;
      expect(result['NextKeyMarker']).toBe(last.Key);
      expect(result['NextVersionIdMarker']).toBe(last.VersionId);
      query = `&max-keys=3&key-marker=${result['NextKeyMarker'] as string}&version-id-marker=${result['NextVersionIdMarker'] as string}`;
    }
    expect(paged).toEqual(all);
  });

  it('a page after one whose versions were deleted meanwhile (a clean-up loop) goes on with the older versions of that key', async () => {
    await setVersioning('Enabled');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(versionOf(await oss.put(B, 'k', `v${i}`)));
    await oss.put(B, 'l', 'x');
    const { result } = await listVersions('&max-keys=2');
    expect(result['NextVersionIdMarker']).toBe(ids[2]);
    for (const id of [ids[3]!, ids[2]!]) await oss.delete(B, 'k', `versionId=${id}`);
    const { entries } = await listVersions(`&max-keys=5&key-marker=k&version-id-marker=${ids[2]!}`);
    expect(entries.map((e) => [e.Key, e.VersionId === ids[1] ? 'v1' : e.VersionId === ids[0] ? 'v0' : e.VersionId.length])).toEqual([
      ['k', 'v1'],
      ['k', 'v0'],
      ['l', 64],
    ]);
    expectError(await oss.bucket('GET', B, 'versions&key-marker=k&version-id-marker=v2'), 400, 'InvalidArgument');
  });

  it('keys that hold a line break or look like markup are listed exactly', async () => {
    await setVersioning('Enabled');
    for (const key of ['line1\nline2', 'a<b>&c']) await oss.put(B, key, 'x');
    const { entries } = await listVersions();
    expect(entries.map((e) => e.Key)).toEqual(['a&lt;b&gt;&amp;c', 'line1\nline2']);
    expect((await oss.bucket('GET', B, `versions&prefix=${encodeURIComponent('\uE0005')}`)).status).toBe(200);
  });

  it('key-marker alone starts after that key; a delimiter rolls keys into common prefixes', async () => {
    await setVersioning('Enabled');
    for (const key of ['a', 'd/1', 'd/2', 'e']) await oss.put(B, key, 'x');
    await oss.put(B, 'a', 'y');
    expect((await listVersions('&key-marker=a')).entries.map((e) => e.Key)).toEqual(['d/1', 'd/2', 'e']);
    const { entries, result } = await listVersions('&delimiter=/');
    expect(entries.map((e) => e.Key)).toEqual(['a', 'a', 'e']);
    expect(asArray(result['CommonPrefixes'] as { Prefix: string } | Array<{ Prefix: string }>)).toEqual([{ Prefix: 'd/' }]);
  });
});

describe('tags and ACLs of one version', () => {
  it('PutObjectTagging, GetObjectTagging and DeleteObjectTagging with a versionId change that version only', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.put(B, 'k', 'one'));
    await oss.put(B, 'k', 'two');
    const tagging = '<Tagging><TagSet><Tag><Key>era</Key><Value>old</Value></Tag></TagSet></Tagging>';
    const put = await oss.send({ method: 'PUT', bucket: B, key: 'k', query: `tagging&versionId=${first}`, body: tagging });
    expect(put.status, put.text).toBe(200);
    expect(put.headers['x-oss-version-id']).toBe(first);
    expect((await oss.get(B, 'k', {}, `tagging&versionId=${first}`)).text).toContain('<Value>old</Value>');
    expect((await oss.get(B, 'k', {}, 'tagging')).text).not.toContain('<Tag>');
    const deleted = await oss.send({ method: 'DELETE', bucket: B, key: 'k', query: `tagging&versionId=${first}` });
    expect(deleted.status).toBe(204);
    expect(deleted.headers['x-oss-version-id']).toBe(first);
    expect((await oss.get(B, 'k', {}, `tagging&versionId=${first}`)).text).not.toContain('<Tag>');
  });

  it('PutObjectAcl with a versionId sets that version\'s ACL; on a delete marker → 405', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.put(B, 'k', 'one'));
    await oss.put(B, 'k', 'two');
    const res = await oss.send({ method: 'PUT', bucket: B, key: 'k', query: `acl&versionId=${first}`, headers: { 'x-oss-object-acl': 'public-read' } });
    expect(res.status, res.text).toBe(200);
    expect((await oss.get(B, 'k', {}, `acl&versionId=${first}`)).text).toContain('<Grant>public-read</Grant>');
    expect((await oss.get(B, 'k', {}, 'acl')).text).toContain('<Grant>default</Grant>');
    const marker = (await oss.delete(B, 'k')).headers['x-oss-version-id']!;
    const onMarker = await oss.send({ method: 'PUT', bucket: B, key: 'k', query: `acl&versionId=${marker}`, headers: { 'x-oss-object-acl': 'private' } });
    expect(expectError(onMarker, 405, 'MethodNotAllowed')['Method']).toBe('PUT');
  });

  it('an anonymous read of a version is decided by that version\'s ACL, not the current one\'s', async () => {
    await setVersioning('Enabled');
    const secret = versionOf(await oss.put(B, 'k', 'secret', { 'x-oss-object-acl': 'private' }));
    const open = versionOf(await oss.put(B, 'k', 'public', { 'x-oss-object-acl': 'public-read' }));
    expect((await oss.send({ method: 'GET', bucket: B, key: 'k', auth: 'none' })).text).toBe('public');
    expectError(await oss.send({ method: 'GET', bucket: B, key: 'k', query: `versionId=${secret}`, auth: 'none' }), 403, 'AccessDenied');
    expect((await oss.send({ method: 'GET', bucket: B, key: 'k', query: `versionId=${open}`, auth: 'none' })).text).toBe('public');
    await oss.send({ method: 'PUT', bucket: B, key: 'k', query: `acl&versionId=${secret}`, headers: { 'x-oss-object-acl': 'public-read' } });
    expect((await oss.send({ method: 'GET', bucket: B, key: 'k', query: `versionId=${secret}`, auth: 'none' })).text).toBe('secret');
  });
});

describe('copies and versions', () => {
  it('CopyObject from a version: x-oss-copy-source-version-id, and an old version copied onto its key becomes current', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.put(B, 'k', 'one'));
    await oss.put(B, 'k', 'two');
    const copy = await oss.send({ method: 'PUT', bucket: B, key: 'k', headers: { 'x-oss-copy-source': `/${B}/k?versionId=${first}` } });
    expect(copy.status, copy.text).toBe(200);
    expect(copy.headers['x-oss-copy-source-version-id']).toBe(first);
    expect(copy.headers['x-oss-version-id']).toMatch(VERSION_ID);
    expect((await oss.get(B, 'k')).text).toBe('one');
    expect((await listVersions()).entries).toHaveLength(3);
  });

  it('a copy whose source is a delete marker → 404; an unknown source version → 404 NoSuchVersion', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'k', 'one');
    const marker = (await oss.delete(B, 'k')).headers['x-oss-version-id']!;
    const fromMarker = await oss.send({ method: 'PUT', bucket: B, key: 'c', headers: { 'x-oss-copy-source': `/${B}/k?versionId=${marker}` } });
    expectError(fromMarker, 404, 'NoSuchKey', { ec: '0016-00000307' });
    const fromCurrent = await oss.send({ method: 'PUT', bucket: B, key: 'c', headers: { 'x-oss-copy-source': `/${B}/k` } });
    expectError(fromCurrent, 404, 'NoSuchKey');
    const unknown = await oss.send({ method: 'PUT', bucket: B, key: 'c', headers: { 'x-oss-copy-source': `/${B}/k?versionId=${UNKNOWN_ID}` } });
    expectError(unknown, 404, 'NoSuchVersion');
  });

  it('UploadPartCopy copies the version named', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.put(B, 'src', 'first bytes'));
    await oss.put(B, 'src', 'second');
    const upload = await oss.initiateMultipartUpload(B, 'dst');
    const part = await oss.send({ method: 'PUT', bucket: B, key: 'dst', query: `partNumber=1&uploadId=${upload}`, headers: { 'x-oss-copy-source': `/${B}/src?versionId=${first}` } });
    expect(part.status, part.text).toBe(200);
    expect(part.headers['x-oss-copy-source-version-id']).toBe(first);
    const etag = part.headers['etag']!;
    const complete = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    expect((await oss.send({ method: 'POST', bucket: B, key: 'dst', query: `uploadId=${upload}`, body: complete })).status).toBe(200);
    expect((await oss.get(B, 'dst')).text).toBe('first bytes');
  });
});

describe('appendable objects in a versioned bucket (facts §1)', () => {
  it('appends make no new version: every answer and HEAD name the creating append\'s version, and Last-Modified stays that of the creation', async () => {
    await setVersioning('Enabled');
    const created = versionOf(await oss.append(B, 'log', 0, 'abc'));
    expect(created).toMatch(VERSION_ID);
    const createdAt = (await oss.head(B, 'log')).headers['last-modified'];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (let position = 3; position < 12; position += 3) expect(versionOf(await oss.append(B, 'log', position, 'def'))).toBe(created);
    const head = await oss.head(B, 'log');
    expect(head.headers['x-oss-version-id']).toBe(created);
    expect(head.headers['x-oss-next-append-position']).toBe('12');
    expect(head.headers['last-modified']).toBe(createdAt);
    expect((await listVersions()).entries).toHaveLength(1);
  });

  it('a PutObject over it keeps it as a previous version that no longer takes appends', async () => {
    await setVersioning('Enabled');
    const appendable = versionOf(await oss.append(B, 'log', 0, 'abc'));
    await oss.put(B, 'log', 'normal');
    expectError(await oss.append(B, 'log', 6, 'x'), 409, 'ObjectNotAppendable');
    const old = await oss.get(B, 'log', {}, `versionId=${appendable}`);
    expect(old.text).toBe('abc');
    expect(old.headers['x-oss-object-type']).toBe('Appendable');
  });

  it('after a delete marker, an append at position 0 starts a new appendable version; any other position → 409 with next position 0', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.append(B, 'log', 0, 'abc'));
    await oss.delete(B, 'log');
    const refused = await oss.append(B, 'log', 3, 'def');
    expectError(refused, 409, 'PositionNotEqualToLength');
    expect(refused.headers['x-oss-next-append-position']).toBe('0');
    const second = versionOf(await oss.append(B, 'log', 0, 'new'));
    expect(second).not.toBe(first);
    expect((await oss.get(B, 'log')).text).toBe('new');
    expect((await oss.get(B, 'log', {}, `versionId=${first}`)).text).toBe('abc');
  });

  it('[GUESS] an appendable object cannot be copied into a bucket with versioning enabled → 400 InvalidArgument', async () => {
    await oss.append(B, 'log', 0, 'abc');
    await setVersioning('Enabled');
    const res = await oss.send({ method: 'PUT', bucket: B, key: 'copy', headers: { 'x-oss-copy-source': `/${B}/log` } });
    expectError(res, 400, 'InvalidArgument');
    expect((await oss.get(B, 'copy')).status).toBe(404);
  });
});

describe('DeleteMultipleObjects in a versioned bucket', () => {
  it('reports the marker made for a key, the version deleted for an id, and both for a delete marker\'s id', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'plain', 'x');
    const version = versionOf(await oss.put(B, 'byid', 'x'));
    await oss.put(B, 'marked', 'x');
    const marker = (await oss.delete(B, 'marked')).headers['x-oss-version-id']!;
    const body =
      '<Delete><Quiet>false</Quiet><Object><Key>plain</Key></Object>' +
      `<Object><Key>byid</Key><VersionId>${version}</VersionId></Object>` +
      `<Object><Key>marked</Key><VersionId>${marker}</VersionId></Object></Delete>`;
    const res = await oss.send({ method: 'POST', bucket: B, query: 'delete', body, headers: { 'Content-MD5': md5Base64(body) } });
    expect(res.status, res.text).toBe(200);
    const deleted = asArray((parseXml(res.text) as { DeleteResult: { Deleted: Array<Record<string, string>> } }).DeleteResult.Deleted);
    expect(deleted[0]).toEqual({ Key: 'plain', DeleteMarker: 'true', DeleteMarkerVersionId: expect.stringMatching(VERSION_ID) });
    expect(deleted[1]).toEqual({ Key: 'byid', VersionId: version });
    expect(deleted[2]).toEqual({ Key: 'marked', VersionId: marker, DeleteMarker: 'true', DeleteMarkerVersionId: marker });
    expect(childOrder(res.text, 'Deleted')).toEqual(['Key', 'DeleteMarker', 'DeleteMarkerVersionId']);
    expect((await oss.get(B, 'marked')).text).toBe('x');
    expectError(await oss.get(B, 'byid'), 404, 'NoSuchKey');
  });
});

describe('versioning with DeleteBucket and WORM', () => {
  it('DeleteBucket → 409 BucketNotEmpty while any version or delete marker is left', async () => {
    await setVersioning('Enabled');
    const version = versionOf(await oss.put(B, 'k', 'x'));
    const marker = (await oss.delete(B, 'k')).headers['x-oss-version-id']!;
    expectError(await oss.bucket('DELETE', B), 409, 'BucketNotEmpty');
    await oss.delete(B, 'k', `versionId=${version}`);
    expectError(await oss.bucket('DELETE', B), 409, 'BucketNotEmpty');
    await oss.delete(B, 'k', `versionId=${marker}`);
    expect((await oss.bucket('DELETE', B)).status).toBe(204);
  });

  it('with versioning Enabled a retention policy lets writes and deletes make versions, but no version be deleted', async () => {
    await setVersioning('Enabled');
    const first = versionOf(await oss.put(B, 'k', 'one'));
    const worm = '<InitiateWormConfiguration><RetentionPeriodInDays>1</RetentionPeriodInDays></InitiateWormConfiguration>';
    expect((await oss.send({ method: 'POST', bucket: B, query: 'worm', body: worm })).status).toBe(200);
    versionOf(await oss.put(B, 'k', 'two'));
    const marker = (await oss.delete(B, 'k')).headers['x-oss-version-id']!;
    expectError(await oss.delete(B, 'k', `versionId=${first}`), 409, 'FileImmutable');
    expect((await oss.delete(B, 'k', `versionId=${marker}`)).status).toBe(204);
    expect((await oss.get(B, 'k')).text).toBe('two');
  });

  it('versioning cannot be suspended while a retention policy is in force, nor a policy set while it is suspended', async () => {
    const worm = '<InitiateWormConfiguration><RetentionPeriodInDays>1</RetentionPeriodInDays></InitiateWormConfiguration>';
    await setVersioning('Suspended');
    expectError(await oss.send({ method: 'POST', bucket: B, query: 'worm', body: worm }), 400, 'InvalidArgument', { ec: '0027-00000003' });
    await setVersioning('Enabled');
    expect((await oss.send({ method: 'POST', bucket: B, query: 'worm', body: worm })).status).toBe(200);
    const body = '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>';
    expectError(await oss.bucket('PUT', B, 'versioning', body), 400, 'InvalidArgument', { ec: '0012-00000006' });
  });
});

describe('RestoreObject of a version', () => {
  it('restores the version named, answering its id; the current object stays frozen', async () => {
    await setVersioning('Enabled');
    const frozen = versionOf(await oss.put(B, 'cold', 'archived', { 'x-oss-storage-class': 'Archive' }));
    await oss.put(B, 'cold', 'newer', { 'x-oss-storage-class': 'Archive' });
    const res = await oss.send({ method: 'POST', bucket: B, key: 'cold', query: `restore&versionId=${frozen}` });
    expect(res.status, res.text).toBe(202);
    expect(res.headers['x-oss-version-id']).toBe(frozen);
    expect((await oss.head(B, 'cold', {}, `versionId=${frozen}`)).headers['x-oss-restore']).toBeDefined();
    expect((await oss.head(B, 'cold')).headers['x-oss-restore']).toBeUndefined();
    expectError(await oss.send({ method: 'POST', bucket: B, key: 'cold', query: `restore&versionId=${frozen}` }), 409, 'RestoreAlreadyInProgress');
  });
});

describe('GetBucketStat of a versioned bucket', () => {
  it('[GUESS] previous versions count as objects and storage; delete markers in DeleteMarkerCount', async () => {
    await setVersioning('Enabled');
    await oss.put(B, 'k', 'one');
    await oss.put(B, 'k', 'three');
    await oss.delete(B, 'k');
    await oss.delete(B, 'k');
    const stat = (parseXml((await oss.bucket('GET', B, 'stat')).text) as { BucketStat: Record<string, string> }).BucketStat;
    expect(stat).toMatchObject({ ObjectCount: '2', Storage: '8', StandardObjectCount: '2', StandardStorage: '8', DeleteMarkerCount: '2' });
  });
});

describe('versions on disk', () => {
  it('versions and delete markers survive a restart', async () => {
    let first = '';
    let marker = '';
    await acrossRestart(
      ['disk-versions'],
      async (client) => {
        const body = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
        expectEmptySuccess(await client.bucket('PUT', 'disk-versions', 'versioning', body));
        first = versionOf(await client.put('disk-versions', 'k', 'one'));
        await client.put('disk-versions', 'k', 'two');
        marker = (await client.delete('disk-versions', 'k')).headers['x-oss-version-id']!;
      },
      async (client) => {
        expectError(await client.get('disk-versions', 'k'), 404, 'NoSuchKey');
        expect((await client.get('disk-versions', 'k', {}, `versionId=${first}`)).text).toBe('one');
        expect((await client.delete('disk-versions', 'k', `versionId=${marker}`)).status).toBe(204);
        expect((await client.get('disk-versions', 'k')).text).toBe('two');
      },
    );
  });
});
