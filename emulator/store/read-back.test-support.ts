import { Writable } from 'node:stream';
import type { Store } from './store.js';

/** For tests: bytes [start, end) of object `key` in bucket `b` (or of one version of it), downloaded as a GET would. */
export async function readBack(store: Store, key: string, start = 0, end?: number, versionId?: string): Promise<Buffer> {
  const object = store.requireVersion('b', key, versionId);
  const pieces: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pieces.push(Buffer.from(chunk)); // a copy: the store reuses its read buffers
      done();
    },
  });
  await store.blobs.writeTo(out, object.blobId, start, end ?? object.size);
  return Buffer.concat(pieces);
}
