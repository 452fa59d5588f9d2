/**
 * The official Node.js SDK, ali-oss 6.23, used the way applications use it, against an in-process
 * emulator. Every test runs in the four client configurations that can reach a local endpoint
 * (sdk-wire-behaviour.md §1.1, §6):
 *   - IP endpoint `http://127.0.0.1:PORT`: the URL is `/key` and the bucket travels only in a Host
 *     header the SDK forges, `<bucket>.oss-cn-hangzhou.aliyuncs.com`;
 *   - `http://localhost:PORT` with `sldEnable`: path style, `/bucket/key` with `Host: localhost:PORT`;
 * each signed with V1 (`OSS AK:sig`) and with V4 (`authorizationV4`, region `oss-cn-hangzhou`).
 * (localhost without sldEnable would need `<bucket>.localhost` to resolve, which it does not here.)
 *
 * Each test writes under its own key prefix `<config>/<test>/`, so the four configurations share
 * one emulator and one bucket without seeing each other's objects.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';

const BUCKET = 'ali-oss-matrix';
/** What the forged Host and the Location elements call the emulator's region. */
const LOCATION = 'oss-cn-hangzhou';
/** OSS request ids: 24 upper-case hex characters. */
const REQUEST_ID = /^[0-9A-F]{24}$/;

interface ClientConfig {
  /** Short, bucket-name-safe id, used in key prefixes and bucket names. */
  id: string;
  title: string;
  host: '127.0.0.1' | 'localhost';
  sldEnable: boolean;
  v4: boolean;
}

const CONFIGS: readonly ClientConfig[] = [
  { id: 'ip-v1', title: 'IP endpoint, bucket in forged Host, V1', host: '127.0.0.1', sldEnable: false, v4: false },
  { id: 'ip-v4', title: 'IP endpoint, bucket in forged Host, V4', host: '127.0.0.1', sldEnable: false, v4: true },
  { id: 'sld-v1', title: 'localhost + sldEnable (path style), V1', host: 'localhost', sldEnable: true, v4: false },
  { id: 'sld-v4', title: 'localhost + sldEnable (path style), V4', host: 'localhost', sldEnable: true, v4: true },
];

type Response = OSS.NormalSuccessResponse;

/** ali-oss 6.23 methods that @types/ali-oss lacks or describes wrongly, as the SDK really has them. */
interface CorrectedMethods {
  getObjectMeta(name: string): Promise<{ status: number; res: Response }>;
  putObjectTagging(name: string, tag: Record<string, string>): Promise<{ status: number; res: Response }>;
  getObjectTagging(name: string): Promise<{ status: number; tag: Record<string, string>; res: Response }>;
  listBuckets(query: OSS.ListBucketsQueryType): Promise<{ buckets: OSS.Bucket[] | null; owner: { id: string; displayName: string }; res: Response }>;
  deleteMulti(names: string[], options?: OSS.DeleteMultiOptions): Promise<{ deleted: Array<{ Key: string }>; res: Response }>;
  putACL(name: string, acl: OSS.ACLType): Promise<{ res: Response }>;
  deleteBucket(name: string): Promise<{ res: Response }>;
  getBucketTags(name: string): Promise<{ status: number; tag: Record<string, string>; res: Response }>;
  deleteBucketTags(name: string): Promise<{ status: number; res: Response }>;
  putBucketCORS(name: string, rules: OSS.CORSRule[]): Promise<{ res: Response }>;
  deleteBucketCORS(name: string): Promise<{ res: Response }>;
  deleteBucketLifecycle(name: string): Promise<{ res: Response }>;
  deleteBucketWebsite(name: string): Promise<{ res: Response }>;
  deleteBucketLogging(name: string): Promise<{ res: Response }>;
  putBucketTags(name: string, tags: Record<string, string>): Promise<{ status: number; res: Response }>;
  putBucketEncryption(name: string, rule: { SSEAlgorithm: string; KMSMasterKeyID?: string }): Promise<{ status: number; res: Response }>;
  getBucketEncryption(name: string): Promise<{ encryption: Record<string, string>; status: number; res: Response }>;
  deleteBucketEncryption(name: string): Promise<{ status: number; res: Response }>;
  deleteBucketReferer(name: string): Promise<{ res: Response }>;
  putBucketLifecycle(name: string, rules: Array<Record<string, unknown>>): Promise<{ res: Response }>;
  putBucketWebsite(name: string, config: { index: string; error?: string; supportSubDir?: boolean; type?: number }): Promise<{ res: Response }>;
  putBucketReferer(name: string, allowEmpty: boolean, referers: string[] | null): Promise<{ res: Response }>;
  putBucketLogging(name: string, prefix?: string): Promise<{ res: Response }>;
  /** Sends <RestoreRequest><Days> (default 2), plus a Tier for ColdArchive/DeepColdArchive; only 202 is success. */
  restore(name: string, options?: { type?: string; Days?: number; JobParameters?: string }): Promise<{ res: Response }>;
}
type Client = Omit<OSS, keyof CorrectedMethods> & CorrectedMethods;

/** `sldEnable` is a real ali-oss option (path-style addressing) missing from @types/ali-oss. */
type ClientOptions = OSS.Options & { sldEnable?: boolean };

/** The fields ali-oss puts on the errors it throws (client.js requestError). */
interface SdkError extends Error {
  code: string;
  status: number;
  requestId?: string;
  hostId?: string;
  ecCode?: string;
}

let emulator: RunningEmulator;

