import { request, Agent } from 'node:http';
import { v1AuthorizationHeader } from '../../client/signing/index.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../emulator/config.js';

/** A minimal V1-signed, path-style request for tests that drive a server process directly. */
export interface SignedRequest {
  method: string;
  bucket: string;
  key?: string;
  query?: Array<[string, string | null]>;
  headers?: Record<string, string>;
  body?: Buffer | AsyncIterable<Buffer>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function signedRequest(endpoint: string, req: SignedRequest): Promise<RawResponse> {
  const query = req.query ?? [];
  const headers: Record<string, string> = { date: new Date().toUTCString(), ...req.headers };
  headers['authorization'] = v1AuthorizationHeader(
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    { method: req.method, bucket: req.bucket, key: req.key, query, headers },
    headers['date']!,
  );
  const path =
    `/${req.bucket}/${req.key === undefined ? '' : req.key.split('/').map(encodeURIComponent).join('/')}` +
    (query.length ? '?' + query.map(([k, v]) => (v === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&') : '');
  const url = new URL(path, endpoint);
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: req.method, headers, agent }, (res) => {
      const pieces: Buffer[] = [];
      res.on('data', (p: Buffer) => pieces.push(p));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(pieces) }));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    const body = req.body;
    if (body === undefined) outgoing.end();
    else if (Buffer.isBuffer(body)) outgoing.end(body);
    else
      void (async () => {
        try {
          for await (const piece of body) if (!outgoing.write(piece)) await new Promise((r) => outgoing.once('drain', r));
          outgoing.end();
        } catch (error) {
          outgoing.destroy(error as Error);
        }
      })();
  });
}

export function append(endpoint: string, bucket: string, key: string, position: number, body: Buffer): Promise<RawResponse> {
  return signedRequest(endpoint, {
    method: 'POST',
    bucket,
    key,
    query: [['append', null], ['position', String(position)]],
    headers: { 'content-length': String(body.length) },
    body,
  });
}
