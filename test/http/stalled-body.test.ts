/**
 * A client that stops sending in the middle of a request body (a Content-Length larger than what
 * it sends, or a stalled upload) gets 400 RequestTimeout once the body has delivered nothing for
 * `bodyIdleTimeoutMs`, and its connection is closed; nothing it sent is kept. A slow body that
 * keeps delivering is not cut. A download whose client stops reading is cut after the same time.
 * (How long real OSS waits is undocumented: docs/divergences.md.)
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { crcOf, expectError, objectPath, signV1, sleep, startTestEmulator, type OssClient, type OssRequest, type RawResponse } from './helpers.js';

const B = 'stall-bkt';
const IDLE_MS = 300;

interface StalledExchange {
  /** Undefined if no complete answer came within `giveUpAfterMs`. */
  response?: RawResponse;
  /** From the last byte sent to the end of the answer. */
  answeredAfterMs: number;
  /** The server closed the connection after answering (within 500 ms). */
  closedByServer: boolean;
}

/**
 * Sends `req`'s signed headers declaring `declared` body bytes on a keep-alive connection, then
 * the pieces of `sent`, `gapMs` apart, and reads the answer.
 */
function sendStalled(port: number, req: OssRequest, declared: number, sent: string[], options: StallOptions = {}): Promise<StalledExchange> {
  const headers = signV1({ ...req, headers: { ...req.headers, 'content-length': String(declared) } });
  const target = objectPath(req.bucket, req.key) + (req.query ? `?${req.query}` : '');
  return sendRawStalled(port, `${req.method} ${target}`, headers, sent, options);
}

interface StallOptions {
  gapMs?: number;
  giveUpAfterMs?: number;
}

