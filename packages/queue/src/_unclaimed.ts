/**
 * @module queue/_unclaimed
 * Noticing a step no worker can take: once `afterMs` passed, and then every `afterMs` while
 * the dispatch is still queued, the workers up (seen within the TTL) that take its task are
 * counted; when there are none, the caller is told, once. A new user who forgot to start a
 * worker (or started one with other tags) reads why nothing happens instead of a run that
 * waits in silence, and a step merely waiting for a busy worker says nothing.
 */
import type pg from 'pg';
import { liveWorkers, type QueueSchema } from './_dispatches.js';

/** Watches dispatch `id` of `task`; returns a function that stops watching. */
export function watchUnclaimed(
  q: { connection: { pool: pg.Pool }; schema: QueueSchema },
  dispatch: { id: number; task: string },
  timing: { afterMs: number; ttlMs: number },
  report: (waitedMs: number) => void,
): () => void {
  const since = Date.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const { rows } = await q.connection.pool.query<{ state: string }>(
      `SELECT state FROM ${q.schema.schema}.dispatches WHERE id = $1`,
      [dispatch.id],
    );
    if (stopped || rows[0]?.state !== 'queued') return;
    if ((await liveWorkers(q.connection.pool, q.schema, dispatch.task, timing.ttlMs)) === 0) {
      if (!stopped) report(Date.now() - since);
      return;
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void check().catch(() => {}), timing.afterMs);
    // The run waits for the step anyway: this timer alone keeps nothing alive.
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
