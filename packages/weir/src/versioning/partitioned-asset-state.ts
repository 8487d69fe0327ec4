/**
 * @module versioning/partitioned-asset-state
 * The state of a partitioned asset as a whole (status, counted causes, freshness of its
 * newest partition), how any asset looks to a partitioned child, and why an unpartitioned
 * asset is stale because of a partitioned parent.
 */
import { PartitionSet, type PartitionSpace, UNPARTITIONED_SPACE } from '../definitions/index.js';
import { type AssetGraph, newestRead } from '../graph/index.js';
import type { AssetRecord } from '../storage/index.js';
import { freshnessOf } from './_freshness.js';
import { judgePartitions, updateTimesOf } from './_partition-freshness.js';
import { codeVersionOf } from './code-version.js';
import {
  type DensePartitionStates,
  emptyDense,
  type ParentView,
  type PartitionedParent,
  type PartitionedState,
  partitionedView,
  resolvePartitioned,
} from './partition-staleness.js';
import type { AssetState, StaleCause } from './stale-status.js';

/** How a child sees a parent: partitioned, or as a space of one partition. */
export function viewOf(state: AssetState): ParentView {
  if (state.partitions !== undefined) return partitionedView(state.partitions);
  const record = state.record;
  const changed = record?.dataChangedId ?? record?.usable?.id ?? record?.observation?.id ?? 0;
  const notFresh =
    state.status === 'failed' || (state.kind === 'asset' && state.status === 'stale');
  return {
    space: UNPARTITIONED_SPACE,
    changedAt: Float64Array.of(changed),
    usable: state.dataVersion === undefined ? PartitionSet.empty(1) : PartitionSet.all(1),
    notFresh: notFresh ? PartitionSet.all(1) : PartitionSet.empty(1),
  };
}

export function resolvePartitionedAsset(
  graph: AssetGraph,
  key: string,
  space: PartitionSpace,
  rows: DensePartitionStates | undefined,
  states: ReadonlyMap<string, AssetState>,
  now: number,
  /** The asset-level record: a partitioned asset's freshness evaluations are recorded there. */
  record: AssetRecord | undefined,
  /** With a freshness policy per partition: when each partition was last updated (see PartitionInputs). */
  updatedAt?: Float64Array,
): AssetState {
  const node = graph.node(key);
  const parents: PartitionedParent[] = [];
  for (const parent of node.parents) {
    const parentState = states.get(parent);
    if (parentState === undefined) continue;
    const view = viewOf(parentState);
    parents.push({
      key: parent,
      view,
      mapping: graph.mappingOf(key, parent, view.space, space),
    });
  }
  const codeVersion = codeVersionOf(node.definition);
  const state = resolvePartitioned(space, rows, codeVersion, parents);
  const causes = partitionCauses(key, state);
  const status = !state.failed.isEmpty()
    ? 'failed'
    : !state.stale.isEmpty()
      ? 'stale'
      : !state.missing.isEmpty() || space.size === 0
        ? 'missing'
        : 'fresh';
  const result: AssetState = {
    key,
    kind: 'asset',
    status,
    causes,
    dataVersion: undefined,
    codeVersion,
    record,
    warnings: [],
    freshness: freshnessOf(node.definition.freshness, currentThrough(state, now), now),
    partitions: state,
  };
  const policyOf = node.definition.partitionFreshness;
  if (policyOf !== undefined) {
    const times = updateTimesOf(key, updatedAt, space.size);
    const judged = judgePartitions(
      key,
      'asset',
      policyOf,
      space,
      (i) => (state.usableId[i]! > 0 ? times(i) : undefined),
      now,
    );
    result.freshness = judged.asset;
    result.partitionFreshness = judged.partitions;
  }
  return result;
}

/** What observing a partitioned source found now, before anything is recorded. */
export interface SourcePartitionsNow {
  /** Partitions whose version differs from the recorded one: changed after every recorded event. */
  changed: ReadonlySet<string>;
  /** Partitions whose observation failed now, with the error. */
  failed: ReadonlyMap<string, string>;
}

