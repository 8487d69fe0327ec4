/**
 * @module cli/commands/why
 * `weir why`: the chain of causes of an asset's (or a partition's) status, and its provenance.
 */
import { type ConditionResult, explainCondition } from '../../automation/index.js';
import {
  type FreshnessPolicy,
  PartitionSet,
  type PartitionSpace,
  partitionPolicyOrError,
} from '../../definitions/index.js';
import { DefinitionError, EnvironmentError } from '../../errors.js';
import { explain, graphOf, type Instance, lineage, type WhyReport } from '../../execution/index.js';
import type { FreshnessOutcome, StoredEvent } from '../../storage/index.js';
import {
  type AssetState,
  codePartsOf,
  describeCodeChanges,
  partitionCounts,
} from '../../versioning/index.js';
import { goneArtefacts } from '../_artefact-notes.js';
import { renderLineage } from '../_lineage.js';
import { PARTITION_STATUSES } from '../_partition-map.js';
import { partitionLabel } from '../_partitions.js';
import { type Command, positiveInteger, requirePositional, stringOption } from '../command.js';
import {
  formatTime,
  json,
  localZone,
  logPrinter,
  type Output,
  paint,
  STATUS_COLOR,
  withClock,
} from '../format.js';
import {
  describeCause,
  materializationLines,
  type Notes,
  observationLines,
  renderChecks,
  renderProvenance,
  type TimeFormat,
} from './_why-lines.js';

const USAGE = 'weir why KEY [--partition P] [--lineage [--depth N]] [--json]';

/** For each input of `event` whose artefact is gone from the store: collected by gc, or missing. */
async function inputNotes(instance: Instance, event: StoredEvent | undefined): Promise<Notes> {
  if (event?.type !== 'asset:materialized') return new Map();
  const located = new Map<number, string>();
  for (const input of Object.values(event.materialization.inputs)) {
    const read = input.eventId > 0 ? await instance.eventLog.event(input.eventId) : undefined;
    if (read?.type === 'asset:materialized')
      located.set(read.id, read.materialization.artefact.location);
  }
  const gone = await goneArtefacts(instance, located.values());
  const notes = new Map<number, string>();
  for (const [id, location] of located) {
    const note = gone.get(location);
    if (note !== undefined) notes.set(id, note);
  }
  return notes;
}

export const whyCommand: Command = {
  name: 'why',
  summary: 'Explain an asset: the full chain of causes of its status, and its provenance',
  usage: USAGE,
  help: `options:
  --partition P  explain one partition of a partitioned asset: which upstream partitions moved
                 since it read them, and the provenance of its current materialization
  --lineage      and the values it was made from, down to the sources: each one's run,
                 code version and data version (a forecast to the raw readings)
  --depth N      with --lineage, at most N levels of inputs
WEIR_NOW (ISO time or epoch ms) judges freshness and time windows as of that time.
`,
  options: {
    partition: { type: 'string' },
    lineage: { type: 'boolean' },
    depth: { type: 'string' },
  },
  async run(ctx) {
    const key = requirePositional(ctx, 'an asset key', USAGE);
    const partition = stringOption(ctx.values.partition);
    const { project } = await ctx.project();
    const instance = await ctx.instance();
    const report = await explain(project, key, {
      instance,
      onLog: logPrinter(ctx.output),
      ...withClock(),
      ...(partition === undefined ? {} : { partition }),
    });
    const definition = project.assets.find((a) => a.key === key);
    const parts = definition === undefined ? undefined : codePartsOf(definition);
    const depth = positiveInteger(ctx.values.depth, 'depth');
    if (depth !== undefined && !ctx.values.lineage) {
      throw new EnvironmentError('E_USAGE', '--depth goes with --lineage', {
        hint: `usage: ${USAGE}`,
      });
    }
    const tree = ctx.values.lineage
      ? await lineage(instance, graphOf(project), key, {
          ...(partition === undefined ? {} : { partition }),
          ...(depth === undefined ? {} : { depth }),
        })
      : undefined;
    if (ctx.values.json) {
      const current = (report.partition?.current ?? report.current) as CurrentEvent;
      const codeChanges = codeChangeLines(current, parts);
      ctx.output.out(
        json({ ...whyJson(report), codeChanges, ...(tree === undefined ? {} : { lineage: tree }) }),
      );
      return 0;
    }
    const declared = graphOf(project).node(key).definition;
    // A policy per partition: the zone of the partition asked about (of none: the local one).
    const zone = reportZone(
      declared.partitionFreshness === undefined
        ? declared.freshness
        : partition === undefined
          ? undefined
          : policyOrNone(partitionPolicyOrError(declared.partitionFreshness, partition)),
    );
    const time = (ms: number) => formatTime(ms, zone);
    const trigger = await triggerLine(
      instance,
      report.partition?.current ?? report.current,
      key,
      partition === undefined
        ? undefined
        : { key: partition, space: report.state.partitions?.space },
    );
    ctx.output.out(
      report.partition === undefined
        ? renderWhy(report, ctx.output, time, await inputNotes(instance, report.current), parts)
        : renderPartitionWhy(
            report,
            report.partition,
            ctx.output,
            time,
            await inputNotes(instance, report.partition.current),
            parts,
          ),
    );
    if (trigger !== undefined) ctx.output.out(`${trigger}\n`);
    if (ctx.values.lineage) {
      ctx.output.out(
        tree === undefined
          ? '\nno lineage: nothing materialized yet\n'
          : `\n${renderLineage(tree, time)}`,
      );
    }
    return 0;
  },
};

