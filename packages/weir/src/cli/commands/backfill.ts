/**
 * @module cli/commands/backfill
 * `weir backfill`: starts, resumes, cancels and lists backfills of partition ranges.
 */
import { EnvironmentError } from '../../errors.js';
import {
  type BackfillResult,
  backfill,
  cancelBackfill,
  findRun,
  graphOf,
  type Instance,
  listBackfills,
  resumeBackfill,
} from '../../execution/index.js';
import type { BackfillRecord, EventLog } from '../../storage/index.js';
import { withLocationProblems } from '../_location-instance.js';
import { describeRequest, PARTITION_OPTIONS, partitionRequest } from '../_partitions.js';
import { commandExecutor } from '../_queue.js';
import {
  type Command,
  type CommandContext,
  positiveInteger,
  reportingRuns,
  stringOption,
} from '../command.js';
import {
  formatClock,
  formatDuration,
  json,
  localZone,
  logPrinter,
  paint,
  table,
  withClock,
} from '../format.js';
import { Progress } from '../progress.js';
import { renderRun, runJson } from './materialize.js';

const USAGE =
  'weir backfill [SELECTION] (--from A --to B | --partition KEY…) [--force] [--concurrency N] [--executor processes[:N]|queue] [--json]\n' +
  '       weir backfill --resume ID | --cancel ID | --list [--limit N]';

/** A usage hint fits on one line; the full usage is in `weir help backfill`. */
const HINT = 'weir backfill [SELECTION] --from A --to B (see: weir help backfill)';

export const backfillCommand: Command = {
  name: 'backfill',
  summary:
    'Bring a range of partitions up to date as one recorded, resumable, cancellable backfill',
  usage: USAGE,
  help: `options:
  --from A --to B      the partitions from A to B, both included (a date inside a window will do)
  --partition KEY      these partitions (repeatable, or a,b,c)
  -f, --force          recompute each partition asked for, stale or not
  -c, --concurrency N  steps at once (default: the project's concurrency)
  --executor E         in-process (default), or processes[:N]: each step in a pool of child processes,
                       or queue: each step to a \`weir worker\` of its tags (PostgreSQL event log)
  --max-old-space-size MB  with processes: each process's heap limit (V8's option)
  --resume ID          run what an interrupted or failed backfill did not finish
  --cancel ID          mark a backfill cancelled; a process running it stops starting steps
  --list               recent backfills with their progress (-n, --limit N: how many, default 20)
Only stale partitions run (all asked for with --force); a resumed backfill skips what it finished.
Ctrl-C interrupts (exit 130): resume with weir backfill --resume ID.
`,
  options: {
    ...PARTITION_OPTIONS,
    force: { type: 'boolean', short: 'f' },
    concurrency: { type: 'string', short: 'c' },
    executor: { type: 'string' },
    'max-old-space-size': { type: 'string' },
    resume: { type: 'string' },
    cancel: { type: 'string' },
    list: { type: 'boolean' },
    limit: { type: 'string', short: 'n' },
  },
  async run(ctx) {
    const resume = stringOption(ctx.values.resume);
    const cancel = stringOption(ctx.values.cancel);
    const modes = [resume !== undefined, cancel !== undefined, Boolean(ctx.values.list)].filter(
      Boolean,
    ).length;
    const request = partitionRequest(ctx, HINT);
    if (modes > 1) throw usage('give one of --resume, --cancel and --list');
    if (modes === 1) {
      const extra = [
        ctx.positionals.length > 0 ? 'a selection' : undefined,
        request !== undefined ? '--from/--to/--partition' : undefined,
        ctx.values.force ? '--force' : undefined,
        ctx.values.concurrency !== undefined && resume === undefined ? '--concurrency' : undefined,
      ].filter((x) => x !== undefined);
      if (extra.length > 0) {
        throw usage(
          `${resume !== undefined ? '--resume' : cancel !== undefined ? '--cancel' : '--list'} takes no ${extra.join(', ')}${resume !== undefined ? ': a backfill resumes what it was asked for' : ''}`,
        );
      }
    }
    if (ctx.values.list) return list(ctx);
    if (cancel !== undefined) {
      const record = await cancelBackfill(
        await ctx.writableInstance('cancelling a backfill records it'),
        cancel,
      );
      if (ctx.values.json) ctx.output.out(json(record));
      else
        ctx.output.out(
          `Cancelled backfill ${cancel}; a process running it stops starting steps within a second.\n`,
        );
      return 0;
    }
    if (resume === undefined && request === undefined) {
      throw usage(
        'a backfill needs the partitions to bring up to date: --from A --to B or --partition KEY',
      );
    }
    return run(ctx, resume, request);
  },
};