/**
 * A partitioned source: a partition is fresh once observed (its observation is its version,
 * usable by readers), missing before, failed while observing it fails (readers of it wait).
 */
export function resolvePartitionedSource(
  graph: AssetGraph,
  key: string,
  space: PartitionSpace,
  rows: DensePartitionStates | undefined,
  now: number,
  record: AssetRecord | undefined,
  observed: SourcePartitionsNow,
  /** With a freshness policy per partition: when each partition's data last changed (see PartitionInputs). */
  updatedAt?: Float64Array,
): AssetState {
  const size = space.size;
  const stored = rows ?? emptyDense(size);
  const changedAt = Float64Array.from(stored.changedAt);
  const failureId = new Float64Array(size);
  for (const partition of observed.changed) {
    const i = space.indexOf(partition);
    if (i >= 0) changedAt[i] = Number.POSITIVE_INFINITY;
  }
  for (const partition of observed.failed.keys()) {
    const i = space.indexOf(partition);
    if (i >= 0) failureId[i] = Number.POSITIVE_INFINITY;
  }
  const usableId = Float64Array.from(changedAt, (id, i) => (failureId[i]! > 0 ? 0 : id));
  const state = resolvePartitioned(
    space,
    {
      materializationId: changedAt,
      usableId,
      changedAt,
      inputsAsOf: new Float64Array(size),
      failureId,
      codeIndex: new Uint32Array(size),
      codeVersions: ['source'],
    },
    'source',
    [],
  );
  const causes: StaleCause[] = [...observed.failed].slice(0, 1).map(([partition, error]) => ({
    category: 'unobservable',
    key,
    error,
    reason: `${state.failed.count} of ${size} partitions could not be observed (${partition}: ${error.split('\n', 1)[0]})`,
  }));
  if (!state.missing.isEmpty()) {
    causes.push({
      category: 'missing',
      key,
      reason: `${state.missing.count} of ${size} partitions never observed`,
    });
  }
  const status = !state.failed.isEmpty()
    ? 'failed'
    : !state.missing.isEmpty() || size === 0
      ? 'missing'
      : 'fresh';
  const definition = graph.node(key).definition;
  const result: AssetState = {
    key,
    kind: 'source',
    status,
    causes,
    dataVersion: undefined,
    codeVersion: 'source',
    record,
    warnings: [],
    freshness: freshnessOf(definition.freshness, currentThrough(state, now), now),
    partitions: state,
  };
  const policyOf = definition.partitionFreshness;
  if (policyOf !== undefined) {
    const times = updateTimesOf(key, updatedAt, size);
    // Observed now with new data: updated now (not recorded yet); else when its data last changed.
    const judged = judgePartitions(
      key,
      'source',
      policyOf,
      space,
      (i) => {
        if (changedAt[i] === Number.POSITIVE_INFINITY) return now;
        return stored.changedAt[i]! > 0 ? times(i) : undefined;
      },
      now,
    );
    result.freshness = judged.asset;
    result.partitionFreshness = judged.partitions;
  }
  return result;
}

/**
 * How current a partitioned asset is, for its freshness policy: up to now when its newest
 * partition exists; otherwise, for time windows, up to the end of its newest existing window.
 */
function currentThrough(state: PartitionedState, now: number): number | undefined {
  for (let i = state.space.size - 1; i >= 0; i--) {
    if (state.usableId[i]! === 0) continue;
    if (i === state.space.size - 1) return now;
    // Current until the next partition became due: when its window ended.
    return state.space.windowAt(i + 1)?.end;
  }
  return undefined;
}

