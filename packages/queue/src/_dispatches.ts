/**
 * @module queue/_dispatches
 * The queue's own table, beside graphile-worker's: one row per dispatch of a unit to the
 * queue (a unit handed to another worker after its first died is a second dispatch). It says
 * which worker took it and when that worker last said it was alive (the database's clock, so
 * the hosts' clocks do not matter), and holds the outcome the worker reported. Workers
 * `NOTIFY` the coordinator when an outcome is written, and the coordinator notifies workers
 * when a run ended (so they dispose of its resources).
 */
import type pg from 'pg';
import { EnvironmentError, isProcessAlive, type TicketOutcome, type UnitTicket } from 'weir';

export type DispatchState =
  | 'queued'
  | 'running'
  | 'done'
  | 'abandoned'
  | 'cancelled'
  /** Its worker was stopped mid-step and handed it back: the coordinator queues it again at once. */
  | 'returned';

/**
 * The queue's tables live in `schema`, graphile-worker's in `graphile`: `graphile_worker` beside
 * the default `weir_queue`, else `<schema>_jobs`, so two instances sharing a database (each
 * with its own schemas) never take each other's jobs.
 */
export interface QueueSchema {
  schema: string;
  graphile: string;
  /** Channel of outcomes (payload: the dispatch id) and release acknowledgements (`r:<run>`). */
  done: string;
  /** Channel telling workers a run ended (payload: the run id). */
  release: string;
}

export function queueSchema(schema = 'weir_queue'): QueueSchema {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schema)) {
    throw new RangeError(`queue schema '${schema}': lower-case letters, digits and _ only`);
  }
  return {
    schema,
    graphile: schema === 'weir_queue' ? 'graphile_worker' : `${schema}_jobs`,
    done: `${schema}_done`,
    release: `${schema}_release`,
  };
}

/** Creates the queue's table if it is missing (graphile-worker migrates its own). */
export async function migrate(pool: pg.Pool, { schema }: QueueSchema): Promise<void> {
  const client = await pool.connect();
  try {
    // One process at a time: CREATE ... IF NOT EXISTS races with itself.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`${schema}.migrate`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.dispatches (
      id bigserial PRIMARY KEY,
      run_id text NOT NULL,
      asset_key text NOT NULL,
      partitions text[] NOT NULL,
      task text NOT NULL,
      state text NOT NULL DEFAULT 'queued',
      worker_id text,
      heartbeat_at timestamptz,
      outcome jsonb,
      released_at timestamptz,
      release_errors jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await client.query(
      `CREATE INDEX IF NOT EXISTS dispatches_run ON ${schema}.dispatches (run_id, worker_id)`,
    );
    // The workers up, and the tasks each takes: a step nobody could take is told apart from
    // one waiting for a busy worker.
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.workers (
      id text PRIMARY KEY,
      tasks text[] NOT NULL,
      host text NOT NULL,
      pid integer NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      seen_at timestamptz NOT NULL DEFAULT now()
    )`);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`${schema}.migrate`]);
    client.release();
  }
}

/** Records a dispatch and queues its graphile-worker job, in one transaction; returns its id. */
export async function enqueue(
  pool: pg.Pool,
  { schema, graphile }: QueueSchema,
  task: string,
  ticket: UnitTicket,
  maxAttempts: number,
): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH d AS (
       INSERT INTO ${schema}.dispatches (run_id, asset_key, partitions, task)
       VALUES ($1, $2, $3, $4) RETURNING id
     )
     SELECT d.id, ${graphile}.add_job($4,
       payload := json_build_object('dispatch', d.id, 'ticket', $5::json),
       max_attempts := $6) AS job
     FROM d`,
    [ticket.runId, ticket.assetKey, ticket.partitions, task, JSON.stringify(ticket), maxAttempts],
  );
  return Number(rows[0]!.id);
}

