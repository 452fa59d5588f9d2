import { readSync, writeSync } from 'node:fs';

/** Writes `length` bytes of `buffer` at `position`, however many writes the kernel needs. */
export function writeAll(fd: number, buffer: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buffer, done, length - done, position + done);
}

/** Reads into all of `into` from `position`; returns how many bytes there were (fewer at the end of the file). */
export function readFully(fd: number, into: Buffer, position: number): number {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
