import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long a closing connection goes on reading what its client still sends: without a byte, and in all. */
export interface LingerTiming {
  idleMs: number;
  totalMs: number;
}
/** nginx's lingering_timeout and lingering_time. */
const DEFAULT_TIMING: LingerTiming = { idleMs: 5_000, totalMs: 30_000 };

/**
 * "Lingering close" (RFC 9112 §9.6) for connections that close after answering a request whose
 * body had not all arrived: an append refused before its body was read (PositionNotEqualToLength,
 * ObjectNotAppendable) from a client that sent `Connection: close`, or a body refused midway.
 *
 * Node closes such a connection as soon as the answer is written. The kernel then resets it,
 * because bytes the client sent were never read, and a client still writing its body gets EPIPE or
 * ECONNRESET instead of the answer. Here the connection sends its FIN after the answer, then goes on
 * reading and discarding what comes until the client closes its side, stops sending for
 * `idleMs`, or `totalMs` have passed, and only then closes.
 *
 * Installed on every connection (`watch`); it changes nothing for a request that was read whole,
 * nor while `closingNow()` says the emulator is shutting down, which closes the lingering ones
 * (`closeAll`).
 */
export class LingeringClose {
  /** The request each connection is serving or last served. */
  private readonly current = new WeakMap<Socket, IncomingMessage>();
  /** Connections lingering now. */
  private readonly lingering = new Set<Socket>();

  constructor(
    private readonly closingNow: () => boolean,
    private readonly timing: LingerTiming = DEFAULT_TIMING,
  ) {}

  /** On each new connection: takes over its `destroySoon`, which Node calls to close it after an answer. */
  watch(socket: Socket): void {
    const destroySoon = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      const request = this.current.get(socket);
      if (request === undefined || request.complete || this.closingNow() || !socket.readable) return destroySoon();
      this.lingering.add(socket);
      socket.once('close', () => this.lingering.delete(socket));
      linger(socket, this.timing);
    };
  }

  /** At shutdown: closes every lingering connection now, so that the server's close need not wait for them. */
  closeAll(): void {
    for (const socket of this.lingering) socket.destroy();
  }

  /** On each request. */
  serving(request: IncomingMessage): void {
    this.current.set(request.socket, request);
  }
}

function linger(socket: Socket, timing: LingerTiming): void {
  socket.end(); // the answer is all written: our side is done
  const close = (): void => {
    clearTimeout(idle);
    clearTimeout(total);
    socket.destroy();
  };
  const idle = setTimeout(close, timing.idleMs);
  const total = setTimeout(close, timing.totalMs);
  // Node's HTTP parser still reads the socket and throws the rest of the body away.
  socket.on('data', () => idle.refresh());
  socket.once('end', close);
  socket.once('close', close);
  socket.resume();
}
