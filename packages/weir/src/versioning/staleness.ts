/**
 * @module versioning/staleness
 * Pure staleness resolution: a function of the graph, the latest records and the current
 * code versions. No I/O; the caller gathers the records once.
 */
import type { AssetGraph } from '../graph/index.js';
import { shortVersion } from '../hash.js';
import type { AssetRecord } from '../storage/index.js';
import { codeVersionOf } from './code-version.js';
import type { AssetState, StaleCause, VersionSource } from './stale-status.js';

/**
 * The state of every asset in `keys` and everything upstream of them (all assets when
 * omitted), keyed by asset key. An asset is stale when it is missing, its code version
 * changed, an input's data version moved on, or an input is itself stale; failed when its
 * newest attempt failed.
 */
export function resolveStaleness(
  graph: AssetGraph,
  records: ReadonlyMap<string, AssetRecord>,
  keys?: Iterable<string>,
): Map<string, AssetState> {
  const wanted = keys === undefined ? undefined : graph.upstreamOf(keys);
  const states = new Map<string, AssetState>();
  for (const key of graph.keys) {
    if (wanted !== undefined && !wanted.has(key)) continue;
    states.set(key, resolveOne(graph, key, records, states));
  }
  return states;
}

function resolveOne(
  graph: AssetGraph,
  key: string,
  records: ReadonlyMap<string, AssetRecord>,
  states: ReadonlyMap<string, AssetState>,
): AssetState {
  const node = graph.node(key);
  const record = records.get(key);
  const codeVersion = codeVersionOf(node.definition);

  if (node.kind === 'source') {
    const observation = record?.observation;
    return {
      key,
      kind: 'source',
      status: observation ? 'fresh' : 'missing',
      causes: observation ? [] : [{ category: 'missing', key, reason: 'never observed' }],
      dataVersion: observation?.observation.dataVersion,
      codeVersion,
      record,
    };
  }

  const causes: StaleCause[] = [];
  const materialization = record?.materialization;
  const failure = record?.failure;
  const failedLast =
    failure !== undefined && (materialization === undefined || failure.id > materialization.id);
  if (failedLast) {
    causes.push({
      category: 'failed',
      key,
      eventId: failure.id,
      runId: failure.runId,
      error: failure.error.message,
      reason: `last attempt failed in run ${failure.runId}: ${firstLine(failure.error.message)}`,
    });
  }

  if (materialization === undefined) {
    causes.push({ category: 'missing', key, reason: 'never materialized' });
  } else {
    const recorded = materialization.materialization;
    if (recorded.codeVersion !== codeVersion) {
      causes.push({
        category: 'code',
        key,
        from: recorded.codeVersion,
        to: codeVersion,
        reason: `code version changed (${shortVersion(recorded.codeVersion)} → ${shortVersion(codeVersion)})`,
      });
    }
    for (const parent of node.parents) {
      const parentState = states.get(parent);
      const current = parentState?.dataVersion;
      const read = recorded.inputs[parent];
      if (read?.dataVersion !== current) {
        causes.push({
          category: 'data',
          key,
          dependency: parent,
          from: read?.dataVersion,
          to: current,
          movedBy: versionSource(parentState?.record),
          reason:
            read === undefined
              ? `new input ${parent}`
              : `input ${parent} changed (${shortVersion(read.dataVersion)} → ${shortVersion(current)})`,
        });
      } else if (
        parentState !== undefined &&
        parentState.kind === 'asset' &&
        parentState.status !== 'fresh'
      ) {
        causes.push({
          category: 'dependency',
          key,
          dependency: parent,
          dependencyStatus: parentState.status,
          reason: `upstream ${parent} is ${parentState.status}`,
        });
      }
    }
    for (const input of Object.keys(recorded.inputs)) {
      if (!node.parents.includes(input)) {
        causes.push({
          category: 'data',
          key,
          dependency: input,
          from: recorded.inputs[input]!.dataVersion,
          to: undefined,
          movedBy: undefined,
          reason: `input ${input} was removed`,
        });
      }
    }
  }

  const status = failedLast
    ? 'failed'
    : materialization === undefined
      ? 'missing'
      : causes.length > 0
        ? 'stale'
        : 'fresh';
  return {
    key,
    kind: 'asset',
    status,
    causes,
    dataVersion: materialization?.materialization.dataVersion,
    codeVersion,
    record,
  };
}

function versionSource(record: AssetRecord | undefined): VersionSource | undefined {
  if (record?.materialization) {
    const event = record.materialization;
    return {
      eventId: event.id,
      type: 'materialization',
      runId: event.runId,
      timestamp: event.timestamp,
    };
  }
  if (record?.observation) {
    const event = record.observation;
    return {
      eventId: event.id,
      type: 'observation',
      ...(event.runId === undefined ? {} : { runId: event.runId }),
      timestamp: event.timestamp,
    };
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
