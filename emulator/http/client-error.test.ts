import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answerUnparsableRequest } from './client-error.js';

/** What answerUnparsableRequest writes to a socket, for an error code Node reports. */
function answerFor(code: string): string {
  let written = '';
  const socket = { writable: true, end: (text: string) => void (written = text), destroy: () => undefined } as unknown as Socket;
  answerUnparsableRequest(Object.assign(new Error(code), { code }), socket, 'oss-cn-hangzhou.aliyuncs.com');
  return written;
}

describe('answers to requests Node refuses before Koa sees them', () => {
  it('headers that never finish arriving (headersTimeout): 400 RequestTimeout, connection closed', () => {
    const answer = answerFor('ERR_HTTP_REQUEST_TIMEOUT');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('\r\nx-oss-ec: 0017-00000401\r\n');
    expect(answer).toContain('\r\nConnection: close\r\n');
    expect(answer).toContain('<Code>RequestTimeout</Code>');
  });

  it('oversized headers: 400 InvalidRequest naming the cause; anything else names the parser code', () => {
    expect(answerFor('HPE_HEADER_OVERFLOW')).toContain('<Message>The request header section is too large.</Message>');
    expect(answerFor('HPE_INVALID_METHOD')).toContain('(HPE_INVALID_METHOD)');
  });
});
