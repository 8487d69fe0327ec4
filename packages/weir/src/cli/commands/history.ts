/**
 * @module cli/commands/history
 * `weir history`: an asset's materializations (or observations, check results, freshness changes),
 * newest first.
 */
import { EnvironmentError } from '../../errors.js';
import { assetHistory, graphOf, resolveSpaces, unknownPartition } from '../../execution/index.js';
import type { AssetGraph } from '../../graph/index.js';
import { shortVersion } from '../../hash.js';
import type { EventLog, InputVersion } from '../../storage/index.js';
import { goneArtefacts } from '../_artefact-notes.js';
import { partitionLabel } from '../_partitions.js';
import {
  type Command,
  type CommandContext,
  positiveInteger,
  requirePositional,
  stringOption,
} from '../command.js';
import { formatClock, formatDuration, json, localZone, table } from '../format.js';

const USAGE = 'weir history KEY [--partition P] [--limit N] [--checks | --freshness] [--json]';

export const historyCommand: Command = {
  name: 'history',
  summary:
    'List the materializations of an asset (or its check results, or freshness changes), newest first',
  usage: USAGE,
  help: `options:
  --partition P   only the materializations of partition P of a partitioned asset
  -n, --limit N   at most N entries (default 20)
  --checks        check results instead of materializations
  --freshness     freshness changes (the SLA history) instead of materializations; with
                  --partition, that partition's own (a freshness policy per partition)
`,
  options: {
    partition: { type: 'string' },
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
    const graph = graphOf(project);
    const partition = stringOption(ctx.values.partition);
    const partitioned = graph.has(key) && graph.node(key).partitions !== undefined;
    if (partition !== undefined && graph.has(key) && !partitioned) {
      throw new EnvironmentError('E_NOT_FOUND', `asset '${key}' is not partitioned`, {
        hint: `drop --partition: weir history ${key}`,
      });
    }
    if (ctx.values.checks || ctx.values.freshness) return contractHistory(ctx, key, graph);
    const instance = await ctx.instance();
    const events = await assetHistory(instance, key, {
      graph,
      limit: positiveInteger(ctx.values.limit, 'limit') ?? 20,
      ...(partition === undefined ? {} : { partition }),
    });
    if (events.length === 0) await assertPartition(graph, instance.eventLog, key, partition);
    if (ctx.values.json) {
      ctx.output.out(json(events));
      return 0;
    }
    if (events.length === 0) {
      ctx.output.out(
        `${partition === undefined ? key : partitionLabel(key, partition)} has no materializations yet.\n`,
      );
      return 0;
    }
    const gone = await goneArtefacts(
      instance,
      events.flatMap((e) =>
        e.type === 'asset:materialized' ? [e.materialization.artefact.location] : [],
      ),
    );
    const rows = events.map((e) =>
      e.type === 'asset:materialized'
        ? [
            formatClock(e.timestamp),
            ...(partitioned ? [e.partition] : []),
            e.runId,
            shortVersion(e.materialization.dataVersion),
            e.materialization.codeVersion,
            Object.entries(e.materialization.inputs)
              .map(([k, v]) => `${k}${readPartitions(v)}@${shortVersion(v.dataVersion)}`)
              .join(' '),
            formatDuration(e.materialization.endedAt - e.materialization.startedAt),
            [
              e.materialization.blockedBy?.length
                ? `blocked by ${e.materialization.blockedBy.join(', ')}: not used`
                : '',
              gone.get(e.materialization.artefact.location) ?? '',
            ]
              .filter((note) => note !== '')
              .join('; '),
          ]
        : [
            formatClock(e.timestamp),
            ...(partitioned ? [e.partition] : []),
            '(observed)',
            shortVersion(e.observation.dataVersion),
            '',
            '',
            '',
            '',
          ],
    );
    ctx.output.out(
      `${table([[`WHEN (${localZone()})`, ...(partitioned ? ['PARTITION'] : []), 'RUN', 'DATA VERSION', 'CODE VERSION', 'INPUTS', 'TOOK', 'NOTE'], ...rows])}\n`,
    );
    return 0;
  },
};

/** A partition with no history must at least exist now (a removed one's history still shows). */
async function assertPartition(
  graph: AssetGraph,
  eventLog: EventLog,
  key: string,
  partition: string | undefined,
): Promise<void> {
  if (partition === undefined || !graph.has(key) || graph.node(key).partitions === undefined)
    return;
  const space = (await resolveSpaces(graph, eventLog, [key], Date.now())).get(key)!;
  if (space.indexOf(partition) < 0) throw unknownPartition(key, partition, space);
}

/** Check results (`--checks`) or freshness changes (`--freshness`, the SLA history) of an asset. */
async function contractHistory(
  ctx: CommandContext,
  key: string,
  graph: AssetGraph,
): Promise<number> {
  graph.node(key);
  const type = ctx.values.checks ? 'check:evaluated' : 'freshness:evaluated';
  const limit = positiveInteger(ctx.values.limit, 'limit') ?? 20;
  const partition = stringOption(ctx.values.partition);
  const eventLog = (await ctx.instance()).eventLog;
  const events = (
    await eventLog.events({
      assetKey: key,
      types: [type],
      descending: true,
      // One partition's are picked out of the asset's newest (enough for a recent history).
      limit:
        partition === undefined && type === 'check:evaluated' ? limit : Math.max(1000, limit * 50),
    })
  )
    // Freshness without --partition: the asset's own (a policy per partition records each
    // partition's changes too, under its key).
    .filter((e) =>
      partition === undefined
        ? type !== 'freshness:evaluated' || ('partition' in e && e.partition === '')
        : 'partition' in e && e.partition === partition,
    )
    .slice(0, limit);
  if (events.length === 0) await assertPartition(graph, eventLog, key, partition);
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
          formatClock(e.timestamp),
          e.check.name,
          e.check.passed ? 'passed' : e.check.severity === 'error' ? 'failed' : 'warning',
          shortVersion(e.dataVersion),
          e.check.message ?? '',
        ]
      : e.type === 'freshness:evaluated'
        ? [
            formatClock(e.timestamp),
            e.freshness.status,
            e.freshness.overdueByMs > 0 ? formatDuration(e.freshness.overdueByMs) : '',
            e.freshness.reason,
          ]
        : [],
  );
  const header = ctx.values.checks
    ? [`WHEN (${localZone()})`, 'CHECK', 'RESULT', 'DATA VERSION', 'MESSAGE']
    : [`WHEN (${localZone()})`, 'STATUS', 'OVERDUE BY', 'REASON'];
  ctx.output.out(`${table([header, ...rows])}\n`);
  return 0;
}

/** `[2024-01-03]` or `[10]` (partitions read) after an input's key; nothing when unpartitioned. */
function readPartitions(input: InputVersion): string {
  if (input.partitions !== undefined && input.partitions.length === 1)
    return `[${input.partitions[0]}]`;
  const n = input.partitionCount ?? input.partitions?.length;
  return n === undefined ? '' : `[${n} partitions]`;
}
