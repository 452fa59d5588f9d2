/**
 * Shared helpers for the HTTP-level suite: an in-process emulator, V1-signed requests through
 * supertest, a raw-socket client for requests supertest cannot express, and XML/error assertions.
 *
 * Every response that goes through `OssClient.send` or `rawHttp` is checked for what OSS puts on
 * every response (request id, Server, Date, never a 500, a well-formed error document), so each
 * test also covers those rules for its own request.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  v1AuthorizationHeader,
  v1PresignQuery,
  v1StringToSign,
  type SigningRequest,
} from '../../client/signing/index.js';
import { crc64 } from '../../client/crc64.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator, type RunningEmulator, type StartOptions } from '../../emulator/index.js';

export { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET };

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** One request, described the way a test thinks about it. */
export interface OssRequest {
  method: Method;
  bucket?: string;
  key?: string;
  /** The raw query string as sent on the wire, without the leading `?` (e.g. `append&position=0`). */
  query?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** The request path as sent; by default `/bucket/key` (path style) with the key percent-encoded. */
  path?: string;
  /** The Host header; by default the emulator's `127.0.0.1:PORT`. */
  host?: string;
  /**
   * `v1` (default): header auth with `Date`; `v1-oss-date`: header auth with only `x-oss-date`
   * (like ali-oss); `none`: anonymous.
   */
  auth?: 'v1' | 'v1-oss-date' | 'none';
  accessKeyId?: string;
  secret?: string;
  /** The time to sign with (default now). */
  date?: Date;
}

