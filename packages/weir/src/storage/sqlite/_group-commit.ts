/**
 * @module storage/sqlite/_group-commit
 * Group commit: writes issued in the same turn of the event loop (steps in flight finishing
 * together) share one SQLite transaction, one write failing alone, and each caller hears of
 * its write only once the transaction has committed.
 */
import type Database from 'better-sqlite3';

interface Pending<T> {
  write: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private queue: Array<Pending<unknown>> = [];
  private scheduled = false;
  /** Every write of a batch, one after another: a write that throws rolls the batch back. */
  private readonly all: Database.Transaction<(batch: Array<Pending<unknown>>) => Outcome[]>;
  /** Every write of a batch, each in its own savepoint, so one that throws fails alone. */
  private readonly each: Database.Transaction<(batch: Array<Pending<unknown>>) => Outcome[]>;

  constructor(db: Database.Database) {
    this.all = db.transaction((batch: Array<Pending<unknown>>) =>
      batch.map((item): Outcome => ({ ok: true, value: item.write() })),
    );
    // A transaction function nested in another runs in a savepoint.
    const savepoint = db.transaction((write: () => unknown) => write());
    this.each = db.transaction((batch: Array<Pending<unknown>>) =>
      batch.map((item): Outcome => {
        try {
          return { ok: true, value: savepoint(item.write) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Runs `write` (a function that writes and may throw) in the next group transaction. */
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
    let outcomes: Outcome[];
    try {
      // Immediate: the checks inside (leases) and the writes see one state. Optimistic: a
      // write almost never throws, and a savepoint per write cost more than the write's
      // share of the commit; when one does throw, nothing was written, and the batch is
      // written again with a savepoint each.
      outcomes = batch.length === 1 ? this.all.immediate(batch) : this.tryAll(batch);
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

  private tryAll(batch: Array<Pending<unknown>>): Outcome[] {
    try {
      return this.all.immediate(batch);
    } catch {
      return this.each.immediate(batch);
    }
  }
}
