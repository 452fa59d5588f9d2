/**
 * How a request names its bucket and key (facts §8, sdk-wire §0): path style, virtual host via
 * `<bucket>.oss-<region>.aliyuncs.com` or `<bucket>.localhost`, the service host, absolute-form
 * request targets, and path decoding (`+` is a space, `%2B` a plus, `%2F` a slash).
 * Signatures always cover the resolved `/bucket/key`, whatever the URL style.
 */
import { describe, expect, it } from 'vitest';
import { v4AuthorizationHeader, v4Datetime } from '../../client/signing/index.js';
import type { RunningEmulator } from '../../emulator/index.js';
import {
  asArray,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  expectEmptySuccess,
  expectError,
  parseXml,
  presignV1,
  rawOss,
  signingRequest,
  useTestEmulator,
  type OssClient,
  type OssRequest,
} from './helpers.js';

const B = 'addr-bkt';
const VHOST = `${B}.oss-cn-hangzhou.aliyuncs.com`;
let emu: RunningEmulator;
let oss: OssClient;

useTestEmulator(B, (e, o) => ((emu = e), (oss = o)), ['dir/file.txt', 'file content']);

const listedKeys = async (): Promise<string[]> => {
  const res = await oss.bucket('GET', B);
  const doc = parseXml(res.text) as { ListBucketResult: { Contents?: Array<{ Key: string }> } };
  return asArray(doc.ListBucketResult.Contents).map((c) => c.Key);
};

describe('path style', () => {
  it('/bucket/key for objects, /bucket/ and /bucket for the bucket, / for the service', async () => {
    expect((await oss.get(B, 'dir/file.txt')).text).toBe('file content');
    expect((await oss.send({ method: 'GET', bucket: B, path: `/${B}/` })).status).toBe(200);
    expect((await oss.send({ method: 'GET', bucket: B, path: `/${B}` })).status).toBe(200);
    const service = await oss.send({ method: 'GET', path: '/' });
    expect(service.text).toContain('<ListAllMyBucketsResult>');
  });

  it('Host localhost:PORT and the bare region endpoint are path style too', async () => {
    for (const host of [`localhost:${emu.port}`, 'oss-cn-hangzhou.aliyuncs.com', 'oss-cn-hangzhou.aliyuncs.com:80', 'example.com']) {
      const res = await oss.send({ method: 'GET', bucket: B, key: 'dir/file.txt', host });
      expect(res.status, host).toBe(200);
      expect(res.text).toBe('file content');
    }
  });

  it('a double slash is not collapsed: /bucket/a//b is the key a//b', async () => {
    expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, key: 'a//b', path: `/${B}/a//b`, body: 'double' }));
    expect(await listedKeys()).toContain('a//b');
    expectError(await oss.get(B, 'a/b'), 404, 'NoSuchKey');
  });
});

describe('virtual host', () => {
  it('Host: <bucket>.oss-cn-hangzhou.aliyuncs.com with /key (ali-oss with an IP endpoint), signed as /bucket/key', async () => {
    const res = await oss.send({ method: 'GET', bucket: B, key: 'dir/file.txt', path: '/dir/file.txt', host: VHOST });
    expect(res.status).toBe(200);
    expect(res.text).toBe('file content');
  });

  it('the Host may carry a port and any case', async () => {
    for (const host of [`${VHOST}:${emu.port}`, VHOST.toUpperCase(), `${B}.oss-us-west-1.aliyuncs.com`]) {
      const res = await oss.send({ method: 'GET', bucket: B, key: 'dir/file.txt', path: '/dir/file.txt', host });
      expect(res.status, host).toBe(200);
    }
  });

  it('writes, appends and bucket operations through the Host', async () => {
    expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, key: 'v.txt', path: '/v.txt', host: VHOST, body: 'via host' }));
    expectEmptySuccess(await oss.send({ method: 'POST', bucket: B, key: 'v-app', path: '/v-app', query: 'append=&position=0', host: VHOST, body: 'a' }));
    expect((await oss.get(B, 'v.txt')).text).toBe('via host');
    const list = await oss.send({ method: 'GET', bucket: B, path: '/', host: VHOST, query: 'prefix=v' });
    expect(list.text).toContain('<Key>v.txt</Key>');
    const acl = await oss.send({ method: 'GET', bucket: B, path: '/', host: VHOST, query: 'acl' });
    expect(acl.text).toContain('<Grant>private</Grant>');
  });

  it('PutBucket through the Host (ali-oss putBucket: PUT / with Host newb.oss-…)', async () => {
    expectEmptySuccess(await oss.send({ method: 'PUT', bucket: 'vhost-new', path: '/', host: 'vhost-new.oss-cn-hangzhou.aliyuncs.com' }));
    expect((await oss.bucket('GET', 'vhost-new', 'location')).status).toBe(200);
  });

  it('a signature over the path-style resource of the raw path (/key without bucket) does not match', async () => {
    // The canonical resource is always /bucket/key; signing /dir/file.txt as if it had no bucket fails.
    const req: OssRequest = { method: 'GET', bucket: 'dir', key: 'file.txt', path: '/dir/file.txt', host: VHOST };
    expectError(await oss.send(req), 403, 'SignatureDoesNotMatch');
  });

  it('Host: .oss-cn-hangzhou.aliyuncs.com (empty bucket label) is the service: ListBuckets', async () => {
    const res = await oss.send({ method: 'GET', path: '/', host: '.oss-cn-hangzhou.aliyuncs.com' });
    expect(res.status).toBe(200);
    const doc = parseXml(res.text) as { ListAllMyBucketsResult: { Buckets: { Bucket: Array<{ Name: string }> } } };
    expect(asArray(doc.ListAllMyBucketsResult.Buckets.Bucket).map((b) => b.Name)).toContain(B);
  });

  it('Host: <bucket>.localhost:PORT with /key', async () => {
    const res = await oss.send({ method: 'GET', bucket: B, key: 'dir/file.txt', path: '/dir/file.txt', host: `${B}.localhost:${emu.port}` });
    expect(res.status).toBe(200);
    expect(res.text).toBe('file content');
    const list = await oss.send({ method: 'GET', bucket: B, path: '/', host: `${B}.localhost` });
    expect(list.text).toContain('<Key>dir/file.txt</Key>');
  });

  it('V4 through the Host: the canonical URI is /bucket/key', async () => {
    const datetime = v4Datetime(new Date());
    const req: OssRequest = { method: 'GET', bucket: B, key: 'dir/file.txt', path: '/dir/file.txt', host: VHOST };
    const headers: Record<string, string> = { 'x-oss-date': datetime, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
    headers['Authorization'] = v4AuthorizationHeader({
      accessKeyId: DEFAULT_ACCESS_KEY_ID,
      secret: DEFAULT_ACCESS_KEY_SECRET,
      region: 'cn-hangzhou',
      req: signingRequest(req, headers),
      datetime,
    });
    expect((await oss.sendRaw(req, headers)).status).toBe(200);
  });

  it('a V1 presigned URL through the Host', async () => {
    const req: OssRequest = { method: 'GET', bucket: B, key: 'dir/file.txt', path: '/dir/file.txt', host: VHOST, auth: 'none' };
    const res = await oss.send({ ...req, query: presignV1(req, Math.floor(Date.now() / 1000) + 300) });
    expect(res.text).toBe('file content');
  });

  it('an invalid bucket label in the Host → 400 InvalidBucketName', async () => {
    expectError(await oss.send({ method: 'GET', bucket: 'a_b', key: 'k', path: '/k', host: 'a_b.oss-cn-hangzhou.aliyuncs.com' }), 400, 'InvalidBucketName');
  });
});

