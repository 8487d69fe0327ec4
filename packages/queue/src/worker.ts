/**
 * @module queue/worker
 * A queue worker: graphile-worker taking the tasks of its worker tags (see routing.ts), each
 * job a unit ticket run by weir's `TicketRunner` against the project this process loaded and
 * the instance it opened (the coordinator's event log and artefacts), exactly as in-process.
 * While it runs a unit it says it is alive (the dispatch's heartbeat, every third of the TTL);
 * a unit the coordinator cancelled or handed to another worker meanwhile is aborted. It keeps
 * a run's resources until the coordinator says the run ended.
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { type Runner, run, type Task } from 'graphile-worker';
import {
  type Instance,
  type ProjectDefinition,
  type TicketOutcome,
  TicketRunner,
  type UnitTicket,
} from 'weir';
import { type ConnectionOptions, connect } from './_connection.js';
import {
  claim,
  finish,
  handBack,
  heartbeat,
  migrate,
  queueSchema,
  registerWorker,
  released,
  unregisterWorker,
  workerSeen,
} from './_dispatches.js';
import { Notifications } from './_notifications.js';
import { quietLogger } from './_quiet-logger.js';
import { workerTasks } from './routing.js';

/** How long a step told to stop may ignore its signal before its job ends (see `abandon`). */
const ABANDON_AFTER_MS = 2_000;

export interface WorkerOptions extends ConnectionOptions {
  /** The project, loaded as the coordinator loaded it (same code versions). */
  project: ProjectDefinition;
  /** The instance of the runs (the coordinator's event log and artefact store). */
  instance: Pick<Instance, 'eventLog' | 'artefacts'>;
  /** The worker tags this worker offers (`gpu`, `highmem`); none: it takes untagged steps. */
  tags?: readonly string[];
  /** Take untagged steps too, even when offering tags. */
  untagged?: boolean;
  /**
   * The code location whose steps it takes (`project` is then that location's project); none:
   * the steps of the project's own assets (docs/locations.md).
   */
  location?: string;
  /** How many steps at once (default 1). */
  concurrency?: number;
  /**
   * A name for this worker, recorded with each dispatch it runs and on every event of the
   * steps it runs (default `<host>:<pid>:<random>`).
   */
  workerId?: string;
  /** The queue's schema (default `weir_queue`): the coordinator's. */
  schema?: string;
  /** The coordinator's `workerTtlMs` (default 30,000): this worker says it is alive every third of it. */
  workerTtlMs?: number;
  /** graphile-worker's poll interval (ms) when NOTIFY is missed (default 2,000). */
  pollIntervalMs?: number;
  /** Each step this worker finished, as it finishes. */
  onStep?: (step: WorkerStep) => void;
  /** Run one step, then stop (`done` resolves): a worker started per step, as a Job. */
  once?: boolean;
}

export interface WorkerStep {
  dispatch: number;
  runId: string;
  assetKey: string;
  partitions: string[];
  status: TicketOutcome['status'];
  /** Why it did not materialize: the error, or what blocked or cancelled it. */
  reason?: string;
  /** How long it ran here (ms). */
  ms: number;
}

export interface StopOptions {
  /**
   * How long the steps running may take to finish (ms) before they are handed back to the
   * coordinator, which queues them for another worker at once (default: wait for them).
   * A step handed back goes on running here until the process ends: end it soon after.
   */
  graceMs?: number;
}

export interface QueueWorker {
  readonly id: string;
  /** The graphile-worker tasks it takes. */
  readonly tasks: readonly string[];
  /**
   * Stops taking jobs, waits for those running (or hands them back after `graceMs`), releases
   * every run's resources.
   */
  stop(options?: StopOptions): Promise<void>;
  /** How many steps it runs now. */
  readonly running: number;
  /** Resolves when it stopped. */
  readonly done: Promise<void>;
}

interface JobPayload {
  dispatch: number;
  ticket: UnitTicket;
}

