/**
 * @module cli/_queue
 * What `weir worker` and `--executor queue` share: the queue lives in the instance's
 * PostgreSQL event log (a SQLite log cannot hold one), `@weir/queue` is loaded from the
 * project as the other backends are, and both sides read the same timing from the
 * environment (`WEIR_WORKER_TTL_MS`: silence after which a worker is judged dead;
 * `WEIR_QUEUE_WARN_MS`: how long a step may wait for a worker before the run says so).
 */
import { EnvironmentError } from '../errors.js';
import { type Executor, executorFromOption, parseExecutorChoice } from '../execution/index.js';
import { type InstanceConfig, loadQueue, type QueueBackend } from '../instance/index.js';
import { durationVariable } from './_duration-variable.js';
import { projectLocationExecutor } from './_location-instance.js';
import type { CommandContext } from './command.js';

export interface QueueDatabase {
  connectionString: string;
  /** The queue's own schema: `weir_queue` beside the log's `weir`, else `<schema>_queue`. */
  schema: string;
  backend: QueueBackend;
  workerTtlMs: number;
}

/**
 * The queue of the configured instance, for `doing` (`weir worker`, `--executor queue`):
 * refused with what to do when the event log is not PostgreSQL.
 */
export async function queueDatabase(config: InstanceConfig, doing: string): Promise<QueueDatabase> {
  const log = config.eventLog;
  if (log.kind !== 'postgres') {
    throw new EnvironmentError(
      'E_USAGE',
      `${doing} needs a queue, and a queue needs a PostgreSQL event log: this instance's is SQLite (${log.path}, ${log.from})`,
      {
        hint: 'set WEIR_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DATABASE (or database: in weir.instance.ts) for every process of the deployment, and install @weir/postgres and @weir/queue in the project; see docs/deploy.md',
      },
    );
  }
  const backend = await loadQueue(config.projectFile, `${doing} runs steps through a queue`);
  return {
    connectionString: log.url,
    schema: log.schema === 'weir' ? 'weir_queue' : `${log.schema.toLowerCase()}_queue`,
    backend,
    workerTtlMs: durationVariable('WEIR_WORKER_TTL_MS') ?? 30_000,
  };
}

export interface ExecutorPlaceOptions {
  project: string;
  instanceDir?: string;
  maxOldSpaceMb?: number;
}

/**
 * The executor `--executor` names for a command (see `executorFromOption`), the queue's
 * included: its coordinator warns once per worker tags when no worker takes a step.
 */
export async function commandExecutor(
  ctx: CommandContext,
  text: string | undefined,
  place: ExecutorPlaceOptions,
): Promise<(Executor & { close(): Promise<void> }) | undefined> {
  const loaded = await ctx.project();
  if (loaded.locations !== undefined) {
    // Each located asset runs in its location's processes (or, through a queue, on its
    // location's workers): the option names how the project's own assets run, and how many
    // processes each location may have.
    if (text !== undefined && parseExecutorChoice(text).kind === 'queue') {
      return queueExecutorFor(ctx, place);
    }
    const own = executorFromOption(text, place);
    if (own === undefined) return undefined; // the instance's location executor
    return projectLocationExecutor(
      loaded,
      loaded.locations.locationOf,
      await ctx.instanceConfig(),
      own,
      own.processes,
    );
  }
  if (text === undefined || parseExecutorChoice(text).kind !== 'queue') {
    return executorFromOption(text, place);
  }
  return queueExecutorFor(ctx, place);
}

/**
 * The queue's coordinator for a command's runs (`--executor queue`): every step goes to the
 * workers, a located asset's to its location's (`weir worker --location NAME`).
 */
async function queueExecutorFor(
  ctx: CommandContext,
  place: ExecutorPlaceOptions,
): Promise<Executor & { close(): Promise<void> }> {
  if (place.maxOldSpaceMb !== undefined) {
    throw new EnvironmentError(
      'E_USAGE',
      'a heap limit applies to child processes: it needs --executor processes',
      {
        hint: 'a queue worker takes node options of its own: NODE_OPTIONS=--max-old-space-size=MB weir worker',
      },
    );
  }
  const queue = await queueDatabase(await ctx.instanceConfig(), '--executor queue');
  const warnMs = durationVariable('WEIR_QUEUE_WARN_MS');
  return queue.backend.queueExecutor({
    connectionString: queue.connectionString,
    schema: queue.schema,
    workerTtlMs: queue.workerTtlMs,
    ...(warnMs === undefined ? {} : { unclaimedAfterMs: warnMs }),
    onUnclaimed: (step) => ctx.output.err(`${unclaimedWarning(step, ctx.values.project)}\n`),
  });
}

/** What the run says when no worker that takes a step's tags is up (see `onUnclaimed`). */
export function unclaimedWarning(
  step: {
    assetKey: string;
    partitions: string[];
    tags: string[];
    location?: string;
    waitedMs: number;
  },
  project?: unknown,
): string {
  const seconds = Math.round(step.waitedMs / 1000);
  const what =
    (step.tags.length === 0 ? 'steps with no worker tag' : `steps tagged ${step.tags.join(',')}`) +
    (step.location === undefined ? '' : ` of code location '${step.location}'`);
  const partition =
    step.partitions.length === 1 && step.partitions[0] === ''
      ? ''
      : ` [${step.partitions[0]}${step.partitions.length > 1 ? `…${step.partitions.at(-1)}` : ''}]`;
  const where = `${step.location === undefined ? '' : ` --location ${step.location}`}${typeof project === 'string' ? ` --project ${project}` : ''}`;
  const command =
    step.tags.length === 0
      ? `weir worker${where}`
      : `weir worker --tags ${step.tags.join(',')}${where}`;
  return `warning: no worker that takes ${what} is up (${step.assetKey}${partition} has waited ${seconds} s); start one with \`${command}\` against the same instance (still waiting)`;
}
