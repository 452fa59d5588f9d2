import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { UploadCallback } from './parse.js';
import { signCallback } from './signing.js';

/** The application server's answer, or why OSS would report the callback failed (203 CallbackFailed). */
export type CallbackOutcome = { ok: true; body: Buffer } | { ok: false; message: string; ec: string };

/** OSS reads at most this much of the application server's answer (its docs say 1 MB in most places). */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface DeliveryOptions {
  /** How long each URL may take (OSS: 5 s, not configurable). */
  timeoutMs: number;
  /** Where the server can fetch the key that verifies the signature. */
  publicKeyUrl: string;
  /** Aborts the delivery (the client's connection is gone, or the emulator shuts down). */
  signal: AbortSignal;
}

/**
 * POSTs the callback to each of its URLs in turn until one answers 200 with a JSON body, and
 * returns that answer, or the last failure.
 */
export async function deliverCallback(callback: UploadCallback, body: Buffer, options: DeliveryOptions): Promise<CallbackOutcome> {
  let outcome: CallbackOutcome = { ok: false, message: 'The callback has no URL.', ec: '0007-00000004' };
  for (const url of callback.urls) {
    if (options.signal.aborted) break;
    // node:https (and TLS) load on the first https callback: ~5 ms that start-up need not pay.
    const send = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
    outcome = await postOnce(send, url, callback, body, options);
    if (outcome.ok) break;
  }
  return outcome;
}

function postOnce(send: typeof httpRequest, url: URL, callback: UploadCallback, body: Buffer, options: DeliveryOptions): Promise<CallbackOutcome> {
  // additionalHeaders first: the request's own headers (parse.ts refuses them there anyway) are OSS's.
  const headers: Record<string, string> = Object.fromEntries(callback.headers);
  Object.assign(headers, {
    Host: callback.host ?? url.host,
    'Content-Type': callback.bodyType,
    'Content-Length': String(body.length),
    'User-Agent': 'http-client/0.0.1',
    authorization: signCallback(url, body),
    'x-oss-pub-key-url': Buffer.from(options.publicKeyUrl).toString('base64'),
  });
  const tls = url.protocol === 'https:' ? { rejectUnauthorized: false, servername: callback.sni ? (callback.host ?? url.hostname) : '' } : {};
  return new Promise((resolve) => {
    let settled = false;
    let request: ReturnType<typeof httpRequest> | undefined;
    const finish = (outcome: CallbackOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, message: 'Cost too long time', ec: '0007-00000202' }), options.timeoutMs);
    try {
      // A local server's self-signed certificate is accepted: the emulator has no CA of its own to check against.
      // An empty servername sends no SNI, as OSS does unless callbackSNI is true.
      request = send(url, { method: 'POST', headers, agent: false, signal: options.signal, ...tls }, (response) => {
        readAnswer(response).then(finish, () => finish(cannotConnect()));
      });
      request.on('error', () => finish(cannotConnect()));
      request.end(body);
    } catch {
      finish(cannotConnect()); // a request Node will not even make
    }
  });
}

/** OSS's verdict on the application server's answer. */
async function readAnswer(response: IncomingMessage): Promise<CallbackOutcome> {
  if (response.statusCode !== 200) {
    response.resume();
    return { ok: false, message: `Error status : ${response.statusCode}.`, ec: '0007-00000203' };
  }
  const declared = Number(response.headers['content-length'] ?? 0);
  const tooLong: CallbackOutcome = { ok: false, message: 'Error Status : 400.User server return too long content-length value.', ec: '0007-00000204' };
  if (declared > MAX_ANSWER_BYTES) return tooLong;
  const pieces: Buffer[] = [];
  let length = 0;
  for await (const piece of response as AsyncIterable<Buffer>) {
    length += piece.length;
    if (length > MAX_ANSWER_BYTES) return tooLong;
    pieces.push(piece);
  }
  const answer = Buffer.concat(pieces);
  try {
    JSON.parse(answer.toString('utf8')); // a byte-order mark makes it invalid, as in OSS
  } catch {
    return { ok: false, message: 'Response body is not valid json format.', ec: '0007-00000205' };
  }
  return { ok: true, body: answer };
}

function cannotConnect(): CallbackOutcome {
  // [GUESS] EC: OSS's message is documented, not its EC.
  return { ok: false, message: 'Error status : -1. OSS can not connect to your callbackUrl, please check it.', ec: '0007-00000201' };
}
