/**
 * @module cli/commands/materialize
 * `weir materialize`: runs what is stale in a selection, and renders a run's outcome.
 */
import { graphOf, materialize, type RunResult } from '../../execution/index.js';
import type { AssetGraph } from '../../graph/index.js';
import { withLocationProblems } from '../_location-instance.js';
import { PARTITION_OPTIONS, partitionRequest } from '../_partitions.js';
import { commandExecutor } from '../_queue.js';
import { type Command, positiveInteger, reportingRuns, stringOption } from '../command.js';
import {
  json,
  logPrinter,
  type Output,
  paint,
  STATUS_COLOR,
  stepError,
  withClock,
} from '../format.js';
import { Progress } from '../progress.js';

const USAGE =
  'weir materialize [SELECTION] [--partition KEY]… [--from A --to B] [--force] [--concurrency N] [--executor processes[:N]|queue] [--json]';

/** Failed or skipped steps listed one per line before only counting the rest. */
const LISTED = 20;

export const materializeCommand: Command = {
  name: 'materialize',
  summary:
    'Materialize what is stale in a selection (everything by default), or some partitions of it',
  usage: USAGE,
  help: `options:
  --partition KEY      only this partition of the selected partitioned assets (repeatable, or a,b,c)
  --from A --to B      only the partitions from A to B, both included (a date inside a window will do)
  -f, --force          recompute even what is up to date (with partitions: each one asked for)
  -c, --concurrency N  steps at once (default: the project's concurrency)
  --executor E         in-process (default), or processes[:N]: each step in a pool of N child
                       processes (default: one per core), so a crash fails only its step; or
                       queue: each step to a \`weir worker\` of its tags (PostgreSQL event log)
  --max-old-space-size MB  with processes: each process's heap limit (V8's option)
A time window is a partition once it has ended; WEIR_NOW (ISO time or epoch ms) sets the time.
`,
  options: {
    force: { type: 'boolean', short: 'f' },
    concurrency: { type: 'string', short: 'c' },
    executor: { type: 'string' },
    'max-old-space-size': { type: 'string' },
    ...PARTITION_OPTIONS,
  },
  async run(ctx) {
    const { project, path } = await ctx.project();
    const graph = graphOf(project);
    const partitions = partitionRequest(ctx, USAGE);
    const instance = await ctx.writableInstance('weir materialize records runs and artefacts');
    const config = await ctx.instanceConfig();
    const progress = ctx.values.json
      ? undefined
      : new Progress(ctx.output, Boolean(ctx.values.verbose), {
          partitioned: (key) => graph.get(key)?.partitions !== undefined,
          queued: stringOption(ctx.values.executor)?.startsWith('queue') === true,
        });
    const concurrency =
      positiveInteger(ctx.values.concurrency, 'concurrency') ?? project.concurrency;
    const maxOldSpaceMb = positiveInteger(ctx.values['max-old-space-size'], 'max-old-space-size');
    const executor = await commandExecutor(ctx, stringOption(ctx.values.executor), {
      project: path,
      // The children open the configured instance themselves (same project, same environment).
      ...(config.embedded ? { instanceDir: config.dir } : {}),
      ...(maxOldSpaceMb === undefined ? {} : { maxOldSpaceMb }),
    });
    let result: RunResult;
    try {
      result = await materialize(graph, {
        instance,
        ...(executor === undefined ? {} : { executor }),
        ...(ctx.positionals[0] === undefined ? {} : { selection: ctx.positionals.join(',') }),
        force: Boolean(ctx.values.force),
        concurrency,
        ...(partitions === undefined ? {} : { partitions }),
        ...withClock(),
        signal: ctx.signal,
        onEvent: reportingRuns(ctx, progress?.onEvent),
        onLog: progress?.onLog ?? logPrinter(ctx.output),
      });
    } finally {
      progress?.stop();
      await executor?.close();
    }
    const exitCode = await withLocationProblems(ctx, runExitCode(result));
    if (ctx.values.json) {
      ctx.output.out(json(runJson(result)));
      return exitCode;
    }
    renderRun(result, graph, ctx.output, undefined, partitions !== undefined);
    return exitCode;
  },
};

export function runExitCode(result: RunResult): number {
  return result.status === 'success' || result.status === 'nothing-to-do'
    ? 0
    : result.status === 'cancelled'
      ? 130
      : 1;
}

/** A run result as JSON: partition plans as counts (their bitsets do not serialize). */
export function runJson(result: RunResult) {
  return {
    ...result,
    plan: {
      ...result.plan,
      partitions: Object.fromEntries(
        [...result.plan.partitions].map(([key, p]) => [
          key,
          {
            planned: p.planned.count,
            blocked: p.blocked.count,
            ...(p.blockedReason ? { blockedReason: p.blockedReason } : {}),
            blockedBy: p.blockedBy,
          },
        ]),
      ),
    },
  };
}

