/**
 * A server under test (the emulator or the ceiling) seen through OSS requests. Both get exactly
 * the same signed requests, so the load generator does the same work for either.
 */
import { Crc64 } from '../client/crc64.js';
import { v1AuthorizationHeader } from '../client/signing/index.js';
import { HttpClient, type HttpResponse } from './load.js';
import type { Child } from './processes.js';

export type TargetName = 'emulator' | 'ceiling';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export class Target {
  constructor(
    readonly name: TargetName,
    readonly child: Child,
    readonly bucket: string,
    private readonly credentials: Credentials,
  ) {}

  /** The same server kind and credentials, in another process. */
  withChild(child: Child): Target {
    return new Target(this.name, child, this.bucket, this.credentials);
  }

  /** A session of at most `connections` keep-alive connections; close it when done. */
  connect(connections: number): Session {
    return new Session(this, new HttpClient(this.child.origin, connections), this.credentials);
  }
}

/** Signed OSS requests over one keep-alive client; every answer is checked. */
export class Session {
  constructor(
    readonly target: Target,
    readonly client: HttpClient,
    private readonly credentials: Credentials,
  ) {}

  private headers(method: string, key: string, query: Array<[string, string | null]>, extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { date: new Date().toUTCString(), ...extra };
    const { accessKeyId, accessKeySecret } = this.credentials;
    headers['authorization'] = v1AuthorizationHeader(accessKeyId, accessKeySecret, { method, bucket: this.target.bucket, key, query, headers }, headers['date']!);
    return headers;
  }

  private path(key: string, rawQuery = ''): string {
    return `/${this.target.bucket}/${encodeURIComponent(key)}${rawQuery}`;
  }

  /** AppendObject at `position`; returns the response (checked: 200 and the next position). */
  async append(key: string, position: number, body: Buffer): Promise<HttpResponse> {
    const headers = this.headers('POST', key, [['append', null], ['position', String(position)]], { 'content-type': 'application/octet-stream' });
    const res = await this.client.send({ method: 'POST', path: this.path(key, `?append&position=${position}`), headers, body });
    expectStatus(res, 200, `${this.target.name} append ${key}@${position}`);
    const next = Number(res.headers['x-oss-next-append-position']);
    if (next !== position + body.length) {
      throw new Error(`${this.target.name} append ${key}@${position}: next position ${next}, expected ${position + body.length}`);
    }
    return res;
  }

  /** Appends `piece` `count` times from `position`, one request after another; returns the next position. */
  async appendMany(key: string, position: number, piece: Buffer, count: number): Promise<number> {
    for (let i = 0; i < count; i++) position = Number((await this.append(key, position, piece)).headers['x-oss-next-append-position']);
    return position;
  }

  async head(key: string): Promise<HttpResponse> {
    const res = await this.client.send({ method: 'HEAD', path: this.path(key), headers: this.headers('HEAD', key, [], {}) });
    expectStatus(res, 200, `${this.target.name} HEAD ${key}`);
    return res;
  }

  /** GET the whole object; `size` is checked and tells the ceiling how much to send. */
  async get(key: string, size: number): Promise<HttpResponse> {
    const res = await this.client.send({ method: 'GET', path: this.path(key), headers: this.headers('GET', key, [], { 'x-bench-size': String(size) }) });
    expectStatus(res, 200, `${this.target.name} GET ${key}`);
    if (res.bytes !== size) throw new Error(`${this.target.name} GET ${key}: ${res.bytes} bytes, expected ${size}`);
    return res;
  }

  /**
   * Untimed: GETs the whole object, checksumming what arrives, and fails unless it is `piece`
   * repeated `count` times and the stored CRC-64 agrees. A benchmark that never read back what it
   * wrote once missed bodies corrupted past the 64 MiB extent-file boundary.
   */
  async verifyRepeated(key: string, piece: Buffer, count: number): Promise<void> {
    const received = new Crc64();
    const res = await this.client.send({ method: 'GET', path: this.path(key), headers: this.headers('GET', key, [], {}), onBody: (chunk) => received.update(chunk) });
    expectStatus(res, 200, `${this.target.name} GET ${key}`);
    const expected = new Crc64();
    for (let i = 0; i < count; i++) expected.update(piece);
    const what = `${this.target.name} ${key}`;
    if (res.bytes !== piece.length * count) throw new Error(`${what}: read back ${res.bytes} bytes, wrote ${piece.length * count}`);
    if (received.digest() !== expected.digest()) throw new Error(`${what}: the bytes read back are not the bytes written`);
    if (res.headers['x-oss-hash-crc64ecma'] !== expected.digest().toString()) throw new Error(`${what}: x-oss-hash-crc64ecma ${res.headers['x-oss-hash-crc64ecma']} is not the CRC-64 of the bytes written`);
  }

  close(): void {
    this.client.close();
  }
}

function expectStatus(res: HttpResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status}, expected ${status}\n${res.text}`);
}
