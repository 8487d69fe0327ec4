/**
 * @module cli/commands/_why-lines
 * The lines `weir why` prints of a report: causes, checks, provenance, observations and
 * materializations.
 */
import type { WhyReport } from '../../execution/index.js';
import { shortVersion } from '../../hash.js';
import type { InputVersion, StoredEvent } from '../../storage/index.js';
import { partitionCounts, type StaleCause } from '../../versioning/index.js';
import { PARTITION_STATUSES } from '../_partition-map.js';
import { formatBytes, formatDuration, type Output, paint } from '../format.js';

/** Formats a time (ms since the epoch) as the report shows times. */
export type TimeFormat = (epochMs: number) => string;

/** Notes on the inputs a materialization read, by the event id of each. */
export type Notes = ReadonlyMap<number, string>;

export function describeCause(cause: StaleCause, time: TimeFormat): string {
  switch (cause.category) {
    case 'data': {
      // Partitioned inputs: the cause counts or names partitions instead of versions.
      if (cause.from === undefined && cause.to === undefined) {
        const by =
          cause.movedBy?.runId === undefined || cause.reason.includes(cause.movedBy.runId)
            ? ''
            : ` (materialized by run ${cause.movedBy.runId} at ${time(cause.movedBy.timestamp)})`;
        return `${cause.reason}${by}`;
      }
      if (cause.to === undefined && cause.from !== undefined)
        return `input ${cause.dependency} was removed from the definition`;
      const by = cause.movedBy
        ? cause.movedBy.type === 'materialization'
          ? ` (materialized by run ${cause.movedBy.runId} at ${time(cause.movedBy.timestamp)})`
          : ` (observed at ${time(cause.movedBy.timestamp)})`
        : '';
      return cause.from === undefined
        ? `new input ${cause.dependency}, now at ${shortVersion(cause.to)}${by}`
        : `input ${cause.dependency} moved from ${shortVersion(cause.from)} to ${shortVersion(cause.to)}${by}`;
    }
    case 'code':
      return cause.from === '' && cause.to === ''
        ? cause.reason
        : `code version changed: ${cause.from} → ${cause.to}`;
    case 'failed':
      return cause.runId === '' ? cause.reason : `${cause.reason} (see: weir logs ${cause.runId})`;
    default:
      return cause.reason;
  }
}

export function renderChecks(report: WhyReport, output: Output): string[] {
  const latest = report.state.record?.materialization;
  const checks = Object.values(report.state.record?.checks ?? {}).filter(
    (e) => e.materializationId === latest?.id,
  );
  if (checks.length === 0) return [];
  return [
    `checks on the newest materialization (event ${latest!.id}):`,
    ...checks.map(({ check }) => {
      const verdict = check.passed
        ? paint(output, 'green', 'passed')
        : paint(output, check.severity === 'error' ? 'red' : 'yellow', 'failed');
      return `  ${check.name}  ${verdict}${check.blocking ? ' (blocking)' : ''}${check.message ? `  ${check.message}` : ''}`;
    }),
  ];
}

export function renderProvenance(
  report: WhyReport,
  output: Output,
  time: TimeFormat,
  notes: Notes,
): string[] {
  const event = report.current;
  const partitions = report.state.partitions;
  if (partitions !== undefined) {
    const counts = partitionCounts(partitions);
    const tally = PARTITION_STATUSES.filter((s) => counts[s] > 0)
      .map((s) => `${counts[s]} ${s}`)
      .join(', ');
    return [
      `${partitions.space.definition?.description ?? 'partitions'}: ${partitions.space.size === 0 ? 'none yet' : tally}`,
      paint(
        output,
        'gray',
        `each partition has its own provenance: weir why ${report.key} --partition P; the map: weir status ${report.key} --partitions`,
      ),
    ];
  }
  if (event === undefined) return [paint(output, 'gray', 'no materialization yet')];
  if (event.type === 'asset:observed') return observationLines(event, time);
  return materializationLines(event, report.state.codeVersion, time, notes);
}

/** The observation that brought a source's (or a source partition's) current data version. */
export function observationLines(event: StoredEvent<'asset:observed'>, time: TimeFormat): string[] {
  // Id 0: observed by this read; `materialize` records it.
  const recorded = event.id === 0 ? 'observed now, not recorded yet' : `event ${event.id}`;
  return [
    `current observation (${recorded}, ${time(event.timestamp)}):`,
    `  data version  ${event.observation.dataVersion}`,
  ];
}

/** The provenance of one materialization: versions, inputs (with partitions read), artefact. */
export function materializationLines(
  event: StoredEvent<'asset:materialized'>,
  currentCodeVersion: string,
  time: TimeFormat,
  notes: Notes,
): string[] {
  const m = event.materialization;
  const inputs = Object.entries(m.inputs);
  return [
    `current materialization (event ${event.id}, run ${event.runId}, ${time(event.timestamp)}):`,
    `  data version  ${m.dataVersion}`,
    `  code version  ${m.codeVersion}${m.codeVersion === currentCodeVersion ? '' : `  (now ${currentCodeVersion})`}`,
    `  inputs${inputs.length === 0 ? '        (none)' : ''}`,
    ...inputs.map(
      ([key, input]) =>
        `    ${key}${describeReadPartitions(input)}  ${shortVersion(input.dataVersion)}  (event ${input.eventId}${(input.partitionCount ?? input.partitions?.length ?? 1) > 1 ? ', the newest read' : ''}${notes.has(input.eventId) ? `; ${notes.get(input.eventId)}` : ''})`,
    ),
    `  config hash   ${m.configHash}`,
    `  artefact      ${m.artefact.format}, ${formatBytes(m.artefact.size)}, ${m.artefact.location}`,
    `  produced on   ${m.host} by weir ${m.weirVersion} in ${formatDuration(m.endedAt - m.startedAt)}`,
    ...(Object.keys(m.metadata).length > 0
      ? [`  metadata      ${JSON.stringify(m.metadata)}`]
      : []),
  ];
}

/** `[2024-01-03]`, `[2024-01-01, 2024-01-02]` or ` (10 partitions)` for an input that read partitions. */
function describeReadPartitions(input: InputVersion): string {
  const keys = input.partitions;
  if (keys !== undefined && keys.length > 0) {
    if (keys.length <= 3) return `[${keys.join(', ')}]`;
    return `[${keys[0]} … ${keys[keys.length - 1]}] (${input.partitionCount ?? keys.length} partitions)`;
  }
  if (input.partitionCount !== undefined)
    return ` (${input.partitionCount} partition${input.partitionCount === 1 ? '' : 's'})`;
  return '';
}
