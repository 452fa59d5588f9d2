/**
 * Compressed downloads (OSS's FAQ 39645): a GET with `Accept-Encoding: gzip` of an object of at
 * least 1 KB whose type is text, XML, JSON, CSS or JavaScript comes gzip-compressed, without ETag,
 * Content-Length or Accept-Ranges; HEAD describes it the same way. Go's HTTP transport asks for
 * gzip on every GET without a Range, so Go programs see this against OSS without asking for it.
 */
import { readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { acrossRestart, crcOf, md5Base64, rawOss, useTestEmulator, type OssClient } from './helpers.js';

const B = 'gzip-bkt';
let oss: OssClient;
let emu: RunningEmulator;

useTestEmulator(B, (e, o) => {
  emu = e;
  oss = o;
});

const text = (bytes: number): string => 'OSS compresses text. '.repeat(Math.ceil(bytes / 21)).slice(0, bytes);

/** GET over a raw socket, so the body is the bytes on the wire (supertest would gunzip them). */
function rawGet(key: string, headers: Record<string, string>, query?: string) {
  return rawOss(emu.port, { method: 'GET', bucket: B, key, headers, query });
}

describe('compressed downloads', () => {
  it('GET of a text object of 1 KB or more, gzip accepted: gzip on the wire, no ETag, Content-Length or Accept-Ranges; CRC-64 and Content-MD5 of the stored bytes', async () => {
    const content = text(64 * 1024);
    await oss.put(B, 'page.html', content, { 'Content-Type': 'text/html' });
    const res = await rawGet('page.html', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    for (const absent of ['etag', 'content-length', 'accept-ranges']) expect(res.headers[absent], absent).toBeUndefined();
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crcOf(content));
    expect(res.headers['content-md5']).toBe(md5Base64(content));
    expect(res.body.length).toBeLessThan(content.length / 10);
    expect(gunzipSync(res.body).toString()).toBe(content);
  });

  it('an object over several read pieces (3 MiB) arrives whole', async () => {
    const content = Buffer.from(text(3 * 1024 * 1024 + 17));
    // (not application/json: supertest would send the Buffer as JSON)
    await oss.put(B, 'big.xml', content, { 'Content-Type': 'text/xml; charset=utf-8' });
    expect((await oss.head(B, 'big.xml')).headers['content-length']).toBe(String(content.length));
    const res = await rawGet('big.xml', { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    const out = gunzipSync(res.body);
    expect(out.length).toBe(content.length);
    expect(out.equals(content)).toBe(true);
  });

  it.each([
    ['no Accept-Encoding', 'a.txt', 'text/plain', 2048, {}],
    ['gzip;q=0', 'a.txt', 'text/plain', 2048, { 'Accept-Encoding': 'gzip;q=0, deflate' }],
    ['only deflate', 'a.txt', 'text/plain', 2048, { 'Accept-Encoding': 'deflate' }],
    ['1023 bytes', 'a.txt', 'text/plain', 1023, { 'Accept-Encoding': 'gzip' }],
    ['a binary type', 'a.bin', 'application/octet-stream', 2048, { 'Accept-Encoding': 'gzip' }],
    ['an image', 'a.png', 'image/png', 2048, { 'Accept-Encoding': 'gzip' }],
  ])('%s: sent as stored, with ETag and Content-Length', async (_case, key, type, size, headers) => {
    const content = text(size);
    await oss.put(B, key, content, { 'Content-Type': type });
    const res = await rawGet(key, headers);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.headers['etag']).toBeDefined();
    expect(res.body.toString()).toBe(content);
  });

  it('exactly 1 KB is compressed; the type is matched without its parameters and case', async () => {
    await oss.put(B, 'kb.txt', text(1024), { 'Content-Type': 'Text/Plain; charset=UTF-8' });
    expect((await rawGet('kb.txt', { 'Accept-Encoding': 'GZIP' })).headers['content-encoding']).toBe('gzip');
  });

  it('a Range is served as stored (206), as is an object stored with its own Content-Encoding or a request overriding it', async () => {
    const content = text(4096);
    await oss.put(B, 'r.txt', content, { 'Content-Type': 'text/plain' });
    const ranged = await rawGet('r.txt', { 'Accept-Encoding': 'gzip', Range: 'bytes=0-99' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-encoding']).toBeUndefined();
    expect(ranged.body.toString()).toBe(content.slice(0, 100));
    await oss.put(B, 'pre.txt', content, { 'Content-Type': 'text/plain', 'Content-Encoding': 'identity' });
    const stored = await rawGet('pre.txt', { 'Accept-Encoding': 'gzip' });
    expect(stored.headers['content-encoding']).toBe('identity');
    expect(stored.headers['content-length']).toBe('4096');
    const overridden = await rawGet('r.txt', { 'Accept-Encoding': 'gzip' }, 'response-content-encoding=br');
    expect(overridden.headers['content-encoding']).toBe('br');
    expect(overridden.body.toString()).toBe(content);
  });

  it('HEAD describes the object as a GET would send it: compressed, no ETag or Content-Length', async () => {
    await oss.put(B, 'h.css', text(4096), { 'Content-Type': 'text/css' });
    const compressed = await oss.head(B, 'h.css', { 'Accept-Encoding': 'gzip' });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.headers['content-length']).toBeUndefined();
    expect(compressed.headers['etag']).toBeUndefined();
    const plain = await oss.head(B, 'h.css');
    expect(plain.headers['content-length']).toBe('4096');
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('an appendable text object is compressed too; 304 answers are unchanged', async () => {
    await oss.append(B, 'log.txt', 0, text(2000), { 'Content-Type': 'text/plain' });
    const res = await rawGet('log.txt', { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['x-oss-next-append-position']).toBe('2000');
    expect(gunzipSync(res.body).toString()).toBe(text(2000));
    const etag = (await oss.head(B, 'log.txt')).headers['etag']!;
    expect((await rawGet('log.txt', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag })).status).toBe(304);
  });
});

describe('a download whose bytes cannot be read', () => {
  it("answers an uncompressed error document without the object's headers, compressed or not, stored Content-Encoding or not", async () => {
    await acrossRestart(
      [B],
      async (client) => {
        await client.put(B, 'big.txt', Buffer.from(text(2.2 * 1024 * 1024)), { 'Content-Type': 'text/plain', 'x-oss-server-side-encryption': 'AES256' });
        await client.put(B, 'pre.bin', 'z'.repeat(3000), { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' });
      },
      async (_client, disk) => {
        for (const [key, headers] of [['big.txt', { 'Accept-Encoding': 'gzip' }], ['big.txt', {}], ['pre.bin', {}]] as const) {
          // (check: false: the common checks refuse any 500, which a corrupted data folder does deserve)
          const res = await rawOss(disk.port, { method: 'GET', bucket: B, key, headers }, { check: false });
          expect(res.status, `${key} ${JSON.stringify(headers)}`).toBe(500);
          expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
          expect(res.headers['content-type']).toBe('application/xml');
          for (const leaked of ['content-encoding', 'vary', 'etag', 'content-md5', 'x-oss-hash-crc64ecma', 'x-oss-server-side-encryption', 'last-modified']) {
            expect(res.headers[leaked], `${key}: ${leaked}`).toBeUndefined();
          }
          expect(res.text).toContain('<Code>InternalError</Code>');
        }
      },
      // Cut every extent file short: no object's bytes can be read whole.
      (dataDir) => {
        for (const file of readdirSync(join(dataDir, 'extents'))) truncateSync(join(dataDir, 'extents', file), 10);
      },
    );
  });

  it("keeps the bucket's CORS headers and its Vary: Origin, so that a page can read the error", async () => {
    const page = 'http://app.example.com';
    await acrossRestart(
      [B],
      async (client) => {
        await client.put(B, 'big.txt', Buffer.from(text(2.2 * 1024 * 1024)), { 'Content-Type': 'text/plain' });
        const rules = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule><ResponseVary>true</ResponseVary></CORSConfiguration>';
        expect((await client.send({ method: 'PUT', bucket: B, query: 'cors', body: rules })).status).toBe(200);
      },
      async (_client, disk) => {
        const res = await rawOss(disk.port, { method: 'GET', bucket: B, key: 'big.txt', headers: { 'Accept-Encoding': 'gzip', Origin: page } }, { check: false });
        expect(res.status).toBe(500);
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.headers['access-control-allow-methods']).toBe('GET');
        expect(res.headers['vary']).toBe('Origin');
        expect(res.headers['content-encoding']).toBeUndefined();
      },
      (dataDir) => {
        for (const file of readdirSync(join(dataDir, 'extents'))) truncateSync(join(dataDir, 'extents', file), 10);
      },
    );
  });
});
