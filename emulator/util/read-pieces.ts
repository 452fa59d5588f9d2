import { Readable } from 'node:stream';

/** How long a body may go without a new piece, and the error it then fails with. */
export interface IdleLimit {
  ms: number;
  error: () => Error;
}

/**
 * Calls `consume` for every piece of a body, in order. A Node stream (a request) is read through
 * its 'data' events, which for small bodies costs far less than an async iterator; anything else
 * is iterated. If `consume` throws, reading stops and the promise rejects with that error. If it
 * returns a promise (it has taken all it can for now), reading pauses until that settles, and
 * stops with its error if it rejects.
 *
 * With `idle`, a stream that delivers no piece for `idle.ms` (a client that sent fewer bytes than
 * its Content-Length, or stalled) fails with `idle.error()` instead of waiting for ever. Only Node
 * streams are watched: an iterable (a seed file's contents) is read without a limit.
 */
export function readPieces(body: AsyncIterable<Buffer>, consume: (piece: Buffer) => void | Promise<void>, idle?: IdleLimit): Promise<void> {
  if (!(body instanceof Readable)) {
    return (async () => {
      for await (const piece of body) await consume(piece);
    })();
  }
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (): void => {
      settled = true;
      clearTimeout(timer);
      body.off('data', onData);
    };
    const fail = (error: unknown): void => {
      settle();
      body.pause();
      reject(error);
    };
    const watch = (): void => {
      if (!idle || idle.ms <= 0) return;
      // refresh() re-arms the same timer: no allocation per piece.
      if (timer) timer.refresh();
      else timer = setTimeout(() => fail(idle.error()), idle.ms);
    };
    /** Set while paused for `consume`: 'end' then waits for it, as the last piece is not taken yet. */
    let taking: Promise<void> | undefined;
    const onData = (piece: Buffer): void => {
      watch();
      let busy: void | Promise<void>;
      try {
        busy = consume(piece);
      } catch (error) {
        return fail(error);
      }
      if (!busy) return;
      // Our own wait, not the client's stall: the idle limit starts again once reading resumes.
      body.pause();
      clearTimeout(timer);
      timer = undefined;
      taking = busy.then(() => {
        taking = undefined;
        if (settled) return; // failed meanwhile (the client went away): leave the stream paused
        watch();
        body.resume();
      }, fail);
    };
    body.on('data', onData);
    body.once('end', () => {
      const done = (): void => {
        settle();
        resolve();
      };
      if (taking) void taking.then(done);
      else done();
    });
    body.once('error', fail);
    // A client that goes away mid-body: 'aborted' on the request, then 'close' without 'end'.
    const aborted = (): Error => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    body.once('close', () => {
      if (!body.readableEnded) fail(aborted());
    });
    // Gone before anyone listened: its 'close' has fired already, and no 'end' will come.
    if (body.readableAborted) return fail(aborted());
    watch();
  });
}
