/**
 * @module cli/commands/runs
 * `weir runs`: recent runs with their status; `weir runs RUN`: one run's steps, with the
 * queue worker that ran each.
 */
import { listRuns, runLogs } from '../../execution/index.js';
import { runSteps } from '../_run-steps.js';
import { type Command, type CommandContext, positiveInteger } from '../command.js';
import {
  formatClock,
  formatDuration,
  json,
  localZone,
  paint,
  STATUS_COLOR,
  table,
} from '../format.js';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List recent runs, or one run’s steps and where each ran',
  usage: 'weir runs [RUN] [--limit N] [--json]',
  help: `RUN (a run id, or latest): its steps, each with its status, attempts, time and the queue
worker that ran it ("-": no queue worker, the run's own processes ran it; blank: it never
started, skipped or cancelled while it waited).
`,
  options: { limit: { type: 'string', short: 'n' } },
  async run(ctx) {
    if (ctx.positionals[0] !== undefined) return runDetail(ctx, ctx.positionals[0]);
    const runs = await listRuns(await ctx.instance(), {
      limit: positiveInteger(ctx.values.limit, 'limit') ?? 20,
    });
    if (ctx.values.json) {
      ctx.output.out(json(runs));
      return 0;
    }
    const rows = runs.map((r) => [
      r.runId,
      paint(ctx.output, STATUS_COLOR[r.status] ?? 'bold', r.status),
      formatClock(r.startedAt),
      r.finishedAt === undefined ? '' : formatDuration(r.finishedAt - r.startedAt),
      String(r.started.steps.length),
      r.started.selection,
      r.started.trigger === undefined
        ? 'manual'
        : `${r.started.trigger.kind} ${r.started.trigger.name}`,
    ]);
    ctx.output.out(
      `${table([['RUN', 'STATUS', `STARTED (${localZone()})`, 'TOOK', 'STEPS', 'SELECTION', 'TRIGGER'], ...rows])}\n`,
    );
    return 0;
  },
};

async function runDetail(ctx: CommandContext, runId: string): Promise<number> {
  const { run, events } = await runLogs(await ctx.instance(), runId);
  const steps = runSteps(events);
  if (ctx.values.json) {
    ctx.output.out(json({ run, steps }));
    return 0;
  }
  const { output } = ctx;
  output.out(
    `run ${run.runId} ${paint(output, STATUS_COLOR[run.status] ?? 'bold', run.status)} · ${run.started.selection} · started ${formatClock(run.startedAt)}${run.finishedAt === undefined ? '' : ` · took ${formatDuration(run.finishedAt - run.startedAt)}`}\n`,
  );
  const rows = steps.map((step) => [
    step.partition === '' ? step.assetKey : `${step.assetKey} [${step.partition}]`,
    paint(output, STATUS_COLOR[step.status] ?? 'bold', step.status),
    String(step.attempts),
    step.startedAt === undefined || step.endedAt === undefined
      ? ''
      : formatDuration(step.endedAt - step.startedAt),
    step.workers !== undefined
      ? step.workers.join(' → ')
      : (step.worker ?? (step.attempts === 0 ? '' : paint(output, 'gray', '-'))),
  ]);
  output.out(`${table([['STEP', 'STATUS', 'ATTEMPTS', 'TOOK', 'WORKER'], ...rows])}\n`);
  return 0;
}