/** A response reduced to what the tests look at; header names are lower-case. */
export interface OssResponse {
  status: number;
  headers: Record<string, string>;
  /** Header names exactly as sent, alternating with values (Node's rawHeaders). */
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const md5Base64 = (data: Buffer | string): string => createHash('md5').update(data).digest('base64');
export const md5Hex = (data: Buffer | string): string => createHash('md5').update(data).digest('hex').toUpperCase();
export const crcOf = (data: Buffer | string): string => crc64(Buffer.from(data)).toString();

/** `/bucket/key` with each key segment percent-encoded, as the SDKs send it. */
export function objectPath(bucket?: string, key?: string): string {
  if (bucket === undefined) return '/';
  if (key === undefined) return `/${bucket}/`;
  return `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Decodes a raw query string the way the server does (`+` is a space, bare names are null):
 * the signer must sign exactly the parameters the server will see.
 */
export function decodeQuery(raw: string | undefined): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  for (const part of (raw ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
    out.push(eq === -1 ? [decode(part), null] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return out;
}

/** Lower-case header map of a request (what signers and the emulator see). */
function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export function signingRequest(req: OssRequest, headers: Record<string, string>): SigningRequest {
  return { method: req.method, bucket: req.bucket, key: req.key, query: decodeQuery(req.query), headers: lower(headers) };
}

/** Adds Date (or x-oss-date) and a V1 Authorization header to `req`'s headers. */
export function signV1(req: OssRequest): Record<string, string> {
  const headers = { ...(req.headers ?? {}) };
  const when = (req.date ?? new Date()).toUTCString();
  if (req.auth === 'v1-oss-date') headers['x-oss-date'] = when;
  else headers['Date'] = when;
  headers['Authorization'] = v1AuthorizationHeader(
    req.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    req.secret ?? DEFAULT_ACCESS_KEY_SECRET,
    signingRequest(req, headers),
    when,
  );
  return headers;
}

/** The V1 string to sign the emulator will compute for `req` as signed by `signV1`. */
export function v1StringToSignFor(req: OssRequest, headers: Record<string, string>, dateLine: string): string {
  return v1StringToSign(signingRequest(req, headers), dateLine);
}

/** A V1 presigned query string (`OSSAccessKeyId`, `Expires`, `Signature`) appended to `req.query`. */
export function presignV1(req: OssRequest, expiresEpochSeconds: number): string {
  const params = v1PresignQuery({
    accessKeyId: req.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    secret: req.secret ?? DEFAULT_ACCESS_KEY_SECRET,
    req: signingRequest(req, req.headers ?? {}),
    expires: expiresEpochSeconds,
  });
  return joinQuery(req.query, params);
}

/** Appends decoded parameters, percent-encoded, to a raw query string. */
export function joinQuery(raw: string | undefined, params: ReadonlyArray<readonly [string, string]>): string {
  const added = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return raw ? `${raw}&${added}` : added;
}

/** Collects any response body as a Buffer, whatever its Content-Type. */
function binaryParser(res: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void): void {
  const pieces: Buffer[] = [];
  res.on('data', (piece: Buffer) => pieces.push(piece));
  res.on('end', () => callback(null, Buffer.concat(pieces)));
  res.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}

/** A client for one running emulator. */
export class OssClient {
  constructor(readonly emu: RunningEmulator) {}

  get hostPort(): string {
    return `127.0.0.1:${this.emu.port}`;
  }

  /** Sends `req` (V1-signed unless `auth: 'none'`) and checks the common response rules. */
  async send(req: OssRequest): Promise<OssResponse> {
    const headers = req.auth === 'none' ? { ...(req.headers ?? {}) } : signV1(req);
    return this.sendRaw(req, headers);
  }

  /** Sends `req` with exactly `headers` (no signing added). */
  async sendRaw(req: OssRequest, headers: Record<string, string>): Promise<OssResponse> {
    const path = (req.path ?? objectPath(req.bucket, req.key)) + (req.query !== undefined && req.query !== '' ? `?${req.query}` : '');
    const agent = request(this.emu.endpoint);
    const method = req.method.toLowerCase() as 'get' | 'put' | 'post' | 'delete' | 'head' | 'options';
    let test = agent[method](path).buffer(true).parse(binaryParser as never);
    if (req.host !== undefined) test = test.set('Host', req.host);
    for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
    if (req.method === 'PUT' || req.method === 'POST') test = test.send(Buffer.from(req.body ?? ''));
    else if (req.body !== undefined) test = test.send(Buffer.from(req.body));
    const res = await test;
    const body = Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0);
    const out: OssResponse = {
      status: res.status,
      headers: res.headers as Record<string, string>,
      rawHeaders: (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders,
      body,
      text: body.toString('utf8'),
    };
    expectCommonResponse(out, req.method);
    return out;
  }

  // ---- shorthands ----------------------------------------------------------------------------

  put(bucket: string, key: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<OssResponse> {
    return this.send({ method: 'PUT', bucket, key, body, headers });
  }

  get(bucket: string, key: string, headers: Record<string, string> = {}, query?: string): Promise<OssResponse> {
    return this.send({ method: 'GET', bucket, key, headers, query });
  }

  head(bucket: string, key: string, headers: Record<string, string> = {}, query?: string): Promise<OssResponse> {
    return this.send({ method: 'HEAD', bucket, key, headers, query });
  }

  delete(bucket: string, key: string, query?: string): Promise<OssResponse> {
    return this.send({ method: 'DELETE', bucket, key, query });
  }

  append(bucket: string, key: string, position: number | string, body: Buffer | string, headers: Record<string, string> = {}): Promise<OssResponse> {
    return this.send({ method: 'POST', bucket, key, query: `append&position=${position}`, body, headers });
  }

  bucket(method: Method, bucket: string, query?: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<OssResponse> {
    return this.send({ method, bucket, query, body, headers });
  }

  /** InitiateMultipartUpload, which must be accepted: the upload's id. */
  async initiateMultipartUpload(bucket: string, key: string): Promise<string> {
    const initiated = await this.send({ method: 'POST', bucket, key, query: 'uploads' });
    expect(initiated.status, initiated.text).toBe(200);
    return /<UploadId>([^<]+)<\/UploadId>/.exec(initiated.text)![1]!;
  }

  /** A whole multipart upload: Initiate, the parts in order (each must be accepted), then Complete (with `completeHeaders`), whose answer it returns. */
  async multipartUpload(bucket: string, key: string, parts: readonly Buffer[], completeHeaders: Record<string, string> = {}): Promise<OssResponse> {
    const id = await this.initiateMultipartUpload(bucket, key);
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const res = await this.send({ method: 'PUT', bucket, key, query: `partNumber=${i + 1}&uploadId=${id}`, body: part });
      expect(res.status, res.text).toBe(200);
      etags.push(res.headers['etag']!);
    }
    const list = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('');
    return this.send({ method: 'POST', bucket, key, query: `uploadId=${id}`, headers: completeHeaders, body: `<CompleteMultipartUpload>${list}</CompleteMultipartUpload>` });
  }
}

/**
 * The set-up every HTTP test file shares: one emulator with `bucket` for the file, reset before
 * each test (then holding `seed`, if given, as an object), closed after. `use` receives it.
 */
export function useTestEmulator(bucket: string, use: (emu: RunningEmulator, oss: OssClient) => void, seed?: readonly [key: string, content: string]): void {
  let running: { emu: RunningEmulator; oss: OssClient } | undefined;
  beforeAll(async () => {
    running = await startTestEmulator({ buckets: [bucket] });
    use(running.emu, running.oss);
  });
  afterAll(() => running?.emu.close());
  beforeEach(async () => {
    running!.emu.reset();
    if (seed) await running!.oss.put(bucket, seed[0], seed[1]);
  });
}

/**
 * For what must survive a restart: `before` runs against an on-disk emulator in a fresh data folder,
 * `between` (if given) on the folder once that emulator is closed, and `after` against a new
 * emulator on the same folder. Both emulators are closed and the folder removed, whatever fails.
 */
export async function acrossRestart(
  buckets: string[],
  before: (oss: OssClient) => Promise<void>,
  after: (oss: OssClient, emu: RunningEmulator) => Promise<void>,
  between?: (dataDir: string) => void,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ossemu-restart-'));
  try {
    for (const [phase, run] of [['before', before], ['after', after]] as const) {
      const { emu, oss } = await startTestEmulator({ buckets, inMemory: false, dataDir });
      try {
        await run(oss, emu);
      } finally {
        await emu.close();
      }
      if (phase === 'before') between?.(dataDir);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts an in-memory emulator on a free port, with the given buckets, and a client for it. */
export async function startTestEmulator(options: StartOptions = {}): Promise<{ emu: RunningEmulator; oss: OssClient }> {
  const emu = await startEmulator({ port: 0, inMemory: true, ...options });
  return { emu, oss: new OssClient(emu) };
}

// ---- common response rules ---------------------------------------------------------------------

export const REQUEST_ID = /^[0-9A-F]{24}$/;

/**
 * What every OSS response carries, and what every error looks like (facts §6, §10):
 * x-oss-request-id (24 upper hex), Server: AliyunOSS, a Date; never a 500 for anything a test
 * sends; errors carry x-oss-ec and an <Error> document (in x-oss-err on HEAD, with no body)
 * whose RequestId equals the header and whose EC equals x-oss-ec.
 */
export function expectCommonResponse(res: Pick<OssResponse, 'status' | 'headers' | 'body' | 'text'>, method: string): void {
  expect(res.status, `unexpected 500: ${res.text}`).not.toBe(500);
  const requestId = res.headers['x-oss-request-id'];
  expect(requestId, 'x-oss-request-id').toMatch(REQUEST_ID);
  expect(res.headers['server']).toBe('AliyunOSS');
  expect(res.headers['date'], 'Date header').toBeDefined();
  expect(Number.isNaN(Date.parse(res.headers['date'] ?? ''))).toBe(false);
  if (res.status < 400) return;
  expect(res.headers['x-oss-ec'], 'x-oss-ec on an error').toMatch(/^\d{4}-\d{8}$/);
  let xml: string;
  if (method === 'HEAD') {
    expect(res.body.length, 'HEAD error has no body').toBe(0);
    expect(res.headers['x-oss-err'], 'x-oss-err on a HEAD error').toBeDefined();
    xml = Buffer.from(res.headers['x-oss-err']!, 'base64').toString('utf8');
  } else {
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    xml = res.text;
  }
  const error = errorDocument(xml);
  expect(error.RequestId).toBe(requestId);
  expect(error.EC).toBe(res.headers['x-oss-ec']);
}

export interface ErrorDocument {
  Code: string;
  Message: string;
  RequestId: string;
  HostId: string;
  EC: string;
  [name: string]: string;
}

/**
 * Parses an OSS error document and checks its shape: root <Error> without a namespace, children
 * starting Code, Message, RequestId, HostId, EC in that order.
 */
export function errorDocument(xml: string): ErrorDocument {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), xml).toBe(true);
  const { root, attributes, children } = xmlOutline(xml);
  expect(root).toBe('Error');
  expect(attributes, 'no namespace on <Error>').toEqual({});
  expect(children.slice(0, 5)).toEqual(['Code', 'Message', 'RequestId', 'HostId', 'EC']);
  return parseXml(xml)['Error'] as ErrorDocument;
}

/** The error document of a response (body, or x-oss-err for HEAD). */
export function errorOf(res: OssResponse): ErrorDocument {
  const xml = res.body.length === 0 && res.headers['x-oss-err'] ? Buffer.from(res.headers['x-oss-err'], 'base64').toString('utf8') : res.text;
  return errorDocument(xml);
}

/** Asserts an OSS error: status, Code, and (when given) EC and Message. Returns the document. */
export function expectError(res: OssResponse, status: number, code: string, extra: { ec?: string; message?: string } = {}): ErrorDocument {
  expect(res.status, `${code} expected, got ${res.status}: ${res.text || res.headers['x-oss-err'] || ''}`).toBe(status);
  const error = errorOf(res);
  expect(error.Code).toBe(code);
  if (extra.ec !== undefined) {
    expect(error.EC).toBe(extra.ec);
    expect(res.headers['x-oss-ec']).toBe(extra.ec);
  }
  if (extra.message !== undefined) expect(error.Message).toBe(extra.message);
  return error;
}

/** Asserts a success with an empty body and Content-Length 0 (PUT, append, ACL and tag writes). */
export function expectEmptySuccess(res: OssResponse, status = 200): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.length).toBe(0);
  if (status !== 204) expect(res.headers['content-length']).toBe('0');
}

// ---- XML ---------------------------------------------------------------------------------------

/** Elements that repeat in OSS responses, so a single one still parses as an array. */
const REPEATED = new Set([
  'ListBucketResult.Contents',
  'ListBucketResult.CommonPrefixes',
  'ListAllMyBucketsResult.Buckets.Bucket',
  'Tagging.TagSet.Tag',
  'DeleteResult.Deleted',
  'ListMultipartUploadsResult.Upload',
]);

const plainParser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});
const orderedParser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false });

/** Parses XML into plain objects; text content as strings, empty elements as ''. */
export function parseXml(xml: string): Record<string, unknown> {
  return plainParser.parse(xml) as Record<string, unknown>;
}

/** The root element's name, attributes and child element names in document order. */
export function xmlOutline(xml: string): { root: string; attributes: Record<string, string>; children: string[] } {
  const doc = orderedParser.parse(xml) as Array<Record<string, unknown>>;
  const rootNode = doc.find((node) => !Object.keys(node).some((k) => k === '?xml'))!;
  const root = Object.keys(rootNode).find((k) => k !== ':@')!;
  const attributes = (rootNode[':@'] as Record<string, string> | undefined) ?? {};
  const children = (rootNode[root] as Array<Record<string, unknown>>).flatMap((child) => Object.keys(child).filter((k) => k !== ':@' && k !== '#text'));
  return { root, attributes, children };
}

/** Child element names, in order, of the first `<name>` element (e.g. the first <Contents>). */
export function childOrder(xml: string, name: string): string[] {
  const doc = orderedParser.parse(xml) as unknown;
  const find = (nodes: unknown): string[] | undefined => {
    if (!Array.isArray(nodes)) return undefined;
    for (const node of nodes as Array<Record<string, unknown>>) {
      for (const [k, v] of Object.entries(node)) {
        if (k === name) return (v as Array<Record<string, unknown>>).flatMap((c) => Object.keys(c).filter((x) => x !== ':@' && x !== '#text'));
        const deeper = find(v);
        if (deeper) return deeper;
      }
    }
    return undefined;
  };
  return find(doc) ?? [];
}

/** Converts a value that may be an array, a single item or absent into an array. */
export function asArray<T>(value: T | T[] | undefined | ''): T[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

// ---- raw sockets -------------------------------------------------------------------------------

export interface RawResponse extends OssResponse {
  statusLine: string;
}

/**
 * Writes `data` verbatim to a new TCP connection and reads one HTTP response: for request shapes
 * supertest cannot produce (absolute-form targets, chunked bodies, lying Content-Length, garbage).
 * Resolves once a complete response (by Content-Length, chunked terminator, or close) has arrived.
 * `method` says how to read the response (a HEAD response has no body).
 */
export function rawHttp(port: number, method: string, data: ReadonlyArray<Buffer | string>, check = true, halfClose = false): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const settle = (atEnd: boolean): void => {
      if (settled) return;
      const parsed = parseRawResponse(received, method, atEnd);
      if (!parsed) {
        if (atEnd) {
          settled = true;
          reject(new Error(`incomplete response: ${JSON.stringify(received.toString('latin1'))}`));
        }
        return;
      }
      settled = true;
      socket.destroy();
      try {
        if (check) expectCommonResponse(parsed, method);
        resolve(parsed);
      } catch (error) {
        reject(error as Error);
      }
    };
    socket.on('data', (piece: Buffer) => {
      received = Buffer.concat([received, piece]);
      settle(false);
    });
    socket.on('close', () => settle(true));
    socket.on('error', () => settle(true));
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('connect', () => {
      for (const piece of data) socket.write(piece);
      // A client that stops sending: the server sees the request body end early.
      if (halfClose) socket.end();
    });
  });
}

export interface RawRequestOptions {
  /** The request target as sent (e.g. an absolute-form URL); default path + query of `req`. */
  target?: string;
  /** Send the body with Transfer-Encoding: chunked, in these pieces (instead of req.body). */
  chunks?: Array<Buffer | string>;
  /** Extra header lines sent after the signed ones (not signed), e.g. a lying Content-Length. */
  extraHeaders?: Record<string, string>;
  /** Omit Content-Length for a non-chunked body-less request. */
  noContentLength?: boolean;
  /** Written after the headers instead of the body (e.g. only part of a declared body). */
  rawBody?: Buffer | string;
  check?: boolean;
  /** Close our sending side after writing (a client that gives up mid-body). */
  halfClose?: boolean;
}

/** Builds, signs (V1 unless `auth: 'none'`) and sends `req` over a raw socket. */
export function rawOss(port: number, req: OssRequest, options: RawRequestOptions = {}): Promise<RawResponse> {
  const signed = req.auth === 'none' ? { ...(req.headers ?? {}) } : signV1(req);
  const target = options.target ?? (req.path ?? objectPath(req.bucket, req.key)) + (req.query ? `?${req.query}` : '');
  const lines = [`${req.method} ${target} HTTP/1.1`, `Host: ${req.host ?? `127.0.0.1:${port}`}`, 'Connection: close'];
  for (const [name, value] of Object.entries(signed)) lines.push(`${name}: ${value}`);
  const pieces: Array<Buffer | string> = [];
  if (options.chunks) {
    lines.push('Transfer-Encoding: chunked');
    for (const chunk of options.chunks) {
      const bytes = Buffer.from(chunk);
      pieces.push(`${bytes.length.toString(16)}\r\n`, bytes, '\r\n');
    }
    pieces.push('0\r\n\r\n');
  } else if (options.rawBody !== undefined) {
    pieces.push(Buffer.from(options.rawBody));
  } else if (!options.noContentLength && (req.body !== undefined || req.method === 'PUT' || req.method === 'POST')) {
    const bytes = Buffer.from(req.body ?? '');
    lines.push(`Content-Length: ${bytes.length}`);
    pieces.push(bytes);
  }
  for (const [name, value] of Object.entries(options.extraHeaders ?? {})) lines.push(`${name}: ${value}`);
  return rawHttp(port, req.method, [`${lines.join('\r\n')}\r\n\r\n`, ...pieces], options.check ?? true, options.halfClose ?? false);
}

function parseRawResponse(buffer: Buffer, method: string, atEnd: boolean): RawResponse | undefined {
  const headerEnd = buffer.indexOf('\r\n\r\n');
  if (headerEnd === -1) return undefined;
  const lines = buffer.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const statusLine = lines[0]!;
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  const rawHeaders: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    rawHeaders.push(name, value);
    headers[name.toLowerCase()] = headers[name.toLowerCase()] === undefined ? value : `${headers[name.toLowerCase()]}, ${value}`;
  }
  let rest = buffer.subarray(headerEnd + 4);
  let body: Buffer;
  if (method === 'HEAD' || status === 204 || status === 304) {
    body = Buffer.alloc(0);
  } else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const pieces: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd === -1) return undefined;
      const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) break;
      pieces.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    body = Buffer.concat(pieces);
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return undefined;
    body = rest.subarray(0, length);
  } else {
    if (!atEnd) return undefined;
    body = rest;
  }
  return { statusLine, status, headers, rawHeaders, body, text: body.toString('utf8') };
}