/** Why the run that made the current materialization ran, when the daemon launched it. */
async function triggerLine(
  instance: Instance,
  current: { type: string; runId?: string } | undefined,
  assetKey: string,
  partition: { key: string; space: PartitionSpace | undefined } | undefined,
): Promise<string | undefined> {
  if (current?.type !== 'asset:materialized' || current.runId === undefined) return undefined;
  const trigger = (await instance.eventLog.run(current.runId))?.started.trigger;
  if (trigger === undefined) return undefined;
  if (trigger.kind === 'api')
    return `launched through the API (${trigger.name}): ${trigger.reason}`;
  // Asked about one partition: the asset's own evaluation that requested it, for that partition.
  const own =
    partition?.space === undefined
      ? undefined
      : await ownReason(instance, assetKey, current.runId, partition.key, partition.space);
  if (own !== undefined) return `launched by the daemon (${trigger.kind} ${trigger.name}): ${own}`;
  // A condition's run may cover many partitions; its reason names the first range only.
  let scope = '';
  if (trigger.kind === 'condition') {
    const evaluations = await instance.eventLog.events({
      assetKey: trigger.name,
      types: ['automation:evaluated'],
      descending: true,
      limit: 100,
    });
    const launching = evaluations.find(
      (e) => e.type === 'automation:evaluated' && e.runIds.includes(current.runId!),
    );
    const count = launching?.type === 'automation:evaluated' ? launching.count : 1;
    if (count > 1) scope = `, for ${count} partitions of ${trigger.name}; the first`;
  }
  return `launched by the daemon (${trigger.kind} ${trigger.name}${scope}): ${trigger.reason}`;
}

/** Why the evaluation of `assetKey` that launched `runId` requested `partition`, if recorded. */
async function ownReason(
  instance: Instance,
  assetKey: string,
  runId: string,
  partition: string,
  space: PartitionSpace,
): Promise<string | undefined> {
  const evaluations = await instance.eventLog.events({
    assetKey,
    types: ['automation:evaluated'],
    descending: true,
    limit: 100,
  });
  const launching = evaluations.find(
    (e) => e.type === 'automation:evaluated' && e.runIds.includes(runId) && e.result !== undefined,
  );
  const index = space.indexOf(partition);
  if (launching?.type !== 'automation:evaluated' || index < 0) return undefined;
  const [line] = explainCondition(launching.result as unknown as ConditionResult, {
    key: assetKey,
    space,
    partitions: PartitionSet.empty(space.size).add(index),
    at: launching.timestamp,
    maxLines: 1,
  });
  return line;
}

/** Formats a time, labelled with its zone. */

/**
 * The zone of a report's times: the one its freshness line is written in (a cron policy's
 * zone, UTC for a maxLag policy), else the local one, so that one report never mixes zones.
 */
/** A partition's policy, or none when its policy is broken (its freshness is then unknown). */
function policyOrNone(
  policy: FreshnessPolicy | DefinitionError | undefined,
): FreshnessPolicy | undefined {
  return policy instanceof DefinitionError ? undefined : policy;
}

function reportZone(policy: FreshnessPolicy | undefined): string {
  if (policy === undefined) return localZone();
  return 'cron' in policy ? (policy.timezone ?? 'UTC') : 'UTC';
}

/** The report as JSON: a partitioned state's bitsets and arrays as counts. */
function whyJson(report: WhyReport) {
  const strip = (state: AssetState) => {
    const { partitions, ...rest } = state;
    return partitions === undefined
      ? rest
      : {
          ...rest,
          partitions: {
            description: partitions.space.definition?.description ?? null,
            size: partitions.space.size,
            counts: partitionCounts(partitions),
          },
        };
  };
  return {
    ...report,
    state: strip(report.state),
    upstream: Object.fromEntries(
      Object.entries(report.upstream).map(([key, state]) => [key, strip(state)]),
    ),
  };
}

