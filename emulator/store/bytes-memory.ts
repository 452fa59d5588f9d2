import { WRITE_BUFFER_BYTES, type ByteStore, type ByteWriter, type PendingExtent } from './bytes.js';

/** In-memory byte store (`--in-memory`): each extent is its own Buffer of at most 1 MiB. */
export class MemoryByteStore implements ByteStore {
  private readonly chunks = new Map<number, Buffer>();
  private nextId = 1;

  writer(): ByteWriter {
    const written: number[] = [];
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = (): void => {
      if (pendingBytes === 0) return;
      const id = this.nextId++;
      this.chunks.set(id, Buffer.concat(pending, pendingBytes));
      written.push(id);
      pending = [];
      pendingBytes = 0;
    };
    return {
      write: (piece) => {
        let rest = piece;
        while (pendingBytes + rest.length >= WRITE_BUFFER_BYTES) {
          const take = WRITE_BUFFER_BYTES - pendingBytes;
          pending.push(rest.subarray(0, take));
          pendingBytes += take;
          rest = rest.subarray(take);
          flush();
        }
        if (rest.length > 0) {
          pending.push(rest);
          pendingBytes += rest.length;
        }
      },
      finish: (): Promise<PendingExtent[]> => {
        flush();
        return Promise.resolve(written.map((id) => ({ source: id, position: 0, length: this.chunks.get(id)!.length })));
      },
      release: () => undefined,
      abort: () => {
        for (const id of written) this.chunks.delete(id);
        written.length = 0;
        pending = [];
        pendingBytes = 0;
      },
    };
  }

  read(source: number, position: number, length: number): Buffer {
    const chunk = this.chunks.get(source);
    if (!chunk) throw new Error(`no chunk ${source}`);
    return chunk.subarray(position, position + length);
  }

  reclaim(sources: Iterable<number>, isReferenced: (source: number) => boolean): void {
    for (const source of sources) if (!isReferenced(source)) this.chunks.delete(source);
  }

  takeReclaimable(): number[] {
    return []; // a chunk is only reclaimable once committed, and then no writer holds it
  }

  recover(): void {
    // Nothing survives a restart in memory.
  }

  writePending(): void {
    // Writers here never hold bytes back (no finishPending).
  }

  restore(): void {
    throw new Error('an in-memory store keeps no journal to restore from');
  }

  usage(): { sources: number; bytes: number } {
    let bytes = 0;
    for (const chunk of this.chunks.values()) bytes += chunk.length;
    return { sources: this.chunks.size, bytes };
  }

  close(): void {
    this.chunks.clear();
  }
}
