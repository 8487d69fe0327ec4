/**
 * @module cli/commands/worker
 * `weir worker`: runs the steps a queue hands it (`weir materialize --executor queue`, a
 * backfill, the daemon's runs) until Ctrl-C or SIGTERM. It loads the project as every command
 * does, opens the configured instance (a PostgreSQL event log: the queue lives there) and
 * runs `runWorker` of `@weir/queue`, loaded from the project. Stopping is graceful: it takes
 * no new step, lets the running ones finish for a moment, and hands the others back to their
 * run, which queues them for another worker at once.
 */
import { hostname } from 'node:os';
import { EnvironmentError, type WeirError } from '../../errors.js';
import { asWeirError, type QueueWorkerHandle } from '../../instance/index.js';
import { assertValidWorkerTag } from '../../launch/index.js';
import { queueDatabase } from '../_queue.js';
import { workerProject } from '../_worker-project.js';
import { type Command, positiveInteger, stringOption } from '../command.js';
import { formatClock, paint, STATUS_COLOR, stepError } from '../format.js';

const USAGE =
  'weir worker [--tags gpu,highmem] [--untagged] [--location NAME] [--concurrency N] [--id NAME] [--once] [--json]';

/**
 * How long running steps may take to finish once asked to stop, before they are handed back:
 * the command must have ended within the 1.5 s `weir` gives a cancelled command.
 */
const STOP_GRACE_MS = 800;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run the steps a queue hands this machine (runs started with --executor queue)',
  usage: USAGE,
  help: `options:
  --tags a,b           worker tags this worker offers: it takes the steps whose asset's
                       resources tag names some of them (default: none, the untagged steps)
  --untagged           with --tags: take untagged steps too
  --location NAME      take the steps of this code location's assets (it loads that location,
                       with its dependencies); without it, the project's own assets' steps
  -c, --concurrency N  steps at once (default 1)
  --id NAME            this worker's name, recorded on every event of the steps it runs
                       (default HOST:PID:RANDOM)
  --once               stop after one step (a worker started per step, as a Job)
  --json               one JSON object per line: the start, then each step finished
The instance must have a PostgreSQL event log (WEIR_DATABASE_URL or weir.instance.ts), with
@weir/postgres and @weir/queue installed in the project; every worker and the run's process
use the same project and the same instance. WEIR_WORKER_TTL_MS (default 30000): silence after
which a worker is judged dead and its step given to another; give every process the same.
Ctrl-C or SIGTERM: no new step; running steps finish within ${STOP_GRACE_MS} ms or are handed back to
their run, which queues them again at once; exit 0.
`,
  options: {
    tags: { type: 'string', multiple: true },
    untagged: { type: 'boolean' },
    location: { type: 'string' },
    concurrency: { type: 'string', short: 'c' },
    id: { type: 'string' },
    once: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) {
      throw new EnvironmentError(
        'E_USAGE',
        `weir worker takes no selection ('${ctx.positionals.join(' ')}'): it runs what the queue hands it`,
        { hint: `usage: ${USAGE}` },
      );
    }
    const given = (ctx.values.tags as string[] | undefined) ?? [];
    const tags = given
      .flatMap((value) => value.split(','))
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '');
    if (given.length > 0 && tags.length === 0) {
      // An unset variable in `--tags "$TAGS"` would otherwise turn a GPU worker into one for
      // untagged steps.
      throw new EnvironmentError(
        'E_USAGE',
        `--tags ${JSON.stringify(given.join(','))} names no tag`,
        {
          hint: 'name the tags (--tags gpu,highmem), or leave --tags out for a worker of untagged steps',
        },
      );
    }
    for (const tag of tags) {
      try {
        assertValidWorkerTag(tag, '--tags');
      } catch (error) {
        const { message, hint } = error as WeirError;
        throw new EnvironmentError('E_USAGE', message, hint === undefined ? {} : { hint });
      }
    }
    const once = Boolean(ctx.values.once);
    const concurrency = once ? 1 : (positiveInteger(ctx.values.concurrency, 'concurrency') ?? 1);
    const id = stringOption(ctx.values.id);
    if (id?.trim() === '') throw new EnvironmentError('E_USAGE', '--id takes a non-empty name');
    const location = stringOption(ctx.values.location);
    const { project, path } = await workerProject(ctx, location);
    // Before opening anything: a SQLite log has no queue.
    const queue = await queueDatabase(await ctx.instanceConfig(), 'weir worker');
    const instance = await ctx.writableInstance('weir worker records the steps it runs');
    const asJson = Boolean(ctx.values.json);
    const { output } = ctx;
    let finished = 0;
    let worker: QueueWorkerHandle | undefined;
    try {
      worker = await queue.backend.runWorker({
        connectionString: queue.connectionString,
        schema: queue.schema,
        project,
        instance,
        tags,
        untagged: Boolean(ctx.values.untagged),
        ...(location === undefined ? {} : { location }),
        concurrency,
        workerId: id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`,
        workerTtlMs: queue.workerTtlMs,
        once,
        onStep: (step) => {
          finished++;
          if (asJson)
            output.out(`${JSON.stringify({ event: 'step', worker: worker?.id, ...step })}\n`);
          else {
            const partitions =
              step.partitions.length === 1 && step.partitions[0] === ''
                ? ''
                : ` [${step.partitions[0]}${step.partitions.length > 1 ? `…${step.partitions.at(-1)} (${step.partitions.length})` : ''}]`;
            output.out(
              `${formatClock(Date.now()).slice(11)}  ${step.assetKey}${partitions}  ${paint(output, STATUS_COLOR[step.status] ?? 'bold', step.status)}  ${step.ms} ms  run ${step.runId}${step.reason === undefined ? '' : `: ${stepError(step.assetKey, step.reason)}`}\n`,
            );
          }
        },
      });
    } catch (error) {
      throw queueError(error);
    }
    const live = worker;
    const offered = tags.length === 0 ? 'none (untagged steps)' : tags.join(',');
    if (asJson) {
      output.out(
        `${JSON.stringify({ event: 'started', worker: live.id, tags, untagged: Boolean(ctx.values.untagged), concurrency, tasks: live.tasks, project: path })}\n`,
      );
    } else {
      output.out(
        `worker ${live.id}: tags ${offered}${ctx.values.untagged && tags.length > 0 ? ' and untagged' : ''}, concurrency ${concurrency}, tasks ${live.tasks.join(' ')}; project ${path}\n`,
      );
    }
    const stopped = new Promise<'signal'>((resolve) => {
      if (ctx.signal.aborted) resolve('signal');
      ctx.signal.addEventListener('abort', () => resolve('signal'), { once: true });
    });
    const why = await Promise.race([stopped, live.done.then(() => 'ended' as const)]);
    if (why === 'signal' && live.running > 0 && !asJson) {
      output.err(
        `stopping: ${live.running} step${live.running === 1 ? '' : 's'} running; ${STOP_GRACE_MS} ms to finish, then handed back to their runs\n`,
      );
    }
    await live.stop(why === 'signal' ? { graceMs: STOP_GRACE_MS } : {});
    if (!asJson)
      output.err(`worker ${live.id} stopped after ${finished} step${finished === 1 ? '' : 's'}\n`);
    return 0;
  },
};

/** An error of `@weir/queue` as weir's: a bad option as a usage error, the rest with its code kept. */
function queueError(error: unknown): unknown {
  if (error instanceof Error && error.name === 'RangeError') {
    return new EnvironmentError('E_USAGE', error.message, { hint: `usage: ${USAGE}` });
  }
  return asWeirError(error);
}
