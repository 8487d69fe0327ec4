/**
 * @module cli/commands/logs
 * `weir logs`: a run's events and step logs.
 */
import { findRun, type Instance, runLogs } from '../../execution/index.js';
import type { StoredEvent } from '../../storage/index.js';
import { describeRequest, partitionLabel } from '../_partitions.js';
import type { Command, CommandContext } from '../command.js';
import {
  formatClock,
  formatTime,
  json,
  type Output,
  paint,
  STATUS_COLOR,
  stepError,
} from '../format.js';

export const logsCommand: Command = {
  name: 'logs',
  summary: 'Show what happened in a run (the latest by default), with its steps’ logs',
  usage: 'weir logs [RUN] [--follow] [--json]',
  help: `options:
  -f, --follow   keep printing the run's events and log lines as they are recorded, until it ends
                 (with --json: one event per line)
`,
  options: { follow: { type: 'boolean', short: 'f' } },
  async run(ctx) {
    const instance = await ctx.instance();
    const { run, events } = await runLogs(instance, ctx.positionals[0] ?? 'latest');
    if (ctx.values.follow) return follow(ctx, instance, run.runId, events);
    if (ctx.values.json) {
      ctx.output.out(json({ run, events }));
      return 0;
    }
    const { output } = ctx;
    output.out(
      `run ${run.runId} ${paint(output, STATUS_COLOR[run.status] ?? 'bold', run.status)} · selection ${run.started.selection}${run.started.partitions ? ` · partitions ${describeRequest(run.started.partitions)}` : ''}${run.started.force ? ' (forced)' : ''}${run.started.backfillId ? ` · backfill ${run.started.backfillId}` : ''} · started ${formatTime(run.startedAt)}\n`,
    );
    for (const event of events) {
      const line = describe(event, output);
      if (line !== undefined) output.out(`${formatClock(event.timestamp).slice(11)}  ${line}\n`);
    }
    return 0;
  },
};

/** How often a followed run is looked at for new events. */
const FOLLOW_MS = 200;

/** Prints the run's events as they come until the run has ended (or Ctrl-C). */
async function follow(
  ctx: CommandContext,
  instance: Instance,
  runId: string,
  seen: readonly StoredEvent[],
): Promise<number> {
  const { output } = ctx;
  const print = (event: StoredEvent) => {
    if (ctx.values.json) output.out(`${JSON.stringify(event)}\n`);
    else {
      const line = describe(event, output);
      if (line !== undefined) output.out(`${formatClock(event.timestamp).slice(11)}  ${line}\n`);
    }
  };
  for (const event of seen) print(event);
  let afterId = seen.at(-1)?.id ?? 0;
  for (;;) {
    const ended = (await findRun(instance, runId))?.status !== 'running';
    for (const event of await instance.eventLog.events({ runId, afterId })) {
      print(event);
      afterId = event.id;
    }
    if (ended || ctx.signal.aborted) return 0;
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
  }
}

function describe(event: StoredEvent, output: Output): string | undefined {
  // A partition's step is named `key[partition]`.
  const who =
    'assetKey' in event && 'partition' in event
      ? partitionLabel(event.assetKey, event.partition)
      : '';
  switch (event.type) {
    case 'step:started':
      return `${who}: started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'step:log':
      return `${who}: ${paint(output, event.level === 'error' ? 'red' : event.level === 'warn' ? 'yellow' : 'gray', event.level)} ${event.message}${event.fields ? ` ${JSON.stringify(event.fields)}` : ''}`;
    case 'step:retrying':
      return `${who}: attempt ${event.attempt} failed (${event.error.message}); retrying in ${event.delayMs} ms`;
    case 'step:failed':
      return `${who}: ${paint(output, 'red', 'failed')} ${stepError(event.assetKey, event.error.message)}${event.error.hint ? `\n${indent(`hint: ${event.error.hint}`)}` : ''}${event.error.stack ? `\n${indent(event.error.stack)}` : ''}`;
    case 'step:skipped':
      return `${who}: skipped, ${event.reason}`;
    case 'step:cancelled':
      return `${who}: cancelled`;
    case 'asset:materialized':
      return `${who}: ${paint(output, 'green', 'materialized')} ${event.materialization.dataVersion.slice(0, 12)}`;
    case 'partitions:added':
    case 'partitions:removed':
      return `dynamic partitions ${event.name}: ${event.type === 'partitions:added' ? 'added' : 'removed'} ${event.keys.join(', ')}`;
    case 'run:finished':
      return `run ${event.status}${event.reason ? `: ${event.reason}` : ''}`;
    default:
      return undefined;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `            ${line}`)
    .join('\n');
}
