/**
 * Object versions in a bucket that was never versioned (versioned ones: versioning.test.ts): ListObjectVersions
 * lists each object as its one version, `null`, the latest; `versionId=null` names the object
 * itself on GET, HEAD, DELETE, DeleteMultipleObjects and a copy source. SDK clean-up code lists and
 * deletes versions this way before deleting a bucket.
 */
import OSS from 'ali-oss';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { asArray, childOrder, crcOf, expectEmptySuccess, expectError, md5Base64, parseXml, useTestEmulator, type OssClient } from './helpers.js';

const B = 'versions-bkt';
let emu: RunningEmulator;
let oss: OssClient;
useTestEmulator(B, (e, o) => ((emu = e), (oss = o)));

interface VersionEntry {
  Key: string;
  VersionId: string;
  IsLatest: string;
  LastModified: string;
  ETag: string;
  Type: string;
  Size: string;
  StorageClass: string;
  Owner: { ID: string; DisplayName: string };
}
interface ListVersionsResult {
  Name: string;
  Prefix: string;
  KeyMarker: string;
  VersionIdMarker: string;
  MaxKeys: string;
  Delimiter: string;
  IsTruncated: string;
  NextKeyMarker?: string;
  NextVersionIdMarker?: string;
  Version?: VersionEntry | VersionEntry[];
  CommonPrefixes?: { Prefix: string } | Array<{ Prefix: string }>;
}

async function listVersions(query = ''): Promise<{ result: ListVersionsResult; xml: string }> {
  const res = await oss.bucket('GET', B, `versions${query}`);
  expect(res.status, res.text).toBe(200);
  return { result: (parseXml(res.text) as { ListVersionsResult: ListVersionsResult }).ListVersionsResult, xml: res.text };
}

