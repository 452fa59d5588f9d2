import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long a closing connection goes on reading what its client still sends (without a byte, and
 * in all), and how many may linger at once.
 */
export interface LingerLimits {
  idleMs: number;
  totalMs: number;
  connections: number;
}
/**
 * nginx's lingering_timeout and lingering_time. A client's close is not always seen (when Node's
 * parser has stopped reading the socket, its end goes unnoticed), so a connection may linger its
 * whole idle time: past `connections`, the next closes at once, as without lingering, rather than
 * let a burst of refused uploads hold that many descriptors.
 */
const DEFAULT_LIMITS: LingerLimits = { idleMs: 5_000, totalMs: 30_000, connections: 64 };

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
    private readonly limits: LingerLimits = DEFAULT_LIMITS,
  ) {}

  /** On each new connection: takes over its `destroySoon`, which Node calls to close it after an answer. */
  watch(socket: Socket): void {
    const destroySoon = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      const request = this.current.get(socket);
      const needless = request === undefined || request.complete || !socket.readable;
      if (needless || this.closingNow() || this.lingering.size >= this.limits.connections) return destroySoon();
      this.lingering.add(socket);
      socket.once('close', () => this.lingering.delete(socket));
      linger(socket, this.limits);
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

function linger(socket: Socket, timing: LingerLimits): void {
  socket.end(); // the answer is all written: our side is done
  const close = (): void => {
    clearTimeout(idle);
    clearTimeout(total);
    socket.destroy();
  };
  const idle = setTimeout(close, timing.idleMs);
  const total = setTimeout(close, timing.totalMs);
  // Node's HTTP parser goes on reading the socket, where it reads it, and throws the rest of the body away.
  socket.on('data', () => idle.refresh());
  socket.once('end', close);
  socket.once('close', close);
  socket.resume();
}