/** The same for any request line and headers (which must declare the Content-Length). */
function sendRawStalled(port: number, requestLine: string, headers: Record<string, string>, sent: string[], options: StallOptions = {}): Promise<StalledExchange> {
  const head = [`${requestLine} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let lastSentAt = 0;
    let response: RawResponse | undefined;
    let answeredAfterMs = Infinity;
    const finish = (closedByServer: boolean): void => {
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ response, answeredAfterMs, closedByServer });
    };
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      received += text;
      const end = received.indexOf('\r\n\r\n');
      if (response || end === -1) return;
      const [statusLine = '', ...lines] = received.slice(0, end).split('\r\n');
      const responseHeaders = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const body = received.slice(end + 4);
      if (body.length < Number(responseHeaders['content-length'] ?? 0)) return;
      answeredAfterMs = performance.now() - lastSentAt;
      response = { status: Number(statusLine.split(' ')[1]), statusLine, headers: responseHeaders, body: Buffer.from(body, 'latin1'), text: body } as RawResponse;
      // Does the server close the connection on its own?
      setTimeout(() => finish(false), 500);
    });
    socket.on('end', () => finish(true));
    socket.on('error', reject);
    socket.on('connect', async () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      for (const piece of sent) {
        if (options.gapMs) await sleep(options.gapMs);
        socket.write(piece);
      }
      lastSentAt = performance.now();
    });
    // If the server never answers, stop rather than hang the suite.
    const giveUp = setTimeout(() => finish(false), options.giveUpAfterMs ?? 5_000);
  });
}

function expectTimedOut(exchange: StalledExchange): void {
  expect(exchange.response, 'an answer').toBeDefined();
  expectError(exchange.response!, 400, 'RequestTimeout', { ec: '0017-00000401' });
  expect(exchange.response!.headers['connection']).toBe('close');
  expect(exchange.closedByServer).toBe(true);
  expect(exchange.answeredAfterMs).toBeGreaterThanOrEqual(IDLE_MS - 50);
  expect(exchange.answeredAfterMs).toBeLessThan(IDLE_MS + 2_000);
}

describe('a request body that stalls', () => {
  let emu: RunningEmulator;
  let oss: OssClient;
  beforeAll(async () => ({ emu, oss } = await startTestEmulator({ buckets: [B], bodyIdleTimeoutMs: IDLE_MS })));
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('PutObject: 400 RequestTimeout, the connection closed, nothing stored', async () => {
    expectTimedOut(await sendStalled(emu.port, { method: 'PUT', bucket: B, key: 'put' }, 10, ['abc']));
    expect((await oss.head(B, 'put')).status).toBe(404);
  });

  it('AppendObject on an existing object: 400, the object unchanged, the next append at the same position works', async () => {
    expect((await oss.append(B, 'log', 0, 'first')).status).toBe(200);
    expectTimedOut(await sendStalled(emu.port, { method: 'POST', bucket: B, key: 'log', query: 'append&position=5' }, 100, ['partial']));
    const head = await oss.head(B, 'log');
    expect(head.headers['x-oss-next-append-position']).toBe('5');
    expect(head.headers['x-oss-hash-crc64ecma']).toBe(crcOf('first'));
    expect((await oss.append(B, 'log', 5, '+second')).status).toBe(200);
    expect((await oss.get(B, 'log')).text).toBe('first+second');
  });

  it('AppendObject creating the object: 400 and no object', async () => {
    expectTimedOut(await sendStalled(emu.port, { method: 'POST', bucket: B, key: 'new', query: 'append&position=0' }, 4, ['ab']));
    expect((await oss.head(B, 'new')).status).toBe(404);
  });

  it('an XML body (PutObjectTagging): 400, the tags unchanged', async () => {
    expect((await oss.put(B, 'tagged', 'x', { 'x-oss-tagging': 'a=1' })).status).toBe(200);
    const xml = '<Tagging><TagSet><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></Tagging>';
    expectTimedOut(await sendStalled(emu.port, { method: 'PUT', bucket: B, key: 'tagged', query: 'tagging' }, xml.length, [xml.slice(0, 20)]));
    expect((await oss.send({ method: 'GET', bucket: B, key: 'tagged', query: 'tagging' })).text).toContain('<Key>a</Key>');
  });

});

describe('a slow body that keeps delivering', () => {
  // Its own emulator with a wider limit: the client shares the event loop with this in-process
  // server, so a gap must stay far below the limit even when the loop is held up.
  const LIMIT_MS = 1_000;
  let emu: RunningEmulator;
  let oss: OssClient;
  beforeAll(async () => ({ emu, oss } = await startTestEmulator({ buckets: [B], bodyIdleTimeoutMs: LIMIT_MS })));
  afterAll(() => emu.close());

  it('is not cut however long it takes, as long as no gap reaches the limit', async () => {
    const pieces = Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i).repeat(4));
    // 12 gaps of 100 ms: the whole body takes longer than the limit, no gap comes close.
    const exchange = await sendStalled(emu.port, { method: 'POST', bucket: B, key: 'slow', query: 'append&position=0' }, 48, pieces, { gapMs: 100 });
    expect(exchange.response?.status).toBe(200);
    expect(exchange.response?.headers['x-oss-next-append-position']).toBe('48');
    expect(exchange.closedByServer, 'a success keeps the connection').toBe(false);
    expect((await oss.get(B, 'slow')).text).toBe(pieces.join(''));
  });
});

describe('which errors close the connection', () => {
  let emu: RunningEmulator;
  let oss: OssClient;
  beforeAll(async () => ({ emu, oss } = await startTestEmulator({ buckets: [B] })));
  afterAll(() => emu.close());

  it('an error found before the body is read keeps it (409 on append: the SDK resumes on the same connection)', async () => {
    expect((await oss.append(B, 'log', 0, 'first')).status).toBe(200);
    const exchange = await sendStalled(emu.port, { method: 'POST', bucket: B, key: 'log', query: 'append&position=0' }, 5, ['again']);
    expectError(exchange.response!, 409, 'PositionNotEqualToLength');
    expect(exchange.response!.headers['connection']).not.toBe('close');
    expect(exchange.closedByServer).toBe(false);
  });

  it('an error raised while reading the body closes it (an XML body past 1 MiB)', async () => {
    expect((await oss.put(B, 'tagged', 'x')).status).toBe(200);
    const huge = `<Tagging>${' '.repeat(1536 * 1024)}</Tagging>`;
    const exchange = await sendStalled(emu.port, { method: 'PUT', bucket: B, key: 'tagged', query: 'tagging' }, huge.length, [huge]);
    expectError(exchange.response!, 400, 'MalformedXML');
    expect(exchange.response!.headers['connection']).toBe('close');
    expect(exchange.closedByServer).toBe(true);
  });
});

describe('the admin seed endpoint', () => {
  it('a stalled seed document: 400, the connection closed', async () => {
    const { emu } = await startTestEmulator({ bodyIdleTimeoutMs: IDLE_MS });
    try {
      const basic = Buffer.from(`${emu.accessKeyId}:${emu.accessKeySecret}`).toString('base64');
      const exchange = await sendRawStalled(emu.port, 'POST /_ossemu/seed', { authorization: `Basic ${basic}`, 'content-type': 'application/json', 'content-length': '100' }, ['{"buckets":']);
      expect(exchange.response?.status).toBe(400);
      expect(JSON.parse(exchange.response!.text)).toEqual({ error: `the request body stalled for ${IDLE_MS} ms` });
      expect(exchange.closedByServer).toBe(true);
    } finally {
      await emu.close();
    }
  });
});

describe('with bodyIdleTimeoutMs 0', () => {
  let emu: RunningEmulator;
  let oss: OssClient;
  beforeAll(async () => ({ emu, oss } = await startTestEmulator({ buckets: [B], bodyIdleTimeoutMs: 0 })));
  afterAll(() => emu.close());

  it('a stalled body is waited for', async () => {
    // Far past the 300 ms the other emulator allows; then the client gives up and goes away.
    const exchange = await sendStalled(emu.port, { method: 'PUT', bucket: B, key: 'waits' }, 10, ['abc'], { giveUpAfterMs: 1_500 });
    expect(exchange).toMatchObject({ response: undefined, closedByServer: false });
    await sleep(50);
    expect((await oss.head(B, 'waits')).status).toBe(404);
  });
});

describe('a download whose client stops reading', () => {
  let emu: RunningEmulator;
  let oss: OssClient;
  // Past what the kernel's socket buffers hold, so the server's writes stall once the client pauses.
  const SIZE = 48 * 1024 * 1024;
  // Longer than the other limits here: a loaded CI machine must not take it for a stalled client.
  const LIMIT_MS = 1_000;
  beforeAll(async () => {
    ({ emu, oss } = await startTestEmulator({ buckets: [B], bodyIdleTimeoutMs: LIMIT_MS }));
    expect((await oss.put(B, 'big', Buffer.alloc(SIZE, 7))).status).toBe(200);
    // Text that gzip shrinks by a quarter only (base64 of random bytes): still far past the socket buffers compressed.
    expect((await oss.put(B, 'big.txt', randomBytes(SIZE / 2).toString('base64'), { 'Content-Type': 'text/plain' })).status).toBe(200);
  });
  afterAll(() => emu.close());

  /**
   * GETs `big` on a raw connection, reading `readFirst` bytes, then pausing for `pauseMs` (a paused
   * socket notices the server's close only once it reads again); resolves when the connection
   * closes or the whole response has arrived.
   */
  function readThenPause(readFirst: number, pauseMs: number, key = 'big', extra: Record<string, string> = {}): Promise<{ received: number; closedByServer: boolean }> {
    const headers = signV1({ method: 'GET', bucket: B, key, headers: extra });
    const head = [`GET ${objectPath(B, key)} HTTP/1.1`, `Host: 127.0.0.1:${emu.port}`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
    return new Promise((resolve) => {
      const socket = connect(emu.port, '127.0.0.1');
      let received = 0;
      let paused = false;
      const done = (closedByServer: boolean): void => {
        clearTimeout(giveUp);
        socket.destroy();
        resolve({ received, closedByServer });
      };
      socket.on('data', (piece: Buffer) => {
        received += piece.length;
        if (received > SIZE) done(false);
        if (!paused && received >= readFirst) {
          paused = true;
          socket.pause();
          setTimeout(() => socket.resume(), pauseMs);
        }
      });
      socket.on('close', () => done(true));
      socket.on('error', () => undefined);
      const giveUp = setTimeout(() => done(false), pauseMs + 10_000);
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
    });
  }

  it('is cut once a 1 MiB piece has waited bodyIdleTimeoutMs to be sent, and the object stays readable', async () => {
    // Without the cut, resuming would deliver the rest of the 48 MiB on a connection kept alive.
    const ended = await readThenPause(1024 * 1024, LIMIT_MS * 3);
    expect(ended.closedByServer).toBe(true);
    expect(ended.received).toBeLessThan(SIZE);
    expect((await oss.head(B, 'big')).status).toBe(200);
  });

  it('a compressed download is cut the same way', async () => {
    const ended = await readThenPause(1024 * 1024, LIMIT_MS * 3, 'big.txt', { 'Accept-Encoding': 'gzip' });
    expect(ended.closedByServer).toBe(true);
    expect(ended.received).toBeLessThan(SIZE / 2);
    expect((await oss.head(B, 'big.txt')).status).toBe(200);
  });

  it('a pause shorter than the limit is not cut: the whole object arrives', async () => {
    const ended = await readThenPause(1024 * 1024, LIMIT_MS / 4);
    expect(ended).toMatchObject({ closedByServer: false });
    expect(ended.received).toBeGreaterThan(SIZE);
  });
});

describe('a pipelined download still queued when its client goes away', () => {
  it('is given up at once: shutdown does not wait for it', async () => {
    const { emu, oss } = await startTestEmulator({ buckets: [B], bodyIdleTimeoutMs: 0, shutdownTimeoutMs: 10_000 });
    expect((await oss.put(B, 'big', Buffer.alloc(48 * 1024 * 1024, 7))).status).toBe(200);
    const headers = Object.entries(signV1({ method: 'GET', bucket: B, key: 'big' })).map(([n, v]) => `${n}: ${v}`);
    const get = `GET ${objectPath(B, 'big')} HTTP/1.1\r\nHost: x\r\n${headers.join('\r\n')}\r\n\r\n`;
    const socket = connect(emu.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.pause(); // the first download stalls in the socket buffers; the second waits behind it
    socket.write(get + get);
    await sleep(200);
    socket.destroy();
    await sleep(200);
    const started = performance.now();
    await emu.close();
    // Both downloads (the queued one too) ended with the connection, so nothing is left to wait for.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
