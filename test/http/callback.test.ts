/**
 * Upload callbacks (OSS's "Callback" API reference): after PutObject, PostObject or
 * CompleteMultipartUpload stores the object, the emulator POSTs the callbackBody to the
 * application's server, signed as OSS signs it, and answers with that server's JSON (200), or 203
 * CallbackFailed with the object stored anyway. The servers here are real HTTP servers on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { createHash, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import OSS from 'ali-oss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postPolicySignatureV1 } from '../../client/index.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { crcOf, errorOf, expectEmptySuccess, expectError, md5Base64, md5Hex, presignV1, startTestEmulator, type OssClient, type OssResponse } from './helpers.js';

const B = 'callback-bkt';
/** Short, so the timeout case takes a moment instead of OSS's 5 s. */
const TIMEOUT_MS = 400;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The application server: records each callback and answers as `reply` says (default: 200 with JSON). */
class AppServer {
  readonly received: Received[] = [];
  reply: (request: Received) => { status?: number; body?: string; type?: string; delayMs?: number; chunked?: boolean } = () => ({});
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const pieces: Buffer[] = [];
      req.on('data', (piece: Buffer) => pieces.push(piece));
      req.on('end', () => {
        const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(pieces).toString('utf8') };
        this.received.push(request);
        const { status = 200, body = JSON.stringify({ Status: 'OK', received: request.body }), type = 'application/json', delayMs = 0, chunked = false } = this.reply(request);
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(status, { 'Content-Type': type });
          // Chunked: no Content-Length, the body in two pieces.
          if (chunked) res.write(body.slice(0, body.length >> 1));
          res.end(chunked ? body.slice(body.length >> 1) : body);
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path = '/callback'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const base64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

let emu: RunningEmulator;
let oss: OssClient;
const app = new AppServer();

beforeAll(async () => {
  ({ emu, oss } = await startTestEmulator({ buckets: [B], callbackTimeoutMs: TIMEOUT_MS }));
  await app.start();
});
afterAll(async () => {
  await app.stop();
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
  app.received.length = 0;
  app.reply = () => ({});
});

/** A PutObject with `x-oss-callback` (and `x-oss-callback-var` when `variables` are given). */
function putWithCallback(key: string, body: string, callback: Record<string, unknown>, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<OssResponse> {
  return oss.put(B, key, body, {
    'x-oss-callback': base64(callback),
    ...(variables ? { 'x-oss-callback-var': base64(variables) } : {}),
    ...headers,
  });
}

/** The object is there, whole, whatever the callback's fate. */
async function expectStored(key: string, content: string): Promise<void> {
  const res = await oss.get(B, key);
  expect(res.status).toBe(200);
  expect(res.text).toBe(content);
}

describe('a callback the application server answers', () => {
  it("PutObject: the server's JSON is the answer (200, application/json), with the write's ETag, CRC-64 and Content-MD5", async () => {
    app.reply = () => ({ body: '{"Status":"OK","id":42}' });
    const res = await putWithCallback('docs/report 1.txt', 'hello', { callbackUrl: app.url('/cb?from=oss'), callbackBody: 'bucket=${bucket}&object=${object}' }, undefined, { 'Content-Type': 'text/plain' });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('{"Status":"OK","id":42}');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['etag']).toBe(`"${md5Hex('hello')}"`);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('hello'));
    expect(res.headers['content-md5']).toBe(md5Base64('hello'));
    expect(app.received).toHaveLength(1);
    const [call] = app.received;
    expect(call!.method).toBe('POST');
    expect(call!.url).toBe('/cb?from=oss');
    expect(call!.body).toBe(`bucket=${B}&object=docs%2Freport%201.txt`);
    expect(call!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call!.headers['host']).toBe(`127.0.0.1:${app.port}`);
    await expectStored('docs/report 1.txt', 'hello');
  });

  it('fills in every system variable, and the custom ones from x-oss-callback-var (form-encoded)', async () => {
    const body = [
      'bucket=${bucket}', 'object=${object}', 'etag=${etag}', 'size=${size}', 'mimeType=${mimeType}', 'crc64=${crc64}', 'contentMd5=${contentMd5}',
      'imageInfo.height=${imageInfo.height}', 'imageInfo.width=${imageInfo.width}', 'imageInfo.format=${imageInfo.format}', 'vpcId=${vpcId}',
      'clientIp=${clientIp}', 'reqId=${reqId}', 'operation=${operation}', 'var1=${x:var1}', 'missing=${x:missing}',
    ].join('&');
    const res = await putWithCallback('photo.jpg', 'hello', { callbackUrl: app.url(), callbackBody: body }, { 'x:var1': 'a b&c=d' });
    expect(res.status, res.text).toBe(200);
    const fields = Object.fromEntries(new URLSearchParams(app.received[0]!.body));
    expect(fields).toEqual({
      bucket: B,
      object: 'photo.jpg',
      etag: md5Hex('hello'),
      size: '5',
      mimeType: 'image/jpeg',
      crc64: crcOf('hello'),
      contentMd5: md5Base64('hello'),
      'imageInfo.height': '',
      'imageInfo.width': '',
      'imageInfo.format': '',
      vpcId: '',
      clientIp: '127.0.0.1',
      reqId: res.headers['x-oss-request-id'],
      operation: 'PutObject',
      var1: 'a b&c=d',
      missing: '',
    });
  });

  it('callbackBodyType application/json: strings become JSON strings, the size and CRC-64 numbers', async () => {
    const body = '{"bucket":${bucket},"object":${object},"size":${size},"crc64":${crc64},"mimeType":${mimeType},"my":${x:my},"height":${imageInfo.height}}';
    const res = await putWithCallback('quote"d.txt', 'hello', { callbackUrl: app.url(), callbackBody: body, callbackBodyType: 'application/json' }, { 'x:my': 'line\nbreak' });
    expect(res.status, res.text).toBe(200);
    const call = app.received[0]!;
    expect(call.headers['content-type']).toBe('application/json');
    const sent = JSON.parse(call.body) as Record<string, unknown>;
    expect(sent).toEqual({ bucket: B, object: 'quote"d.txt', size: 5, crc64: Number(crcOf('hello')), mimeType: 'text/plain', my: 'line\nbreak', height: '' });
    expect(call.body).toContain(`"crc64":${crcOf('hello')}`); // every digit, not a float's
  });

  it('signs the request as OSS does: RSA-MD5 of the decoded path, the query, a newline and the body; the key is at x-oss-pub-key-url', async () => {
    const res = await putWithCallback('signed.txt', 'hello', { callbackUrl: app.url('/hooks/up%20load?token=a%2Fb&x=1'), callbackBody: 'object=${object}&size=${size}' });
    expect(res.status, res.text).toBe(200);
    const call = app.received[0]!;
    const keyUrl = Buffer.from(String(call.headers['x-oss-pub-key-url']), 'base64').toString('utf8');
    expect(keyUrl).toBe(`http://127.0.0.1:${emu.port}/_ossemu/callback-public-key`);
    const publicKey = await (await fetch(keyUrl)).text();
    expect(publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const signed = Buffer.from(`/hooks/up load?token=a%2Fb&x=1\n${call.body}`);
    expect(verify('md5', signed, publicKey, Buffer.from(String(call.headers['authorization']), 'base64'))).toBe(true);
    expect(verify('md5', Buffer.from(`/hooks/up load?token=a%2Fb&x=1\ntampered`), publicKey, Buffer.from(String(call.headers['authorization']), 'base64'))).toBe(false);
  });

  it('callbackHost is the Host header; additionalHeaders are sent too', async () => {
    const res = await putWithCallback('host.txt', 'x', { callbackUrl: app.url(), callbackBody: 'k=${object}', callbackHost: 'app.example.com', additionalHeaders: { 'X-App-Token': 'secret' } });
    expect(res.status, res.text).toBe(200);
    expect(app.received[0]!.headers['host']).toBe('app.example.com');
    expect(app.received[0]!.headers['x-app-token']).toBe('secret');
  });

  it('tries the URLs in order until one answers: an unreachable first one is skipped', async () => {
    const res = await putWithCallback('two.txt', 'x', { callbackUrl: `http://127.0.0.1:1/nothing;${app.url('/second')}`, callbackBody: 'k=${object}' });
    expect(res.status, res.text).toBe(200);
    expect(app.received.map((r) => r.url)).toEqual(['/second']);
  });

  it('a presigned PUT URL carries the callback and its variables in the query string', async () => {
    const req = { method: 'PUT' as const, bucket: B, key: 'presigned.txt', auth: 'none' as const, query: `callback=${encodeURIComponent(base64({ callbackUrl: app.url(), callbackBody: 'k=${object}&v=${x:v}' }))}&callback-var=${encodeURIComponent(base64({ 'x:v': '1' }))}`, body: 'x' };
    const res = await oss.send({ ...req, query: presignV1(req, Math.floor(Date.now() / 1000) + 600) });
    expect(res.status, res.text).toBe(200);
    expect(app.received[0]!.body).toBe('k=presigned.txt&v=1');
  });

  it('CompleteMultipartUpload: the JSON replaces the XML; ${operation} and an empty ${contentMd5}', async () => {
    const res = await oss.multipartUpload(B, 'multi.bin', [Buffer.from('part one')], {
      'x-oss-callback': base64({ callbackUrl: app.url(), callbackBody: 'op=${operation}&md5=${contentMd5}&size=${size}&etag=${etag}' }),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toMatchObject({ Status: 'OK' });
    const fields = Object.fromEntries(new URLSearchParams(app.received[0]!.body));
    expect(fields).toMatchObject({ op: 'CompleteMultipartUpload', md5: '', size: '8' });
    expect(`"${fields['etag']}"`).toBe(res.headers['etag']);
    await expectStored('multi.bin', 'part one');
  });

  it('PostObject: the callback form field, with x: fields as its variables', async () => {
    const policy = Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 600_000).toISOString(), conditions: [{ bucket: B }] })).toString('base64');
    const form = new FormData();
    form.append('key', 'posted.txt');
    form.append('OSSAccessKeyId', emu.accessKeyId);
    form.append('policy', policy);
    form.append('Signature', postPolicySignatureV1(emu.accessKeySecret, policy));
    form.append('callback', base64({ callbackUrl: app.url(), callbackBody: 'op=${operation}&who=${x:who}&object=${object}' }));
    form.append('x:who', 'browser');
    form.append('file', new Blob(['from a form']), 'posted.txt');
    const res = await fetch(`http://127.0.0.1:${emu.port}/${B}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(((await res.json()) as { Status: string }).Status).toBe('OK');
    expect(app.received[0]!.body).toBe('op=PostObject&who=browser&object=posted.txt');
    await expectStored('posted.txt', 'from a form');
  });

  it('an empty callbackUrl is no callback: a plain upload', async () => {
    expectEmptySuccess(await putWithCallback('plain.txt', 'x', { callbackUrl: '', callbackBody: 'k=${object}' }));
    expect(app.received).toHaveLength(0);
  });
});

describe('an https callback URL', () => {
  /** A server with a self-signed certificate (made by openssl), recording the SNI each connection sent. */
  async function tlsServer(): Promise<{ url: string; names: Array<string | false | null>; close: () => Promise<void> }> {
    const dir = mkdtempSync(join(tmpdir(), 'ossemu-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=app.example.com', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const names: Array<string | false | null> = [];
      const server = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
        names.push((req.socket as TLSSocket).servername);
        req.resume();
        req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"Status":"OK"}'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const close = async (): Promise<void> => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      };
      return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/cb`, names, close };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("is called over TLS (a self-signed certificate accepted); SNI only with callbackSNI, naming callbackHost", async () => {
    const tls = await tlsServer();
    try {
      for (const sni of [false, true]) {
        const res = await putWithCallback(`tls-${sni}.txt`, 'x', { callbackUrl: tls.url, callbackBody: 'k=${object}', callbackHost: 'app.example.com', callbackSNI: sni });
        expect(res.status, res.text).toBe(200);
        expect(res.text).toBe('{"Status":"OK"}');
      }
      expect(tls.names).toEqual([false, 'app.example.com']);
    } finally {
      await tls.close();
    }
  });
});

describe('a callback that fails: 203 CallbackFailed, the object stored all the same', () => {
  const expectFailed = async (res: OssResponse, message: string | RegExp, ec: string, key: string): Promise<void> => {
    expect(res.status, res.text).toBe(203);
    const error = errorOf(res);
    expect(error.Code).toBe('CallbackFailed');
    if (typeof message === 'string') expect(error.Message).toBe(message);
    else expect(error.Message).toMatch(message);
    expect(error.EC).toBe(ec);
    expect(res.headers['x-oss-ec']).toBe(ec);
    // The Go SDK checks the CRC-64 of what it sent before it looks at the status.
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf('stored'));
    expect(res.headers['etag']).toBe(`"${md5Hex('stored')}"`);
    await expectStored(key, 'stored');
  };

  it('a status other than 200', async () => {
    app.reply = () => ({ status: 500, body: '{}' });
    await expectFailed(await putWithCallback('s500.txt', 'stored', { callbackUrl: app.url(), callbackBody: 'k=${object}' }), 'Error status : 500.', '0007-00000203', 's500.txt');
    app.reply = () => ({ status: 201, body: '{}' });
    await expectFailed(await putWithCallback('s201.txt', 'stored', { callbackUrl: app.url(), callbackBody: 'k=${object}' }), 'Error status : 201.', '0007-00000203', 's201.txt');
  });

  it('a body that is not JSON (a byte-order mark included)', async () => {
    app.reply = () => ({ body: 'OK', type: 'text/plain' });
    await expectFailed(await putWithCallback('text.txt', 'stored', { callbackUrl: app.url(), callbackBody: 'k=${object}' }), 'Response body is not valid json format.', '0007-00000205', 'text.txt');
    app.reply = () => ({ body: '\uFEFF{"Status":"OK"}' });
    await expectFailed(await putWithCallback('bom.txt', 'stored', { callbackUrl: app.url(), callbackBody: 'k=${object}' }), 'Response body is not valid json format.', '0007-00000205', 'bom.txt');
  });

  it('a server that does not answer in time', async () => {
    app.reply = () => ({ delayMs: TIMEOUT_MS * 3 });
    const started = Date.now();
    await expectFailed(await putWithCallback('slow.txt', 'stored', { callbackUrl: app.url(), callbackBody: 'k=${object}' }), 'Cost too long time', '0007-00000202', 'slow.txt');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
  });

  it('no server there: every URL tried, the last failure reported', async () => {
    const res = await putWithCallback('none.txt', 'stored', { callbackUrl: 'http://127.0.0.1:1/a;127.0.0.1:1/b', callbackBody: 'k=${object}' });
    await expectFailed(res, 'Error status : -1. OSS can not connect to your callbackUrl, please check it.', '0007-00000201', 'none.txt');
  });

  it('every URL failing: each is called once, in order, and the last failure is the one reported', async () => {
    app.reply = (request) => ({ status: request.url === '/first' ? 500 : 502, body: '{}' });
    const res = await putWithCallback('each.txt', 'stored', { callbackUrl: `${app.url('/first')};${app.url('/second')}`, callbackBody: 'k=${object}' });
    await expectFailed(res, 'Error status : 502.', '0007-00000203', 'each.txt');
    expect(app.received.map((r) => r.url)).toEqual(['/first', '/second']);
  });

  it('an answer over 1 MB, whether its Content-Length says so or it comes chunked', async () => {
    for (const chunked of [false, true]) {
      app.reply = () => ({ body: JSON.stringify({ big: 'x'.repeat(1024 * 1024) }), chunked });
      await expectFailed(await putWithCallback('big.txt', 'stored', { callbackUrl: app.url(), callbackBody: 'k=${object}' }), /too long content-length/, '0007-00000204', 'big.txt');
    }
  });

  it('CompleteMultipartUpload and PostObject fail the same way, with the write\'s ETag and CRC-64, the object stored', async () => {
    app.reply = () => ({ status: 500, body: '{}' });
    const callback = base64({ callbackUrl: app.url(), callbackBody: 'k=${object}' });
    const completed = await oss.multipartUpload(B, 'multi-fail.bin', [Buffer.from('stored')], { 'x-oss-callback': callback });
    expect(completed.status, completed.text).toBe(203);
    expect(errorOf(completed).Code).toBe('CallbackFailed');
    expect(completed.headers['x-oss-hash-crc64ecma']).toBe(crcOf('stored'));
    expect(completed.headers['etag']).toMatch(/^"[0-9A-F]{32}-1"$/);
    await expectStored('multi-fail.bin', 'stored');

    const policy = Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 600_000).toISOString(), conditions: [{ bucket: B }] })).toString('base64');
    const form = new FormData();
    for (const [name, value] of [['key', 'post-fail.txt'], ['OSSAccessKeyId', emu.accessKeyId], ['policy', policy], ['Signature', postPolicySignatureV1(emu.accessKeySecret, policy)], ['callback', callback]]) form.append(name!, value!);
    form.append('file', new Blob(['stored']), 'post-fail.txt');
    const posted = await fetch(`http://127.0.0.1:${emu.port}/${B}`, { method: 'POST', body: form });
    expect(posted.status).toBe(203);
    expect(await posted.text()).toContain('<Code>CallbackFailed</Code>');
    expect(posted.headers.get('x-oss-hash-crc64ecma')).toBe(crcOf('stored'));
    expect(posted.headers.get('etag')).toBe(`"${md5Hex('stored')}"`);
    await expectStored('post-fail.txt', 'stored');
  });

  it('shutdown does not wait for a callback past its own limit: the callback is abandoned with the connection', async () => {
    const slow = await startTestEmulator({ buckets: [B], callbackTimeoutMs: 10_000, shutdownTimeoutMs: 100 });
    app.reply = () => ({ delayMs: 20_000 });
    const callback = base64({ callbackUrl: [1, 2, 3].map((n) => app.url(`/slow${n}`)).join(';'), callbackBody: 'k=${object}' });
    const upload = slow.oss.put(B, 'slow.txt', 'stored', { 'x-oss-callback': callback }).catch((error: unknown) => error);
    while (app.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await slow.emu.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await upload;
    expect(app.received.map((r) => r.url)).toEqual(['/slow1']);
  });
});

