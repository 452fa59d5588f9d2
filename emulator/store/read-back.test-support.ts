import { Writable } from 'node:stream';
import type { Store } from './store.js';

/** For tests: bytes [start, end) of object `key` in bucket `b`, downloaded as a GET would. */
export async function readBack(store: Store, key: string, start = 0, end?: number): Promise<Buffer> {
  const object = store.getObject('b', key)!;
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