/** A RAM user that may append and read in the bucket, but not tag: the seed document's permission rule. */
const APPENDER = {
  name: 'appender',
  id: '200000000000000042',
  accessKeyId: 'appender-key',
  accessKeySecret: 'appender-secret',
  policies: [{ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Resource: [`acs:oss:*:*:${BUCKET}/*`] }] }],
};

beforeAll(async () => {
  // Restores stay in progress for the whole run, as a real Archive restore does for a minute.
  emulator = await startEmulator({ buckets: [BUCKET], ramUsers: [APPENDER], restoreDelayMs: 600_000 });
});
afterAll(() => emulator?.close());

function createClient(config: ClientConfig, overrides: Partial<ClientOptions> = {}): Client {
  const options: ClientOptions = {
    endpoint: `http://${config.host}:${emulator.port}`,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    bucket: BUCKET,
    sldEnable: config.sldEnable,
    ...(config.v4 ? { authorizationV4: true, region: LOCATION } : {}),
    ...overrides,
  };
  return new OSS(options) as unknown as Client;
}

/** A response header; ali-oss gives them lower-cased in an untyped object. */
function header(res: Response, name: string): string | undefined {
  return (res.headers as Record<string, string | undefined>)[name];
}

/** The error an SDK call rejects with; fails the test if the call succeeds. */
async function rejection(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the SDK call to fail, but it succeeded');
}

/** ali-oss types user metadata as `{ uid: number; pid: number }`; any string map is what it sends. */
function userMeta(meta: Record<string, string>): OSS.UserMeta {
  return meta as unknown as OSS.UserMeta;
}