/** Starts a queue worker (see the module comment); it runs until `stop()`. */
export async function runWorker(options: WorkerOptions): Promise<QueueWorker> {
  const schema = queueSchema(options.schema);
  const id =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`;
  const tasks = workerTasks(options.tags ?? [], {
    untagged: options.untagged ?? false,
    ...(options.location === undefined ? {} : { location: options.location }),
  });
  const concurrency = options.once === true ? 1 : (options.concurrency ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`runWorker: concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }
  const ttlMs = options.workerTtlMs ?? 30_000;
  const connection = connect(
    { ...options, maxConnections: options.maxConnections ?? concurrency + 3 },
    'runWorker',
  );
  const { pool } = connection;
  await migrate(pool, schema);
  const identity = { id, host: hostname(), pid: process.pid };
  try {
    await registerWorker(pool, schema, { ...identity, tasks }, ttlMs);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const runner = new TicketRunner(options.project, options.instance);
  const running = new Map<
    number,
    { controller: AbortController; handBack: () => void; abandoned?: boolean }
  >();
  // A step told to stop (its run cancelled, or it was handed to another worker) that ignores
  // ctx.signal: after this long its job ends, so its slot takes other steps (its code may
  // still run here: nothing in a process can stop a promise; a worker restart ends it).
  const abandon = (dispatch: number) => {
    const step = running.get(dispatch);
    if (step === undefined || step.controller.signal.aborted) return;
    step.controller.abort();
    setTimeout(() => {
      if (running.get(dispatch) !== step) return;
      step.abandoned = true;
      step.handBack();
    }, ABANDON_AFTER_MS).unref();
  };
  const runsHere = new Set<string>();

  const releaseRun = async (runId: string) => {
    if (!runsHere.delete(runId)) return;
    const errors = await runner.releaseRun(runId);
    await released(pool, schema, runId, id, errors).catch(() => {});
  };
  const releases = new Notifications(connection.config, schema.release, (runId) => {
    void releaseRun(runId);
  });
  await releases.listen();

  const beat = setInterval(
    () => {
      void workerSeen(pool, schema, identity).catch(() => {});
      void heartbeat(pool, schema, [...running.keys()], id)
        .then((stop) => {
          for (const dispatch of stop) abandon(dispatch);
        })
        .catch(() => {});
    },
    Math.max(50, Math.floor(ttlMs / 3)),
  );

  const step: Task = async (payload) => {
    const { dispatch, ticket } = payload as JobPayload;
    if (!(await claim(pool, schema, dispatch, id))) return;
    const controller = new AbortController();
    let handedBack!: () => void;
    const back = new Promise<undefined>((resolve) => {
      handedBack = () => resolve(undefined);
    });
    running.set(dispatch, { controller, handBack: handedBack });
    const startedAt = Date.now();
    const report = (status: WorkerStep['status'], why: { reason?: string }) =>
      options.onStep?.({
        dispatch,
        runId: ticket.runId,
        assetKey: ticket.assetKey,
        partitions: ticket.partitions,
        status,
        ...why,
        ms: Date.now() - startedAt,
      });
    try {
      runsHere.add(ticket.runId);
      const outcome = await Promise.race([
        runner.run(ticket, { signal: controller.signal, worker: id }),
        back,
      ]);
      if (outcome === undefined) {
        // Handed back (see stop): the coordinator queues it again; nothing more is said here.
        if (!running.get(dispatch)?.abandoned) return;
        report('cancelled', {
          reason: `it was told to stop and did not within ${ABANDON_AFTER_MS / 1000} s (does it heed ctx.signal?); its slot is free, but its code may still be running in this worker until it restarts`,
        });
        return;
      }
      await finish(pool, schema, dispatch, id, outcome);
      report(outcome.status, reasonOf(outcome));
      if (options.once === true) {
        // Stop before this job completes: graphile-worker fetches the next one as soon as it
        // does, unless its worker was released (which it says with `worker:release`).
        const releasedWorker = new Promise<void>((resolve) => {
          events.once('worker:release', () => resolve());
          setTimeout(resolve, 5_000).unref();
        });
        await ready;
        void stop();
        await releasedWorker;
      }
    } finally {
      running.delete(dispatch);
    }
  };

  const events = new EventEmitter();
  // Resolved once `stop` can be called (a step may end before run() returned).
  let markStarted!: () => void;
  const ready = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  let graphile: Runner;
  try {
    graphile = await run({
      pgPool: pool,
      schema: schema.graphile,
      events: events as NonNullable<Parameters<typeof run>[0]['events']>,
      concurrency,
      noHandleSignals: true,
      pollInterval: options.pollIntervalMs ?? 2_000,
      logger: quietLogger(),
      taskList: Object.fromEntries(tasks.map((task) => [task, step])),
    });
  } catch (error) {
    clearInterval(beat);
    await releases.close();
    await unregisterWorker(pool, schema, identity).catch(() => {});
    await connection.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = (stopOptions: StopOptions = {}) => {
    stopping ??= (async () => {
      const stopped = graphile.stop().catch(() => {});
      if (stopOptions.graceMs !== undefined && running.size > 0) {
        const until = Date.now() + stopOptions.graceMs;
        while (running.size > 0 && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(25, until - Date.now())));
        }
        const left = [...running.entries()];
        for (const [dispatch] of left) running.delete(dispatch);
        await handBack(
          pool,
          schema,
          left.map(([dispatch]) => dispatch),
          id,
        ).catch(() => {});
        // The dispatches are no longer this worker's (finish() now changes nothing): the steps
        // are told to stop (a step that heeds ctx.signal ends without recording an outcome).
        for (const [, step] of left) {
          step.handBack();
          step.controller.abort();
        }
      }
      await stopped;
      clearInterval(beat);
      await releases.close();
      for (const runId of [...runsHere]) await releaseRun(runId);
      await unregisterWorker(pool, schema, identity).catch(() => {});
      await connection.close();
    })();
    return stopping;
  };
  markStarted();
  const done = graphile.promise.then(
    () => stop(),
    () => stop(),
  );
  return {
    id,
    tasks,
    stop,
    done,
    get running() {
      return running.size;
    },
  };
}

/** Why a step did not materialize, for its worker's line. */
function reasonOf(outcome: TicketOutcome): { reason?: string } {
  switch (outcome.status) {
    case 'materialized':
      return {};
    case 'blocked':
      return { reason: outcome.reason };
    case 'cancelled':
      return outcome.reason === undefined ? {} : { reason: outcome.reason };
    default:
      return { reason: outcome.error.message };
  }
}
