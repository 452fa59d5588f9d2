/**
 * Service and bucket operations on the wire (facts §5): ListBuckets, PutBucket, DeleteBucket,
 * GetBucketInfo, GetBucketLocation, bucket ACL, ListObjects v1/v2, ListMultipartUploads, and the
 * GETs of configurations the emulator does not keep (what OSS answers for a bucket without one).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import {
  asArray,
  childOrder,
  expectEmptySuccess,
  expectError,
  parseXml,
  rawOss,
  useTestEmulator,
  xmlOutline,
  type OssClient,
  type OssResponse,
} from './helpers.js';

const B = 'bucket-bkt';
let emu: RunningEmulator;
let oss: OssClient;

useTestEmulator(B, (e, o) => ((emu = e), (oss = o)));

/** OSS's times in XML are to the second, with the milliseconds written as .000. */
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;

interface Owner {
  ID: string;
  DisplayName: string;
}
interface BucketEntry {
  Name: string;
  CreationDate: string;
  Location: string;
  Region: string;
  StorageClass: string;
  ExtranetEndpoint: string;
  IntranetEndpoint: string;
}
interface ListAllMyBucketsResult {
  Prefix?: string;
  Marker?: string;
  MaxKeys?: string;
  IsTruncated?: string;
  NextMarker?: string;
  Owner: Owner;
  Buckets: { Bucket?: BucketEntry[] } | '';
}

const listBuckets = async (query?: string): Promise<ListAllMyBucketsResult> => {
  const res = await oss.send({ method: 'GET', query });
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/xml/);
  return (parseXml(res.text) as { ListAllMyBucketsResult: ListAllMyBucketsResult }).ListAllMyBucketsResult;
};
const names = (result: ListAllMyBucketsResult): string[] => (result.Buckets === '' ? [] : asArray(result.Buckets.Bucket).map((b) => b.Name));

const putBucket = (name: string, headers: Record<string, string> = {}, body?: string): Promise<OssResponse> =>
  oss.send({ method: 'PUT', bucket: name, body, headers });

async function bucketAcl(name: string): Promise<string> {
  const res = await oss.bucket('GET', name, 'acl');
  expect(res.status).toBe(200);
  return (parseXml(res.text) as { AccessControlPolicy: { AccessControlList: { Grant: string } } }).AccessControlPolicy.AccessControlList.Grant;
}

describe('ListBuckets (GET / on the service)', () => {
  it('lists every bucket with Owner, endpoints, location and region', async () => {
    await putBucket('zeta-bucket');
    const result = await listBuckets();
    expect(result.Owner.ID).toMatch(/^\d+$/);
    expect(result.Owner.DisplayName).toBeDefined();
    expect(names(result)).toEqual([B, 'zeta-bucket']);
    const entry = (result.Buckets as { Bucket: BucketEntry[] }).Bucket[0]!;
    expect(entry).toMatchObject({
      Name: B,
      Location: 'oss-cn-hangzhou',
      Region: 'cn-hangzhou',
      StorageClass: 'Standard',
      ExtranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
      IntranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
      ResourceGroupId: 'rg-ossemu-default',
    });
    expect(entry.CreationDate).toMatch(ISO_SECONDS);
    expect(names(await listBuckets('resourceGroupId=rg-ossemu-default'))).toEqual([B, 'zeta-bucket']);
    expect(names(await listBuckets('resourceGroupId=rg-acfmother'))).toEqual([]);
    // As the SDKs ask (Go SDK v2 and Java: the x-oss-resource-group-id header).
    const inGroup = async (group: string) => {
      const res = await oss.send({ method: 'GET', headers: { 'x-oss-resource-group-id': group } });
      expect(res.status).toBe(200);
      return names((parseXml(res.text) as { ListAllMyBucketsResult: ListAllMyBucketsResult }).ListAllMyBucketsResult);
    };
    expect(await inGroup('rg-ossemu-default')).toEqual([B, 'zeta-bucket']);
    expect(await inGroup('rg-acfmother')).toEqual([]);
    // Without paging parameters no paging elements appear.
    expect(result.Prefix).toBeUndefined();
    expect(result.IsTruncated).toBeUndefined();
  });

  it('pages with prefix, marker and max-keys (NextMarker, IsTruncated)', async () => {
    for (const name of ['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e']) await putBucket(name);
    const seen: string[] = [];
    let marker = '';
    for (let page = 0; page < 10; page++) {
      const result = await listBuckets(`prefix=pg-&max-keys=2${marker ? `&marker=${marker}` : ''}`);
      expect(result.Prefix).toBe('pg-');
      expect(result.MaxKeys).toBe('2');
      expect(result.Marker).toBe(marker);
      seen.push(...names(result));
      if (result.IsTruncated === 'false') {
        expect(result.NextMarker).toBeUndefined();
        break;
      }
      expect(result.IsTruncated).toBe('true');
      expect(result.NextMarker).toBe(names(result).at(-1));
      marker = result.NextMarker!;
    }
    expect(seen).toEqual(['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e']);
  });

  it('an empty result still has Owner and an empty <Buckets/>', async () => {
    const result = await listBuckets('prefix=nothing-matches');
    expect(names(result)).toEqual([]);
    expect(result.Owner.ID).toMatch(/^\d+$/);
  });

  it("a prefix no bucket name can begin with (upper case, '/', '_', over 63 characters) → 400 InvalidArgument, EC 0017-00000290", async () => {
    // The Go SDK's IsBucketExist("BucketNameInvalid") lists with that prefix; its test against OSS expects an error.
    for (const prefix of ['BucketNameInvalid', '%2Ffoo%2Fbar', 'under_score', 'a'.repeat(64)]) {
      expectError(await oss.send({ method: 'GET', query: `prefix=${prefix}` }), 400, 'InvalidArgument', { ec: '0017-00000290' });
    }
    expect(names(await listBuckets(`prefix=${B.slice(0, 3)}`))).toContain(B);
    expect(names(await listBuckets('prefix='))).toContain(B);
    expect(names(await listBuckets(`prefix=${'a'.repeat(63)}`))).toEqual([]);
  });

  it('[GUESS] max-keys outside 1–1000 or not a number → 400 InvalidArgument', async () => {
    for (const value of ['0', '1001', 'abc', '-1']) {
      expectError(await oss.send({ method: 'GET', query: `max-keys=${value}` }), 400, 'InvalidArgument');
    }
  });
});

