import { runLogs } from '../../execution/index.js';
import type { StoredEvent } from '../../storage/index.js';
import type { Command } from '../command.js';
import { formatTime, json, type Output, paint, STATUS_COLOR } from '../format.js';

export const logsCommand: Command = {
  name: 'logs',
  summary: 'Show what happened in a run (the latest by default), with its steps’ logs',
  usage: 'weir logs [RUN] [--json]',
  options: {},
  async run(ctx) {
    const { run, events } = await runLogs(await ctx.instance(), ctx.positionals[0] ?? 'latest');
    if (ctx.values.json) {
      ctx.output.out(json({ run, events }));
      return 0;
    }
    const { output } = ctx;
    output.out(
      `run ${run.runId} ${paint(output, STATUS_COLOR[run.status] ?? 'bold', run.status)} · selection ${run.started.selection}${run.started.force ? ' (forced)' : ''} · started ${formatTime(run.startedAt)}\n`,
    );
    for (const event of events) {
      const line = describe(event, output);
      if (line !== undefined) output.out(`${formatTime(event.timestamp).slice(11)}  ${line}\n`);
    }
    return 0;
  },
};

function describe(event: StoredEvent, output: Output): string | undefined {
  switch (event.type) {
    case 'step:started':
      return `${event.assetKey}: started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'step:log':
      return `${event.assetKey}: ${paint(output, event.level === 'error' ? 'red' : event.level === 'warn' ? 'yellow' : 'gray', event.level)} ${event.message}${event.fields ? ` ${JSON.stringify(event.fields)}` : ''}`;
    case 'step:retrying':
      return `${event.assetKey}: attempt ${event.attempt} failed (${event.error.message}); retrying in ${event.delayMs} ms`;
    case 'step:failed':
      return `${event.assetKey}: ${paint(output, 'red', 'failed')} ${event.error.message}${event.error.stack ? `\n${indent(event.error.stack)}` : ''}`;
    case 'step:skipped':
      return `${event.assetKey}: skipped, ${event.reason}`;
    case 'step:cancelled':
      return `${event.assetKey}: cancelled`;
    case 'asset:materialized':
      return `${event.assetKey}: ${paint(output, 'green', 'materialized')} ${event.materialization.dataVersion.slice(0, 12)}`;
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
