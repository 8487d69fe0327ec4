/**
 * @module storage/sqlite/_group-commit
 * Group commit: writes issued in the same turn of the event loop (steps in flight finishing
 * together) share one SQLite transaction, each in its own savepoint, so one write that fails
 * fails alone, and each caller hears of its write only once the transaction has committed.
 */
import type Database from 'better-sqlite3';

interface Pending<T> {
  write: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Array<Pending<unknown>> = [];
  private scheduled = false;
  private readonly commit: Database.Transaction<(batch: Array<Pending<unknown>>) => unknown[]>;

  constructor(db: Database.Database) {
    // Each write is a transaction function of its own: nested here, it runs in a savepoint.
    this.commit = db.transaction((batch: Array<Pending<unknown>>) =>
      batch.map((item) => {
        try {
          return { ok: true, value: item.write() };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Runs `write` (a better-sqlite3 transaction function) in the next group transaction. */
  submit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve, reject } as Pending<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  /** Commits what is queued now (also before a synchronous write, to keep issue order). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: Array<{ ok: boolean; value?: unknown; error?: unknown }>;
    try {
      // Immediate: the checks inside (leases) and the writes see one state.
      outcomes = this.commit.immediate(batch) as typeof outcomes;
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
