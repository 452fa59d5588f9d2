/**
 * Lingering close: a connection that closes after answering a request whose body is still coming
 * reads the rest before closing, so the client gets the answer rather than a reset; and it does
 * close, once the client stops sending or closes its side.
 */
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index.js';
import { LingeringClose } from './lingering-close.js';

/** POSTs `body` with Connection: close, as superagent does: the answer's status, or the socket error instead. */
function post(port: number, path: string, body: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-length': body.length, connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

describe('the emulator', () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => emulator?.close());

  it('answers an append refused before its 4 MiB body is read, on a connection the client asked to close: never EPIPE or ECONNRESET', async () => {
    emulator = await startEmulator({ buckets: ['lingering'], auth: 'off' });
    expect(await post(emulator.port, '/lingering/log?append&position=0', Buffer.from('x'))).toBe(200);
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await post(emulator.port, '/lingering/log?append&position=0', Buffer.alloc(4 * 1024 * 1024)));
    expect(answers).toEqual(Array(12).fill(409));
  });
});

describe('LingeringClose', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** When the server closed its last connection. */
  let serverClosed: Promise<number> = Promise.resolve(0);

  let lingering: LingeringClose;

  /** A server that answers every request at once, without reading its body, and closes the connection. */
  async function answeringAtOnce(closingNow = () => false, connections = 8): Promise<number> {
    lingering = new LingeringClose(closingNow, { idleMs: 300, totalMs: 2_000, connections });
    server = createServer((req, res) => {
      lingering.serving(req);
      res.setHeader('Connection', 'close');
      res.end('early');
    });
    server.on('connection', (socket: Socket) => {
      lingering.watch(socket);
      serverClosed = new Promise((resolve) => socket.once('close', () => resolve(Date.now())));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /**
   * Sends headers announcing `announced` bytes and `sent` of them, then stalls, never closing its
   * side: how long after its last byte the server closed the connection, and what it answered.
   */
  function stallAfter(port: number, announced: number, sent: number): Promise<{ closedAfterMs: number; answer: string }> {
    return new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      let answer = '';
      socket.on('data', (piece) => (answer += piece.toString('latin1')));
      socket.on('error', () => undefined);
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${announced}\r\nConnection: close\r\n\r\n`);
      socket.write(Buffer.alloc(sent), () => {
        const lastByte = Date.now();
        void serverClosed.then((at) => {
          socket.destroy();
          resolve({ closedAfterMs: at - lastByte, answer });
        });
      });
    });
  }

  it('reads the rest of a body it answered early, so the client sees the answer', async () => {
    const port = await answeringAtOnce();
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await post(port, '/', Buffer.alloc(8 * 1024 * 1024)));
    expect(answers).toEqual(Array(10).fill(200));
  });

  it('closes once the client has stopped sending for the idle time', async () => {
    const port = await answeringAtOnce();
    const { closedAfterMs, answer } = await stallAfter(port, 10 * 1024 * 1024, 64 * 1024);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(closedAfterMs).toBeLessThan(1_500);
  });

  it('closes every lingering connection at once when told to (shutdown)', async () => {
    const port = await answeringAtOnce();
    const stalled = stallAfter(port, 10 * 1024 * 1024, 64 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 50));
    lingering.closeAll();
    expect((await stalled).closedAfterMs).toBeLessThan(250);
  });

  it('past its limit of lingering connections, closes the next at once', async () => {
    const port = await answeringAtOnce(() => false, 1);
    const first = stallAfter(port, 10 * 1024 * 1024, 64 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await stallAfter(port, 10 * 1024 * 1024, 64 * 1024);
    expect(second.closedAfterMs).toBeLessThan(250);
    expect((await first).closedAfterMs).toBeGreaterThanOrEqual(250);
  });

  it('does not linger while the server is shutting down', async () => {
    const port = await answeringAtOnce(() => true);
    const { closedAfterMs } = await stallAfter(port, 10 * 1024 * 1024, 64 * 1024);
    expect(closedAfterMs).toBeLessThan(250);
  });
});
