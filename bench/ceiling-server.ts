/**
 * The ceiling: a Koa server that does nothing but HTTP. POST and PUT read the request body and
 * answer 200 with an empty body; HEAD answers 200 with headers only; GET streams
 * `x-bench-size` bytes of a buffer preallocated at start-up. No auth, no storage: whatever the
 * emulator reaches relative to this is what its own work costs.
 *
 * It keeps request-body memory as the emulator's CLI does (`manageBodyMemory`: a minor collection
 * every 2 MiB of body, glibc's trim threshold raised to 8 MiB): without that its heap was handed
 * back to the kernel and faulted in again (9–45 faults per MiB of body), and on this VM its 1 MiB
 * appends then ran anywhere from 270 to 1,000 MB/s instead of 1,100–1,350: a ceiling that moves
 * with glibc's heap, not with HTTP.
 *
 * With `--keep-bodies-in FILE` it also writes every request body to FILE, one after another:
 * the ceiling of any server that keeps what it is sent, which shows what storing bytes at all
 * costs on the machine.
 *
 * Run as a child process: `node dist/bench/ceiling-server.js --port P [--max-get-bytes N] [--keep-bodies-in FILE]`.
 */
import { openSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import Koa from 'koa';
import { bodyBytesConsumed, manageBodyMemory } from '../emulator/util/body-memory.js';

/** GET bodies go out in slices of this size, like the emulator's 1 MiB chunks. */
const SLICE = 1024 * 1024;

/** Where a storing ceiling writes bodies: a file and the end of what it holds. */
interface BodyFile {
  fd: number;
  end: number;
}

function drain(req: IncomingMessage, keep: BodyFile | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    req.on('data', (piece: Buffer) => {
      bytes += piece.length;
      if (keep) keep.end += writeSync(keep.fd, piece, 0, piece.length, keep.end);
      bodyBytesConsumed(piece.length);
    });
    req.on('end', () => resolve(bytes));
    req.on('error', reject);
  });
}

function sliceStream(buffer: Buffer, size: number): Readable {
  let position = 0;
  return new Readable({
    highWaterMark: SLICE,
    read() {
      if (position >= size) return void this.push(null);
      const end = Math.min(size, position + SLICE);
      this.push(buffer.subarray(position, end));
      position = end;
    },
  });
}

export function createCeilingApp(maxGetBytes: number, keep?: BodyFile): Koa {
  const payload = Buffer.alloc(maxGetBytes, 0x5a); // touched now, so no page faults while serving
  const app = new Koa();
  app.silent = true;
  app.use(async (koa) => {
    switch (koa.method) {
      case 'POST':
      case 'PUT': {
        const bytes = await drain(koa.req, keep);
        // Echo what an append would answer, so both servers send comparable headers.
        const position = Number(koa.query['position'] ?? 0);
        koa.set('x-oss-next-append-position', String(position + bytes));
        koa.body = null; // before the status: Koa turns a null body set afterwards into 204
        koa.status = 200;
        return;
      }
      case 'HEAD':
        koa.status = 200;
        koa.set('Content-Length', '0');
        return;
      case 'GET': {
        const size = Math.min(Number(koa.get('x-bench-size')) || 0, maxGetBytes);
        koa.status = 200;
        koa.body = sliceStream(payload, size);
        koa.type = 'application/octet-stream';
        koa.length = size;
        return;
      }
      default:
        koa.status = 405;
    }
  });
  return app;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'max-get-bytes': { type: 'string' }, 'keep-bodies-in': { type: 'string' } },
    strict: true,
  });
  const port = Number(values.port ?? 0);
  const keepIn = values['keep-bodies-in'];
  manageBodyMemory();
  const app = createCeilingApp(Number(values['max-get-bytes'] ?? 64 * 1024 * 1024), keepIn ? { fd: openSync(keepIn, 'w'), end: 0 } : undefined);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
