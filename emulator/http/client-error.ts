import type { ServerResponse } from 'node:http';
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
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Socket, hostId: string): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  // A client may pipeline a good request and then bytes that are no HTTP. The good one's response
  // may still be under way: never write over it, let it finish, then answer the rest and close.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (inFlight) {
    // (A response that closes the connection itself leaves nothing to write after it.)
    finished(inFlight, () => {
      if (socket.writable) socket.end(errorResponse(error, hostId));
    });
    return;
  }
  socket.end(errorResponse(error, hostId));
}

function errorResponse(error: Error & { code?: string }, hostId: string): string {
  const ossError = errorFor(error.code);
  const requestId = newRequestId();
  const body = errorXml(ossError, requestId, hostId);
  const head = [
    `HTTP/1.1 ${ossError.status} Bad Request`,
    `Server: AliyunOSS`,
    `Date: ${new Date().toUTCString()}`,
    `x-oss-request-id: ${requestId}`,
    `x-oss-ec: ${ossError.ec}`,
    `Content-Type: application/xml`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `Connection: close`,
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
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