function usage(message: string): EnvironmentError {
  return new EnvironmentError('E_USAGE', message, { hint: `usage: ${HINT}` });
}

async function run(
  ctx: CommandContext,
  resume: string | undefined,
  request: ReturnType<typeof partitionRequest>,
): Promise<number> {
  const { project, path } = await ctx.project();
  const graph = graphOf(project);
  const instance = await ctx.writableInstance('a backfill records its runs and artefacts');
  const config = await ctx.instanceConfig();
  const maxOldSpaceMb = positiveInteger(ctx.values['max-old-space-size'], 'max-old-space-size');
  const executor = await commandExecutor(ctx, stringOption(ctx.values.executor), {
    project: path,
    // The children open the configured instance themselves (same project, same environment).
    ...(config.embedded ? { instanceDir: config.dir } : {}),
    ...(maxOldSpaceMb === undefined ? {} : { maxOldSpaceMb }),
  });
  const { output } = ctx;
  const asJson = Boolean(ctx.values.json);
  const progress = asJson
    ? undefined
    : new Progress(output, Boolean(ctx.values.verbose), {
        partitioned: (key) => graph.get(key)?.partitions !== undefined,
        queued: stringOption(ctx.values.executor)?.startsWith('queue') === true,
      });
  const concurrency = positiveInteger(ctx.values.concurrency, 'concurrency') ?? project.concurrency;
  let backfillId = resume;
  const onRequested = (record: BackfillRecord) => {
    backfillId = record.backfillId;
    ctx.report({ backfill: record.backfillId });
    const asked = record.requested.request;
    const line = `${resume === undefined ? 'Backfill' : 'Resuming backfill'} ${record.backfillId}: ${asked.selection}, partitions ${describeRequest(asked)}${asked.force ? ' (forced)' : ''}; ${record.requested.requestedPartitions} partition${record.requested.requestedPartitions === 1 ? '' : 's'} asked for`;
    // With --json, stdout holds only the result; the id still shows, for Ctrl-C and --cancel.
    if (asJson) output.err(`${line}\n`);
    else output.out(`${line}\n`);
  };
  const options = {
    instance,
    ...(executor === undefined ? {} : { executor }),
    concurrency,
    ...withClock(),
    signal: ctx.signal,
    onRequested,
    onEvent: reportingRuns(ctx, progress?.onEvent),
    onLog: progress?.onLog ?? logPrinter(ctx.output),
  };
  let result: BackfillResult;
  try {
    result =
      resume === undefined
        ? await backfill(graph, {
            ...options,
            ...(ctx.positionals[0] === undefined ? {} : { selection: ctx.positionals.join(',') }),
            partitions: request!,
            force: Boolean(ctx.values.force),
          })
        : await resumeBackfill(graph, resume, options);
  } finally {
    progress?.stop();
    await executor?.close();
  }
  const { backfill: record, run: runResult } = result;
  const interrupted = ctx.signal.aborted && record.status === 'running';
  const exitCode = await withLocationProblems(
    ctx,
    record.status === 'success' ? 0 : interrupted || record.status === 'cancelled' ? 130 : 1,
  );
  if (asJson) {
    output.out(json({ backfill: record, run: runJson(runResult) }));
    if (interrupted) output.err(`resume with: weir backfill --resume ${backfillId}\n`);
    return exitCode;
  }
  renderRun(runResult, graph, output, `Backfill ${record.backfillId} run ${runResult.runId}`, true);
  const status = interrupted ? 'interrupted' : record.status;
  output.out(
    `Backfill ${record.backfillId} ${paint(output, BACKFILL_COLOR[status] ?? 'bold', status)}${record.finished?.reason ? `: ${record.finished.reason}` : ''}.\n`,
  );
  if (interrupted || record.status === 'failed') {
    output.out(
      `${interrupted ? 'resume' : 'retry what failed'} with: weir backfill --resume ${record.backfillId}\n`,
    );
  }
  return exitCode;
}

