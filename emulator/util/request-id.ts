import { randomBytes } from 'node:crypto';

/**
 * 24 upper-case hex characters like real OSS (e.g. 566B6C3D6086505A0CFF0F68): eight for the
 * Unix time in seconds, then a per-process random prefix and a counter, so ids are unique
 * and sort roughly by time.
 */
const processTag = hex8(randomBytes(4).readUInt32BE(0));
let counter = 0;

export function newRequestId(now = Date.now()): string {
  counter = (counter + 1) >>> 0;
  return hex8(Math.floor(now / 1000) >>> 0) + processTag + hex8(counter);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0').toUpperCase();
}
