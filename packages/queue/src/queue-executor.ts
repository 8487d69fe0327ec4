/**
 * @module queue/queue-executor
 * The queue executor: each claimed unit is queued as a graphile-worker job (its ticket, on the
 * task of its worker tags), a worker anywhere runs it with weir's `TicketRunner`, and this
 * process waits for its outcome. The run that claimed the unit keeps its leases (it renews
 * them as for any executor), so every write of the step is fenced by them; the workers only
 * run it. A worker that stops saying it is alive for `workerTtlMs` is judged dead: the
 * hand-over is recorded on the step (a `step:log` warning, under the run's lease) and the unit
 * is queued again for another worker. Waiting is woken by NOTIFY: the event log's (the step's
 * log lines and events, handed on as they are recorded) and the queue's (the outcome).
 */

import { runMigrations } from 'graphile-worker';
import {
  type AnyAssetDefinition,
  EnvironmentError,
  type Executor,
  errorFrom,
  type LogEntry,
  locatedIn,
  outcomeAfterLoss,
  type RunContext,
  type StepOutcome,
  type StepUnit,
  type StoredEvent,
  stepOutcomeOf,
  type TicketOutcome,
  UserCodeError,
  unitTicket,
  workerTagsOf,
} from 'weir';
import { type Connection, type ConnectionOptions, connect } from './_connection.js';
import {
  enqueue,
  migrate,
  notifyRelease,
  type QueueSchema,
  queueSchema,
  readDispatch,
  releaseState,
  settle,
} from './_dispatches.js';
import { Notifications } from './_notifications.js';
import { quietLogger } from './_quiet-logger.js';
import { watchUnclaimed } from './_unclaimed.js';
import { waitForAppend } from './_wait.js';
import { stepTask } from './routing.js';

export interface QueueExecutorOptions extends ConnectionOptions {
  /**
   * The schema of the queue's own table (default `weir_queue`); graphile-worker's is
   * `graphile_worker` beside the default, else `<schema>_jobs`. Give each instance sharing a
   * database its own.
   */
  schema?: string;
  /**
   * A worker that has not said it is alive for this long (ms) is judged dead, and its unit is
   * handed to another worker (default 30,000). Workers say so every third of it: give them
   * the same value.
   */
  workerTtlMs?: number;
  /** How many times a unit goes to another worker after its worker died, before it fails (default 3). */
  maxHandovers?: number;
  /** How long `releaseRun` waits for the workers that ran a run's steps to dispose of its resources (default 10,000 ms). */
  releaseWaitMs?: number;
  /**
   * Called when a step is still queued after `unclaimedAfterMs` and no worker that takes its
   * tags is up (none seen within `workerTtlMs`), once per set of worker tags; a step waiting
   * for a busy worker says nothing. The step keeps waiting: a worker may still start. The
   * `weir` command prints a warning naming the `weir worker` command that would take it.
   */
  onUnclaimed?: (step: UnclaimedStep) => void;
  /** See `onUnclaimed` (default 10,000 ms). */
  unclaimedAfterMs?: number;
}

/** A step no worker has taken yet (see `QueueExecutorOptions.onUnclaimed`). */
export interface UnclaimedStep {
  assetKey: string;
  partitions: string[];
  /** The worker tags it needs (none: a worker started without --tags takes it). */
  tags: string[];
  /** The code location whose workers take it (`weir worker --location NAME`); none: the project's. */
  location?: string;
  /** The graphile-worker task it is queued as. */
  task: string;
  /** How long it has waited (ms). */
  waitedMs: number;
}

export interface QueueExecutor extends Executor {
  releaseRun(runId: string): Promise<Error[]>;
  close(): Promise<void>;
}

interface Ready {
  connection: Connection;
  schema: QueueSchema;
  done: Notifications;
}