describe('PutBucket', () => {
  it('creates a bucket: 200, empty body, Location: /<bucket>', async () => {
    const res = await putBucket('new-bucket');
    expectEmptySuccess(res);
    expect(res.headers['location']).toBe('/new-bucket');
    expect(await bucketAcl('new-bucket')).toBe('private');
  });

  it('is idempotent for the owner (200); x-oss-acl on a repeat changes the ACL, none leaves it', async () => {
    expectEmptySuccess(await putBucket('again-bucket', { 'x-oss-acl': 'public-read' }));
    expectEmptySuccess(await putBucket('again-bucket'));
    expect(await bucketAcl('again-bucket')).toBe('public-read');
    expectEmptySuccess(await putBucket('again-bucket', { 'x-oss-acl': 'public-read-write' }));
    expect(await bucketAcl('again-bucket')).toBe('public-read-write');
  });

  it('CreateBucketConfiguration sets the storage class; the same class on a repeat is 200', async () => {
    const config = '<?xml version="1.0" encoding="UTF-8"?><CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>';
    expectEmptySuccess(await putBucket('ia-bucket', {}, config));
    const info = parseXml((await oss.bucket('GET', 'ia-bucket', 'bucketInfo')).text) as { BucketInfo: { Bucket: { StorageClass: string } } };
    expect(info.BucketInfo.Bucket.StorageClass).toBe('IA');
    expectEmptySuccess(await putBucket('ia-bucket', {}, config));
  });

  it('a different storage class on an existing bucket → 409 BucketAlreadyExists', async () => {
    await putBucket('sc-bucket');
    const res = await putBucket('sc-bucket', {}, '<CreateBucketConfiguration><StorageClass>Archive</StorageClass></CreateBucketConfiguration>');
    expectError(res, 409, 'BucketAlreadyExists', { message: "Cannot modify existing bucket's storage class." });
  });

  it("a different DataRedundancyType on an existing bucket → 409 BucketAlreadyExists; only what the body names is compared", async () => {
    await putBucket('dr-bucket', {}, '<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>');
    const zrs = await putBucket('dr-bucket', {}, '<CreateBucketConfiguration><DataRedundancyType>ZRS</DataRedundancyType></CreateBucketConfiguration>');
    expectError(zrs, 409, 'BucketAlreadyExists', { message: "Bucket already exists can't modify data redundancy type" });
    // Naming the redundancy it has, without a storage class, is no change of storage class.
    expectEmptySuccess(await putBucket('dr-bucket', {}, '<CreateBucketConfiguration><DataRedundancyType>LRS</DataRedundancyType></CreateBucketConfiguration>'));
    expectError(await putBucket('dr-bad', {}, '<CreateBucketConfiguration><DataRedundancyType>XYZ</DataRedundancyType></CreateBucketConfiguration>'), 400, 'InvalidArgument');
    expectEmptySuccess(await putBucket('dr-zrs', {}, '<CreateBucketConfiguration><DataRedundancyType>ZRS</DataRedundancyType></CreateBucketConfiguration>'));
    expect((await oss.bucket('GET', 'dr-zrs', 'bucketInfo')).text).toContain('<DataRedundancyType>ZRS</DataRedundancyType>');
  });

  it('an unknown storage class → 400 InvalidArgument; malformed XML → 400 MalformedXML; bad x-oss-acl → 400 InvalidArgument', async () => {
    expectError(await putBucket('bad-sc', {}, '<CreateBucketConfiguration><StorageClass>Glacier</StorageClass></CreateBucketConfiguration>'), 400, 'InvalidArgument');
    expectError(await putBucket('bad-xml', {}, '<CreateBucketConfiguration><StorageClass>'), 400, 'MalformedXML');
    expectError(await putBucket('bad-root', {}, '<Other/>'), 400, 'MalformedXML');
    expectError(await putBucket('bad-acl', { 'x-oss-acl': 'everyone' }), 400, 'InvalidArgument', { ec: '0015-00000204' });
    const all = names(await listBuckets());
    for (const name of ['bad-sc', 'bad-xml', 'bad-root', 'bad-acl']) expect(all).not.toContain(name);
  });

  it('an empty chunked body (Go SDK v1 CreateBucket) is accepted', async () => {
    const res = await rawOss(emu.port, { method: 'PUT', bucket: 'chunky-bucket' }, { chunks: [] });
    expect(res.status, res.text).toBe(200);
    expect(names(await listBuckets())).toContain('chunky-bucket');
  });

  it.each([
    ['ab'],
    ['a'.repeat(64)],
    ['UpperCase'],
    ['under_score'],
    ['-leading'],
    ['trailing-'],
    ['dot.name'],
  ])('an invalid bucket name (%s) → 400 InvalidBucketName', async (name) => {
    expectError(await putBucket(name), 400, 'InvalidBucketName', { message: 'The specified bucket is not valid.', ec: '0015-00000001' });
  });

  it.each([['abc'], ['a'.repeat(63)], ['0-9'], ['a--b']])('a valid bucket name (%s) is accepted', async (name) => {
    expectEmptySuccess(await putBucket(name));
  });

  it('[GUESS: count] the 101st bucket → 400 TooManyBuckets', async () => {
    for (let i = 1; i < 100; i++) expectEmptySuccess(await putBucket(`many-${String(i).padStart(3, '0')}`));
    expectError(await putBucket('one-too-many'), 400, 'TooManyBuckets');
  });
});

