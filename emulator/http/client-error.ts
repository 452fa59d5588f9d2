import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { finished } from 'node:stream';
import { OssError } from '../errors/oss-error.js';
import { newRequestId } from '../util/request-id.js';
import { errorXml } from './respond.js';

/**
 * Requests Node's HTTP parser refuses (oversized headers, a malformed Content-Length, an unknown
 * method) never reach Koa. Answer them as OSS would answer any bad request — common headers and
 * an <Error> document — instead of Node's bare 400/431, which SDKs cannot parse.
 */
export function answerUnparsableRequest(
  error: Error & { code?: string; rawPacket?: Buffer; bytesParsed?: number },
  socket: Socket,
  hostId: string,
  onRefused?: (refused: RefusedRequest) => void,
): void {
  // The parser is dead after its first error, but each later read on the socket reports again.
  if (answered.has(socket)) return;
  answered.add(socket);
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const report = (answer: Answer): void => onRefused?.({ ...requestLineOf(error.rawPacket, error.bytesParsed), ...summarize(answer), cause: error.code });
  answerAfterResponses(socket, () => errorResponse(errorFor(error.code), hostId), error.code, report);
}

/**
 * A request answered here rather than by the app, for the access log: the app logs every request
 * it handles, and a client whose request Node refused needs to see why as much as any other.
 */
export interface RefusedRequest {
  requestId: string;
  /** From the request line, when it could be read as one. */
  method?: string;
  path?: string;
  status: number;
  errorCode: string;
  /** What Node's parser found wrong (HPE_INVALID_URL, …). */
  cause?: string;
  bytesOut: number;
}

/**
 * The method and target of the line the parser stopped in, if it is a request line (`GET /b/k
 * HTTP/1.1`). The packet is what the socket delivered last, which may begin with requests already
 * answered; `bytesParsed` is where in it the parser stopped.
 */
function requestLineOf(packet: Buffer | undefined, bytesParsed: number | undefined): { method?: string; path?: string } {
  if (!packet) return {};
  const at = Math.min(bytesParsed ?? 0, packet.length);
  const start = at === 0 ? 0 : packet.lastIndexOf('\n', at - 1) + 1;
  const newline = packet.indexOf('\n', start);
  const end = Math.min(newline === -1 ? packet.length : newline, start + MAX_LOGGED_LINE_BYTES);
  // UTF-8, so that a raw non-ASCII key (which Node refuses) reads as the client meant it.
  const match = /^([A-Z]+) (\S+)/.exec(packet.toString('utf8', start, end));
  return match ? { method: match[1], path: match[2] } : {};
}

const MAX_LOGGED_LINE_BYTES = 1024;

const summarize = ({ error, requestId, text }: Answer): Pick<RefusedRequest, 'requestId' | 'status' | 'errorCode' | 'bytesOut'> => ({
  requestId,
  status: error.status,
  errorCode: error.code,
  bytesOut: Buffer.byteLength(text),
});

/**
 * A CONNECT: a client told to use ossemu as its HTTP proxy (the way to reach it from clients that
 * only build `<bucket>.<endpoint>` URLs, README) but for an https:// URL. Node would close the
 * connection without a word; say what to change instead.
 */
export function answerConnect(socket: Socket, target: string | undefined, hostId: string, onRefused?: (refused: RefusedRequest) => void): void {
  // Node hands the socket over bare: without a listener, a client's reset would crash the process.
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const error = new OssError('InvalidRequest', {
    message: 'ossemu serves plain HTTP and cannot tunnel HTTPS (CONNECT): use an http:// endpoint (e.g. Docker Distribution: secure: false).',
  });
  // Requests pipelined before the CONNECT are answered first.
  const report = (answer: Answer): void => onRefused?.({ method: 'CONNECT', path: target, ...summarize(answer) });
  answerAfterResponses(socket, () => errorResponse(error, hostId), undefined, report);
}

