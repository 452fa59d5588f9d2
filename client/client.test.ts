import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { crc64 } from './crc64.js';
import { buildAddress, OssClient, OssServiceError, OssTransportError, resolveConfig, type OssClientOptions } from './index.js';
import {
  parseV4Authorization,
  v1AuthorizationHeader,
  v1StringToSign,
  v4CanonicalRequest,
  v4Scope,
  v4Signature,
  v4SigningKey,
  v4StringToSign,
  type SigningRequest,
} from './signing/index.js';

const AK = 'test-ak';
const SK = 'test-sk';

// ---------------------------------------------------------------------------------------------
// A throwaway server that records what arrived and replies with a canned response.
// ---------------------------------------------------------------------------------------------

interface Arrived {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Canned {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

let server: Server;
let endpoint: string;
let arrived: Arrived[] = [];
let reply: (req: Arrived) => Canned = () => ({});

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: Arrived = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
        body: Buffer.concat(chunks),
      };
      arrived.push(rec);
      const canned = reply(rec);
      res.writeHead(canned.status ?? 200, { 'x-oss-request-id': 'REQ0000000000000000000001', ...canned.headers });
      res.end(canned.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  arrived = [];
  reply = () => ({});
});

const clients: OssClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function client(options: Partial<OssClientOptions> = {}): OssClient {
  const c = new OssClient({ endpoint, accessKeyId: AK, accessKeySecret: SK, region: 'cn-hangzhou', ...options });
  clients.push(c);
  return c;
}

function last(): Arrived {
  const rec = arrived.at(-1);
  if (!rec) throw new Error('nothing arrived');
  return rec;
}

/** Decodes an arrived request independently of the client: bucket from Host or path, key, query. */
function decodeArrived(rec: Arrived): SigningRequest {
  const q = rec.url.indexOf('?');
  const rawPath = q === -1 ? rec.url : rec.url.slice(0, q);
  const rawQuery = q === -1 ? '' : rec.url.slice(q + 1);
  const query: Array<[string, string | null]> =
    rawQuery === ''
      ? []
      : rawQuery.split('&').map((part) => {
          const eq = part.indexOf('=');
          return eq === -1 ? [decodeURIComponent(part), null] : [decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))];
        });
  const host = (rec.headers['host'] ?? '').replace(/:\d+$/, '');
  let bucket: string | undefined;
  let rawKey: string;
  if (host.endsWith('.aliyuncs.com') || host.endsWith('.localhost')) {
    bucket = host.split('.')[0];
    rawKey = rawPath.slice(1);
  } else {
    const rest = rawPath.slice(1);
    const slash = rest.indexOf('/');
    bucket = rest === '' ? undefined : decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
    rawKey = slash === -1 ? '' : rest.slice(slash + 1);
  }
  return { method: rec.method, bucket, key: rawKey === '' ? undefined : decodeURIComponent(rawKey), query, headers: rec.headers };
}

function expectV1Valid(rec: Arrived, secret = SK): void {
  const req = decodeArrived(rec);
  const dateLine = rec.headers['x-oss-date'] ?? rec.headers['date'] ?? '';
  expect(rec.headers['authorization']).toBe(v1AuthorizationHeader(AK, secret, req, dateLine));
}

function expectV4Valid(rec: Arrived, secret = SK): void {
  const parsed = parseV4Authorization(rec.headers['authorization'] ?? '');
  expect(parsed).not.toBeNull();
  if (!parsed) return;
  expect(parsed.accessKeyId).toBe(AK);
  expect(parsed.region).toBe('cn-hangzhou');
  const req = decodeArrived(rec);
  const sts = v4StringToSign(rec.headers['x-oss-date'] ?? '', v4Scope(parsed.date, parsed.region), v4CanonicalRequest(req, parsed.additionalHeaders));
  expect(parsed.signature).toBe(v4Signature(v4SigningKey(secret, parsed.date, parsed.region), sts));
}

const ODD_KEYS: Array<[string, string]> = [
  ['a b', 'a%20b'],
  ['a+b', 'a%2Bb'],
  ['dir/sub/ü文件.txt', 'dir/sub/%C3%BC%E6%96%87%E4%BB%B6.txt'],
  ["x!'()*~-_.y", 'x%21%27%28%29%2A~-_.y'],
  ['/leading', '/leading'],
];

