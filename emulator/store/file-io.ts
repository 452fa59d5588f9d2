import { readSync, writeSync, writevSync } from 'node:fs';

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

/** Writes the buffers back to back from `position`, in as few writev calls as the kernel allows. */
export function writevAll(fd: number, buffers: Buffer[], position: number): void {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    let n = writevSync(fd, rest, at);
    at += n;
    // Skip what was written; a partly written buffer continues from where it stopped.
    let i = 0;
    while (i < rest.length && n >= rest[i]!.length) n -= rest[i++]!.length;
    rest = rest.slice(i);
    if (n > 0) rest[0] = rest[0]!.subarray(n);
  }
}
