import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * OSS signs each callback request so the application server can tell it came from OSS: the
 * `authorization` header is base64 of an RSA signature (MD5, PKCS#1 v1.5) of the URL-decoded path,
 * the query string as sent (with its `?`), a newline and the body; `x-oss-pub-key-url` is base64
 * of where the public key is. OSS's key is at gosspublic.alicdn.com; ossemu makes its own key pair
 * (1024 bits, as OSS's) on the first callback and serves the public key at
 * `/_ossemu/callback-public-key`, so a server that verifies must fetch the key from the URL given.
 */
let keys: { privateKey: KeyObject; publicPem: string } | undefined;

function keyPair(): { privateKey: KeyObject; publicPem: string } {
  if (!keys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    keys = { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }
  return keys;
}

/** The public key that verifies ossemu's callback signatures, as PEM. */
export function callbackPublicKeyPem(): string {
  return keyPair().publicPem;
}

/** The `authorization` header of a callback request to `url` with `body`. */
export function signCallback(url: URL, body: Buffer): string {
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname; // a malformed escape stays as sent
  }
  const signed = Buffer.concat([Buffer.from(`${path}${url.search}\n`), body]);
  return sign('md5', signed, keyPair().privateKey).toString('base64');
}