// ---------------------------------------------------------------------------------------------

describe('config and addressing', () => {
  it('defaults: v1, path for IP/localhost, virtual-host for domains, region prefix dropped', () => {
    const ip = resolveConfig({ endpoint: 'http://127.0.0.1:9000', accessKeyId: 'a', accessKeySecret: 'b', region: 'oss-cn-hangzhou' });
    expect(ip).toMatchObject({ signatureVersion: 'v1', addressing: 'path', region: 'cn-hangzhou', port: 9000, authority: '127.0.0.1:9000' });
    expect(resolveConfig({ endpoint: 'http://localhost:9000', accessKeyId: 'a', accessKeySecret: 'b', region: 'cn-hangzhou' }).addressing).toBe('path');
    expect(resolveConfig({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', accessKeyId: 'a', accessKeySecret: 'b', region: 'cn-hangzhou' })).toMatchObject({
      addressing: 'virtual-host',
      port: 443,
      authority: 'oss-cn-hangzhou.aliyuncs.com',
    });
    expect(
      resolveConfig({ endpoint: 'http://127.0.0.1:9000', accessKeyId: 'a', accessKeySecret: 'b', region: 'cn-hangzhou', virtualHostSuffix: 'oss-cn-hangzhou.aliyuncs.com' })
        .addressing,
    ).toBe('virtual-host');
    expect(() => resolveConfig({ endpoint: 'oss-cn-hangzhou.aliyuncs.com', accessKeyId: 'a', accessKeySecret: 'b', region: 'cn-hangzhou' })).toThrow(TypeError);
  });

  it('virtual-host on a domain endpoint dials <bucket>.<endpoint>', () => {
    const config = resolveConfig({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', accessKeyId: 'a', accessKeySecret: 'b', region: 'cn-hangzhou' });
    expect(buildAddress(config, 'bkt', 'a b+c/d', [['append', null], ['position', '0']])).toEqual({
      protocol: 'https:',
      connectHost: 'bkt.oss-cn-hangzhou.aliyuncs.com',
      port: 443,
      hostHeader: 'bkt.oss-cn-hangzhou.aliyuncs.com',
      path: '/a%20b%2Bc/d?append&position=0',
      url: 'https://bkt.oss-cn-hangzhou.aliyuncs.com/a%20b%2Bc/d?append&position=0',
    });
    expect(buildAddress(config, undefined, undefined, []).url).toBe('https://oss-cn-hangzhou.aliyuncs.com/');
    expect(buildAddress(config, 'bkt', undefined, [['prefix', 'a/b c'], ['acl', '']]).path).toBe('/?prefix=a%2Fb%20c&acl=');
  });

  it('virtual-host on an IP endpoint without a suffix uses oss-<region>.aliyuncs.com; localhost uses .localhost', () => {
    const ip = resolveConfig({ endpoint: 'http://127.0.0.1:9000', accessKeyId: 'a', accessKeySecret: 'b', region: 'cn-beijing', addressing: 'virtual-host' });
    expect(buildAddress(ip, 'bkt', 'k', [])).toMatchObject({ connectHost: '127.0.0.1', hostHeader: 'bkt.oss-cn-beijing.aliyuncs.com', url: 'http://127.0.0.1:9000/k' });
    const lh = resolveConfig({ endpoint: 'http://localhost:9000', accessKeyId: 'a', accessKeySecret: 'b', region: 'cn-beijing', addressing: 'virtual-host' });
    expect(buildAddress(lh, 'bkt', 'k', [])).toMatchObject({ connectHost: 'localhost', hostHeader: 'bkt.localhost', url: 'http://localhost:9000/k' });
  });

  it.each(ODD_KEYS)('path style puts /bucket/<encoded key> on the wire: %j', async (key, encoded) => {
    await client().getObject('bkt', key);
    expect(last().url).toBe(`/bkt/${encoded}`);
    expect(last().headers['host']).toBe(new URL(endpoint).host);
    expect(decodeArrived(last()).key).toBe(key);
  });

  it.each(ODD_KEYS)('virtual-host style puts /<encoded key> on the wire with Host <bucket>.<suffix>: %j', async (key, encoded) => {
    await client({ virtualHostSuffix: 'oss-cn-hangzhou.aliyuncs.com' }).getObject('bkt', key);
    expect(last().url).toBe(`/${encoded}`);
    expect(last().headers['host']).toBe('bkt.oss-cn-hangzhou.aliyuncs.com');
  });

  it('service and bucket requests', async () => {
    const c = client({ virtualHostSuffix: 'oss-cn-hangzhou.aliyuncs.com' });
    await c.listBuckets();
    expect(last()).toMatchObject({ method: 'GET', url: '/' });
    expect(last().headers['host']).toBe(new URL(endpoint).host);
    await c.listObjects('bkt', { prefix: 'a b/', delimiter: '/', maxKeys: 10 });
    expect(last().url).toBe('/?prefix=a%20b%2F&delimiter=%2F&max-keys=10');
    expect(last().headers['host']).toBe('bkt.oss-cn-hangzhou.aliyuncs.com');
    await client().listObjectsV2('bkt', { continuationToken: 'abc', fetchOwner: true });
    expect(last().url).toBe('/bkt/?list-type=2&continuation-token=abc&fetch-owner=true');
  });
});

describe('signing on the wire', () => {
  for (const addressing of ['path', 'virtual-host'] as const) {
    const opts = addressing === 'path' ? {} : { virtualHostSuffix: 'oss-cn-hangzhou.aliyuncs.com' };

    it(`V1 (${addressing}): Date header, signature recomputes from what arrived`, async () => {
      const c = client({ ...opts, signatureVersion: 'v1' });
      for (const [key] of ODD_KEYS) {
        await c.appendObject('bkt', key, 3, 'abc', { 'content-type': 'text/plain', 'x-oss-meta-who': ' me ' });
        const rec = last();
        expect(rec.url).toMatch(/\?append&position=3$/);
        expect(rec.headers['date']).toMatch(/GMT$/);
        expect(rec.headers['x-oss-date']).toBeUndefined();
        expect(rec.headers['authorization']).toMatch(/^OSS test-ak:/);
        expectV1Valid(rec);
        expect(v1StringToSign(decodeArrived(rec), rec.headers['date'] ?? '')).toContain(`/bkt/${key}?append&position=3`);
      }
      await c.getObjectAcl('bkt', 'k');
      expectV1Valid(last());
      await c.listObjects('bkt', { prefix: 'p', encodingType: 'url' });
      expectV1Valid(last());
      await c.listBuckets();
      expectV1Valid(last());
    });

    it(`V4 (${addressing}): x-oss-date, UNSIGNED-PAYLOAD, signature recomputes from what arrived`, async () => {
      const c = client({ ...opts, signatureVersion: 'v4' });
      for (const [key] of ODD_KEYS) {
        await c.putObject('bkt', key, 'hello', { 'content-type': 'text/plain', 'x-oss-meta-a': 'b' });
        const rec = last();
        expect(rec.headers['x-oss-date']).toMatch(/^\d{8}T\d{6}Z$/);
        expect(rec.headers['x-oss-content-sha256']).toBe('UNSIGNED-PAYLOAD');
        expect(rec.headers['authorization']).toMatch(/^OSS4-HMAC-SHA256 Credential=test-ak\/\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/);
        expectV4Valid(rec);
      }
      await c.request({ method: 'GET', bucket: 'bkt', key: 'k', query: [['x-oss-process', 'image/resize,w_10'], ['a b', '']], additionalHeaders: ['host'] });
      expect(last().headers['authorization']).toContain(',AdditionalHeaders=host,');
      expectV4Valid(last());
      await c.listBuckets({ prefix: 'x' });
      expectV4Valid(last());
    });
  }

  it('per-request signature version and dateOverride', async () => {
    const c = client({ signatureVersion: 'v1' });
    const when = new Date('2020-01-02T03:04:05Z');
    await c.headObject('bkt', 'k', { dateOverride: when });
    expect(last().headers['date']).toBe('Thu, 02 Jan 2020 03:04:05 GMT');
    expectV1Valid(last());
    await c.headObject('bkt', 'k', { dateOverride: when, signatureVersion: 'v4' });
    expect(last().headers['x-oss-date']).toBe('20200102T030405Z');
    expect(last().headers['authorization']).toContain('/20200102/cn-hangzhou/');
    expectV4Valid(last());
  });

  it('anonymous requests carry no Authorization or date header', async () => {
    await client({ securityToken: 'tok' }).getObject('bkt', 'k', { signed: false });
    expect(last().headers['authorization']).toBeUndefined();
    expect(last().headers['date']).toBeUndefined();
    expect(last().headers['x-oss-security-token']).toBeUndefined();
  });

  it('STS: x-oss-security-token is sent and signed (V1 and V4)', async () => {
    const c = client({ securityToken: 'sts/token+=' });
    await c.getObject('bkt', 'k');
    expect(last().headers['x-oss-security-token']).toBe('sts/token+=');
    expect(v1StringToSign(decodeArrived(last()), last().headers['date'] ?? '')).toContain('x-oss-security-token:sts/token+=\n');
    expectV1Valid(last());
    await c.getObject('bkt', 'k', { signatureVersion: 'v4' });
    expect(last().headers['x-oss-security-token']).toBe('sts/token+=');
    expectV4Valid(last());
  });
});

describe('presigned URLs', () => {
  const at = new Date('2024-05-06T07:08:09Z');
  const epoch = Math.floor(at.getTime() / 1000);

  it('V1: OSSAccessKeyId, Expires, Signature (and security-token), signature verifies', () => {
    const c = client({ signatureVersion: 'v1', securityToken: 'tok en' });
    const p = c.presign({ method: 'get', bucket: 'bkt', key: 'a b+c.txt', expiresInSeconds: 600, dateOverride: at, query: [['response-content-type', 'text/plain']] });
    expect(p.method).toBe('GET');
    expect(p.expiresAt.getTime()).toBe((epoch + 600) * 1000);
    const url = new URL(p.url);
    expect(url.pathname).toBe('/bkt/a%20b%2Bc.txt');
    expect([...url.searchParams.keys()]).toEqual(['response-content-type', 'OSSAccessKeyId', 'Expires', 'Signature', 'security-token']);
    expect(url.searchParams.get('Expires')).toBe(String(epoch + 600));
    expect(url.searchParams.get('security-token')).toBe('tok en');
    expect(p.url).toMatch(/security-token=tok%20en$/);
    expect(p.url).not.toMatch(/Signature=[^&]*[+/=]/); // base64 is percent-encoded
    const req: SigningRequest = { method: 'GET', bucket: 'bkt', key: 'a b+c.txt', query: [['response-content-type', 'text/plain'], ['security-token', 'tok en']], headers: {} };
    expect(url.searchParams.get('Signature')).toBe(v1AuthorizationHeader(AK, SK, req, String(epoch + 600)).replace(`OSS ${AK}:`, ''));
    expect(c.presignUrl({ method: 'GET', bucket: 'bkt', key: 'a b+c.txt', expiresInSeconds: 600, dateOverride: at, query: [['response-content-type', 'text/plain']] })).toBe(p.url);
  });

  it('V4: x-oss-* query auth, signature verifies', () => {
    const c = client({ signatureVersion: 'v4', securityToken: 'tok' });
    const p = c.presign({ method: 'PUT', bucket: 'bkt', key: 'dir/ü.txt', expiresInSeconds: 3600, dateOverride: at, headers: { 'Content-Type': 'text/plain' } });
    const url = new URL(p.url);
    expect(url.pathname).toBe('/bkt/dir/%C3%BC.txt');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': `${AK}/20240506/cn-hangzhou/oss/aliyun_v4_request`,
      'x-oss-date': '20240506T070809Z',
      'x-oss-expires': '3600',
      'x-oss-security-token': 'tok',
    });
    expect(p.url).toContain('x-oss-credential=test-ak%2F20240506%2Fcn-hangzhou%2Foss%2Faliyun_v4_request');
    expect(p.headers).toEqual({ 'content-type': 'text/plain' });
    const query = [...url.searchParams.entries()] as Array<[string, string]>;
    const req: SigningRequest = { method: 'PUT', bucket: 'bkt', key: 'dir/ü.txt', query, headers: { 'content-type': 'text/plain' } };
    const sts = v4StringToSign('20240506T070809Z', v4Scope('20240506', 'cn-hangzhou'), v4CanonicalRequest(req, []));
    expect(url.searchParams.get('x-oss-signature')).toBe(v4Signature(v4SigningKey(SK, '20240506', 'cn-hangzhou'), sts));
  });

  it('virtual-host suffix: the URL dials the endpoint and headers carry the Host; sendRaw sends it verbatim', async () => {
    const c = client({ virtualHostSuffix: 'oss-cn-hangzhou.aliyuncs.com' });
    const p = c.presign({ method: 'GET', bucket: 'bkt', key: 'a b', expiresInSeconds: 60 });
    expect(p.url.startsWith(`${endpoint}/a%20b?OSSAccessKeyId=`)).toBe(true);
    expect(p.headers).toEqual({ host: 'bkt.oss-cn-hangzhou.aliyuncs.com' });
    const res = await c.sendRaw(p);
    expect(res.status).toBe(200);
    expect(last().url).toBe(p.url.slice(endpoint.length));
    expect(last().headers['host']).toBe('bkt.oss-cn-hangzhou.aliyuncs.com');
    expect(last().headers['authorization']).toBeUndefined();
  });
});

describe('bodies', () => {
  it('streams a Readable chunked (no Content-Length)', async () => {
    const parts = ['alpha-', 'beta-', 'gamma'];
    const res = await client().appendObject('bkt', 'k', 0, Readable.from(parts.map((p) => Buffer.from(p))));
    expect(res.status).toBe(200);
    expect(last().headers['transfer-encoding']).toBe('chunked');
    expect(last().headers['content-length']).toBeUndefined();
    expect(last().body.toString()).toBe(parts.join(''));
    expect(res.request.headers['transfer-encoding']).toBe('chunked');
  });

  it('streams an async iterable, and a large one with back-pressure', async () => {
    async function* gen(): AsyncIterable<Buffer> {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, i);
    }
    await client().putObject('bkt', 'big', gen());
    expect(last().body.length).toBe(64 * 64 * 1024);
    expect(last().body[64 * 1024 * 10]).toBe(10);
  });

  it('Buffer and string bodies get Content-Length; body-less PUT sends 0', async () => {
    await client().putObject('bkt', 'k', 'héllo');
    expect(last().headers['content-length']).toBe('6');
    await client().putObject('bkt', 'k', Buffer.alloc(3));
    expect(last().headers['content-length']).toBe('3');
    await client().putBucket('bkt');
    expect(last().headers['content-length']).toBe('0');
  });

  it('a failing body stream rejects with OssTransportError', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await expect(client().putObject('bkt', 'k', broken)).rejects.toBeInstanceOf(OssTransportError);
  });
});

