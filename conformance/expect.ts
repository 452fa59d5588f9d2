import assert from 'node:assert/strict';
import type { OssResponse } from '../client/index.js';

/**
 * Assertions for wire responses whose failure messages say what arrived, so a report row
 * reads as a diagnosis ("expected 409 PositionNotEqualToLength, got 200").
 */
function describe(res: OssResponse): string {
  const error = res.error ? ` ${res.error.code}: ${res.error.message}` : '';
  return `${res.request.method} ${res.request.url} → ${res.status}${error}`;
}

export function expectStatus(res: OssResponse, status: number): void {
  assert.equal(res.status, status, `expected status ${status}, got ${describe(res)}`);
}

export interface ExpectedError {
  status: number;
  code: string;
  message?: string;
  ec?: string;
}

export function expectError(res: OssResponse, expected: ExpectedError): void {
  assert.equal(res.status, expected.status, `expected ${expected.status} ${expected.code}, got ${describe(res)}`);
  assert.ok(res.error, `expected an error document, got none (${describe(res)})`);
  assert.equal(res.error.code, expected.code, `expected Code ${expected.code}, got ${describe(res)}`);
  if (expected.message !== undefined) assert.equal(res.error.message, expected.message, 'error Message');
  if (expected.ec !== undefined) assert.equal(res.error.ec, expected.ec, 'error EC');
  assert.ok(res.requestId, 'x-oss-request-id on the error response');
  assert.equal(res.error.requestId, res.requestId, 'RequestId in the error equals x-oss-request-id');
}

export function expectHeader(res: OssResponse, name: string, expected: string | RegExp | undefined): void {
  const actual = res.headers[name.toLowerCase()];
  if (expected === undefined) assert.equal(actual, undefined, `expected no ${name} header, got ${actual}`);
  else if (typeof expected === 'string') assert.equal(actual, expected, `header ${name}`);
  else assert.match(actual ?? '', expected, `header ${name} (${actual ?? 'absent'})`);
}

export function expectBody(res: OssResponse, expected: Buffer | string): void {
  const body = typeof expected === 'string' ? Buffer.from(expected) : expected;
  assert.ok(res.body.equals(body), `body differs: got ${res.body.length} bytes, expected ${body.length}`);
}

/** Runs an ali-oss call that must fail, and returns the SDK's error object. */
export async function sdkError(call: () => Promise<unknown>): Promise<{ code?: string; status?: number; name?: string; message?: string; requestId?: string; ecCode?: string }> {
  try {
    await call();
  } catch (error) {
    return error as { code?: string; status?: number };
  }
  assert.fail('expected the SDK call to fail, it succeeded');
}

export { assert };
