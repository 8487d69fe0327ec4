/**
 * @module queue/_unclaimed
 * Noticing a step no worker takes: once `afterMs` passed, the dispatch is read, and if it is
 * still queued (no worker of its tags is running, or all are busy) the caller is told, once.
 * A new user who forgot to start a worker then reads why nothing happens, instead of a run
 * that waits in silence.
 */
import type pg from 'pg';
import type { QueueSchema } from './_dispatches.js';

/** Watches dispatch `id`; returns a function that stops watching. */
export function watchUnclaimed(
  q: { connection: { pool: pg.Pool }; schema: QueueSchema },
  id: number,
  afterMs: number,
  report: (waitedMs: number) => void,
): () => void {
  const since = Date.now();
  let stopped = false;
  const timer = setTimeout(() => {
    void q.connection.pool
      .query<{ state: string }>(`SELECT state FROM ${q.schema.schema}.dispatches WHERE id = $1`, [
        id,
      ])
      .then(({ rows }) => {
        if (!stopped && rows[0]?.state === 'queued') report(Date.now() - since);
      })
      .catch(() => {});
  }, afterMs);
  // The run waits for the step anyway: this timer alone keeps nothing alive.
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