describe('responses and errors', () => {
  const errorXml = (code: string, extra = ''): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>Position is not equal to file length</Message>\n  <RequestId>5C3D9175B6FC201293AD1234</RequestId>\n  <HostId>bkt.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <EC>0026-00000016</EC>\n${extra}</Error>\n`;

  it('parses the error from the body, keeps headers and nextPosition; never throws', async () => {
    reply = () => ({
      status: 409,
      headers: { 'content-type': 'application/xml', 'x-oss-next-append-position': '7', 'x-oss-ec': '0026-00000016' },
      body: errorXml('PositionNotEqualToLength', '  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0026-00000016</RecommendDoc>\n'),
    });
    const res = await client().appendObject('bkt', 'k', 0, 'x');
    expect(res.status).toBe(409);
    expect(res.nextPosition).toBe(7);
    expect(res.requestId).toBe('REQ0000000000000000000001');
    expect(res.error).toBeInstanceOf(OssServiceError);
    expect(res.error?.toJSON()).toEqual({
      status: 409,
      code: 'PositionNotEqualToLength',
      message: 'Position is not equal to file length',
      requestId: '5C3D9175B6FC201293AD1234',
      hostId: 'bkt.oss-cn-hangzhou.aliyuncs.com',
      ec: '0026-00000016',
      details: { RecommendDoc: 'https://api.aliyun.com/troubleshoot?q=0026-00000016' },
      fromHeader: false,
    });
    expect(res.xml?.['Error']).toBeDefined();
  });

  it('parses the error from x-oss-err when the body is empty (HEAD)', async () => {
    reply = () => ({
      status: 404,
      headers: { 'x-oss-err': Buffer.from(errorXml('NoSuchKey', '  <Key>a&amp;b</Key>\n')).toString('base64'), 'x-oss-ec': '0026-00000001' },
    });
    const res = await client().headObject('bkt', 'a&b');
    expect(res.body.length).toBe(0);
    expect(res.error).toMatchObject({ status: 404, code: 'NoSuchKey', fromHeader: true, requestId: '5C3D9175B6FC201293AD1234', details: { Key: 'a&b' } });
  });

  it('synthesizes an error when there is no document; 2xx has none', async () => {
    reply = () => ({ status: 304 });
    expect((await client().getObject('bkt', 'k')).error).toMatchObject({ status: 304, code: 'NotModified', message: 'HTTP 304', fromHeader: false });
    reply = () => ({ status: 502, headers: { 'content-type': 'text/plain' }, body: 'bad gateway' });
    expect((await client().getObject('bkt', 'k')).error).toMatchObject({ code: 'UnknownError', message: 'bad gateway' });
    reply = () => ({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: '<not xml' });
    const ok = await client().getObject('bkt', 'k');
    expect(ok.error).toBeUndefined();
    expect(ok.xml).toBeUndefined();
    expect(ok.body.toString()).toBe('<not xml');
  });

  it('object headers become typed fields', async () => {
    reply = () => ({
      headers: {
        'content-type': 'text/plain',
        etag: '"ABC"',
        'x-oss-object-type': 'Appendable',
        'x-oss-hash-crc64ecma': '11051210869376104954',
        'x-oss-next-append-position': '9',
        'x-oss-meta-author': 'alice',
        'content-length': '9',
      },
      body: '123456789',
    });
    const res = await client().getObject('bkt', 'k', { range: 'bytes=0-8' });
    expect(last().headers['range']).toBe('bytes=0-8');
    expect(res).toMatchObject({ status: 200, contentLength: 9, etag: '"ABC"', objectType: 'Appendable', nextPosition: 9, meta: { author: 'alice' } });
    expect(res.crc64).toBe(crc64(Buffer.from('123456789')));
  });

  it('network failures throw OssTransportError', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = new OssClient({ endpoint: `http://127.0.0.1:${port}`, accessKeyId: AK, accessKeySecret: SK, region: 'cn-hangzhou' });
    const error = await c.getObject('bkt', 'k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssTransportError);
    expect((error as OssTransportError).code).toBe('ECONNREFUSED');
  });

  it('times out', async () => {
    reply = () => ({ status: 200 });
    const slow = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const c = new OssClient({ endpoint: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, accessKeyId: AK, accessKeySecret: SK, region: 'cn-hangzhou', timeoutMs: 100 });
    const error = await c.getObject('bkt', 'k').catch((e: unknown) => e);
    expect((error as OssTransportError).code).toBe('ETIMEDOUT');
    c.destroy();
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
  });
});