/** An executor that runs each unit on queue workers (see the module comment and `runWorker`). */
export function queueExecutor(options: QueueExecutorOptions): QueueExecutor {
  const ttlMs = options.workerTtlMs ?? 30_000;
  const checkMs = Math.max(50, Math.floor(ttlMs / 3));
  const maxHandovers = options.maxHandovers ?? 3;
  const schema = queueSchema(options.schema);
  const warned = new Set<string>();
  const reportUnclaimed = (step: UnclaimedStep) => {
    if (warned.has(step.task)) return;
    warned.add(step.task);
    options.onUnclaimed?.(step);
  };
  const unclaimedAfterMs = options.unclaimedAfterMs ?? 10_000;
  let opening: Promise<Ready> | undefined;
  const ready = () => {
    opening ??= (async () => {
      const connection = connect(options, 'queueExecutor');
      await runMigrations({
        pgPool: connection.pool,
        logger: quietLogger(),
        schema: schema.graphile,
      });
      await migrate(connection.pool, schema);
      const done = new Notifications(connection.config, schema.done);
      await done.listen();
      return { connection, schema, done };
    })();
    return opening;
  };

  return {
    name: 'queue',
    async execute(unit, run) {
      const q = await ready();
      const unclaimed =
        options.onUnclaimed === undefined
          ? undefined
          : { afterMs: unclaimedAfterMs, report: reportUnclaimed };
      return executeOnQueue(q, unit, run, {
        ttlMs,
        checkMs,
        maxHandovers,
        ...(unclaimed === undefined ? {} : { unclaimed }),
      });
    },
    async releaseRun(runId) {
      if (opening === undefined) return [];
      const { connection, done } = await opening;
      await notifyRelease(connection.pool, schema, runId);
      const until = Date.now() + (options.releaseWaitMs ?? 10_000);
      for (;;) {
        const state = await releaseState(connection.pool, schema, runId, ttlMs);
        if (state.pending === 0 || Date.now() >= until) {
          return state.errors.map((info) => errorFrom(info));
        }
        await done.wait(`r:${runId}`, Math.min(checkMs, until - Date.now()));
      }
    },
    async close() {
      const open = opening;
      opening = undefined;
      if (open === undefined) return;
      const { connection, done } = await open.catch(() => ({
        connection: undefined,
        done: undefined,
      }));
      await done?.close();
      await connection?.close();
    },
  };
}

interface Timing {
  ttlMs: number;
  checkMs: number;
  maxHandovers: number;
  /** Called (at most once per task) for a step still queued after `unclaimedAfterMs`. */
  unclaimed?: { afterMs: number; report: (step: UnclaimedStep) => void };
}

async function executeOnQueue(
  q: Ready,
  unit: StepUnit,
  run: RunContext,
  timing: Timing,
): Promise<StepOutcome> {
  const definition = run.graph.node(unit.key).definition as AnyAssetDefinition;
  const location = locatedIn(definition);
  const task = stepTask(definition.tags, unit.key, location);
  const ticket = await unitTicket(run, unit);
  const watch = new StepWatch(run, unit, await run.eventLog.lastEventId());
  for (let handovers = 0; ; handovers++) {
    ticket.attempt = Math.max(ticket.attempt, watch.attempt);
    const id = await enqueue(q.connection.pool, q.schema, task, ticket, 5);
    const stopWatching =
      timing.unclaimed === undefined
        ? () => {}
        : watchUnclaimed(
            q,
            { id, task },
            { afterMs: timing.unclaimed.afterMs, ttlMs: timing.ttlMs },
            (waitedMs) =>
              timing.unclaimed?.report({
                assetKey: unit.key,
                partitions: [...unit.keys],
                tags: workerTagsOf(definition.tags, unit.key),
                ...(location === undefined ? {} : { location }),
                task,
                waitedMs,
              }),
          );
    const end = await waitForDispatch(q, id, run, watch, timing).finally(stopWatching);
    if (end.kind === 'cancelled') return { status: 'cancelled' };
    if (end.kind === 'outcome') return settleOutcome(run, unit, end.outcome, watch.attempt);
    // Its worker died or was stopped: record the hand-over on the step, under the run's lease.
    const reason = end.returned
      ? `worker ${end.worker} was stopped while it ran the step and handed it back`
      : `worker ${end.worker} stopped saying it is alive (for more than ${timing.ttlMs} ms)`;
    const held = await run.recordHolding(
      unit,
      run.unitEvents(unit, (fields) => ({
        type: 'step:log',
        ...fields,
        level: 'warn',
        message:
          handovers < timing.maxHandovers
            ? `${reason}: the step goes to another worker`
            : `${reason}: handed over ${handovers} times already, the step fails`,
        fields: { worker: end.worker, handover: handovers + 1 },
      })),
    );
    if (Array.isArray(held)) watch.skip(held);
    const lost = new UserCodeError('E_USER_CODE', `the worker running ${unit.label}: ${reason}`, {
      hint: 'a worker that died (killed, its machine lost) is judged dead once its heartbeat is older than workerTtlMs',
    });
    delete lost.stack;
    // Settled meanwhile (it recorded its outcome before it died), or out of hand-overs.
    if (!Array.isArray(held) || handovers >= timing.maxHandovers) {
      return outcomeAfterLoss(run, unit, lost, watch.attempt);
    }
  }
}