function partitionCauses(key: string, state: PartitionedState): StaleCause[] {
  const causes: StaleCause[] = [];
  const of = (set: PartitionSet) => `${set.count} of ${state.space.size} partitions`;
  if (!state.failed.isEmpty()) {
    causes.push({
      category: 'failed',
      key,
      eventId: 0,
      runId: '',
      error: '',
      reason: `${of(state.failed)} failed (weir status ${key} --partitions)`,
    });
  }
  if (!state.codeChanged.isEmpty()) {
    causes.push({
      category: 'code',
      key,
      from: '',
      to: '',
      reason: `code version changed for ${of(state.codeChanged)}`,
    });
  }
  for (const [dependency, set] of state.dataMoved) {
    causes.push({
      category: 'data',
      key,
      dependency,
      from: undefined,
      to: undefined,
      movedBy: undefined,
      reason: `input ${dependency} changed for ${of(set)}`,
    });
  }
  for (const [dependency, set] of state.upstreamNotFresh) {
    if (state.dataMoved.has(dependency)) continue;
    causes.push({
      category: 'dependency',
      key,
      dependency,
      dependencyStatus: 'stale',
      reason: `${of(set)} read stale, failed or missing partitions of ${dependency}`,
    });
  }
  if (!state.missing.isEmpty()) {
    causes.push({ category: 'missing', key, reason: `${of(state.missing)} never materialized` });
  }
  return causes;
}

/** Why an unpartitioned asset is stale because of a partitioned parent, if it is. */
export function partitionedParentCause(
  graph: AssetGraph,
  key: string,
  parent: AssetState,
  read: { eventId: number; partitionCount?: number } | undefined,
): StaleCause | undefined {
  const view = viewOf(parent);
  const mapping = graph.mappingOf(key, parent.key, view.space, UNPARTITIONED_SPACE);
  const newest = newestRead(mapping, view.changedAt, view.space, UNPARTITIONED_SPACE)[0]!;
  const changed = (reason: string): StaleCause => ({
    category: 'data',
    key,
    dependency: parent.key,
    from: undefined,
    to: undefined,
    movedBy: undefined,
    reason,
  });
  if (read === undefined) return changed(`new input ${parent.key}`);
  // Ids show partitions that changed; the count shows partitions that came or went (a
  // dynamic key removed, or removed and added back, keeps its old ids).
  if (read.partitionCount !== undefined) {
    const count = mapping
      .upstreamFor(PartitionSet.all(1), UNPARTITIONED_SPACE, view.space)
      .partitions.intersect(view.usable).count;
    if (count !== read.partitionCount) {
      return changed(
        `input ${parent.key} changed: it read ${read.partitionCount} partitions, ${count} have a version now`,
      );
    }
  }
  if (newest > read.eventId) {
    return changed(
      `input ${parent.key} changed: partitions were ${parent.kind === 'source' ? 'observed' : 'materialized'} with new data since it was read`,
    );
  }
  if (!mapping.downstreamFor(view.notFresh, view.space, UNPARTITIONED_SPACE).isEmpty()) {
    return {
      category: 'dependency',
      key,
      dependency: parent.key,
      dependencyStatus: parent.status,
      reason: `upstream ${parent.key} has ${describeNotFresh(parent)} it reads${namedNotFresh(parent, mapping.upstreamFor(PartitionSet.all(1), UNPARTITIONED_SPACE, view.space).partitions)}`,
    };
  }
  return undefined;
}

function describeNotFresh(state: AssetState): string {
  const p = state.partitions!;
  const parts = [
    [p.stale, 'stale'],
    [p.failed, 'failed'],
    [p.missing, 'missing'],
  ] as const;
  const found = parts.filter(([set]) => set.count > 0);
  const total = found.reduce((sum, [set]) => sum + set.count, 0);
  return `${found.map(([set, what]) => `${set.count} ${what}`).join(', ')} partition${total === 1 ? '' : 's'}`;
}

/** The not-fresh partitions of `reads` by key when they are few (`: sf-211`), else nothing. */
function namedNotFresh(state: AssetState, reads: PartitionSet): string {
  const p = state.partitions!;
  const set = p.stale.union(p.failed).union(p.missing).intersect(reads);
  if (set.count > NAMED_PARTITIONS) return '';
  return `: ${[...set.indices()].map((i) => p.space.keyAt(i)).join(', ')}`;
}

/** Up to how many not-fresh partitions a reason names. */
const NAMED_PARTITIONS = 3;