describe('a callback OSS refuses: 400 InvalidArgument before the body is read, nothing stored', () => {
  const cases: Array<[string, Record<string, string>, string, string?]> = [
    ['not base64', { 'x-oss-callback': 'not base64!' }, '0007-00000002', 'The callback configuration is not base64 encoded.'],
    ['not JSON', { 'x-oss-callback': base64('{callbackUrl:') }, '0007-00000003', 'The callback configuration is not json format.'],
    ['JSON but not an object', { 'x-oss-callback': base64('["a"]') }, '0007-00000003', 'The callback configuration is not json format.'],
    ['no callbackBody', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/' }) }, '0007-00000011'],
    ['a URL of one label (the Java SDK test: "my")', { 'x-oss-callback': base64({ callbackUrl: 'my', callbackBody: 'k=v' }) }, '0007-00000004'],
    ['a URL with a bad port', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:port/', callbackBody: 'k=v' }) }, '0007-00000004'],
    ['an ftp URL', { 'x-oss-callback': base64({ callbackUrl: 'ftp://example.com/', callbackBody: 'k=v' }) }, '0007-00000004'],
    ['six URLs', { 'x-oss-callback': base64({ callbackUrl: Array(6).fill('http://127.0.0.1:9/').join(';'), callbackBody: 'k=v' }) }, '0007-00000005'],
    ['a bad callbackHost', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=v', callbackHost: 'a b' }) }, '0007-00000009'],
    ['a bad callbackBodyType', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=v', callbackBodyType: 'text/plain' }) }, '0007-00000012'],
    ['a variable written $(…)', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=$(object)' }) }, '0007-00000105', 'Left brace must be adjacent to dollar sign.'],
    ['additionalHeaders naming an x-oss- header', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=v', additionalHeaders: { 'x-oss-meta-a': 'b' } }) }, '0007-00000026'],
    // One that frames the request would let the callback cut its own request short and smuggle a second one.
    ['additionalHeaders naming Content-Length', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=vvvvvvvv', additionalHeaders: { 'content-length': '2' } }) }, '0007-00000026'],
    ['additionalHeaders naming Host', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=v', additionalHeaders: { Host: 'elsewhere' } }) }, '0007-00000026'],
    ['additionalHeaders with a value no header can carry', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=v', additionalHeaders: { 'X-Note': '中文' } }) }, '0007-00000026'],
    ['callback-var not base64', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=v' }), 'x-oss-callback-var': '%%%' }, '0007-00000102'],
    ['callback-var not JSON', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k=v' }), 'x-oss-callback-var': base64('x') }, '0007-00000103'],
    ['a callback over 5 KB (the Java SDK test)', { 'x-oss-callback': base64({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'k='.padEnd(6000, 'v') }) }, '0007-00000001'],
  ];
  it.each(cases)('%s', async (_label, headers, ec, message) => {
    const res = await oss.put(B, 'refused.txt', 'x', headers);
    expectError(res, 400, 'InvalidArgument', { ec, ...(message ? { message } : {}) });
    expect((await oss.head(B, 'refused.txt')).status).toBe(404);
    expect(app.received).toHaveLength(0);
  });

  it('the callback both in the headers and in the URL', async () => {
    const callback = base64({ callbackUrl: app.url(), callbackBody: 'k=v' });
    const res = await oss.send({ method: 'PUT', bucket: B, key: 'both.txt', query: `callback=${encodeURIComponent(callback)}`, headers: { 'x-oss-callback': callback }, body: 'x' });
    expectError(res, 400, 'InvalidArgument', { ec: '0007-00000027' });
    expect((await oss.head(B, 'both.txt')).status).toBe(404);
    expect(app.received).toHaveLength(0);
  });
});

describe('through ali-oss', () => {
  const client = (): OSS => new OSS({ endpoint: `http://127.0.0.1:${emu.port}`, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret, bucket: B });

  it("put with a callback: result.data is the server's JSON; customValue travels in x-oss-callback-var", async () => {
    const result = (await client().put('sdk.txt', Buffer.from('sdk'), {
      callback: { url: app.url(), body: 'object=${object}&who=${x:who}', customValue: { who: 'ali-oss' } },
    } as never)) as unknown as { data: { Status: string; received: string }; res: { status: number } };
    expect(result.res.status).toBe(200);
    expect(result.data.Status).toBe('OK');
    expect(result.data.received).toBe('object=sdk.txt&who=ali-oss');
  });

  it('multipartUpload with a callback', async () => {
    const content = Buffer.alloc(200 * 1024, 7);
    const result = (await client().multipartUpload('sdk-multi.bin', content, {
      partSize: 100 * 1024,
      callback: { url: app.url(), body: 'op=${operation}&size=${size}', contentType: 'application/x-www-form-urlencoded' },
    } as never)) as unknown as { data: { received: string } };
    expect(result.data.received).toBe(`op=CompleteMultipartUpload&size=${content.length}`);
    expect(createHash('md5').update((await oss.get(B, 'sdk-multi.bin')).body).digest('hex')).toBe(createHash('md5').update(content).digest('hex'));
  });

  it('a failed callback is a CallbackFailed error (status 203)', async () => {
    app.reply = () => ({ status: 404, body: 'nope' });
    const error = await client()
      .put('sdk-fail.txt', Buffer.from('stored'), { callback: { url: app.url(), body: 'k=${object}' } } as never)
      .then(() => undefined, (e: unknown) => e as { code: string; status: number });
    expect(error).toMatchObject({ code: 'CallbackFailed', status: 203 });
    await expectStored('sdk-fail.txt', 'stored');
  });
});