/** `weir why KEY --partition P`: that partition's status, causes and provenance. */
export function renderPartitionWhy(
  report: WhyReport,
  why: NonNullable<WhyReport['partition']>,
  output: Output,
  time: TimeFormat = (ms) => formatTime(ms),
  notes: Notes = new Map(),
  codeParts?: CodeParts,
): string {
  const label = partitionLabel(report.key, why.partition);
  const lines = [
    `${paint(output, 'bold', label)} is ${paint(output, STATUS_COLOR[why.status] ?? 'bold', why.status)}`,
  ];
  if (why.status === 'fresh')
    lines.push(
      report.state.kind === 'source'
        ? '  its latest observation is current'
        : '  its code and every partition it reads are the versions it was materialized from',
    );
  for (const cause of why.causes) {
    lines.push(`  ${paint(output, 'yellow', '•')} ${describeCause(cause, time)}`);
    if (cause.category === 'code')
      lines.push(...codeChangeLines(why.current, codeParts).map((l) => `      ${l}`));
  }
  if (why.freshness !== undefined) lines.push(`  ${freshnessLine(why.freshness, output)}`);
  const partitions = report.state.partitions;
  if (partitions !== undefined) {
    const counts = partitionCounts(partitions);
    const others = PARTITION_STATUSES.filter((s) => counts[s] > 0)
      .map((s) => `${counts[s]} ${s}`)
      .join(', ');
    lines.push(
      `  ${paint(output, 'gray', `${report.key} has ${partitions.space.definition?.description ?? 'partitions'}: ${others} (weir status ${report.key} --partitions)`)}`,
    );
  }
  lines.push('');
  lines.push(
    ...(why.current === undefined
      ? [
          paint(
            output,
            'gray',
            `no ${report.state.kind === 'source' ? 'observation' : 'materialization'} of this partition yet`,
          ),
        ]
      : why.current.type === 'asset:observed'
        ? observationLines(why.current, time)
        : materializationLines(why.current, report.state.codeVersion, time, notes)),
  );
  return `${lines.join('\n')}\n`;
}

export function renderWhy(
  report: WhyReport,
  output: Output,
  time: TimeFormat = (ms) => formatTime(ms),
  notes: Notes = new Map(),
  codeParts?: CodeParts,
): string {
  const { state } = report;
  const lines = [
    `${paint(output, 'bold', report.key)} is ${paint(output, STATUS_COLOR[state.status] ?? 'bold', state.status)}`,
  ];
  if (state.status === 'fresh') {
    lines.push(
      state.kind === 'source'
        ? '  its latest observation is current'
        : '  its code and every input are the versions its current materialization used',
    );
  }
  const seen = new Set<string>();
  const explainCauses = (current: AssetState, depth: number) => {
    const indent = '  '.repeat(depth);
    for (const cause of current.causes) {
      lines.push(`${indent}${paint(output, 'yellow', '•')} ${describeCause(cause, time)}`);
      if (cause.category === 'code' && depth === 1) {
        const changes = codeChangeLines(report.current as CurrentEvent, codeParts);
        lines.push(...changes.map((l) => `${indent}    ${l}`));
      }
      const upstream = 'dependency' in cause ? report.upstream[cause.dependency] : undefined;
      if (upstream && upstream.status !== 'fresh' && !seen.has(upstream.key)) {
        seen.add(upstream.key);
        lines.push(`${indent}  ${upstream.key} is ${upstream.status} because:`);
        explainCauses(upstream, depth + 2);
      }
    }
  };
  explainCauses(state, 1);
  for (const warning of state.warnings) lines.push(`  ${paint(output, 'yellow', '!')} ${warning}`);
  if (state.freshness !== undefined) lines.push(`  ${freshnessLine(state.freshness, output)}`);
  lines.push('', ...renderProvenance(report, output, time, notes), ...renderChecks(report, output));
  return `${lines.join('\n')}\n`;
}

/** `freshness: overdue, last changed 40d ago …`. */
function freshnessLine(f: FreshnessOutcome, output: Output): string {
  return `freshness: ${f.status === 'overdue' ? paint(output, 'red', 'overdue') : f.status}, ${f.reason}`;
}

type CodeParts = Readonly<Record<string, string>> | undefined;
type CurrentEvent = StoredEvent<'asset:materialized'> | undefined;

/** What changed in the code since `event` was materialized: the parts it recorded against the current ones. */
function codeChangeLines(
  event: CurrentEvent | StoredEvent<'asset:observed'>,
  parts: CodeParts,
): string[] {
  if (event?.type !== 'asset:materialized' || parts === undefined) return [];
  const recorded = event.materialization.codeParts;
  if (recorded === undefined) {
    return ['(what changed is not known: that materialization recorded no code parts)'];
  }
  return describeCodeChanges(recorded, parts);
}