/** The notes and summary lines of a finished run (or of nothing to do). */
export function renderRun(
  result: RunResult,
  graph: AssetGraph,
  output: Output,
  name = `Run ${result.runId}`,
  /** Partitions were asked for: "up to date" is about those. */
  somePartitions = false,
): void {
  for (const warning of result.warnings) output.err(`warning: ${warning}\n`);
  for (const { key, upstream, partitions } of result.plan.staleUpstream) {
    const some =
      partitions === undefined ? '' : ` (${partitions} partition${partitions === 1 ? '' : 's'})`;
    output.err(
      `note: ${key}${some} not rerun: its upstream ${upstream.map((u) => `${u.key} (${u.status})`).join(', ')} is not selected; its inputs did not change (select +${key} to include the upstream)\n`,
    );
  }
  if (result.status === 'nothing-to-do') {
    // An asset left as it is because its upstream is not healthy is not "up to date".
    const waiting = new Set(result.plan.staleUpstream.map((s) => s.key));
    const upToDate = result.plan.upToDate.filter((key) => !waiting.has(key));
    const n = upToDate.length;
    const partitioned = upToDate.some((key) => graph.get(key)?.partitions);
    const parts = [
      ...(n > 0 || waiting.size === 0
        ? [
            `${n} asset${n === 1 ? ' is' : 's are'} up to date${somePartitions && partitioned ? ' in the partitions asked for' : ''}`,
          ]
        : []),
      ...(waiting.size > 0
        ? [
            `${waiting.size} wait${waiting.size === 1 ? 's' : ''} on ${waiting.size === 1 ? 'its' : 'their'} upstream (see the note above)`,
          ]
        : []),
    ];
    output.out(`Nothing to do: ${parts.join('; ')}.\n`);
    return;
  }
  const { summary } = result;
  const parts = [`${summary.materialized.length} materialized`];
  if (summary.unchanged.length)
    parts.push(`${summary.unchanged.length} unchanged (inputs came out the same)`);
  if (summary.concurrent?.length)
    parts.push(`${summary.concurrent.length} done by another run meanwhile`);
  if (summary.failed.length) parts.push(`${summary.failed.length} failed`);
  if (summary.skipped.length) parts.push(`${summary.skipped.length} skipped`);
  if (summary.cancelled.length) parts.push(`${summary.cancelled.length} cancelled`);
  if (result.plan.upToDate.length) parts.push(`${result.plan.upToDate.length} up to date`);
  if (summary.materialized.some((label) => label.endsWith(']')))
    parts[0] += ` (${describeUnits(summary.materialized)})`;
  output.out(
    `${name} ${paint(output, STATUS_COLOR[result.status] ?? 'bold', result.status)}: ${parts.join(', ')}.\n`,
  );
  for (const label of summary.failed.slice(0, LISTED)) {
    output.out(
      `  ${paint(output, 'red', 'failed')}   ${label}: ${stepError(label, result.reasons[label] ?? '')}\n`,
    );
  }
  if (summary.failed.length > LISTED)
    output.out(`  … and ${summary.failed.length - LISTED} more failed\n`);
  for (const label of summary.skipped.slice(0, LISTED))
    output.out(`  ${paint(output, 'gray', 'skipped')}  ${label}: ${result.reasons[label]}\n`);
  if (summary.skipped.length > LISTED)
    output.out(`  … and ${summary.skipped.length - LISTED} more skipped\n`);
  if (summary.failed.length > 0) output.out(`See the logs with: weir logs ${result.runId}\n`);
}

/** `up: 10 partitions, total` for the labels of a run's steps (`key`, `key[p]`, `key[a…b]`). */
export function describeUnits(labels: readonly string[]): string {
  const byKey = new Map<string, { units: number; ranges: boolean; partitioned: boolean }>();
  for (const label of labels) {
    const bracket = label.indexOf('[');
    const key = bracket < 0 ? label : label.slice(0, bracket);
    const entry = byKey.get(key) ?? { units: 0, ranges: false, partitioned: bracket >= 0 };
    entry.units++;
    if (label.includes('…')) entry.ranges = true;
    byKey.set(key, entry);
  }
  return [...byKey]
    .map(([key, { units, ranges, partitioned }]) =>
      !partitioned
        ? key
        : `${key}: ${units} ${ranges ? `range${units === 1 ? '' : 's'} of partitions` : `partition${units === 1 ? '' : 's'}`}`,
    )
    .join(', ');
}