/** A chunked body: ali-oss sends a Readable with `Transfer-Encoding: chunked` and no Content-MD5. */
function streamOf(chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

async function contentOf(client: Client, key: string): Promise<Buffer> {
  const got = await client.get(key);
  return got.content as Buffer;
}

const quotedMd5 = (body: Buffer): string => `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`;

describe.each(CONFIGS)('ali-oss 6.23: $title', (config) => {
  let client: Client;
  beforeAll(() => {
    client = createClient(config);
  });
  const prefix = (test: string): string => `${config.id}/${test}/`;

  describe('append upload', () => {
    it('appends at 0, at nextAppendPosition, resumes from HEAD and reads back byte-exact', async () => {
      const key = `${prefix('append-flow')}data.bin`;
      const parts = [Buffer.from('foo'), randomBytes(4096), Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80])];

      const first = await client.append(key, parts[0]);
      expect(first.res.status).toBe(200);
      expect(first.res.size).toBe(0);
      expect(first.nextAppendPosition).toBe('3');

      const second = await client.append(key, parts[1], { position: first.nextAppendPosition });
      expect(second.nextAppendPosition).toBe(String(3 + 4096));

      // An application restarting reads the position back from HEAD (seed FAQ).
      const head = await client.head(key);
      expect(head.status).toBe(200);
      expect(header(head.res, 'x-oss-object-type')).toBe('Appendable');
      const resumeAt = header(head.res, 'x-oss-next-append-position');
      expect(resumeAt).toBe(second.nextAppendPosition);
      const third = await client.append(key, parts[2], { position: resumeAt });
      const total = Buffer.concat(parts);
      expect(third.nextAppendPosition).toBe(String(total.length));

      const meta = await client.getObjectMeta(key);
      expect(meta.status).toBe(200);
      expect(header(meta.res, 'content-length')).toBe(String(total.length));
      expect(header(meta.res, 'etag')).toMatch(/^"[0-9A-F]{32}"$/);
      expect(header(meta.res, 'x-oss-request-id')).toMatch(REQUEST_ID);

      const got = await client.get(key);
      expect(got.res.status).toBe(200);
      expect((got.content as Buffer).equals(total)).toBe(true);
      expect(header(got.res, 'x-oss-next-append-position')).toBe(String(total.length));
    });

    it('reports both 409s through SDK error objects', async () => {
      const key = `${prefix('append-409')}log.txt`;
      await client.append(key, Buffer.from('abc'));
      const positionError = {
        name: 'PositionNotEqualToLengthError',
        code: 'PositionNotEqualToLength',
        status: 409,
        message: 'Position is not equal to file length',
        ecCode: '0026-00000016',
        hostId: `${BUCKET}.${LOCATION}.aliyuncs.com`,
      };
      for (const position of ['0', '2', '4']) {
        const error = await rejection(client.append(key, Buffer.from('x'), { position }));
        expect(error).toMatchObject(positionError);
        expect(error.requestId).toMatch(REQUEST_ID);
      }
      // Position 0 on a non-empty object does not reset it.
      expect((await contentOf(client, key)).toString()).toBe('abc');

      const normal = `${prefix('append-409')}normal.txt`;
      await client.put(normal, Buffer.from('n'));
      const error = await rejection(client.append(normal, Buffer.from('x'), { position: '1' }));
      expect(error).toMatchObject({
        name: 'ObjectNotAppendableError',
        code: 'ObjectNotAppendable',
        status: 409,
        message: 'The object is not appendable',
        ecCode: '0026-00000017',
      });
      expect(error.requestId).toMatch(REQUEST_ID);
      expect((await contentOf(client, normal)).toString()).toBe('n');
    });

    it('appends a chunked stream body', async () => {
      const key = `${prefix('append-stream')}stream.bin`;
      const first = [randomBytes(65_536), Buffer.from('middle'), randomBytes(17)];
      const second = [Buffer.from('tail-'), randomBytes(1000)];

      const r1 = await client.append(key, streamOf(first));
      expect(r1.res.status).toBe(200);
      expect(r1.nextAppendPosition).toBe(String(Buffer.concat(first).length));
      const r2 = await client.append(key, streamOf(second), { position: r1.nextAppendPosition });
      const total = Buffer.concat([...first, ...second]);
      expect(r2.nextAppendPosition).toBe(String(total.length));

      expect((await contentOf(client, key)).equals(total)).toBe(true);
    });

    it('keeps the metadata, content headers and tags of the creating append; later ones are ignored', async () => {
      // No extension, so the Content-Type comes only from the headers given.
      const key = `${prefix('append-meta')}object`;
      const firstExpires = 'Wed, 10 Dec 2025 23:00:00 GMT';
      const first = await client.append(key, Buffer.from('one,'), {
        meta: userMeta({ owner: 'first', run: '1' }),
        headers: { 'Content-Type': 'text/csv', Expires: firstExpires, 'x-oss-tagging': 'stage=first&team=a%2Bb' },
      });
      await client.append(key, Buffer.from('two'), {
        position: first.nextAppendPosition,
        meta: userMeta({ owner: 'second', extra: 'ignored' }),
        headers: { 'Content-Type': 'application/json', Expires: 'Thu, 01 Jan 2037 00:00:00 GMT', 'x-oss-tagging': 'stage=second' },
      });

      const head = await client.head(key);
      expect(head.meta).toEqual({ owner: 'first', run: '1' });
      expect(header(head.res, 'content-type')).toBe('text/csv');
      expect(header(head.res, 'expires')).toBe(firstExpires);
      expect(header(head.res, 'x-oss-tagging-count')).toBe('2');
      expect((await client.getObjectTagging(key)).tag).toEqual({ stage: 'first', team: 'a+b' });
      expect((await contentOf(client, key)).toString()).toBe('one,two');
    });
  });

  describe('objects', () => {
    it('puts, gets, heads and deletes a Normal object; deleting a missing key is 204', async () => {
      const key = `${prefix('put-get')}hello.txt`;
      const body = Buffer.from('hello, world\n');

      const put = await client.put(key, body);
      expect(put.res.status).toBe(200);
      expect(put.res.size).toBe(0);
      expect(header(put.res, 'etag')).toBe(quotedMd5(body));
      expect(header(put.res, 'x-oss-request-id')).toMatch(REQUEST_ID);

      const got = await client.get(key);
      expect(got.res.status).toBe(200);
      expect((got.content as Buffer).equals(body)).toBe(true);
      expect(header(got.res, 'content-type')).toBe('text/plain'); // from the key's extension

      const head = await client.head(key);
      expect(head.status).toBe(200);
      expect(head.meta).toBeNull();
      expect(header(head.res, 'x-oss-object-type')).toBe('Normal');
      expect(header(head.res, 'content-length')).toBe(String(body.length));
      expect(header(head.res, 'etag')).toBe(quotedMd5(body));

      expect((await client.delete(key)).res.status).toBe(204);
      expect(await rejection(client.head(key))).toMatchObject({ name: 'NoSuchKeyError', status: 404 });
      expect((await client.delete(key)).res.status).toBe(204);
    });

    it('head: a missing key is NoSuchKeyError 404; If-Modified-Since in the future is 304', async () => {
      const missing = await rejection(client.head(`${prefix('head')}missing.txt`));
      expect(missing).toMatchObject({ name: 'NoSuchKeyError', code: 'NoSuchKey', status: 404 });
      expect(missing.requestId).toMatch(REQUEST_ID);

      const key = `${prefix('head')}present.txt`;
      await client.put(key, Buffer.from('x'), { meta: userMeta({ color: 'blue' }) });
      const hour = 3600_000;
      const future = await client.head(key, { headers: { 'If-Modified-Since': new Date(Date.now() + hour).toUTCString() } });
      expect(future.status).toBe(304);
      expect(future.meta).toBeNull();
      const past = await client.head(key, { headers: { 'If-Modified-Since': new Date(Date.now() - hour).toUTCString() } });
      expect(past.status).toBe(200);
      expect(past.meta).toEqual({ color: 'blue' });
    });

    it('putStream uploads a chunked body', async () => {
      const key = `${prefix('put-stream')}streamed.bin`;
      const chunks = [randomBytes(100_000), Buffer.from('\r\n0\r\n\r\n'), randomBytes(1)];
      const total = Buffer.concat(chunks);

      const put = await client.putStream(key, streamOf(chunks));
      expect(put.res.status).toBe(200);

      const head = await client.head(key);
      expect(header(head.res, 'x-oss-object-type')).toBe('Normal');
      expect(header(head.res, 'content-length')).toBe(String(total.length));
      expect((await contentOf(client, key)).equals(total)).toBe(true);
    });

    it('deleteMulti deletes several keys, verbose and quiet', async () => {
      const p = prefix('delete-multi');
      const keys = [`${p}one.txt`, `${p}two words.txt`, `${p}deep/three.txt`];
      for (const key of keys) await client.put(key, Buffer.from(key));

      const verbose = await client.deleteMulti([...keys, `${p}never-existed.txt`]);
      expect(verbose.res.status).toBe(200);
      expect(verbose.deleted.map((d) => d.Key).sort()).toEqual([...keys, `${p}never-existed.txt`].sort());
      expect((await client.list({ prefix: p, 'max-keys': 100 }, {})).objects).toEqual([]);

      await client.put(keys[0]!, Buffer.from('again'));
      const quiet = await client.deleteMulti([keys[0]!], { quiet: true });
      expect(quiet.deleted).toEqual([]);
      expect(await rejection(client.head(keys[0]!))).toMatchObject({ name: 'NoSuchKeyError' });
    });

    it("deleteMulti deletes exactly the keys named: a trailing space and a quote (which ali-oss sends as &#39;) included", async () => {
      const p = prefix('delete-exact');
      const keep = [`${p}report`, `${p}its.txt`];
      const doomed = [`${p}report `, `${p}it's.txt`];
      for (const key of [...keep, ...doomed]) await client.put(key, Buffer.from(key));
      const result = await client.deleteMulti(doomed);
      expect(result.deleted.map((d) => d.Key).sort()).toEqual([...doomed].sort());
      const left = (await client.list({ prefix: p, 'max-keys': 100 }, {})).objects.map((o) => o.name);
      expect(left.sort()).toEqual([...keep].sort());
    });

    it('object ACL and tagging round-trip', async () => {
      const key = `${prefix('acl-tagging')}object.txt`;
      await client.put(key, Buffer.from('guarded'));

      expect((await client.getACL(key)).acl).toBe('default');
      expect((await client.putACL(key, 'public-read')).res.status).toBe(200);
      expect((await client.getACL(key)).acl).toBe('public-read');
      // The ACL takes effect: an anonymous GET is now allowed.
      const anonymous = await fetch(`http://127.0.0.1:${emulator.port}/${BUCKET}/${key}`);
      expect(anonymous.status).toBe(200);
      expect(await anonymous.text()).toBe('guarded');

      const tags = { project: 'ossemu', 'release note': 'v1+beta:2/3' };
      expect((await client.putObjectTagging(key, tags)).status).toBe(200);
      expect((await client.getObjectTagging(key)).tag).toEqual(tags);
      expect(header((await client.head(key)).res, 'x-oss-tagging-count')).toBe('2');
    });

    it('Archive: get is InvalidObjectStateError until restored; restore is 202, again while running RestoreAlreadyInProgressError', async () => {
      const key = `${prefix('archive')}cold.bin`;
      await client.put(key, Buffer.from('frozen'), { headers: { 'x-oss-storage-class': 'Archive' } });
      const frozen = await rejection(client.get(key));
      expect(frozen).toMatchObject({ name: 'InvalidObjectStateError', status: 403 });
      expect(header((await client.head(key)).res, 'x-oss-storage-class')).toBe('Archive');

      expect((await client.restore(key)).res.status).toBe(202);
      const again = await rejection(client.restore(key));
      expect(again).toMatchObject({ name: 'RestoreAlreadyInProgressError', status: 409, ecCode: '0016-00000701' });
      expect(header((await client.head(key)).res, 'x-oss-restore')).toBe('ongoing-request="true"');

      const coldKey = `${prefix('archive')}colder.bin`;
      await client.put(coldKey, Buffer.from('frozen'), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
      const cold = await client.restore(coldKey, { type: 'ColdArchive', Days: 3, JobParameters: 'Bulk' });
      expect(header(cold.res, 'x-oss-object-restore-priority')).toBe('Bulk');
    });

    it('copy: an appendable object copies as Normal with its ETag, bytes and metadata; meta replaces; 304 and 412 from the conditions; putMeta rewrites in place', async () => {
      const p = prefix('copy');
      const first = await client.append(`${p}log ü+1`, Buffer.from('first,'), { meta: userMeta({ author: 'alice' }) });
      await client.append(`${p}log ü+1`, Buffer.from('second'), { position: first.nextAppendPosition });
      const source = await client.head(`${p}log ü+1`);

      const copied = await client.copy(`${p}snapshot`, `${p}log ü+1`);
      expect(copied.res.status).toBe(200);
      expect(copied.data.etag).toBe(header(source.res, 'etag'));
      expect(new Date(copied.data.lastModified).getTime()).toBeGreaterThan(0);
      const head = await client.head(`${p}snapshot`);
      expect(header(head.res, 'x-oss-object-type')).toBe('Normal');
      expect(header(head.res, 'x-oss-next-append-position')).toBeUndefined();
      expect(head.meta).toEqual({ author: 'alice' });
      expect((await contentOf(client, `${p}snapshot`)).toString()).toBe('first,second');
      expect(await rejection(client.append(`${p}snapshot`, Buffer.from('x'), { position: '12' }))).toMatchObject({ name: 'ObjectNotAppendableError', status: 409 });

      // meta: ali-oss sends x-oss-metadata-directive: REPLACE.
      await client.copy(`${p}relabelled`, `${p}log ü+1`, { meta: userMeta({ reviewer: 'bob' }) });
      expect((await client.head(`${p}relabelled`)).meta).toEqual({ reviewer: 'bob' });

      // Options' headers are also sent as x-oss-copy-source-<name>: the conditions on the source.
      const unchanged = await client.copy(`${p}again`, `${p}log ü+1`, { headers: { 'If-None-Match': header(source.res, 'etag')! } });
      expect(unchanged.res.status).toBe(304);
      expect(unchanged.data).toBeNull();
      const failed = await rejection(client.copy(`${p}again`, `${p}log ü+1`, { headers: { 'If-Match': '"00000000000000000000000000000000"' } }));
      expect(failed).toMatchObject({ name: 'PreconditionFailedError', status: 412 });
      expect(await rejection(client.head(`${p}again`))).toMatchObject({ status: 404 });
      expect(await rejection(client.copy(`${p}again`, `${p}missing`))).toMatchObject({ name: 'NoSuchKeyError', status: 404 });

      await client.put(`${p}doc.txt`, Buffer.from('body stays'), { meta: userMeta({ v: '1' }) });
      expect((await client.putMeta(`${p}doc.txt`, userMeta({ v: '2' }), {})).res.status).toBe(200);
      expect((await client.head(`${p}doc.txt`)).meta).toEqual({ v: '2' });
      expect((await contentOf(client, `${p}doc.txt`)).toString()).toBe('body stays');
    });

    it('multipartUpload: 350 KiB in 100 KiB parts, two at a time, make one Multipart object; listUploads, listParts and abortMultipartUpload', async () => {
      const p = prefix('multipart');
      const data = randomBytes(350 * 1024);
      const result = await client.multipartUpload(`${p}big ü+1.bin`, data, { partSize: 100 * 1024, parallel: 2, meta: userMeta({ origin: 'sdk' }) });
      expect(result.res.status).toBe(200);
      expect(result.etag).toMatch(/^"[0-9A-F]{32}-4"$/);
      expect((await contentOf(client, `${p}big ü+1.bin`)).equals(data)).toBe(true);
      const head = await client.head(`${p}big ü+1.bin`);
      expect(header(head.res, 'x-oss-object-type')).toBe('Multipart');
      expect(header(head.res, 'etag')).toBe(result.etag);
      expect(head.meta).toEqual({ origin: 'sdk' });
      expect(await rejection(client.append(`${p}big ü+1.bin`, Buffer.from('x'), { position: String(data.length) }))).toMatchObject({ name: 'ObjectNotAppendableError', status: 409 });

      // multipartUploadCopy: the object copied by UploadPartCopy in 100 KiB ranges.
      await client.multipartUploadCopy(`${p}copy.bin`, { sourceKey: `${p}big ü+1.bin`, sourceBucketName: BUCKET, startOffset: 0, endOffset: data.length }, { partSize: 100 * 1024 });
      expect((await contentOf(client, `${p}copy.bin`)).equals(data)).toBe(true);

      const started = await client.initMultipartUpload(`${p}abandoned.bin`);
      const part = Buffer.from('a part');
      await client.uploadPart(`${p}abandoned.bin`, started.uploadId, 1, part, 0, part.length);
      const listed = await client.listUploads({ prefix: p, 'max-uploads': 10 });
      expect(listed.uploads.map((u) => [u.name, u.uploadId])).toEqual([[`${p}abandoned.bin`, started.uploadId]]);
      const parts = await client.listParts(`${p}abandoned.bin`, started.uploadId, {} as OSS.ListPartsQuery);
      // ali-oss hands back the XML's <Part> elements as they are: Size (not the typings' size), and one part not in an array.
      const listedParts = ([] as Array<Record<string, string>>).concat(parts.parts as never);
      expect(listedParts.map((pt) => [pt['PartNumber'], pt['Size']])).toEqual([['1', String(part.length)]]);
      // ali-oss resolves to { res } here, not the response its typings say.
      const aborted = (await client.abortMultipartUpload(`${p}abandoned.bin`, started.uploadId)) as unknown as { res: Response };
      expect(aborted.res.status).toBe(204);
      expect((await client.listUploads({ prefix: p, 'max-uploads': 10 })).uploads).toEqual([]);
    });

    it('keys with spaces, plus signs, unicode and slashes round-trip', async () => {
      const p = prefix('keys');
      const names = ['with space.txt', 'plus+sign.txt', 'a+b c+d', 'unicode-中文-ü-😀.txt', 'deep/nested/slash/key.txt', '100% sure?.txt'];
      const keys = names.map((name) => `${p}${name}`);
      for (const key of keys) {
        await client.put(key, Buffer.from(key));
        expect((await contentOf(client, key)).toString()).toBe(key);
        expect((await client.getObjectMeta(key)).status).toBe(200);
      }
      const appendable = `${p}append me+too ü/log`;
      const first = await client.append(appendable, Buffer.from('1'));
      await client.append(appendable, Buffer.from('2'), { position: first.nextAppendPosition });
      expect(header((await client.head(appendable)).res, 'x-oss-next-append-position')).toBe('2');
      expect((await contentOf(client, appendable)).toString()).toBe('12');

      const listed = await client.list({ prefix: p, 'max-keys': 100 }, {});
      expect(listed.objects.map((o) => o.name)).toEqual([...keys, appendable].sort());

      for (const key of [...keys, appendable]) expect((await client.delete(key)).res.status).toBe(204);
      expect((await client.list({ prefix: p, 'max-keys': 100 }, {})).objects).toEqual([]);
    });
  });

  describe('listing', () => {
    it('list and listV2 with prefix and delimiter report Type and StorageClass', async () => {
      const p = prefix('list');
      await client.append(`${p}a.log`, Buffer.from('aa'));
      await client.put(`${p}b.txt`, Buffer.from('bbb'));
      await client.put(`${p}dir/c.txt`, Buffer.from('c'));
      await client.put(`${p}dir/sub/d.txt`, Buffer.from('d'));
      const expected = [
        { name: `${p}a.log`, type: 'Appendable', storageClass: 'Standard', size: 2 },
        { name: `${p}b.txt`, type: 'Normal', storageClass: 'Standard', size: 3 },
      ];

      const v1 = await client.list({ prefix: p, delimiter: '/', 'max-keys': 100 }, {});
      expect(v1.objects).toMatchObject(expected);
      expect(v1.prefixes).toEqual([`${p}dir/`]);
      expect(v1.isTruncated).toBe(false);
      expect(v1.nextMarker).toBeNull();
      for (const object of v1.objects) {
        expect(object.lastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
        expect(object.etag).toMatch(/^"[0-9A-F]{32}"$/);
        expect(object.owner?.id).toMatch(/^\d+$/);
      }

      const nested = await client.list({ prefix: `${p}dir/`, 'max-keys': 100 }, {});
      expect(nested.objects.map((o) => o.name)).toEqual([`${p}dir/c.txt`, `${p}dir/sub/d.txt`]);
      expect(nested.prefixes).toBeNull();

      const v2 = await client.listV2({ prefix: p, delimiter: '/' });
      expect(v2.objects).toMatchObject(expected);
      expect(v2.prefixes).toEqual([`${p}dir/`]);
      expect(v2.keyCount).toBe(3);
      expect(v2.isTruncated).toBe(false);
    });

    it('listV2 pages with max-keys and continuation-token', async () => {
      const p = prefix('list-v2-pages');
      const keys = [`${p}1.txt`, `${p}2.txt`, `${p}3.txt`];
      for (const key of keys) await client.put(key, Buffer.from(key));

      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.listV2({ prefix: p, 'max-keys': 2, ...(token ? { 'continuation-token': token } : {}) });
        seen.push(...page.objects.map((o) => o.name));
        token = page.isTruncated ? page.nextContinuationToken : undefined;
      } while (token);
      expect(seen).toEqual(keys);
    });
  });

  describe('buckets', () => {
    it('listBuckets lists the bucket with its owner', async () => {
      const result = await client.listBuckets({});
      const mine = result.buckets?.find((b) => b.name === BUCKET);
      expect(mine).toMatchObject({ name: BUCKET, region: LOCATION, StorageClass: 'Standard' });
      expect(mine?.creationDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(result.owner.id).toMatch(/^\d+$/);
    });

    it('putBucket creates a new bucket and deleteBucket removes it', async () => {
      const name = `new-${config.id}`;
      const created = await client.putBucket(name);
      expect(created.res.status).toBe(200);
      expect(created.bucket).toBe(name);
      expect((await client.listBuckets({})).buckets?.map((b) => b.name)).toContain(name);
      expect((await client.getBucketInfo(name)).bucket.Name).toBe(name);

      expect((await client.deleteBucket(name)).res.status).toBe(204);
      expect(await rejection(client.getBucketInfo(name))).toMatchObject({ name: 'NoSuchBucketError', code: 'NoSuchBucket', status: 404 });
      expect((await client.listBuckets({})).buckets?.map((b) => b.name)).not.toContain(name);
    });

    it('getBucketInfo describes the bucket', async () => {
      const info = await client.getBucketInfo(BUCKET);
      expect(info.res.status).toBe(200);
      expect(info.bucket).toMatchObject({
        Name: BUCKET,
        Location: LOCATION,
        StorageClass: 'Standard',
        ExtranetEndpoint: `${LOCATION}.aliyuncs.com`,
        AccessControlList: { Grant: 'private' },
      });
      expect(info.bucket.CreationDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    });
  });

  describe('getBucketStat', () => {
    it('counts the objects the client wrote', async () => {
      await client.put('stat/one', Buffer.from('12345'));
      await client.put('stat/two', Buffer.from('123'));
      const { stat } = (await (client as unknown as { getBucketStat(name: string): Promise<{ stat: Record<string, string> }> }).getBucketStat(BUCKET));
      expect(Number(stat['ObjectCount'])).toBeGreaterThanOrEqual(2);
      expect(Number(stat['Storage'])).toBeGreaterThanOrEqual(8);
      expect(Number(stat['StandardObjectCount'])).toBeGreaterThanOrEqual(2); // the bucket is shared with the other tests
    });
  });

  describe('bucket CORS', () => {
    it('putBucketCORS, getBucketCORS, an append from the allowed page that can read its next position, deleteBucketCORS', async () => {
      const page = 'http://app.example.com';
      const rule = { allowedOrigin: page, allowedMethod: ['POST', 'GET'], allowedHeader: '*', exposeHeader: ['x-oss-next-append-position', 'ETag'], maxAgeSeconds: '60' };
      try {
        expect(await rejection(client.getBucketCORS(BUCKET))).toMatchObject({ name: 'NoSuchCORSConfigurationError', status: 404, message: 'The CORS Configuration does not exist.' });
        expect((await client.putBucketCORS(BUCKET, [rule])).res.status).toBe(200);
        expect((await client.getBucketCORS(BUCKET)).rules).toEqual([rule]);
        const key = `${prefix('cors')}log.txt`;
        const appended = await client.append(key, Buffer.from('abc'), { headers: { Origin: page } } as OSS.AppendObjectOptions);
        expect(appended.nextAppendPosition).toBe('3');
        expect(appended.res.headers).toMatchObject({
          'access-control-allow-origin': page,
          'access-control-expose-headers': 'x-oss-next-append-position, ETag',
        });
        await client.delete(key);
      } finally {
        expect((await client.deleteBucketCORS(BUCKET)).res.status).toBe(204);
      }
      expect(await rejection(client.getBucketCORS(BUCKET))).toMatchObject({ code: 'NoSuchCORSConfiguration', status: 404 });
    });
  });

  describe('bucket configurations', () => {
    it('read as OSS reads them for a bucket without one: the SDK error types, or the defaults', async () => {
      const missing = [
        [() => client.getBucketLifecycle(BUCKET), 'NoSuchLifecycle', 'No Row found in Lifecycle Table.'],
        [() => client.getBucketWebsite(BUCKET), 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration.'],
        [() => client.getBucketEncryption(BUCKET), 'NoSuchServerSideEncryptionRule', 'The server side encryption configuration was not found'],
      ] as const;
      for (const [call, code, message] of missing) {
        expect(await rejection(call())).toMatchObject({ name: `${code}Error`, code, status: 404, message });
      }
      const referer = await client.getBucketReferer(BUCKET);
      expect(referer).toMatchObject({ allowEmpty: true, referers: null });
      expect((await client.getBucketLogging(BUCKET)).enable).toBe(false);
      expect((await client.getBucketTags(BUCKET)).tag).toEqual({});
    });

    it('deleting one (as clean-up code does) succeeds with 204', async () => {
      expect((await client.deleteBucketLifecycle(BUCKET)).res.status).toBe(204);
      expect((await client.deleteBucketWebsite(BUCKET)).res.status).toBe(204);
      expect((await client.deleteBucketLogging(BUCKET)).res.status).toBe(204);
      expect((await client.deleteBucketEncryption(BUCKET)).status).toBe(204);
      expect((await client.deleteBucketTags(BUCKET)).status).toBe(204);
    });

    it('putBucketLifecycle, getBucketLifecycle: rules come back as the SDK sent them', async () => {
      const rules = [
        { id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: '30' } },
        { id: 'cold', prefix: 'cold/', status: 'Disabled', transition: { days: '20', storageClass: 'Archive' }, tag: [{ key: 'k', value: 'v' }] },
        { id: 'uploads', prefix: '', status: 'Enabled', abortMultipartUpload: { days: '1' } },
      ];
      try {
        expect((await client.putBucketLifecycle(BUCKET, rules)).res.status).toBe(200);
        const got = (await client.getBucketLifecycle(BUCKET)).rules as unknown as Array<Record<string, unknown>>;
        expect(got).toEqual([
          { id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: '30' } },
          { id: 'cold', prefix: 'cold/', status: 'Disabled', transition: { days: '20', storageClass: 'Archive' }, tag: [{ key: 'k', value: 'v' }] },
          { id: 'uploads', prefix: '', status: 'Enabled', abortMultipartUpload: { days: '1' } },
        ]);
      } finally {
        expect((await client.deleteBucketLifecycle(BUCKET)).res.status).toBe(204);
      }
    });

    it('putBucketWebsite, putBucketReferer (deleteBucketReferer is a PUT), putBucketLogging: each read back', async () => {
      try {
        expect((await client.putBucketWebsite(BUCKET, { index: 'index.html', error: 'error.html', supportSubDir: true, type: 1 })).res.status).toBe(200);
        expect(await client.getBucketWebsite(BUCKET)).toMatchObject({ index: 'index.html', error: 'error.html', supportSubDir: 'true', type: '1' });

        expect((await client.putBucketReferer(BUCKET, false, ['http://*.example.com/*', 'https://app.example.org/*'])).res.status).toBe(200);
        expect(await client.getBucketReferer(BUCKET)).toMatchObject({ allowEmpty: false, referers: ['http://*.example.com/*', 'https://app.example.org/*'] });
        expect((await client.deleteBucketReferer(BUCKET)).res.status).toBe(200);
        expect(await client.getBucketReferer(BUCKET)).toMatchObject({ allowEmpty: true, referers: null });

        // ali-oss logs a bucket to itself.
        expect((await client.putBucketLogging(BUCKET, 'access-log/')).res.status).toBe(200);
        expect(await client.getBucketLogging(BUCKET)).toMatchObject({ enable: true, prefix: 'access-log/' });
      } finally {
        expect((await client.deleteBucketWebsite(BUCKET)).res.status).toBe(204);
        expect((await client.deleteBucketLogging(BUCKET)).res.status).toBe(204);
      }
      expect((await client.getBucketLogging(BUCKET)).enable).toBe(false);
    });

    it('putBucketEncryption: objects written after it, appendable ones too, say they are encrypted; deleteBucketEncryption', async () => {
      const key = `${prefix('sse')}secret.txt`;
      try {
        expect((await client.putBucketEncryption(BUCKET, { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'my-key' })).status).toBe(200);
        expect((await client.getBucketEncryption(BUCKET)).encryption).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'my-key' });
        const written = await client.put(key, Buffer.from('secret'));
        expect(written.res.headers).toMatchObject({ 'x-oss-server-side-encryption': 'KMS', 'x-oss-server-side-encryption-key-id': 'my-key' });
        expect((await client.head(key)).res.headers).toMatchObject({ 'x-oss-server-side-encryption': 'KMS' });
        expect((await contentOf(client, key)).toString()).toBe('secret');
        // An appendable object takes a rule without a key of one's choosing (OSS's AppendObject "Limits").
        expect((await client.putBucketEncryption(BUCKET, { SSEAlgorithm: 'AES256' })).status).toBe(200);
        const appended = await client.append(`${key}.log`, Buffer.from('line'));
        expect(appended.res.headers).toMatchObject({ 'x-oss-server-side-encryption': 'AES256' });
        await client.delete(`${key}.log`);
      } finally {
        expect((await client.deleteBucketEncryption(BUCKET)).status).toBe(204);
        await client.delete(key);
      }
    });

    it('putBucketTags replaces the tags, getBucketTags reads them, listBuckets filters by one', async () => {
      try {
        expect((await client.putBucketTags(BUCKET, { stage: 'ci' })).status).toBe(200);
        expect((await client.putBucketTags(BUCKET, { team: 'storage', owner: 'ossemu' })).status).toBe(200);
        expect((await client.getBucketTags(BUCKET)).tag).toEqual({ team: 'storage', owner: 'ossemu' });
        const listed = await client.listBuckets({ 'tag-key': 'team', 'tag-value': 'storage' } as OSS.ListBucketsQueryType);
        expect(listed.buckets?.map((b) => b.name)).toEqual([BUCKET]);
      } finally {
        expect((await client.deleteBucketTags(BUCKET)).status).toBe(204);
      }
      expect((await client.getBucketTags(BUCKET)).tag).toEqual({});
    });
  });

  describe('RAM users and bucket policies', () => {
    it('a RAM user with oss:PutObject appends and resumes; tags without oss:PutObjectTagging are AccessDenied', async () => {
      const key = `${prefix('ram-append')}log.txt`;
      const appender = createClient(config, { accessKeyId: APPENDER.accessKeyId, accessKeySecret: APPENDER.accessKeySecret });
      const first = await appender.append(key, Buffer.from('hello '));
      const resumed = await appender.append(key, Buffer.from('world'), { position: header((await appender.head(key)).res, 'x-oss-next-append-position') } as OSS.AppendObjectOptions);
      expect(resumed.nextAppendPosition).toBe('11');
      expect(first.res.status).toBe(200);

      const tagged = { headers: { 'x-oss-tagging': 'team=storage' }, position: '11' } as unknown as OSS.AppendObjectOptions;
      const denied = await rejection(appender.append(key, Buffer.from('!'), tagged));
      expect(denied).toMatchObject({ name: 'AccessDeniedError', code: 'AccessDenied', status: 403, ecCode: '0003-00000001' });
      expect(denied.requestId).toMatch(REQUEST_ID);
      expect((await contentOf(client, key)).toString()).toBe('hello world');
      expect(await rejection(appender.delete(key))).toMatchObject({ code: 'AccessDenied', status: 403 });
    });

    it('putBucketPolicy / getBucketPolicy / deleteBucketPolicy; the policy grants the RAM user what its own policy does not', async () => {
      const key = `${prefix('bucket-policy')}doc.txt`;
      await client.put(key, Buffer.from('x'));
      const appender = createClient(config, { accessKeyId: APPENDER.accessKeyId, accessKeySecret: APPENDER.accessKeySecret });
      expect(await rejection(appender.delete(key))).toMatchObject({ code: 'AccessDenied' });

      const policy = {
        Version: '1',
        Statement: [{ Effect: 'Allow', Principal: [APPENDER.id], Action: ['oss:DeleteObject'], Resource: [`acs:oss:*:*:${BUCKET}/${prefix('bucket-policy')}*`] }],
      };
      expect((await client.putBucketPolicy(BUCKET, policy as unknown as OSS.BucketPolicy)).status).toBe(200);
      try {
        expect((await client.getBucketPolicy(BUCKET)).policy).toEqual(policy);
        expect((await appender.delete(key)).res.status).toBe(204);
      } finally {
        expect((await client.deleteBucketPolicy(BUCKET)).status).toBe(204);
      }
      // ali-oss answers a 404 NoSuchBucketPolicy with `policy: null` rather than throwing.
      expect((await client.getBucketPolicy(BUCKET)).policy).toBeNull();
    });
  });

  describe('authentication', () => {
    it('signatureUrl (V1 presigned) GET works with fetch', async () => {
      const key = `${prefix('presign')}signed file+1 ü.txt`;
      const body = randomBytes(300);
      await client.put(key, body);

      let presigner = client;
      if (config.host === '127.0.0.1') {
        // ali-oss refuses to presign for an IP endpoint; users presign with a path-style localhost client.
        expect(() => client.signatureUrl(key)).toThrow('can not get the object URL when endpoint is IP');
        presigner = createClient({ ...config, host: 'localhost', sldEnable: true });
      }
      const url = presigner.signatureUrl(key, { expires: 300 });
      expect(url).toContain('OSSAccessKeyId=');

      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);

      const tampered = new URL(url);
      tampered.searchParams.set('Signature', 'bm90IHRoZSBzaWduYXR1cmU=');
      const refused = await fetch(tampered);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('a client with a wrong secret fails with SignatureDoesNotMatchError', async () => {
      const key = `${prefix('wrong-secret')}denied.txt`;
      const impostor = createClient(config, { accessKeySecret: 'not-the-secret' });
      const expected = { name: 'SignatureDoesNotMatchError', code: 'SignatureDoesNotMatch', status: 403 };

      const putError = await rejection(impostor.put(key, Buffer.from('x')));
      expect(putError).toMatchObject(expected);
      expect(putError.requestId).toMatch(REQUEST_ID);
      expect(await rejection(impostor.append(key, Buffer.from('x')))).toMatchObject(expected);
      // HEAD has no body: ali-oss reads the error from the x-oss-err header.
      expect(await rejection(impostor.head(key))).toMatchObject(expected);

      expect(await rejection(client.head(key))).toMatchObject({ name: 'NoSuchKeyError' });
    });
  });
});