/** A worker takes a queued dispatch; false when it was abandoned, cancelled or taken. */
export async function claim(
  pool: pg.Pool,
  { schema }: QueueSchema,
  id: number,
  workerId: string,
): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE ${schema}.dispatches SET state = 'running', worker_id = $2, heartbeat_at = now()
     WHERE id = $1 AND state = 'queued'`,
    [id, workerId],
  );
  return rowCount === 1;
}

/** A worker says it is alive for `ids`; returns those it must stop (cancelled or abandoned). */
export async function heartbeat(
  pool: pg.Pool,
  { schema }: QueueSchema,
  ids: readonly number[],
  workerId: string,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query<{ id: string; state: DispatchState }>(
    `UPDATE ${schema}.dispatches SET heartbeat_at = now()
     WHERE id = ANY($1::bigint[]) AND worker_id = $2 RETURNING id, state`,
    [ids, workerId],
  );
  const running = new Set(rows.filter((r) => r.state === 'running').map((r) => Number(r.id)));
  return ids.filter((id) => !running.has(id));
}

/**
 * A worker being stopped hands back the dispatches it still runs (`running → returned`) and
 * notifies, so the coordinator queues them again at once instead of waiting out the TTL.
 */
export async function handBack(
  pool: pg.Pool,
  { schema, done }: QueueSchema,
  ids: readonly number[],
  workerId: string,
): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `WITH u AS (
       UPDATE ${schema}.dispatches SET state = 'returned'
       WHERE id = ANY($1::bigint[]) AND worker_id = $2 AND state = 'running' RETURNING id
     )
     SELECT pg_notify($3, id::text) FROM u`,
    [ids, workerId, done],
  );
}

/** A worker reports its outcome (unless the dispatch was abandoned meanwhile) and notifies. */
export async function finish(
  pool: pg.Pool,
  { schema, done }: QueueSchema,
  id: number,
  workerId: string,
  outcome: TicketOutcome,
): Promise<void> {
  await pool.query(
    `WITH u AS (
       UPDATE ${schema}.dispatches SET state = 'done', outcome = $3::jsonb
       WHERE id = $1 AND worker_id = $2 AND state IN ('running', 'cancelled') RETURNING id
     )
     SELECT pg_notify($4, id::text) FROM u`,
    [id, workerId, JSON.stringify(outcome), done],
  );
}

export interface DispatchRow {
  state: DispatchState;
  workerId: string | null;
  outcome: TicketOutcome | null;
  /** The worker running it has not said it is alive for longer than the TTL. */
  stale: boolean;
}

/** A dispatch as it stands, judged against `ttlMs` of silence. */
export async function readDispatch(
  pool: pg.Pool,
  { schema }: QueueSchema,
  id: number,
  ttlMs: number,
): Promise<DispatchRow | undefined> {
  const { rows } = await pool.query<{
    state: DispatchState;
    worker_id: string | null;
    outcome: TicketOutcome | null;
    stale: boolean;
  }>(
    `SELECT state, worker_id, outcome,
       (state = 'running' AND heartbeat_at < now() - $2 * interval '1 millisecond') AS stale
     FROM ${schema}.dispatches WHERE id = $1`,
    [id, ttlMs],
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { state: row.state, workerId: row.worker_id, outcome: row.outcome, stale: row.stale };
}

/**
 * Moves a dispatch from one of `from` to `to` (abandoning a silent worker's, cancelling);
 * returns its worker when this call moved it, null when it had none, undefined when it did not.
 */
export async function settle(
  pool: pg.Pool,
  { schema }: QueueSchema,
  id: number,
  from: readonly DispatchState[],
  to: DispatchState,
): Promise<string | null | undefined> {
  const { rows } = await pool.query<{ worker_id: string | null }>(
    `UPDATE ${schema}.dispatches SET state = $3 WHERE id = $1 AND state = ANY($2::text[])
     RETURNING worker_id`,
    [id, from, to],
  );
  return rows.length === 0 ? undefined : rows[0]!.worker_id;
}

/** Tells workers run `runId` ended. */
export async function notifyRelease(
  pool: pg.Pool,
  { release }: QueueSchema,
  runId: string,
): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [release, runId]);
}

/** A worker says it released run `runId` (with what failed), and notifies. */
export async function released(
  pool: pg.Pool,
  { schema, done }: QueueSchema,
  runId: string,
  workerId: string,
  errors: readonly { name: string; message: string }[],
): Promise<void> {
  await pool.query(
    `WITH u AS (
       UPDATE ${schema}.dispatches SET released_at = now(), release_errors = $3::jsonb
       WHERE run_id = $1 AND worker_id = $2 AND released_at IS NULL RETURNING 1
     )
     SELECT pg_notify($4, 'r:' || $1) FROM (SELECT 1 FROM u LIMIT 1) x`,
    [runId, workerId, JSON.stringify(errors), done],
  );
}

/** What the run's workers have not released yet, and the errors of those that did. */
export async function releaseState(
  pool: pg.Pool,
  { schema }: QueueSchema,
  runId: string,
  ttlMs: number,
): Promise<{ pending: number; errors: Array<{ name: string; message: string }> }> {
  const { rows } = await pool.query<{
    released_at: Date | null;
    release_errors: Array<{ name: string; message: string }> | null;
    live: boolean;
  }>(
    `SELECT DISTINCT ON (worker_id) released_at, release_errors,
       (heartbeat_at > now() - $2 * interval '1 millisecond' OR released_at IS NOT NULL
        OR EXISTS (SELECT 1 FROM ${schema}.dispatches o WHERE o.worker_id = d.worker_id
                   AND o.heartbeat_at > now() - $2 * interval '1 millisecond')) AS live
     FROM ${schema}.dispatches d
     WHERE run_id = $1 AND worker_id IS NOT NULL AND state = 'done'
     ORDER BY worker_id, released_at NULLS FIRST`,
    [runId, ttlMs],
  );
  return {
    pending: rows.filter((r) => r.released_at === null && r.live).length,
    errors: rows.flatMap((r) => r.release_errors ?? []),
  };
}

/** Who a worker is: its id, and the process that holds it. */
export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
}

/**
 * Registers a worker under its id, with the tasks it takes (again after a restart under the
 * same id). An id another process holds and was seen with within `ttlMs` is refused
 * (E_CONFLICT): two live workers under one id would unregister each other. One whose holder
 * died on this machine is taken at once.
 */
export async function registerWorker(
  pool: pg.Pool,
  { schema }: QueueSchema,
  worker: WorkerIdentity & { tasks: readonly string[] },
  ttlMs: number,
): Promise<void> {
  // Takes the id when it is free, stale, this process's, or `force`d; says whether it did.
  const take = async (force: boolean) =>
    (
      await pool.query(
        `INSERT INTO ${schema}.workers (id, tasks, host, pid) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET tasks = $2, host = $3, pid = $4, started_at = now(), seen_at = now()
         WHERE $6::boolean OR ${schema}.workers.seen_at <= now() - $5 * interval '1 millisecond'
            OR (${schema}.workers.host = $3 AND ${schema}.workers.pid = $4)`,
        [worker.id, worker.tasks, worker.host, worker.pid, ttlMs, force],
      )
    ).rowCount === 1;
  if (await take(false)) return;
  const { rows } = await pool.query<{ host: string; pid: number; ago: number }>(
    `SELECT host, pid, extract(epoch FROM now() - seen_at) AS ago FROM ${schema}.workers WHERE id = $1`,
    [worker.id],
  );
  const holder = rows[0];
  // Its holder died on this machine (a worker restarted after a crash): no need to wait the TTL.
  if (holder === undefined || (holder.host === worker.host && !isProcessAlive(holder.pid))) {
    await take(true);
    return;
  }
  throw new EnvironmentError(
    'E_CONFLICT',
    `worker id '${worker.id}' is taken by a worker that is up (pid ${holder.pid} on ${holder.host}, seen ${Number(holder.ago).toFixed(1)} s ago)`,
    {
      hint: 'give each worker its own --id, or leave --id out: each worker then gets one of its own',
    },
  );
}

/** A worker says it is still up (every third of the TTL, busy or not). */
export async function workerSeen(
  pool: pg.Pool,
  { schema }: QueueSchema,
  worker: WorkerIdentity,
): Promise<void> {
  await pool.query(
    `UPDATE ${schema}.workers SET seen_at = now() WHERE id = $1 AND host = $2 AND pid = $3`,
    [worker.id, worker.host, worker.pid],
  );
}

/** A worker stopped (its own registration only: a later holder of its id stays). */
export async function unregisterWorker(
  pool: pg.Pool,
  { schema }: QueueSchema,
  worker: WorkerIdentity,
): Promise<void> {
  await pool.query(`DELETE FROM ${schema}.workers WHERE id = $1 AND host = $2 AND pid = $3`, [
    worker.id,
    worker.host,
    worker.pid,
  ]);
}

/** How many workers seen within `ttlMs` take `task`. */
export async function liveWorkers(
  pool: pg.Pool,
  { schema }: QueueSchema,
  task: string,
  ttlMs: number,
): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${schema}.workers
     WHERE $1 = ANY(tasks) AND seen_at > now() - $2 * interval '1 millisecond'`,
    [task, ttlMs],
  );
  return Number(rows[0]?.n ?? 0);
}
