import type { Database, Statement } from 'better-sqlite3';
import type { Journal } from './journal.js';

/** A deferred batch is committed at the latest this long after its first write. */
export const BATCH_INTERVAL_MS = 20;
/** ...or once it holds this many journaled writes or attached bytes: this bounds the journal, the
 * bytes held back in memory (see `ByteWriter.finishPending`) and the replay at start. */
export const BATCH_MAX_WRITES = 2048;
export const BATCH_MAX_ATTACHED_BYTES = 8 * 1024 * 1024;

/**
 * Decides when SQLite commits. Every write is its own transaction, committed before it returns
 * (`atomically`), except the writes that ask to be deferred: the hot path of AppendObject. Those
 * run in one transaction left open for up to BATCH_INTERVAL_MS, and each is made durable before
 * it returns by a redo record in the journal: one small file write instead of a SQLite commit
 * (which writes and checksums WAL frames for every page it touched), the main cost of a small
 * append. A record may carry the bytes of a small body, which then reach their extent file only
 * when the batch commits (`beforeCommit`), so such an append is a single file write. Reads on
 * the same connection see the open transaction, so nothing else changes.
 *
 * Order is kept: any other write first commits the open batch. After a crash the batch's changes
 * are gone from SQLite but its records are in the journal, and `replay` applies the ones after
 * the last committed sequence number (kept in SQLite by every batch commit) before anything else
 * reads the store. A record is only ever applied to the state it was first applied to, so
 * applying it again gives the same result.
 */
export class Commits<R> {
  private readonly transaction: (body: () => unknown) => unknown;
  private readonly stmt: { begin: Statement; commit: Statement; appliedSeq: Statement; setAppliedSeq: Statement };
  private batchOpen = false;
  private batchWrites = 0;
  private batchAttachedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The last journaled write committed to SQLite (kept there too, in journal_applied). */
  private appliedSeq: number;
  /** The last journaled write. */
  private seq: number;

  /**
   * Without a journal (an in-memory store, which a crash loses anyway) nothing is deferred.
   * `beforeCommit` runs before every commit: it writes out bytes that journal records held back.
   */
  constructor(
    private readonly db: Database,
    private readonly journal: Journal<R> | undefined,
    private readonly beforeCommit: () => void,
  ) {
    this.transaction = db.transaction((body: () => unknown) => body());
    this.stmt = {
      begin: db.prepare('BEGIN'),
      commit: db.prepare('COMMIT'),
      appliedSeq: db.prepare('SELECT seq FROM journal_applied WHERE id = 1'),
      setAppliedSeq: db.prepare('UPDATE journal_applied SET seq = ? WHERE id = 1'),
    };
    this.appliedSeq = (this.stmt.appliedSeq.get() as { seq: number }).seq;
    this.seq = this.appliedSeq;
    journal?.restart(this.appliedSeq);
  }

  /** Runs `body` in one transaction, committed before this returns: all of it, or (if it throws) none of it. */
  atomically<T>(body: () => T): T {
    this.flush();
    this.beforeCommit();
    return this.transaction(body) as T;
  }

  /**
   * Runs `body` inside the open batch. If it returns a write, that write (with `attachment`, the
   * bytes it needs back after a crash) is journaled before this returns, so the caller may
   * acknowledge it; if it throws, or the journal cannot be written, none of its changes remain.
   * A body returning undefined changed nothing.
   */
  deferred<T extends R>(body: () => T | undefined, attachment?: Buffer): T | undefined {
    const journal = this.journal;
    if (!journal) return this.atomically(body);
    if (!this.batchOpen) this.openBatch();
    const write = this.transaction(() => {
      const done = body();
      if (done !== undefined) this.seq = journal.write(done, attachment);
      return done;
    }) as T | undefined;
    if (write === undefined) return undefined;
    this.batchWrites++;
    this.batchAttachedBytes += attachment?.length ?? 0;
    if (this.batchWrites >= BATCH_MAX_WRITES || this.batchAttachedBytes >= BATCH_MAX_ATTACHED_BYTES) this.flush();
    return write;
  }

  /** Commits the open batch, if any; its journal records are then no longer needed. */
  flush(): void {
    if (!this.batchOpen) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.beforeCommit();
      this.stmt.setAppliedSeq.run(this.seq);
      this.stmt.commit.run();
    } finally {
      // SQLite ends the transaction itself on some failures; anything else is retried next time.
      this.batchOpen = this.db.inTransaction;
    }
    this.appliedSeq = this.seq;
    this.batchWrites = 0;
    this.batchAttachedBytes = 0;
    this.journal?.restart(this.appliedSeq);
  }

  /**
   * At start, before anything reads the store: applies the journaled writes a crash kept out of
   * SQLite, in order, and commits them. `apply` returns false for a write that does not fit the
   * state it finds, which means the journal and the database disagree: that stops the start.
   */
  replay(apply: (write: R, attachment: Buffer | undefined) => boolean): number {
    const journal = this.journal;
    if (!journal) return 0;
    const pending = journal.found.filter((record) => record.seq > this.appliedSeq);
    if (pending.length > 0 && pending[0]!.seq !== this.appliedSeq + 1) {
      throw new Error(`${journal.path}: writes ${this.appliedSeq + 1} to ${pending[0]!.seq - 1} are missing; the data folder is inconsistent`);
    }
    this.transaction(() => {
      for (const { seq, entry, attachment } of pending) {
        if (!apply(entry, attachment)) {
          throw new Error(`${journal.path}: write ${seq} does not fit the database; the data folder is inconsistent`);
        }
        this.seq = seq;
      }
      this.stmt.setAppliedSeq.run(this.seq);
    });
    this.appliedSeq = this.seq;
    journal.restart(this.appliedSeq);
    return pending.length;
  }

  close(): void {
    if (this.db.open) this.flush();
    this.journal?.close();
  }

  private openBatch(): void {
    this.stmt.begin.run();
    this.batchOpen = true;
    this.timer = setTimeout(() => this.flushFromTimer(), BATCH_INTERVAL_MS);
    this.timer.unref();
  }

  private flushFromTimer(): void {
    if (!this.db.open) return; // closed without close(): nothing to commit into
    try {
      this.flush();
    } catch {
      // The journal still holds every write of the batch; try again shortly.
      if (this.batchOpen) {
        this.timer = setTimeout(() => this.flushFromTimer(), BATCH_INTERVAL_MS);
        this.timer.unref();
      }
    }
  }
}