describe('operation helpers', () => {
  it('listObjects decodes url-encoded keys and prefixes', async () => {
    reply = () => ({
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>bkt</Name><Prefix>a%20b%2F</Prefix><Marker></Marker><MaxKeys>2</MaxKeys><Delimiter>%2F</Delimiter>
  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextMarker>a%20b%2Fz%2B1</NextMarker>
  <Contents><Key>a%20b%2Fz%2B1</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"0123"</ETag><Type>Appendable</Type><Size>0010</Size><StorageClass>Standard</StorageClass><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner></Contents>
  <CommonPrefixes><Prefix>a%20b%2Fd%C3%BC%2F</Prefix></CommonPrefixes>
</ListBucketResult>`,
    });
    const res = await client().listObjects('bkt', { encodingType: 'url' });
    expect(res).toMatchObject({
      name: 'bkt',
      prefix: 'a b/',
      delimiter: '/',
      maxKeys: 2,
      encodingType: 'url',
      isTruncated: true,
      nextMarker: 'a b/z+1',
      commonPrefixes: ['a b/dü/'],
    });
    expect(res.contents).toEqual([
      { key: 'a b/z+1', size: 10, type: 'Appendable', etag: '"0123"', lastModified: '2024-01-01T00:00:00.000Z', storageClass: 'Standard', owner: { id: '1', displayName: '1' } },
    ]);
  });

  it('deleteMultipleObjects sends a <Delete> body with its Content-MD5', async () => {
    reply = () => ({
      headers: { 'content-type': 'application/xml' },
      body: '<?xml version="1.0"?><DeleteResult><EncodingType>url</EncodingType><Deleted><Key>a%26b</Key></Deleted><Deleted><Key>c%20d</Key></Deleted></DeleteResult>',
    });
    const res = await client().deleteMultipleObjects('bkt', ['a&b', 'c d'], { quiet: false, encodingType: 'url' });
    const rec = last();
    expect(rec.method).toBe('POST');
    expect(rec.url).toBe('/bkt/?delete&encoding-type=url');
    expect(rec.body.toString()).toContain('<Quiet>false</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>c d</Key></Object>');
    expect(rec.headers['content-md5']).toBe(createHash('md5').update(rec.body).digest('base64'));
    expectV1Valid(rec);
    expect(res.deleted).toEqual(['a&b', 'c d']);
  });

  it('tagging, ACLs, bucket creation requests', async () => {
    const c = client();
    await c.putObjectTagging('bkt', 'k', { a: '1', 'b<': '&' });
    expect(last().url).toBe('/bkt/k?tagging');
    expect(last().body.toString()).toContain('<Tag><Key>b&lt;</Key><Value>&amp;</Value></Tag>');
    await c.putObjectAcl('bkt', 'k', 'public-read');
    expect(last().headers['x-oss-object-acl']).toBe('public-read');
    expectV1Valid(last());
    await c.putBucket('bkt', { acl: 'private', storageClass: 'IA' });
    expect(last().headers['x-oss-acl']).toBe('private');
    expect(last().body.toString()).toContain('<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>');
    reply = () => ({ headers: { 'content-type': 'application/xml' }, body: '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>' });
    expect((await c.getObjectTagging('bkt', 'k')).tags).toEqual({ a: '1' });
    reply = () => ({ headers: { 'content-type': 'application/xml' }, body: '<?xml version="1.0"?><LocationConstraint>oss-cn-hangzhou</LocationConstraint>' });
    expect((await c.getBucketLocation('bkt')).location).toBe('oss-cn-hangzhou');
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real emulator
// ---------------------------------------------------------------------------------------------

describe('against the emulator', () => {
  // A bucket name needs 3 to 63 characters, so the emulator answers InvalidBucketName for 'c'.
  const BUCKET = 'ccc';
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ buckets: [BUCKET] });
  });
  afterAll(async () => {
    await emu.close();
  });

  const combos = [
    ['v1', 'path'],
    ['v1', 'virtual-host'],
    ['v4', 'path'],
    ['v4', 'virtual-host'],
  ] as const;

  function emuClient(version: 'v1' | 'v4', addressing: 'path' | 'virtual-host'): OssClient {
    const c = new OssClient({
      endpoint: emu.endpoint,
      accessKeyId: emu.accessKeyId,
      accessKeySecret: emu.accessKeySecret,
      region: emu.region,
      signatureVersion: version,
      addressing,
      virtualHostSuffix: addressing === 'virtual-host' ? `oss-${emu.region}.aliyuncs.com` : undefined,
    });
    clients.push(c);
    return c;
  }

  it.each(combos)('%s, %s: append twice, head, list, 409 PositionNotEqualToLength', async (version, addressing) => {
    const c = emuClient(version, addressing);
    const key = `append/${version} ${addressing}/ü+x.log`;

    const first = await c.appendObject(BUCKET, key, 0, 'hello ', { 'content-type': 'text/plain' });
    expect(first.error).toBeUndefined();
    expect(first.status).toBe(200);
    expect(first.nextPosition).toBe(6);
    expect(first.crc64).toBe(crc64(Buffer.from('hello ')));
    if (addressing === 'virtual-host') expect(first.request.headers['host']).toBe(`${BUCKET}.oss-${emu.region}.aliyuncs.com`);

    const second = await c.appendObject(BUCKET, key, 6, Readable.from([Buffer.from('wor'), Buffer.from('ld')]));
    expect(second.status).toBe(200);
    expect(second.nextPosition).toBe(11);
    expect(second.crc64).toBe(crc64(Buffer.from('hello world')));

    const head = await c.headObject(BUCKET, key);
    expect(head).toMatchObject({ status: 200, contentLength: 11, objectType: 'Appendable', nextPosition: 11, contentType: 'text/plain' });
    expect(head.crc64).toBe(crc64(Buffer.from('hello world')));

    const got = await c.getObject(BUCKET, key, { range: 'bytes=6-10' });
    expect(got.status).toBe(206);
    expect(got.body.toString()).toBe('world');

    const list = await c.listObjects(BUCKET, { prefix: `append/${version} ${addressing}/`, encodingType: 'url' });
    expect(list.error).toBeUndefined();
    expect(list.contents).toMatchObject([{ key, size: 11, type: 'Appendable', storageClass: 'Standard' }]);
    const list2 = await c.listObjectsV2(BUCKET, { prefix: 'append/', delimiter: '/' });
    expect(list2.commonPrefixes).toContain(`append/${version} ${addressing}/`);

    const conflict = await c.appendObject(BUCKET, key, 3, 'x');
    expect(conflict.status).toBe(409);
    expect(conflict.error?.code).toBe('PositionNotEqualToLength');
    expect(conflict.headers['x-oss-next-append-position']).toBe('11');
    expect(conflict.nextPosition).toBe(11);
    expect(conflict.error?.requestId).toBe(conflict.requestId);

    const missing = await c.headObject(BUCKET, `${key}.missing`);
    expect(missing.status).toBe(404);
    expect(missing.error).toMatchObject({ code: 'NoSuchKey', fromHeader: true });

    const presigned = c.presign({ method: 'GET', bucket: BUCKET, key, expiresInSeconds: 300 });
    const viaUrl = await c.sendRaw(presigned);
    expect(viaUrl.status).toBe(200);
    expect(viaUrl.body.toString()).toBe('hello world');
  });

  it('the other operations', async () => {
    const c = emuClient('v4', 'path');
    expect((await c.putBucket('c2c', { acl: 'public-read' })).status).toBe(200);
    expect((await c.getBucketAcl('c2c')).acl).toBe('public-read');
    expect((await c.putBucketAcl('c2c', 'private')).status).toBe(200);
    expect((await c.getBucketInfo('c2c')).bucketInfo).toMatchObject({ name: 'c2c', acl: 'private', location: `oss-${emu.region}` });
    expect((await c.getBucketLocation('c2c')).location).toBe(`oss-${emu.region}`);
    expect((await c.listBuckets()).buckets?.map((b) => b.name)).toEqual(['c2c', BUCKET]);

    const put = await c.putObject('c2c', 'o 1', 'data', { 'x-oss-meta-k': 'v' });
    expect(put.status).toBe(200);
    expect(put.etag).toBe(`"${createHash('md5').update('data').digest('hex').toUpperCase()}"`);
    expect((await c.getObjectMeta('c2c', 'o 1')).contentLength).toBe(4);
    expect((await c.putObjectAcl('c2c', 'o 1', 'public-read')).status).toBe(200);
    expect((await c.getObjectAcl('c2c', 'o 1')).acl).toBe('public-read');
    expect((await c.getObject('c2c', 'o 1', { signed: false })).body.toString()).toBe('data');
    expect((await c.putObjectTagging('c2c', 'o 1', { t: 'v 1' })).status).toBe(200);
    expect((await c.getObjectTagging('c2c', 'o 1')).tags).toEqual({ t: 'v 1' });
    expect((await c.deleteObjectTagging('c2c', 'o 1')).status).toBe(204);
    expect((await c.getObjectTagging('c2c', 'o 1')).tags).toEqual({});
    await c.putObject('c2c', 'o+2', '');
    const del = await c.deleteMultipleObjects('c2c', ['o 1', 'o+2'], { encodingType: 'url' });
    expect(del.deleted).toEqual(['o 1', 'o+2']);
    expect((await c.deleteObject('c2c', 'o 1')).status).toBe(204);
    expect((await c.deleteBucket('c2c')).status).toBe(204);
  });

  it('errors the emulator returns: skew, anonymous, bad secret', async () => {
    const c = emuClient('v1', 'path');
    const skewed = await c.listObjects(BUCKET, { dateOverride: new Date(Date.now() - 20 * 60_000) });
    expect(skewed.error?.code).toBe('RequestTimeTooSkewed');
    const skewed4 = await c.listObjects(BUCKET, { dateOverride: new Date(Date.now() + 20 * 60_000), signatureVersion: 'v4' });
    expect(skewed4.error?.code).toBe('RequestTimeTooSkewed');
    expect((await c.listObjects(BUCKET, { signed: false })).error?.code).toBe('AccessDenied');
    const bad = new OssClient({ endpoint: emu.endpoint, accessKeyId: emu.accessKeyId, accessKeySecret: 'wrong', region: emu.region });
    clients.push(bad);
    const res = await bad.listObjects(BUCKET);
    expect(res.error?.code).toBe('SignatureDoesNotMatch');
    expect(res.error?.details['StringToSign']).toContain(`/${BUCKET}/`);
  });
});