describe('absolute-form request targets (RFC 9112 §3.2.2)', () => {
  it('GET http://127.0.0.1:PORT/bucket/key: the authority replaces Host', async () => {
    const res = await rawOss(
      emu.port,
      { method: 'GET', bucket: B, key: 'dir/file.txt', host: 'ignored.example' },
      { target: `http://127.0.0.1:${emu.port}/${B}/dir/file.txt` },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('file content');
  });

  it('GET http://<bucket>.oss-cn-hangzhou.aliyuncs.com/key: virtual host from the authority', async () => {
    const res = await rawOss(emu.port, { method: 'GET', bucket: B, key: 'dir/file.txt' }, { target: `http://${VHOST}/dir/file.txt?` });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('file content');
  });

  it('an absolute-form append with a query string', async () => {
    const res = await rawOss(
      emu.port,
      { method: 'POST', bucket: B, key: 'abs', query: 'append&position=0', body: 'absolute' },
      { target: `http://127.0.0.1:${emu.port}/${B}/abs?append&position=0` },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.headers['x-oss-next-append-position']).toBe('8');
  });

  it('absolute-form for the service: http://host:port/', async () => {
    const res = await rawOss(emu.port, { method: 'GET' }, { target: `http://127.0.0.1:${emu.port}/` });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ListAllMyBucketsResult>');
  });
});

describe('path decoding', () => {
  it('Go v1 1.5.0 form: /bkt/dir%2Fa+b%2Bc.txt is the key "dir/a b+c.txt"', async () => {
    const key = 'dir/a b+c.txt';
    const put = await oss.send({ method: 'POST', bucket: B, key, path: `/${B}/dir%2Fa+b%2Bc.txt`, query: 'append&position=0', body: 'go' });
    expectEmptySuccess(put);
    expect(await listedKeys()).toContain(key);
    // The same object through the ali-oss / go2 spelling (%20 for space, literal slash).
    expect((await oss.send({ method: 'GET', bucket: B, key, path: `/${B}/dir/a%20b%2Bc.txt` })).text).toBe('go');
  });

  it('+ is a space, %2B is a plus, %20 is a space, %2F is a slash', async () => {
    const cases: Array<[path: string, key: string]> = [
      ['a+b', 'a b'],
      ['a%2Bb', 'a+b'],
      ['a%20b%20c', 'a b c'],
      ['x%2Fy%2Fz', 'x/y/z'],
      ['%E4%B8%AD%E6%96%87', '中文'],
    ];
    for (const [path, key] of cases) {
      expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, key, path: `/${B}/${path}`, body: key }));
      // Read back with the canonical encoding (encodeURIComponent per segment).
      const get = await oss.get(B, key);
      expect(get.status, path).toBe(200);
      expect(get.text).toBe(key);
    }
    const keys = await listedKeys();
    for (const [, key] of cases) expect(keys).toContain(key);
    expect(keys).not.toContain('a+b c');
  });

  it('the same decoding applies to keys under a virtual host', async () => {
    expectEmptySuccess(await oss.send({ method: 'PUT', bucket: B, key: 'p q+r', path: '/p+q%2Br', host: VHOST, body: 'v' }));
    expect((await oss.get(B, 'p q+r')).text).toBe('v');
  });

  it('a percent-encoded slash at the start of the key still counts as a leading slash → InvalidObjectName', async () => {
    expectError(await oss.send({ method: 'PUT', bucket: B, key: '/lead', path: `/${B}/%2Flead`, body: 'x' }), 400, 'InvalidObjectName');
    expectError(await oss.send({ method: 'PUT', bucket: B, key: '/lead', path: '/%2Flead', host: VHOST, body: 'x' }), 400, 'InvalidObjectName');
  });
});