describe('DeleteBucket', () => {
  it('204 for an empty bucket, which is then gone', async () => {
    await putBucket('doomed-bucket');
    expectEmptySuccess(await oss.bucket('DELETE', 'doomed-bucket'), 204);
    expect(names(await listBuckets())).not.toContain('doomed-bucket');
    expectError(await oss.bucket('GET', 'doomed-bucket'), 404, 'NoSuchBucket');
  });

  it('409 BucketNotEmpty while objects remain', async () => {
    await oss.put(B, 'k', 'x');
    expectError(await oss.bucket('DELETE', B), 409, 'BucketNotEmpty', { message: 'The bucket you tried to delete is not empty', ec: '0015-00000301' });
    await oss.delete(B, 'k');
    expectEmptySuccess(await oss.bucket('DELETE', B), 204);
  });

  it('404 NoSuchBucket when absent', async () => {
    const error = expectError(await oss.bucket('DELETE', 'not-a-bucket'), 404, 'NoSuchBucket', { ec: '0015-00000101' });
    expect(error['BucketName']).toBe('not-a-bucket');
  });
});

describe('GetBucketStat (GET ?stat)', () => {
  it("counts the bucket's objects and bytes per storage class (billed at 64 KiB at least outside Standard), and its uploads in progress", async () => {
    await oss.put(B, 'a', 'x'.repeat(1000));
    await oss.append(B, 'b', 0, 'y'.repeat(500));
    await oss.put(B, 'ia', 'z'.repeat(100), { 'x-oss-storage-class': 'IA' });
    await oss.put(B, 'cold', 'w'.repeat(70 * 1024), { 'x-oss-storage-class': 'ColdArchive' });
    const initiated = await oss.send({ method: 'POST', bucket: B, key: 'mp', query: 'uploads' });
    const uploadId = (parseXml(initiated.text)['InitiateMultipartUploadResult'] as { UploadId: string }).UploadId;
    await oss.send({ method: 'PUT', bucket: B, key: 'mp', query: `partNumber=1&uploadId=${uploadId}`, body: 'p'.repeat(300) });
    await oss.send({ method: 'PUT', bucket: B, key: 'mp', query: `partNumber=2&uploadId=${uploadId}`, body: 'q'.repeat(200) });
    const res = await oss.bucket('GET', B, 'stat');
    expect(res.status, res.text).toBe(200);
    expect(childOrder(res.text, 'BucketStat')).toEqual([
      'Storage', 'ObjectCount', 'MultipartUploadCount', 'LiveChannelCount', 'MultipartPartCount', 'MultipartPartStorage', 'DeleteMarkerCount',
      'LastModifiedTime', 'StandardStorage', 'StandardObjectCount',
      'InfrequentAccessStorage', 'InfrequentAccessRealStorage', 'InfrequentAccessObjectCount',
      'ArchiveStorage', 'ArchiveRealStorage', 'ArchiveObjectCount',
      'ColdArchiveStorage', 'ColdArchiveRealStorage', 'ColdArchiveObjectCount',
      'DeepColdArchiveStorage', 'DeepColdArchiveRealStorage', 'DeepColdArchiveObjectCount',
    ]);
    const stat = parseXml(res.text)['BucketStat'] as Record<string, string>;
    expect(stat).toMatchObject({
      Storage: String(1000 + 500 + 100 + 70 * 1024),
      ObjectCount: '4',
      MultipartUploadCount: '1',
      MultipartPartCount: '2',
      MultipartPartStorage: '500',
      StandardStorage: '1500',
      StandardObjectCount: '2',
      InfrequentAccessStorage: String(64 * 1024),
      InfrequentAccessRealStorage: '100',
      InfrequentAccessObjectCount: '1',
      ArchiveObjectCount: '0',
      ColdArchiveStorage: String(70 * 1024),
      ColdArchiveObjectCount: '1',
    });
    expect(Math.abs(Number(stat['LastModifiedTime']) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('an empty bucket is all zeros; a missing one is 404 NoSuchBucket', async () => {
    const stat = parseXml((await oss.bucket('GET', B, 'stat')).text)['BucketStat'] as Record<string, string>;
    expect(stat['Storage']).toBe('0');
    expect(stat['ObjectCount']).toBe('0');
    expectError(await oss.bucket('GET', 'no-such-bucket-here', 'stat'), 404, 'NoSuchBucket');
  });
});

describe('GetBucketInfo, GetBucketLocation, bucket ACL', () => {
  it('GET ?bucketInfo: <BucketInfo><Bucket> with name, location, endpoints, owner, ACL', async () => {
    const res = await oss.bucket('GET', B, 'bucketInfo');
    expect(res.status).toBe(200);
    expect(xmlOutline(res.text).root).toBe('BucketInfo');
    const bucket = (parseXml(res.text) as { BucketInfo: { Bucket: Record<string, unknown> } }).BucketInfo.Bucket;
    expect(bucket).toMatchObject({
      Name: B,
      Location: 'oss-cn-hangzhou',
      ExtranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
      IntranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
      StorageClass: 'Standard',
      AccessControlList: { Grant: 'private' },
      ResourceGroupId: 'rg-ossemu-default',
      ServerSideEncryptionRule: { SSEAlgorithm: 'None' },
      BucketPolicy: { LogBucket: '', LogPrefix: '' },
      BlockPublicAccess: 'false',
    });
    expect(childOrder(res.text, 'Bucket').slice(-5)).toEqual(['AccessControlList', 'Comment', 'ServerSideEncryptionRule', 'BucketPolicy', 'BlockPublicAccess']);
    expect(bucket['CreationDate']).toMatch(ISO_SECONDS);
    expect((bucket['Owner'] as Owner).ID).toMatch(/^\d+$/);
  });

  it('GET ?location: <LocationConstraint>oss-cn-hangzhou</LocationConstraint>', async () => {
    const res = await oss.bucket('GET', B, 'location');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<LocationConstraint>oss-cn-hangzhou<\/LocationConstraint>\s*$/);
  });

  it('GET/PUT ?acl: private by default, x-oss-acl changes it', async () => {
    expect(await bucketAcl(B)).toBe('private');
    expectEmptySuccess(await oss.bucket('PUT', B, 'acl', undefined, { 'x-oss-acl': 'public-read' }));
    expect(await bucketAcl(B)).toBe('public-read');
    const res = await oss.bucket('GET', B, 'acl');
    expect(childOrder(res.text, 'AccessControlPolicy')).toEqual(['Owner', 'AccessControlList']);
  });

  it('PUT ?acl with a bad or missing x-oss-acl → 400 InvalidArgument / MissingArgument', async () => {
    expectError(await oss.bucket('PUT', B, 'acl', undefined, { 'x-oss-acl': 'default' }), 400, 'InvalidArgument');
    expectError(await oss.bucket('PUT', B, 'acl'), 400, 'MissingArgument');
    expect(await bucketAcl(B)).toBe('private');
  });

  it('each of them on a missing bucket → 404 NoSuchBucket', async () => {
    for (const query of ['bucketInfo', 'location', 'acl', 'uploads']) {
      expectError(await oss.bucket('GET', 'not-a-bucket', query), 404, 'NoSuchBucket');
    }
  });
});

describe('bucket configurations nobody set: their GETs answer as for a new bucket (setting them: bucket-configs.test.ts)', () => {
  // ECs of lifecycle and website are [GUESS]es in their modules (docs/divergences.md).
  it.each([
    ['lifecycle', 'NoSuchLifecycle', 'No Row found in Lifecycle Table.', '0014-00000001'],
    ['website', 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration.', '0019-00000001'],
    ['encryption', 'NoSuchServerSideEncryptionRule', 'The server side encryption configuration was not found', '0005-00000004'],
    ['worm', 'NoSuchWORMConfiguration', 'The WORM Configuration does not exist.', '0027-00000009'],
  ])('GET ?%s → 404 %s with the bucket name', async (query, code, message, ec) => {
    const res = await oss.bucket('GET', B, query);
    expect(expectError(res, 404, code, { message, ec })['BucketName']).toBe(B);
  });

  it.each([
    ['referer', '<RefererConfiguration>\n  <AllowEmptyReferer>true</AllowEmptyReferer>\n  <RefererList></RefererList>\n</RefererConfiguration>'],
    ['logging', '<BucketLoggingStatus></BucketLoggingStatus>'],
    ['versioning', '<VersioningConfiguration></VersioningConfiguration>'],
    ['tagging', '<Tagging>\n  <TagSet></TagSet>\n</Tagging>'],
  ])('GET ?%s → 200 with the default document', async (query, document) => {
    const res = await oss.bucket('GET', B, query);
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.text.trim()).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${document}`);
  });

  it('each of them on a missing bucket → 404 NoSuchBucket; anonymously, even on a public-read-write bucket → 403 AccessDenied (owner only)', async () => {
    const open = 'bucket-config-open';
    expect((await putBucket(open, { 'x-oss-acl': 'public-read-write' })).status).toBe(200);
    // CORS rules are kept: test/http/cors.test.ts.
    for (const query of ['lifecycle', 'website', 'encryption', 'worm', 'referer', 'logging', 'versioning', 'tagging']) {
      expectError(await oss.bucket('GET', 'not-a-bucket', query), 404, 'NoSuchBucket');
      expectError(await oss.send({ method: 'GET', bucket: open, query, auth: 'none' }), 403, 'AccessDenied');
    }
    // The same anonymous client may list the bucket: the refusals above are the owner-only rule, not the ACL.
    expect((await oss.send({ method: 'GET', bucket: open, auth: 'none' })).status).toBe(200);
  });

  it('DELETE of one → 204 (nothing to delete, as OSS answers for a bucket without it); missing bucket → 404; anonymous → 403', async () => {
    for (const query of ['lifecycle', 'website', 'encryption', 'logging', 'tagging']) {
      expectEmptySuccess(await oss.bucket('DELETE', B, query), 204);
      expectError(await oss.bucket('DELETE', 'not-a-bucket', query), 404, 'NoSuchBucket');
      expectError(await oss.send({ method: 'DELETE', bucket: B, query, auth: 'none' }), 403, 'AccessDenied');
    }
    // The bucket itself is untouched by any of them.
    expect((await oss.bucket('GET', B, 'bucketInfo')).status).toBe(200);
  });

  it('versioning (test/http/versioning.test.ts) has no DELETE: 405 MethodNotAllowed (once enabled it can only be suspended)', async () => {
    expectError(await oss.send({ method: 'DELETE', bucket: B, query: 'versioning' }), 405, 'MethodNotAllowed');
  });

  it('WORM (test/http/worm.test.ts) has no PUT: 405 MethodNotAllowed', async () => {
    expectError(await oss.send({ method: 'PUT', bucket: B, query: 'worm', body: '<X/>' }), 405, 'MethodNotAllowed');
  });

  it('DELETE ?referer → 405 MethodNotAllowed: OSS has no DeleteBucketReferer (ali-oss switches it off with a PUT)', async () => {
    expectError(await oss.send({ method: 'DELETE', bucket: B, query: 'referer' }), 405, 'MethodNotAllowed');
  });
});

describe('ListMultipartUploads', () => {
  it('GET ?uploads: an empty ListMultipartUploadsResult', async () => {
    const res = await oss.bucket('GET', B, 'uploads');
    expect(res.status).toBe(200);
    const result = (parseXml(res.text) as { ListMultipartUploadsResult: Record<string, unknown> }).ListMultipartUploadsResult;
    expect(result).toMatchObject({ Bucket: B, IsTruncated: 'false' });
    expect(result['Upload']).toBeUndefined();
    expect(result['MaxUploads']).toBe('1000');
  });

  it('max-uploads outside 1–1000 → 400 InvalidArgument; encoding-type=url encodes Prefix, KeyMarker and Delimiter', async () => {
    for (const value of ['abc', '0', '1001']) expectError(await oss.bucket('GET', B, `uploads&max-uploads=${value}`), 400, 'InvalidArgument');
    const res = await oss.bucket('GET', B, 'uploads&max-uploads=5&encoding-type=url&prefix=a%2Bb%20c&key-marker=k%2B&delimiter=%2F');
    const result = (parseXml(res.text) as { ListMultipartUploadsResult: Record<string, unknown> }).ListMultipartUploadsResult;
    expect(result).toMatchObject({ EncodingType: 'url', Prefix: 'a%2Bb%20c', KeyMarker: 'k%2B', Delimiter: '%2F', MaxUploads: '5' });
  });
});

// ---- listing ---------------------------------------------------------------------------------------

interface ContentsEntry {
  Key: string;
  LastModified: string;
  ETag: string;
  Type: string;
  Size: string;
  StorageClass: string;
  Owner?: Owner;
}
interface ListBucketResult {
  Name: string;
  Prefix: string;
  Marker?: string;
  StartAfter?: string;
  ContinuationToken?: string;
  NextContinuationToken?: string;
  MaxKeys: string;
  Delimiter: string;
  EncodingType?: string;
  IsTruncated: string;
  NextMarker?: string;
  Contents?: ContentsEntry[];
  CommonPrefixes?: Array<{ Prefix: string }>;
  KeyCount?: string;
}

async function list(query?: string): Promise<{ result: ListBucketResult; res: OssResponse }> {
  const res = await oss.bucket('GET', B, query);
  expect(res.status, res.text).toBe(200);
  expect(xmlOutline(res.text).root).toBe('ListBucketResult');
  expect(xmlOutline(res.text).attributes).toEqual({});
  return { result: (parseXml(res.text) as { ListBucketResult: ListBucketResult }).ListBucketResult, res };
}
const keysOf = (result: ListBucketResult): string[] => asArray(result.Contents).map((c) => c.Key);
const prefixesOf = (result: ListBucketResult): string[] => asArray(result.CommonPrefixes).map((c) => c.Prefix);

const KEYS = ['a/1', 'a/2', 'a/b/3', 'b', 'c d', 'x+y', 'z'];

describe('ListObjects (v1)', () => {
  beforeEach(async () => {
    for (const key of KEYS) await oss.put(B, key, key);
  });

  it('lists every key in order with Key, LastModified, ETag, Type, Size, StorageClass, Owner', async () => {
    const { result, res } = await list();
    expect(keysOf(result)).toEqual(KEYS);
    expect(result).toMatchObject({ Name: B, Prefix: '', Marker: '', MaxKeys: '100', Delimiter: '', IsTruncated: 'false' });
    expect(result.EncodingType).toBeUndefined();
    expect(result.NextMarker).toBeUndefined();
    const first = result.Contents![0]!;
    expect(first.ETag).toMatch(/^"[0-9A-F]{32}"$/);
    // Quotes are literal in OSS's XML, as its documented examples show: only &, < and > are escaped.
    expect(res.text).toMatch(/<ETag>"[0-9A-F]{32}"<\/ETag>/);
    expect(first.LastModified).toMatch(ISO_SECONDS);
    expect(first).toMatchObject({ Type: 'Normal', Size: '3', StorageClass: 'Standard' });
    expect(first.Owner!.ID).toMatch(/^\d+$/);
    expect(childOrder(res.text, 'Contents')).toEqual(['Key', 'LastModified', 'ETag', 'Type', 'Size', 'StorageClass', 'Owner']);
    expect(xmlOutline(res.text).children.slice(0, 6)).toEqual(['Name', 'Prefix', 'Marker', 'MaxKeys', 'Delimiter', 'IsTruncated']);
  });

  it('<Type> tells Normal from Appendable', async () => {
    await oss.append(B, 'appended', 0, 'x');
    const { result } = await list('prefix=ap');
    expect(result.Contents).toEqual([expect.objectContaining({ Key: 'appended', Type: 'Appendable', Size: '1' })]);
  });

  it('prefix filters', async () => {
    expect(keysOf((await list('prefix=a/')).result)).toEqual(['a/1', 'a/2', 'a/b/3']);
    expect(keysOf((await list('prefix=nothing')).result)).toEqual([]);
  });

  it('delimiter rolls keys up into CommonPrefixes (after Contents)', async () => {
    const { result, res } = await list('delimiter=/');
    expect(keysOf(result)).toEqual(['b', 'c d', 'x+y', 'z']);
    expect(prefixesOf(result)).toEqual(['a/']);
    expect(result.Delimiter).toBe('/');
    const children = xmlOutline(res.text).children;
    expect(children.lastIndexOf('Contents')).toBeLessThan(children.indexOf('CommonPrefixes'));
    const nested = (await list('prefix=a/&delimiter=/')).result;
    expect(keysOf(nested)).toEqual(['a/1', 'a/2']);
    expect(prefixesOf(nested)).toEqual(['a/b/']);
  });

  it('marker paging over several pages: NextMarker is the last key or common prefix', async () => {
    const pages: string[][] = [];
    let marker = '';
    for (let i = 0; i < 10; i++) {
      const { result } = await list(`max-keys=2&delimiter=/${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`);
      const entries = [...keysOf(result), ...prefixesOf(result)].sort();
      pages.push(entries);
      expect(result.Marker).toBe(marker);
      if (result.IsTruncated === 'false') {
        expect(result.NextMarker).toBeUndefined();
        break;
      }
      expect(result.NextMarker).toBe(entries.at(-1));
      marker = result.NextMarker!;
    }
    expect(pages).toEqual([['a/', 'b'], ['c d', 'x+y'], ['z']]);
  });

  it('a page that ends on a common prefix: the next page (marker = NextMarker) moves past it', async () => {
    const first = (await list('delimiter=/&max-keys=1')).result;
    expect(prefixesOf(first)).toEqual(['a/']);
    expect(first.NextMarker).toBe('a/');
    const second = (await list(`delimiter=/&max-keys=10&marker=${encodeURIComponent(first.NextMarker!)}`)).result;
    expect(prefixesOf(second)).toEqual([]);
    expect(keysOf(second)).toEqual(['b', 'c d', 'x+y', 'z']);
  });

  it('keys are in UTF-8 byte order, and paging past a character above U+FFFF loses no common prefix', async () => {
    // In UTF-16 (JavaScript's <) '😀' sorts before '！' (U+FF01); in UTF-8, as OSS and SQLite order keys, after.
    for (const key of ['！', '😀/x']) await oss.put(B, key, key);
    const all = (await list('delimiter=/')).result;
    expect(keysOf(all).at(-1)).toBe('！');
    expect(prefixesOf(all)).toEqual(['a/', '😀/']);
    const seen: string[] = [];
    let marker = 'z';
    for (let i = 0; i < 5; i++) {
      const { result } = await list(`delimiter=/&max-keys=1&marker=${encodeURIComponent(marker)}`);
      seen.push(...keysOf(result), ...prefixesOf(result));
      if (result.IsTruncated === 'false') break;
      marker = result.NextMarker!;
    }
    expect(seen).toEqual(['！', '😀/']);
    const v2 = (await list(`list-type=2&delimiter=/&start-after=${encodeURIComponent('！')}`)).result;
    expect(prefixesOf(v2)).toEqual(['😀/']);
  });

  it('a key with U+10FFFF right after the delimiter rolls up like any other, and paging past its prefix ends (it once looped for ever)', async () => {
    await oss.put(B, 'a/\u{10FFFF}x', 'edge');
    const all = (await list('delimiter=/&max-keys=5')).result;
    expect(prefixesOf(all)).toEqual(['a/']);
    expect(keysOf(all)).toEqual(['b', 'c d', 'x+y', 'z']);
    const after = (await list(`delimiter=/&marker=${encodeURIComponent('a/')}`)).result;
    expect(keysOf(after)).toEqual(['b', 'c d', 'x+y', 'z']);
    const v2 = (await list(`list-type=2&delimiter=/&start-after=${encodeURIComponent('a/')}`)).result;
    expect(prefixesOf(v2)).toEqual([]);
  });

  it('paging with a delimiter past U+FFFD does not lose a prefix with a character above U+FFFF', async () => {
    for (const key of ['p\uFFFD/x', 'p😀/x']) await oss.put(B, key, key);
    const seen: string[] = [];
    let marker = 'p';
    for (let i = 0; i < 5; i++) {
      const { result } = await list(`prefix=p&delimiter=/&max-keys=1&marker=${encodeURIComponent(marker)}`);
      seen.push(...prefixesOf(result));
      if (result.IsTruncated === 'false') break;
      marker = result.NextMarker!;
    }
    expect(seen).toEqual(['p\uFFFD/', 'p😀/']);
  });

  it('max-keys: 1 and 1000 accepted; [GUESS] 0, 1001 and non-numbers → 400 InvalidArgument', async () => {
    expect(keysOf((await list('max-keys=1')).result)).toEqual(['a/1']);
    expect((await list('max-keys=1000')).result.MaxKeys).toBe('1000');
    for (const value of ['0', '1001', 'ten', '-5']) {
      expectError(await oss.bucket('GET', B, `max-keys=${value}`), 400, 'InvalidArgument');
    }
  });

  it('encoding-type=url encodes Key, Prefix, Marker, Delimiter, NextMarker, CommonPrefixes (space %20, plus %2B)', async () => {
    const { result } = await list('encoding-type=url&marker=b&max-keys=2');
    expect(result.EncodingType).toBe('url');
    expect(keysOf(result)).toEqual(['c%20d', 'x%2By']);
    expect(result.NextMarker).toBe('x%2By');
    const withPrefix = (await list('encoding-type=url&prefix=c%20&delimiter=%2B')).result;
    expect(withPrefix.Prefix).toBe('c%20');
    expect(withPrefix.Delimiter).toBe('%2B');
    const rolled = (await list('encoding-type=url&delimiter=%2B')).result;
    expect(prefixesOf(rolled)).toEqual(['x%2B']);
    const marker = (await list('encoding-type=url&marker=c%20d')).result;
    expect(marker.Marker).toBe('c%20d');
  });

  it('[GUESS] encoding-type other than url → 400 InvalidArgument', async () => {
    expectError(await oss.bucket('GET', B, 'encoding-type=base64'), 400, 'InvalidArgument');
  });

  it('on a missing bucket → 404 NoSuchBucket', async () => {
    expectError(await oss.bucket('GET', 'not-a-bucket'), 404, 'NoSuchBucket');
  });
});

describe('ListObjectsV2 (list-type=2)', () => {
  beforeEach(async () => {
    for (const key of KEYS) await oss.put(B, key, key);
  });

  it('KeyCount, no Owner unless fetch-owner=true, KeyCount is the last element', async () => {
    const { result, res } = await list('list-type=2');
    expect(keysOf(result)).toEqual(KEYS);
    expect(result.KeyCount).toBe(String(KEYS.length));
    expect(result.MaxKeys).toBe('100');
    expect(result.IsTruncated).toBe('false');
    expect(result.Marker).toBeUndefined();
    for (const entry of result.Contents!) expect(entry.Owner).toBeUndefined();
    expect(childOrder(res.text, 'Contents')).toEqual(['Key', 'LastModified', 'ETag', 'Type', 'Size', 'StorageClass']);
    expect(xmlOutline(res.text).children.at(-1)).toBe('KeyCount');
    expect(xmlOutline(res.text).children[0]).toBe('Name');
    // Prefix, StartAfter and Delimiter are there, empty, when not asked for (facts §11, row 13).
    expect(res.text).toContain('<Prefix></Prefix>');
    expect(res.text).toContain('<StartAfter></StartAfter>');
    expect(res.text).toContain('<Delimiter></Delimiter>');

    const owned = (await list('list-type=2&fetch-owner=true')).result;
    for (const entry of owned.Contents!) expect(entry.Owner!.ID).toMatch(/^\d+$/);
  });

  it('continuation-token paging over several pages; KeyCount counts keys and common prefixes', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (; pages < 10; pages++) {
      const { result } = await list(`list-type=2&max-keys=3${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`);
      expect(result.ContinuationToken).toBe(token);
      seen.push(...keysOf(result));
      expect(result.KeyCount).toBe(String(keysOf(result).length + prefixesOf(result).length));
      if (result.IsTruncated === 'false') {
        expect(result.NextContinuationToken).toBeUndefined();
        break;
      }
      // Tokens must survive Go's QueryUnescape: no '+', '%' or spaces.
      expect(result.NextContinuationToken).toMatch(/^[A-Za-z0-9_.~-]+$/);
      token = result.NextContinuationToken;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(KEYS);
  });

  it('delimiter with paging: common prefixes count toward max-keys', async () => {
    const first = (await list('list-type=2&delimiter=/&max-keys=1')).result;
    expect(prefixesOf(first)).toEqual(['a/']);
    expect(keysOf(first)).toEqual([]);
    expect(first.KeyCount).toBe('1');
    const second = (await list(`list-type=2&delimiter=/&max-keys=10&continuation-token=${first.NextContinuationToken}`)).result;
    expect(keysOf(second)).toEqual(['b', 'c d', 'x+y', 'z']);
    expect(prefixesOf(second)).toEqual([]);
  });

  it('start-after skips keys up to and including it, and is echoed', async () => {
    const { result } = await list('list-type=2&start-after=b');
    expect(result.StartAfter).toBe('b');
    expect(keysOf(result)).toEqual(['c d', 'x+y', 'z']);
  });

  it('encoding-type=url encodes keys and StartAfter; tokens stay URL-safe', async () => {
    const { result } = await list('list-type=2&encoding-type=url&start-after=c%20d&max-keys=1');
    expect(result.EncodingType).toBe('url');
    expect(result.StartAfter).toBe('c%20d');
    expect(keysOf(result)).toEqual(['x%2By']);
    expect(result.NextContinuationToken).toMatch(/^[A-Za-z0-9_.~-]+$/);
  });

  it('[GUESS] a continuation-token that is not one of ours → 400 InvalidArgument', async () => {
    expectError(await oss.bucket('GET', B, 'list-type=2&continuation-token=zz%21'), 400, 'InvalidArgument');
  });

  it('[GUESS] max-keys bounds as for v1', async () => {
    expectError(await oss.bucket('GET', B, 'list-type=2&max-keys=1001'), 400, 'InvalidArgument');
    expectError(await oss.bucket('GET', B, 'list-type=2&max-keys=0'), 400, 'InvalidArgument');
  });
});
