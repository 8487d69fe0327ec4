import { assetHistory, graphOf } from '../../execution/index.js';
import { shortVersion } from '../../hash.js';
import { type Command, positiveInteger, requirePositional } from '../command.js';
import { formatDuration, formatTime, json, table } from '../format.js';

const USAGE = 'weir history KEY [--limit N] [--json]';

export const historyCommand: Command = {
  name: 'history',
  summary: 'List the materializations of an asset, newest first',
  usage: USAGE,
  options: { limit: { type: 'string', short: 'n' } },
  async run(ctx) {
    const key = requirePositional(ctx, 'an asset key', USAGE);
    const { project } = await ctx.project();
    const events = await assetHistory(await ctx.instance(), key, {
      graph: graphOf(project),
      limit: positiveInteger(ctx.values.limit, 'limit') ?? 20,
    });
    if (ctx.values.json) {
      ctx.output.out(json(events));
      return 0;
    }
    if (events.length === 0) {
      ctx.output.out(`${key} has no materializations yet.\n`);
      return 0;
    }
    const rows = events.map((e) =>
      e.type === 'asset:materialized'
        ? [
            formatTime(e.timestamp),
            e.runId,
            shortVersion(e.materialization.dataVersion),
            e.materialization.codeVersion,
            Object.entries(e.materialization.inputs)
              .map(([k, v]) => `${k}@${shortVersion(v.dataVersion)}`)
              .join(' '),
            formatDuration(e.materialization.endedAt - e.materialization.startedAt),
          ]
        : [
            formatTime(e.timestamp),
            '(observed)',
            shortVersion(e.observation.dataVersion),
            '',
            '',
            '',
          ],
    );
    ctx.output.out(
      `${table([['WHEN', 'RUN', 'DATA VERSION', 'CODE VERSION', 'INPUTS', 'TOOK'], ...rows])}\n`,
    );
    return 0;
  },
};