/** How long a connection answered for a broken body may stay half-closed (answerAfterResponses). */
const CLOSE_WITHIN_MS = 5_000;

/**
 * Requests answered here because their body broke off, with the error they were answered: the
 * app's handler then fails as if the client had gone away, and its access log shows this answer.
 */
const brokenBodies = new WeakMap<IncomingMessage, BrokenBodyAnswer>();

/** How a request whose body broke off was answered here: for the app's access log line of it. */
export interface BrokenBodyAnswer {
  error: OssError;
  /** The request id the client saw (not the one the app gave the request). */
  requestId: string;
  /** What Node's parser found wrong. */
  cause?: string;
}

export function brokenBodyAnswer(req: IncomingMessage): BrokenBodyAnswer | undefined {
  return brokenBodies.get(req);
}

/** Sockets whose parser error has been dealt with. */
const answered = new WeakSet<Socket>();

/**
 * A client may pipeline good requests and then bytes that are no HTTP. Responses to the good ones
 * may still be under way (Node hands the socket to each queued response in turn): never write over
 * them; let each finish, then answer the rest and close. A request whose body the dead parser was
 * still reading (a malformed chunk) can never complete: unless the app has begun its answer, it is
 * answered here, and the app's handler fails once the connection closes (nothing of the body is kept).
 */
function answerAfterResponses(
  socket: Socket,
  answer: () => Answer,
  code: string | undefined,
  /** Called with the answer when it is written here alone (not for a request the app has, which it logs). */
  report: (answer: Answer) => void,
  previous?: ServerResponse,
): void {
  const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  // Node detaches a finished response before our callback runs; never wait on one twice.
  if (!response || response === previous) {
    // (A response that closed the connection itself leaves nothing to write after it.)
    if (!socket.writable) return;
    const written = answer();
    socket.end(written.text);
    report(written);
    return;
  }
  if (!response.req.complete) {
    // A body in a transfer coding other than chunked: the parser gave up at its first byte, but the
    // app already has the request and refuses it (501, server.ts checkFraming); let that answer out.
    if (code === 'HPE_INVALID_TRANSFER_ENCODING') finished(response, () => socket.destroy());
    else if (response.headersSent) socket.destroy();
    else {
      // end(), not destroy(): closing with the rest of the body unread would reset the connection,
      // and the client could lose the answer. The client closes once it has it, or we do, later.
      const written = answer();
      brokenBodies.set(response.req, { error: written.error, requestId: written.requestId, cause: code });
      socket.end(written.text);
      setTimeout(() => socket.destroy(), CLOSE_WITHIN_MS).unref();
    }
    return;
  }
  finished(response, () => answerAfterResponses(socket, answer, code, report, response));
}

/** An error response written straight to a socket: its text, and what it says, for the log. */
interface Answer {
  text: string;
  error: OssError;
  requestId: string;
}

function errorResponse(ossError: OssError, hostId: string): Answer {
  const requestId = newRequestId();
  const body = errorXml(ossError, requestId, hostId);
  const head = [
    `HTTP/1.1 ${ossError.status} ${STATUS_CODES[ossError.status] ?? ''}`,
    `Server: AliyunOSS`,
    `Date: ${new Date().toUTCString()}`,
    `x-oss-request-id: ${requestId}`,
    `x-oss-ec: ${ossError.ec}`,
    `x-oss-server-time: 0`,
    `Content-Type: application/xml`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `Connection: close`,
  ];
  return { text: `${head.join('\r\n')}\r\n\r\n${body}`, error: ossError, requestId };
}

/** The OSS error for what Node's HTTP parser (or its headers timeout) reports. */
function errorFor(code: string | undefined): OssError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new OssError('InvalidRequest', { message: 'The request header section is too large.' });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      // The headers did not all arrive within the server's headersTimeout: like a stalled body.
      return new OssError('RequestTimeout');
    default:
      return new OssError('InvalidRequest', { message: `The request could not be parsed as HTTP (${code ?? 'parse error'}).` });
  }
}
