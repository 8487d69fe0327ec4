/**
 * @module cli/commands/runs
 * `weir runs`: recent runs with their status.
 */
import { listRuns } from '../../execution/index.js';
import { type Command, positiveInteger } from '../command.js';
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
  summary: 'List recent runs',
  usage: 'weir runs [--limit N] [--json]',
  options: { limit: { type: 'string', short: 'n' } },
  async run(ctx) {
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