const BACKFILL_COLOR: Record<string, 'green' | 'red' | 'cyan' | 'yellow' | 'gray'> = {
  success: 'green',
  failed: 'red',
  running: 'cyan',
  interrupted: 'yellow',
  cancelled: 'gray',
};

/** A backfill as listed: its status as a user sees it, and how far it got. */
export interface BackfillListing {
  backfillId: string;
  /** `interrupted`: recorded running, but its newest run is not (Ctrl-C, or a dead process). */
  status: BackfillRecord['status'] | 'interrupted';
  selection: string;
  range: string;
  force: boolean;
  requestedPartitions: number;
  /** Partitions its runs materialized. */
  materialized: number;
  runs: number;
  requestedAt: number;
  finishedAt: number | null;
  reason: string | null;
}

async function list(ctx: CommandContext): Promise<number> {
  const instance = await ctx.instance();
  const records = await listBackfills(instance, {
    limit: positiveInteger(ctx.values.limit, 'limit') ?? 20,
  });
  const listings = await Promise.all(records.map((record) => listing(instance, record)));
  if (ctx.values.json) {
    ctx.output.out(json(listings));
    return 0;
  }
  if (listings.length === 0) {
    ctx.output.out('No backfills yet; start one with weir backfill SELECTION --from A --to B.\n');
    return 0;
  }
  const { output } = ctx;
  const rows = listings.map((b) => [
    b.backfillId,
    paint(output, BACKFILL_COLOR[b.status] ?? 'bold', b.status),
    b.selection,
    `${b.range}${b.force ? ' (forced)' : ''}`,
    String(b.requestedPartitions),
    String(b.materialized),
    formatClock(b.requestedAt),
    b.finishedAt === null ? '' : formatDuration(b.finishedAt - b.requestedAt),
  ]);
  output.out(
    `${table([['BACKFILL', 'STATUS', 'SELECTION', 'PARTITIONS', 'ASKED', 'MATERIALIZED', `STARTED (${localZone()})`, 'TOOK'], ...rows])}\n`,
  );
  if (listings.some((b) => b.status === 'interrupted'))
    output.out(
      `${paint(output, 'gray', 'resume an interrupted one with: weir backfill --resume ID')}\n`,
    );
  return 0;
}

async function listing(instance: Instance, record: BackfillRecord): Promise<BackfillListing> {
  const { eventLog } = instance;
  let status: BackfillListing['status'] = record.status;
  if (record.status === 'running' && record.runIds[0] !== undefined) {
    const newest = await findRun(instance, record.runIds[0]);
    if (newest !== undefined && newest.status !== 'running') status = 'interrupted';
  }
  let materialized = 0;
  for (const runId of record.runIds) materialized += await materializedIn(eventLog, runId);
  const { request } = record.requested;
  return {
    backfillId: record.backfillId,
    status,
    selection: request.selection,
    range: describeRequest(request),
    force: request.force,
    requestedPartitions: record.requested.requestedPartitions,
    materialized,
    runs: record.runIds.length,
    requestedAt: record.requestedAt,
    finishedAt: record.finishedAt ?? null,
    reason: record.finished?.reason ?? null,
  };
}

/**
 * Partitions a run materialized: from its summary when it finished (labels `key[p]`), else
 * (still running, crashed, or ranges of a single-run asset) from its events.
 */
async function materializedIn(eventLog: EventLog, runId: string): Promise<number> {
  const run = await eventLog.run(runId);
  const labels = run?.finished?.summary.materialized;
  if (labels !== undefined && !labels.some((label) => label.includes('…'))) {
    return labels.filter((label) => label.endsWith(']')).length;
  }
  const events = await eventLog.events({ runId, types: ['asset:materialized'] });
  return events.filter(
    (e) =>
      e.type === 'asset:materialized' &&
      e.partition !== '' &&
      (e.materialization.blockedBy ?? []).length === 0,
  ).length;
}