describe('ListObjectVersions', () => {
  it('an empty bucket: ListVersionsResult with its markers, in OSS order, and no entries', async () => {
    const { result, xml } = await listVersions();
    expect(childOrder(xml, 'ListVersionsResult')).toEqual(['Name', 'Prefix', 'KeyMarker', 'VersionIdMarker', 'MaxKeys', 'Delimiter', 'IsTruncated']);
    expect(result).toMatchObject({ Name: B, Prefix: '', KeyMarker: '', VersionIdMarker: '', MaxKeys: '100', Delimiter: '', IsTruncated: 'false' });
  });

  it('each object once, as version "null", the latest, with the fields of a listing, in OSS order', async () => {
    await oss.put(B, 'a.txt', 'hello', { 'Content-Type': 'text/plain' });
    await oss.append(B, 'b.log', 0, 'appended');
    const { result, xml } = await listVersions();
    const versions = asArray(result.Version);
    expect(versions.map((v) => v.Key)).toEqual(['a.txt', 'b.log']);
    expect(childOrder(xml, 'Version')).toEqual(['Key', 'VersionId', 'IsLatest', 'LastModified', 'ETag', 'Type', 'Size', 'StorageClass', 'Owner']);
    const head = await oss.head(B, 'a.txt');
    expect(versions[0]).toMatchObject({ VersionId: 'null', IsLatest: 'true', ETag: head.headers['etag'], Type: 'Normal', Size: '5', StorageClass: 'Standard' });
    expect(versions[0]!.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(versions[0]!.Owner.ID).not.toBe('');
    expect(versions[1]).toMatchObject({ VersionId: 'null', Type: 'Appendable', Size: '8' });
  });

  it('pages by key-marker (with version-id-marker null), with prefix, delimiter and encoding-type=url', async () => {
    for (const key of ['k1', 'k2', 'k3', 'dir/x', 'dir/y', 'odd key']) await oss.put(B, key, 'v');
    const first = (await listVersions('&max-keys=2')).result;
    expect(first).toMatchObject({ IsTruncated: 'true', NextKeyMarker: 'dir/y', NextVersionIdMarker: 'null', MaxKeys: '2' });
    expect(asArray(first.Version).map((v) => v.Key)).toEqual(['dir/x', 'dir/y']);
    const second = (await listVersions('&max-keys=2&key-marker=dir%2Fy&version-id-marker=null')).result;
    expect(asArray(second.Version).map((v) => v.Key)).toEqual(['k1', 'k2']);
    expect(second).toMatchObject({ KeyMarker: 'dir/y', VersionIdMarker: 'null', NextKeyMarker: 'k2' });
    const rolled = (await listVersions('&delimiter=%2F')).result;
    expect(asArray(rolled.CommonPrefixes).map((p) => p.Prefix)).toEqual(['dir/']);
    expect(asArray(rolled.Version).map((v) => v.Key)).toEqual(['k1', 'k2', 'k3', 'odd key']);
    const encoded = await listVersions('&prefix=odd&encoding-type=url');
    expect(encoded.result).toMatchObject({ Prefix: 'odd', EncodingType: 'url' });
    expect(asArray(encoded.result.Version).map((v) => v.Key)).toEqual(['odd%20key']);
  });

  it('a version-id-marker without a key-marker → 400 InvalidArgument (EC 0012-00000106); bad max-keys → 400; a missing bucket → 404', async () => {
    expectError(await oss.bucket('GET', B, 'versions&version-id-marker=null'), 400, 'InvalidArgument', { ec: '0012-00000106' });
    expectError(await oss.bucket('GET', B, 'versions&max-keys=0'), 400, 'InvalidArgument');
    expectError(await oss.bucket('GET', 'no-such-versions-bucket', 'versions'), 404, 'NoSuchBucket');
  });

  it('anonymously: as ListObjects (refused on a private bucket)', async () => {
    expectError(await oss.send({ method: 'GET', bucket: B, query: 'versions', auth: 'none' }), 403, 'AccessDenied');
  });
});

describe('versionId=null names the object itself', () => {
  it('GET, HEAD and DELETE', async () => {
    await oss.put(B, 'obj', 'content');
    const got = await oss.get(B, 'obj', {}, 'versionId=null');
    expect(got.status).toBe(200);
    expect(got.text).toBe('content');
    expect((await oss.head(B, 'obj', {}, 'versionId=null')).headers['x-oss-hash-crc64ecma']).toBe(crcOf('content'));
    expectEmptySuccess(await oss.delete(B, 'obj', 'versionId=null'), 204);
    expect((await oss.head(B, 'obj')).status).toBe(404);
  });

  it('a version id the object does not have: GET → 404 NoSuchVersion, DELETE → 204 deleting nothing', async () => {
    await oss.put(B, 'obj', 'content');
    const other = 'CAEQ'.padEnd(64, 'x');
    expectError(await oss.get(B, 'obj', {}, `versionId=${other}`), 404, 'NoSuchVersion');
    expect((await oss.delete(B, 'obj', `versionId=${other}`)).status).toBe(204);
    expect((await oss.get(B, 'obj')).text).toBe('content');
  });

  it('only where a version is read or a plain DeleteObject names one: on writes, other sub-resources of a DELETE and buckets it stays refused (501)', async () => {
    await oss.put(B, 'obj', 'content');
    const id = await oss.initiateMultipartUpload(B, 'obj');
    for (const req of [
      { method: 'DELETE' as const, bucket: B, query: 'versionId=null' },
      { method: 'GET' as const, bucket: B, query: 'versionId=null' },
      { method: 'PUT' as const, bucket: B, key: 'obj', query: 'versionId=null', body: 'changed' },
      { method: 'POST' as const, bucket: B, key: 'log', query: 'append&position=0&versionId=null', body: 'x' },
      { method: 'DELETE' as const, bucket: B, key: 'obj', query: `uploadId=${id}&versionId=null` },
    ]) {
      expectError(await oss.send(req), 501, 'NotImplemented');
    }
    expect((await oss.get(B, 'obj')).text).toBe('content');
    expect((await oss.bucket('GET', B, 'bucketInfo')).status).toBe(200);
    expect((await oss.get(B, 'obj', {}, 'acl&versionId=null')).status).toBe(200);
  });

  it('DeleteMultipleObjects with <VersionId>null</VersionId>: deleted, and the version named in the answer', async () => {
    await oss.put(B, 'a', 'x');
    await oss.put(B, 'b', 'y');
    const body = '<Delete><Quiet>false</Quiet><Object><Key>a</Key><VersionId>null</VersionId></Object><Object><Key>b</Key></Object></Delete>';
    const res = await oss.send({ method: 'POST', bucket: B, query: 'delete', body, headers: { 'Content-MD5': md5Base64(body) } });
    expect(res.status, res.text).toBe(200);
    const deleted = asArray((parseXml(res.text) as { DeleteResult: { Deleted: Array<{ Key: string; VersionId?: string }> } }).DeleteResult.Deleted);
    expect(deleted).toEqual([{ Key: 'a', VersionId: 'null' }, { Key: 'b' }]);
    expect((await oss.head(B, 'a')).status).toBe(404);
    expect((await oss.head(B, 'b')).status).toBe(404);
  });

  it('a copy source with ?versionId=null', async () => {
    await oss.put(B, 'src', 'copied');
    const res = await oss.send({ method: 'PUT', bucket: B, key: 'dst', headers: { 'x-oss-copy-source': `/${B}/src?versionId=null` } });
    expect(res.status, res.text).toBe(200);
    expect((await oss.get(B, 'dst')).text).toBe('copied');
  });
});

describe('through ali-oss', () => {
  it("getBucketVersions, then deleting every listed version and the bucket: its test suite's clean-up", async () => {
    const bucket = 'versions-cleanup';
    expect((await oss.bucket('PUT', bucket)).status).toBe(200);
    const client = new OSS({ endpoint: `http://127.0.0.1:${emu.port}`, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret, bucket }) as OSS & {
      getBucketVersions(query: Record<string, unknown>): Promise<{ objects: Array<{ name: string; versionId: string; isLatest: boolean; size: number }>; deleteMarker: unknown[] }>;
      deleteBucket(name: string): Promise<unknown>;
    };
    for (const name of ['one', 'two', 'dir/three']) await client.put(name, Buffer.from(name));
    const listed = await client.getBucketVersions({ 'max-keys': 1000 });
    expect(listed.objects.map((o) => [o.name, o.versionId, o.isLatest])).toEqual([
      ['dir/three', 'null', true],
      ['one', 'null', true],
      ['two', 'null', true],
    ]);
    expect(listed.deleteMarker).toEqual([]);
    for (const o of listed.objects) await client.delete(o.name, { versionId: o.versionId } as never);
    await client.deleteBucket(bucket);
    expectError(await oss.bucket('GET', bucket, 'versions'), 404, 'NoSuchBucket');
  });
});
