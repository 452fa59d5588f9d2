/**
 * One HTTP exchange over node:http / node:https with keep-alive agents: streams the request body
 * (chunked when it has no known length) and reads the whole response body into a Buffer.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { OssTransportError } from './errors.js';

/** A request body: sent with Content-Length when it is bytes or text, streamed chunked otherwise. */
export type Body = Buffer | Uint8Array | string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

export interface Exchange {
  protocol: 'http:' | 'https:';
  connectHost: string;
  port: number;
  method: string;
  /** Encoded path and query. */
  path: string;
  /** Final headers, lower-case names; sent as given. */
  headers: Record<string, string>;
  body?: Body;
  timeoutMs: number;
  /** For error messages. */
  url: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class Transport {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });

  send(exchange: Exchange): Promise<RawResponse> {
    const { method, url } = exchange;
    const secure = exchange.protocol === 'https:';
    const hostHeader = exchange.headers['host'];
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        reject(new OssTransportError(method, url, error));
      };
      const req = (secure ? httpsRequest : httpRequest)({
        host: exchange.connectHost,
        port: exchange.port,
        method,
        path: exchange.path,
        headers: exchange.headers,
        agent: secure ? this.https : this.http,
        // TLS name: the Host we claim (bucket.endpoint), not necessarily the address we dial.
        servername: secure && hostHeader !== undefined && isIP(stripPort(hostHeader)) === 0 ? stripPort(hostHeader) : undefined,
      });
      req.setTimeout(exchange.timeoutMs, () => {
        req.destroy(Object.assign(new Error(`no activity for ${exchange.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) });
        });
      });
      writeBody(req, exchange.body).catch((error: unknown) => req.destroy(error instanceof Error ? error : new Error(String(error))));
    });
  }

  /** Closes pooled keep-alive sockets. */
  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** True when the body's length is known up front (it is sent with Content-Length). */
export function isBytes(body: Body | undefined): body is Buffer | Uint8Array | string {
  return typeof body === 'string' || body instanceof Uint8Array;
}

export function byteLength(body: Buffer | Uint8Array | string): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

async function writeBody(req: ClientRequest, body: Body | undefined): Promise<void> {
  if (body === undefined) {
    req.end();
    return;
  }
  if (isBytes(body)) {
    req.end(body);
    return;
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    if (req.destroyed) return;
    if (!req.write(chunk)) await drained(req);
  }
  req.end();
}

function drained(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
