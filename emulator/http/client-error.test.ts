import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerUnparsableRequest } from './client-error.js';

/** What answerUnparsableRequest writes to a socket, for an error code Node reports. */
function answerFor(code: string, socketState: Record<string, unknown> = {}): { written: string; destroyed: boolean } {
  const result = { written: '', destroyed: false };
  // The state object itself becomes the socket, so a test can change it afterwards.
  const socket = Object.assign(socketState, { writable: true, end: (text: string) => void (result.written = text), destroy: () => void (result.destroyed = true), ...socketState }) as unknown as Socket;
  answerUnparsableRequest(Object.assign(new Error(code), { code }), socket, 'oss-cn-hangzhou.aliyuncs.com');
  return result;
}

describe('answers to requests Node refuses before Koa sees them', () => {
  it('headers that never finish arriving (headersTimeout): 400 RequestTimeout, connection closed', () => {
    const answer = answerFor('ERR_HTTP_REQUEST_TIMEOUT').written;
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('\r\nx-oss-ec: 0017-00000401\r\n');
    expect(answer).toContain('\r\nConnection: close\r\n');
    expect(answer).toContain('<Code>RequestTimeout</Code>');
  });

  it('oversized headers: 400 InvalidRequest naming the cause; anything else names the parser code', () => {
    expect(answerFor('HPE_HEADER_OVERFLOW').written).toContain('<Message>The request header section is too large.</Message>');
    expect(answerFor('HPE_INVALID_METHOD').written).toContain('(HPE_INVALID_METHOD)');
  });

  it('never writes over a response already under way on the socket: it answers once that one has finished', async () => {
    const response = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { req: { complete: true } });
    const socket = { _httpMessage: response as unknown };
    const pending = answerFor('HPE_INVALID_METHOD', socket);
    expect(pending).toEqual({ written: '', destroyed: false });
    socket._httpMessage = null; // Node detaches a finished response from its socket
    response.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.written).toContain('(HPE_INVALID_METHOD)');
    expect(pending.destroyed).toBe(false);
  });

  it('answers once per socket: the parser reports again on every later read', () => {
    const socket = {};
    const first = answerFor('HPE_INVALID_METHOD', socket);
    const text = first.written;
    expect(text).toContain('InvalidRequest');
    answerFor('HPE_INVALID_METHOD', socket); // its writes would land in `first` (same socket)
    expect(first).toEqual({ written: text, destroyed: false });
  });

  it('a response still attached after it finished is not waited on again', async () => {
    const response = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { req: { complete: true } });
    const pending = answerFor('HPE_INVALID_METHOD', { _httpMessage: response });
    response.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.written).toContain('InvalidRequest');
  });

  it('a request whose body the parser was still reading can never complete: it is answered here, with the connection half-closed', () => {
    const response = Object.assign(new Writable(), { req: { complete: false }, headersSent: false });
    const answer = answerFor('HPE_INVALID_CHUNK_SIZE', { _httpMessage: response });
    expect(answer.written).toContain('<Message>The request could not be parsed as HTTP (HPE_INVALID_CHUNK_SIZE).</Message>');
    expect(answer.written).toContain('\r\nConnection: close\r\n');
    // end(), not destroy(): the rest of the body, unread, would make closing reset the connection.
    expect(answer.destroyed).toBe(false);
  });

  it('one whose answer the app has begun already: the connection is closed at once', () => {
    const response = Object.assign(new Writable(), { req: { complete: false }, headersSent: true });
    expect(answerFor('HPE_INVALID_CHUNK_SIZE', { _httpMessage: response })).toEqual({ written: '', destroyed: true });
  });
});