type DispatchEnd =
  | { kind: 'outcome'; outcome: TicketOutcome }
  | { kind: 'lost'; worker: string; returned: boolean }
  | { kind: 'cancelled' };

async function waitForDispatch(
  q: Ready,
  id: number,
  run: RunContext,
  watch: StepWatch,
  timing: Timing,
): Promise<DispatchEnd> {
  const { pool } = q.connection;
  let checked = 0;
  let seen = await run.eventLog.lastEventId();
  try {
    for (;;) {
      if (run.signal.aborted) {
        await settle(pool, q.schema, id, ['queued', 'running'], 'cancelled');
        return { kind: 'cancelled' };
      }
      const stop = new AbortController();
      const signal = AbortSignal.any([stop.signal, run.signal]);
      const woke = await Promise.race([
        q.done.wait(String(id), timing.checkMs, signal).then(() => 'dispatch' as const),
        waitForAppend(run.eventLog, seen, timing.checkMs, signal).then((last) => {
          seen = Math.max(seen, last);
          return 'events' as const;
        }),
      ]);
      stop.abort();
      await watch.flush();
      if (woke === 'events' && Date.now() - checked < timing.checkMs) continue;
      checked = Date.now();
      const row = await readDispatch(pool, q.schema, id, timing.ttlMs);
      if (row === undefined)
        throw new EnvironmentError('E_STORAGE', `queue dispatch ${id} vanished`);
      if (row.state === 'done' && row.outcome !== null) {
        await watch.flush();
        return { kind: 'outcome', outcome: row.outcome };
      }
      if (row.stale || row.state === 'returned') {
        const from = row.state === 'returned' ? 'returned' : 'running';
        const worker = await settle(pool, q.schema, id, [from], 'abandoned');
        if (worker !== undefined) {
          await watch.flush();
          return { kind: 'lost', worker: worker ?? 'unknown', returned: from === 'returned' };
        }
      }
    }
  } catch (error) {
    // A listener of the run threw, or the database failed: the worker is told to stop.
    await settle(pool, q.schema, id, ['queued', 'running'], 'cancelled').catch(() => {});
    throw error;
  }
}

async function settleOutcome(
  run: RunContext,
  unit: StepUnit,
  outcome: TicketOutcome,
  attempt: number,
): Promise<StepOutcome> {
  if (outcome.status === 'stopped') {
    throw new EnvironmentError('E_STORAGE', outcome.error.message, {
      cause: errorFrom(outcome.error),
    });
  }
  if (outcome.status === 'unrun') {
    return outcomeAfterLoss(run, unit, errorFrom(outcome.error), attempt);
  }
  if (outcome.status === 'cancelled' && outcome.reason !== undefined) {
    // Its worker found the lease gone: another worker of this run (one judged dead that was
    // only paused) may have recorded the outcome first. What the log says stands.
    return outcomeAfterLoss(run, unit, new Error(outcome.reason), attempt);
  }
  return stepOutcomeOf(outcome);
}

/**
 * The events a unit's worker records, read from the log as they are (woken by its NOTIFY)
 * and handed on to the run's listeners in order: log lines to `onLog`, every event to `emit`.
 */
class StepWatch {
  attempt = 1;
  private readonly keys: Set<string>;
  private readonly skipped = new Set<number>();

  constructor(
    private readonly run: RunContext,
    private readonly unit: StepUnit,
    private cursor: number,
  ) {
    this.keys = new Set(unit.keys);
  }

  /** Events this process recorded itself (and emitted already). */
  skip(events: readonly StoredEvent[]): void {
    for (const event of events) this.skipped.add(event.id);
  }

  async flush(): Promise<void> {
    const events = await this.run.eventLog.events({
      runId: this.run.runId,
      assetKey: this.unit.key,
      afterId: this.cursor,
    });
    for (const event of events) {
      this.cursor = Math.max(this.cursor, event.id);
      if (this.skipped.has(event.id)) continue;
      if (!('partition' in event) || !this.keys.has(event.partition)) continue;
      if (event.type === 'step:started') this.attempt = Math.max(this.attempt, event.attempt);
      if (event.type === 'step:log') {
        const entry: LogEntry = {
          level: event.level,
          message: event.message,
          timestamp: event.timestamp,
          ...(event.fields === undefined ? {} : { fields: event.fields }),
        };
        this.run.onLog(this.unit.key, entry);
      }
      this.run.emit([event]);
    }
  }
}
