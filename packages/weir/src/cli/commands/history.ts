import { EnvironmentError } from '../../errors.js';
import { assetHistory, graphOf } from '../../execution/index.js';
import type { AssetGraph } from '../../graph/index.js';
import { shortVersion } from '../../hash.js';
import {
  type Command,
  type CommandContext,
  positiveInteger,
  requirePositional,
} from '../command.js';
import { formatDuration, formatTime, json, table } from '../format.js';

const USAGE = 'weir history KEY [--limit N] [--checks | --freshness] [--json]';

export const historyCommand: Command = {
  name: 'history',
  summary:
    'List the materializations of an asset (or its check results, or freshness changes), newest first',
  usage: USAGE,
  options: {
    limit: { type: 'string', short: 'n' },
    checks: { type: 'boolean' },
    freshness: { type: 'boolean' },
  },
  async run(ctx) {
    const key = requirePositional(ctx, 'an asset key', USAGE);
    const { project } = await ctx.project();
    if (ctx.values.checks && ctx.values.freshness) {
      throw new EnvironmentError(
        'E_USAGE',
        '--checks and --freshness show different histories: give one',
        {
          hint: `usage: ${USAGE}`,
        },
      );
    }
    if (ctx.values.checks || ctx.values.freshness)
      return contractHistory(ctx, key, graphOf(project));
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
            e.materialization.blockedBy?.length
              ? `blocked by ${e.materialization.blockedBy.join(', ')}: not used`
              : '',
          ]
        : [
            formatTime(e.timestamp),
            '(observed)',
            shortVersion(e.observation.dataVersion),
            '',
            '',
            '',
            '',
          ],
    );
    ctx.output.out(
      `${table([['WHEN', 'RUN', 'DATA VERSION', 'CODE VERSION', 'INPUTS', 'TOOK', 'NOTE'], ...rows])}\n`,
    );
    return 0;
  },
};

/** Check results (`--checks`) or freshness changes (`--freshness`, the SLA history) of an asset. */
async function contractHistory(
  ctx: CommandContext,
  key: string,
  graph: AssetGraph,
): Promise<number> {
  graph.node(key);
  const type = ctx.values.checks ? 'check:evaluated' : 'freshness:evaluated';
  const events = await (await ctx.instance()).eventLog.events({
    assetKey: key,
    types: [type],
    descending: true,
    limit: positiveInteger(ctx.values.limit, 'limit') ?? 20,
  });
  if (ctx.values.json) {
    ctx.output.out(json(events));
    return 0;
  }
  if (events.length === 0) {
    ctx.output.out(
      `${key} has no ${ctx.values.checks ? 'check results' : 'freshness evaluations'} yet.\n`,
    );
    return 0;
  }
  const rows = events.map((e) =>
    e.type === 'check:evaluated'
      ? [
          formatTime(e.timestamp),
          e.check.name,
          e.check.passed ? 'passed' : e.check.severity === 'error' ? 'failed' : 'warning',
          shortVersion(e.dataVersion),
          e.check.message ?? '',
        ]
      : e.type === 'freshness:evaluated'
        ? [
            formatTime(e.timestamp),
            e.freshness.status,
            e.freshness.overdueByMs > 0 ? formatDuration(e.freshness.overdueByMs) : '',
            e.freshness.reason,
          ]
        : [],
  );
  const header = ctx.values.checks
    ? ['WHEN', 'CHECK', 'RESULT', 'DATA VERSION', 'MESSAGE']
    : ['WHEN', 'STATUS', 'OVERDUE BY', 'REASON'];
  ctx.output.out(`${table([header, ...rows])}\n`);
  return 0;
}
