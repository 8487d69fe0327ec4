/**
 * @module cli/commands/status
 * `weir status`: each asset fresh, stale, missing or failed, with the reason; partition maps.
 */
import { unavailableStore } from '../../artefacts/index.js';
import { locatedIn } from '../../definitions/index.js';
import { WeirError } from '../../errors.js';
import { assetStatus, createInstance, graphOf, type Instance } from '../../execution/index.js';
import { openConfiguredArtefacts, openConfiguredEventLog } from '../../instance/index.js';
import { backendProblemOf, type FreshnessOutcome } from '../../storage/index.js';
import {
  type AssetState,
  type PartitionedState,
  partitionCounts,
  summarize,
} from '../../versioning/index.js';
import {
  condenseRuns,
  keyedRun,
  PARTITION_STATUSES,
  type PartitionStatus,
  partitionBar,
  partitionRuns,
} from '../_partition-map.js';
import { type Command, type CommandContext, positiveInteger } from '../command.js';
import {
  type Color,
  formatDuration,
  json,
  logPrinter,
  type Output,
  paint,
  STATUS_COLOR,
  table,
  withClock,
} from '../format.js';

const USAGE = 'weir status [SELECTION] [--partitions [--runs N]] [--no-observe] [--json]';

/** Run lines printed per asset with --partitions unless --runs says otherwise. */
const DEFAULT_RUNS = 20;
const BAR_CELLS = 60;

