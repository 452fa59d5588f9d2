import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { readPieces } from './read-pieces.js';

/** A stream that has already received `pieces` and its end, as a request whose body has arrived. */
function arrived(pieces: string[]): PassThrough {
  const stream = new PassThrough();
  for (const piece of pieces) stream.write(piece);
  stream.end();
  return stream;
}

describe('readPieces', () => {
  test('a consumer that returns a promise gets no further piece, nor the end, until it settles', async () => {
    const seen: string[] = [];
    let release!: () => void;
    let busy = false;
    const reading = readPieces(arrived(['a', 'b', 'c']), (piece) => {
      expect(busy).toBe(false);
      seen.push(piece.toString());
      if (seen.length === 1) {
        busy = true;
        return new Promise<void>((resolve) => (release = resolve));
      }
    });
    await sleep(30);
    expect(seen).toEqual(['a']);
    busy = false;
    release();
    await reading;
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  test('the end waits for the last piece to be taken', async () => {
    let taken = false;
    await readPieces(arrived(['only']), () => sleep(20).then(() => void (taken = true)));
    expect(taken).toBe(true);
  });

  test("a consumer's rejected promise stops reading with its error", async () => {
    const seen: string[] = [];
    const failure = new Error('disk full');
    const reading = readPieces(arrived(['a', 'b']), (piece) => {
      seen.push(piece.toString());
      return Promise.reject(failure);
    });
    await expect(reading).rejects.toBe(failure);
    expect(seen).toEqual(['a']);
  });

  test('time spent paused for the consumer does not count against the idle limit', async () => {
    const stream = new PassThrough();
    const idle = { ms: 60, error: () => new Error('idle') };
    const reading = readPieces(stream, () => sleep(150), idle);
    stream.write('a');
    await sleep(100); // still inside the consumer's 150 ms
    stream.end('b');
    await expect(reading).resolves.toBeUndefined();
  });

  test('a client that stalls after the pause still meets the idle limit', async () => {
    const stream = new PassThrough();
    const reading = readPieces(stream, () => sleep(10), { ms: 60, error: () => new Error('idle') });
    stream.write('a');
    await expect(reading).rejects.toThrow('idle');
  });

  test('a body cut off before reading began fails at once, not at the idle limit', async () => {
    const stream = new PassThrough();
    stream.write('part of it');
    stream.destroy();
    await sleep(10); // its 'close' has been emitted, with nobody listening
    const started = performance.now();
    await expect(readPieces(stream, () => undefined, { ms: 5_000, error: () => new Error('idle') })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
