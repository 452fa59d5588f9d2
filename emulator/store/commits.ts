import type { Database, Statement } from 'better-sqlite3';
import type { Journal } from './journal.js';

/**
 * A deferred batch is committed at the latest this long after its first write. Longer batches
 * commit less often but keep each append's records alive long enough to be promoted out of V8's
 * young generation: at 20 ms the bench's emulator held ~16 MB more after 16 concurrent appenders.
 */
export const BATCH_INTERVAL_MS = 10;
/**
 * ...or once it holds this many journaled writes or attached bytes: this bounds the journal, the
 * writes and bytes held in memory (see `ByteWriter.finishPending`) and the replay at start.
 */
export const BATCH_MAX_WRITES = 2048;
export const BATCH_MAX_ATTACHED_BYTES = 8 * 1024 * 1024;

/** What a Commits needs from its store. */
export interface CommitHooks<R> {
  /** Applies deferred writes to SQLite, in order; false if one does not fit the state it finds. */
  apply: (writes: readonly R[]) => boolean;
  /** Runs before every commit: writes out the bytes that journal records held back. */
  beforeCommit: () => void;
}

/** What the rest of the store needs of Commits: transactions, and SQLite brought up to date before a read. */
export interface Transactions {
  atomically<T>(body: () => T): T;
  applyDeferred(): void;
}

/**
 * Decides when SQLite sees and commits writes. Every write is its own transaction, committed
 * before it returns (`atomically`), except the writes that are deferred: the hot path of
 * AppendObject. A deferred write is made durable before `defer` returns by one record in the
 * journal (which may carry the bytes of a small body too), and is otherwise only kept in memory:
 * SQLite applies it when something next reads or writes the store (`applyDeferred`, in one
 * transaction left open), and commits it at the latest BATCH_INTERVAL_MS later. So a run of
 * small appends costs one file write each, and SQLite's statements and commit (which writes and
 * checksums WAL frames for every page it touched) are paid once per batch.
 *
 * Order is kept: any other write first applies and commits the batch. After a crash the
 * batch is gone from SQLite but its records are in the journal, and `replay` applies the ones
 * after the last committed sequence number (kept in SQLite by every batch commit) before anything
 * else reads the store. A record is only ever applied to the state it was first accepted on, so
 * applying it again gives the same result.
 */
export class Commits<R> implements Transactions {
  private readonly transaction: (body: () => unknown) => unknown;
  private readonly stmt: { begin: Statement; commit: Statement; appliedSeq: Statement; setAppliedSeq: Statement };
  /** Journaled writes SQLite has not applied yet, in order. */
  private unapplied: R[] = [];
  /** Journaled writes applied in the open transaction, not committed: applied again if it rolls back. */
  private uncommitted: R[] = [];
  /** The batch's transaction is open (writes applied but not committed). */
  private transactionOpen = false;
  private batchWrites = 0;
  private batchAttachedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The last journaled write committed to SQLite (kept there too, in journal_applied). */
  private appliedSeq: number;
  /** The last journaled write. */
  private seq: number;

  /** Without a journal (an in-memory store, which a crash loses anyway) nothing is deferred. */
  constructor(
    private readonly db: Database,
    private readonly journal: Journal<R> | undefined,
    private readonly hooks: CommitHooks<R>,
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
    this.hooks.beforeCommit();
    return this.transaction(body) as T;
  }

  /**
   * Accepts a write the caller has checked against the store's current state (including the
   * deferred writes before it). Journaled with `attachment` (the bytes it needs back after a
   * crash) before this returns, so the caller may acknowledge it; if the journal cannot be
   * written this throws and nothing changed. Without a journal it is applied and committed now.
   */
  defer(write: R, attachment?: Buffer): void {
    if (!this.journal) {
      this.atomically(() => this.applyOrFail([write]));
      return;
    }
    this.seq = this.journal.write(write, attachment);
    this.unapplied.push(write);
    this.batchWrites++;
    this.batchAttachedBytes += attachment?.length ?? 0;
    // The write is durable now and will be acknowledged: a commit that fails here (a full disk)
    // must not fail it, or its caller would undo bytes the journal still applies. Retry later.
    if (this.batchWrites >= BATCH_MAX_WRITES || this.batchAttachedBytes >= BATCH_MAX_ATTACHED_BYTES) this.flushOrRetryLater();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flushOrRetryLater(), BATCH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Brings SQLite up to date with the deferred writes (uncommitted): before anything reads it. */
  applyDeferred(): void {
    if (this.unapplied.length === 0) return;
    if (!this.transactionOpen) {
      this.stmt.begin.run();
      this.transactionOpen = true;
    }
    // All or none: if one does not apply, the ones before it are rolled back too and all stay pending.
    this.transaction(() => this.applyOrFail(this.unapplied));
    this.uncommitted.push(...this.unapplied);
    this.unapplied = [];
  }

  /** Applies and commits the batch, if any; its journal records are then no longer needed. */
  flush(): void {
    if (!this.transactionOpen && this.unapplied.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.applyDeferred();
    try {
      this.hooks.beforeCommit();
      this.stmt.setAppliedSeq.run(this.seq);
      this.stmt.commit.run();
    } catch (error) {
      // SQLite ends the transaction itself on some failures (a full disk rolls it back): then the
      // writes it held are applied again, before any later ones, at the next attempt. Otherwise
      // the transaction stays open, to be committed next time.
      this.transactionOpen = this.db.inTransaction;
      if (!this.transactionOpen) {
        this.unapplied = [...this.uncommitted, ...this.unapplied];
        this.uncommitted = [];
      }
      throw error;
    }
    this.transactionOpen = false;
    this.uncommitted = [];
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

  private applyOrFail(writes: readonly R[]): void {
    // The caller checked each write against the state it is applied to: a mismatch means the
    // database was changed behind the store's back.
    if (!this.hooks.apply(writes)) throw new Error('a deferred write does not fit the database: it was changed behind the store');
  }

  private flushOrRetryLater(): void {
    this.timer = undefined;
    if (!this.db.open) return; // closed without close(): nothing to commit into
    try {
      this.flush();
    } catch {
      // The journal still holds every write of the batch; try again shortly.
      this.timer = setTimeout(() => this.flushOrRetryLater(), BATCH_INTERVAL_MS);
      this.timer.unref();
    }
  }
}