export const statusCommand: Command = {
  name: 'status',
  summary:
    'Show each asset as fresh, stale, missing or failed, with the reason, checks and freshness',
  usage: USAGE,
  help: `options:
  --partitions   for each partitioned asset, a map of its partitions: counts, a bar, and runs of
                 consecutive partitions with the same status (--json: every run)
  --runs N       with --partitions, at most N lines per asset (default ${DEFAULT_RUNS}): past that,
                 the longest runs stay and the shorter ones between them merge into mixed lines
  --no-observe   do not observe source assets first
WEIR_NOW (ISO time or epoch ms) judges freshness and time windows as of that time.
`,
  options: {
    'no-observe': { type: 'boolean' },
    partitions: { type: 'boolean' },
    runs: { type: 'string' },
  },
  async run(ctx) {
    const { project } = await ctx.project();
    const maxRuns = positiveInteger(ctx.values.runs, 'runs') ?? DEFAULT_RUNS;
    const { instance, unchecked } = await statusInstance(ctx);
    let states: AssetState[];
    try {
      states = await assetStatus(project, {
        instance,
        ...(ctx.positionals[0] === undefined ? {} : { selection: ctx.positionals.join(',') }),
        observe: !ctx.values['no-observe'],
        // JSON shows each asset's latest materialization and checks: read every record.
        details: Boolean(ctx.values.json),
        onLog: logPrinter(ctx.output),
        ...(unchecked === undefined ? {} : { checkArtefacts: false }),
        ...withClock(),
      });
    } finally {
      if (unchecked !== undefined) await instance.close();
    }
    if (unchecked !== undefined) {
      ctx.output.err(
        `${paint(ctx.output, 'yellow', 'warning')}: artefacts were not checked (status is from the event log alone): ${unchecked.message}\n`,
      );
      if (unchecked.hint !== undefined) {
        ctx.output.err(`${paint(ctx.output, 'gray', 'hint')}: ${unchecked.hint}\n`);
      }
    }
    if (ctx.values.partitions) return partitionMaps(ctx.output, states, maxRuns, ctx.values.json);
    if (ctx.values.json) {
      // With code locations, each located asset's location.
      const graph = graphOf(project);
      const located = (key: string) => {
        const where = locatedIn(graph.node(key).definition);
        return where === undefined ? {} : { location: where };
      };
      ctx.output.out(json(states.map((s) => ({ ...statusJson(s), ...located(s.key) }))));
      return 0;
    }
    const withFreshness = states.some((s) => s.freshness !== undefined);
    const withPartitions = states.some((s) => s.partitions !== undefined);
    const rows = states.map((s) => [
      s.kind === 'source' ? paint(ctx.output, 'dim', s.key) : s.key,
      paint(ctx.output, STATUS_COLOR[s.status] ?? 'bold', s.status),
      ...(withPartitions ? [countsCell(s.partitions, ctx.output)] : []),
      ...(withFreshness ? [freshnessCell(s, ctx.output)] : []),
      reasonOf(s),
    ]);
    const header = [
      'ASSET',
      'STATUS',
      ...(withPartitions ? ['PARTITIONS'] : []),
      ...(withFreshness ? ['FRESHNESS'] : []),
      'REASON',
    ];
    ctx.output.out(`${table([header, ...rows])}\n`);
    const counts = new Map<string, number>();
    for (const s of states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    const overdue = states.filter((s) => s.freshness?.status === 'overdue').length;
    const warned = states.filter((s) => s.warnings.length > 0).length;
    const tally = [...counts].map(([status, n]) => `${n} ${status}`);
    if (overdue > 0) tally.push(`${overdue} overdue`);
    if (warned > 0) tally.push(`${warned} with warnings`);
    ctx.output.out(`\n${tally.join(', ')}\n`);
    if (states.some((s) => s.partitions && s.partitions.space.size > 0 && s.status !== 'fresh')) {
      ctx.output.out(
        `${paint(ctx.output, 'gray', 'see which partitions: weir status SELECTION --partitions')}\n`,
      );
    }
    return 0;
  },
};

/**
 * The instance status reads. The event log is the truth: when only the artefact store cannot be
 * opened because of its server (down, credentials refused, bucket missing), status still answers from the log, with the
 * store's error as a warning that its artefacts were not checked. A log that cannot be opened
 * fails the command as before.
 */
async function statusInstance(
  ctx: CommandContext,
): Promise<{ instance: Instance; unchecked?: WeirError }> {
  try {
    return { instance: await ctx.instance() };
  } catch (error) {
    const config = await ctx.instanceConfig();
    if (config.artefacts.kind === 'local') throw error;
    const eventLog = await openConfiguredEventLog(config, { readOnly: true });
    let unchecked: unknown;
    try {
      await (await openConfiguredArtefacts(config, true)).close();
    } catch (storeError) {
      unchecked = storeError;
    }
    if (!(unchecked instanceof WeirError) || backendProblemOf(unchecked) === undefined) {
      // The store opens now, or fails for a reason that is not its server's (a configuration
      // without a region, a backend not installed, a bug): the first error stands.
      await eventLog.close();
      throw error;
    }
    const instance = createInstance({
      eventLog,
      artefacts: unavailableStore(unchecked),
      readOnly: true,
    });
    return { instance, unchecked };
  }
}

/** The reason column; an empty partition space says why it is empty. */
function reasonOf(state: AssetState): string {
  const partitions = state.partitions;
  if (partitions !== undefined && partitions.space.size === 0) {
    const definition = partitions.space.definition;
    return definition?.kind === 'dynamic'
      ? `no partitions yet: add keys with weir partitions add ${definition.name} KEY…`
      : `no partitions yet (${definition?.description ?? 'none'})`;
  }
  const reason = summarize(state);
  // A policy per partition: the overdue partitions, or one whose policy cannot be judged (it
  // threw or is invalid), are news the status alone does not tell.
  if (
    state.partitionFreshness !== undefined &&
    state.freshness?.status !== 'fresh' &&
    state.freshness !== undefined
  ) {
    return state.status === 'fresh'
      ? state.freshness.reason
      : `${reason}; ${state.freshness.reason}`;
  }
  return reason;
}

/** `7 fresh · 1 stale · 2 missing`, in colour; `(10)` when all one status. */
function countsCell(partitions: PartitionedState | undefined, output: Output): string {
  if (partitions === undefined) return '';
  const counts = partitionCounts(partitions);
  const size = partitions.space.size;
  if (size === 0) return paint(output, 'gray', 'none yet');
  const present = PARTITION_STATUSES.filter((status) => counts[status] > 0);
  if (present.length === 1) return `${paint(output, COLORS[present[0]!], present[0]!)} (${size})`;
  return present
    .map((status) => `${counts[status]} ${paint(output, COLORS[status], status)}`)
    .join(' · ');
}

const COLORS: Record<PartitionStatus, Color> = {
  fresh: 'green',
  stale: 'yellow',
  missing: 'magenta',
  failed: 'red',
};
const GLYPHS: Record<PartitionStatus, string> = {
  fresh: '█',
  stale: '▒',
  missing: '·',
  failed: '×',
};

/** `weir status --partitions`: each partitioned asset's partition map. */
function partitionMaps(
  output: Output,
  states: readonly AssetState[],
  maxRuns: number,
  asJson: unknown,
): number {
  const partitioned = states.filter((s) => s.partitions !== undefined);
  if (asJson) {
    output.out(
      json(
        partitioned.map((s) => {
          const p = s.partitions!;
          return {
            ...statusJson(s),
            partitions: {
              ...partitionsJson(p),
              runs: partitionRuns(p).map((run) => keyedRun(run, p.space)),
            },
          };
        }),
      ),
    );
    return 0;
  }
  if (partitioned.length === 0) {
    output.out('No partitioned assets in this selection.\n');
    return 0;
  }
  const blocks: string[] = [];
  let barShown = false;
  for (const state of partitioned) {
    const p = state.partitions!;
    const { space } = p;
    const counts = partitionCounts(p);
    const lines = [
      `${paint(output, 'bold', state.key)} ${paint(output, STATUS_COLOR[state.status] ?? 'bold', state.status)} · ${space.definition?.description ?? ''}`,
    ];
    if (space.size === 0) {
      lines.push(`  ${reasonOf(state)}`);
      blocks.push(lines.join('\n'));
      continue;
    }
    const tally = PARTITION_STATUSES.filter((status) => counts[status] > 0)
      .map((status) => `${counts[status]} ${paint(output, COLORS[status], status)}`)
      .join(', ');
    lines.push(`  ${space.size} partition${space.size === 1 ? '' : 's'}: ${tally}`);
    const runs = partitionRuns(p);
    if (runs.length > 1) {
      const bar = partitionBar(runs, space.size, BAR_CELLS);
      lines.push(
        `  ${bar.map((status) => (status === undefined ? ' ' : paint(output, COLORS[status], GLYPHS[status]))).join('')}`,
      );
      barShown = true;
    }
    const condensed = condenseRuns(runs, maxRuns);
    const rows = condensed.map((line) => {
      const from = space.keyAt(line.start);
      const range = line.end - line.start === 1 ? from : `${from} … ${space.keyAt(line.end - 1)}`;
      if (line.status !== 'mixed')
        return [
          range,
          paint(output, COLORS[line.status], line.status),
          `(${line.end - line.start})`,
        ];
      const mix = PARTITION_STATUSES.filter((status) => line.counts[status] > 0)
        .map((status) => `${line.counts[status]} ${status}`)
        .join(', ');
      return [range, paint(output, 'gray', 'mixed'), `(${line.end - line.start}: ${mix})`];
    });
    for (const line of table(rows).split('\n')) lines.push(`  ${line.trimEnd()}`);
    if (state.partitionFreshness !== undefined) {
      lines.push(...partitionFreshnessLines(state.partitionFreshness, output, maxRuns));
    }
    if (condensed.length < runs.length) {
      const mixed = condensed.filter((line) => line.status === 'mixed');
      const merged = mixed.reduce((n, line) => n + line.runs, 0);
      lines.push(
        paint(
          output,
          'gray',
          `  ${merged} shorter runs merged into ${mixed.length} mixed line${mixed.length === 1 ? '' : 's'}; every run: --runs ${runs.length} or --json`,
        ),
      );
    }
    blocks.push(lines.join('\n'));
  }
  output.out(`${blocks.join('\n\n')}\n`);
  if (barShown) {
    const legend = PARTITION_STATUSES.map(
      (status) => `${paint(output, COLORS[status], GLYPHS[status])} ${status}`,
    ).join('  ');
    output.out(
      `\n${paint(output, 'gray', `bar: ${legend}; each cell is the worst of the partitions it stands for`)}\n`,
    );
  }
  return 0;
}

/**
 * `weir status KEY --partitions`, with a policy per partition: how each partition stands, the
 * overdue ones first (most overdue first), at most `max` lines.
 */
function partitionFreshnessLines(
  judged: ReadonlyMap<string, FreshnessOutcome>,
  output: Output,
  max: number,
): string[] {
  const entries = [...judged];
  const overdue = entries.filter(([, f]) => f.status === 'overdue').length;
  const unknown = entries.filter(([, f]) => f.status === 'unknown').length;
  // Overdue first, then unknown (a broken policy must be seen), then fresh.
  const rank = (f: FreshnessOutcome) =>
    f.status === 'overdue'
      ? f.deadline === undefined
        ? Number.POSITIVE_INFINITY
        : f.overdueByMs
      : f.status === 'unknown'
        ? -0.5
        : -1;
  entries.sort(([, a], [, b]) => rank(b) - rank(a));
  const shown = entries.slice(0, max);
  const lines = [
    `  freshness per partition: ${overdue === 0 ? `${entries.length} with a policy, none overdue` : `${overdue} of ${entries.length} overdue`}${unknown === 0 ? '' : `, ${unknown} unknown`}`,
  ];
  const rows = shown.map(([partition, f]) => [
    partition,
    freshnessCell({ freshness: f }, output),
    f.reason,
  ]);
  for (const line of table(rows).split('\n')) lines.push(`    ${line.trimEnd()}`);
  if (shown.length < entries.length) {
    lines.push(
      paint(
        output,
        'gray',
        `    ${entries.length - shown.length} more (--runs ${entries.length} or --json)`,
      ),
    );
  }
  return lines;
}

function partitionsJson(p: PartitionedState) {
  return {
    description: p.space.definition?.description ?? null,
    size: p.space.size,
    counts: partitionCounts(p),
  };
}

function freshnessCell(state: Pick<AssetState, 'freshness'>, output: Output): string {
  const freshness = state.freshness;
  if (freshness === undefined) return '';
  if (freshness.status === 'overdue') {
    return paint(
      output,
      'red',
      freshness.overdueByMs > 0 ? `overdue by ${formatDuration(freshness.overdueByMs)}` : 'overdue',
    );
  }
  return freshness.status === 'fresh'
    ? paint(output, 'green', 'on time')
    : paint(output, 'gray', 'unknown');
}

function statusJson(s: AssetState) {
  const latest = s.record?.materialization;
  return {
    key: s.key,
    kind: s.kind,
    status: s.status,
    reason: reasonOf(s),
    causes: s.causes,
    warnings: s.warnings,
    freshness: s.freshness ?? null,
    checks: Object.values(s.record?.checks ?? {})
      .filter((event) => event.materializationId === latest?.id)
      .map((event) => event.check),
    dataVersion: s.dataVersion ?? null,
    codeVersion: s.codeVersion,
    materializedAt: latest?.timestamp ?? null,
    runId: latest?.runId ?? null,
    ...(s.partitions === undefined ? {} : { partitions: partitionsJson(s.partitions) }),
    ...(s.partitionFreshness === undefined
      ? {}
      : { partitionFreshness: Object.fromEntries(s.partitionFreshness) }),
  };
}
