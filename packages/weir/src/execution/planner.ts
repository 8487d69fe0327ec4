/**
 * @module execution/planner
 * Pure planning: which selected assets to run, given their states. No I/O.
 */
import {
  type AssetDefinition,
  PartitionSet,
  type PartitionSpace,
  UNPARTITIONED_SPACE,
} from '../definitions/index.js';
import { type AssetGraph, readsLastGood } from '../graph/index.js';
import { type AssetState, viewOf } from '../versioning/index.js';

export interface BlockedStep {
  key: string;
  reason: string;
  blockedBy: string[];
}

export interface Plan {
  /** Assets to materialize, upstream first. */
  steps: string[];
  /**
   * Planned steps whose only reason to run is an upstream step in the same plan. Each is
   * skipped at run time if every such upstream comes out with the data version it last read.
   */
  conditional: string[];
  /** Selected assets that are up to date and will not run. */
  upToDate: string[];
  /** Selected assets that cannot run, and why. */
  blocked: BlockedStep[];
  /**
   * Selected assets left stale because an unselected upstream is stale; for a partitioned
   * asset, how many of its partitions asked for wait so.
   */
  staleUpstream: Array<{
    key: string;
    upstream: Array<{ key: string; status: string }>;
    partitions?: number;
  }>;
  /** Partitioned assets among `steps` and `blocked`: which partitions run, which cannot. */
  partitions: Map<string, PartitionPlan>;
}

export interface PartitionPlan {
  /** Partitions to materialize (indices of the asset's space). */
  planned: PartitionSet;
  /**
   * Planned partitions whose only reason to run is an upstream partition in the same plan:
   * skipped at run time when everything they read came out as the versions they last read.
   */
  conditional: PartitionSet;
  /** Partitions that should run but cannot: an upstream partition they read has no version. */
  blocked: PartitionSet;
  blockedReason: string;
  blockedBy: string[];
  /**
   * Partitions not planned because an input typed as one value has no upstream partition
   * for them yet (a month that has not ended, a key a static table does not list).
   */
  waiting: PartitionSet;
}

export interface PlanOptions {
  force?: boolean;
  /** Source assets whose observation failed in this run. */
  failedSources?: ReadonlySet<string>;
  /** Partitioned assets: only these partitions (all when an asset is not listed). */
  requested?: ReadonlyMap<string, PartitionSet>;
}

/**
 * Plans a run over `selection`. An asset runs when forced, when it has a cause of its own
 * (missing, code changed, an input moved on, last attempt failed), or when an upstream
 * runs in the same plan. An upstream that is stale but not selected does not make it run:
 * rerunning would read the same inputs. It cannot run while an upstream it needs has no
 * version and is not planned.
 */
export function planRun(
  graph: AssetGraph,
  selection: ReadonlySet<string>,
  states: ReadonlyMap<string, AssetState>,
  options: PlanOptions = {},
): Plan {
  const plan: Plan = {
    steps: [],
    conditional: [],
    upToDate: [],
    blocked: [],
    staleUpstream: [],
    partitions: new Map(),
  };
  const planned = new Set<string>();
  const blocked = new Set<string>();
  for (const key of graph.keys) {
    if (!selection.has(key)) continue;
    const node = graph.node(key);
    if (node.kind === 'source') continue;
    if (states.get(key)?.partitions !== undefined) {
      planPartitions(graph, key, states, plan, options, selection);
      if (plan.partitions.get(key)?.planned.isEmpty() === false) planned.add(key);
      continue;
    }
    const blockers: string[] = [];
    const reasons: string[] = [];
    let upstreamRuns = false;
    const staleUpstream: Array<{ key: string; status: string }> = [];
    for (const parent of node.parents) {
      const parentState = states.get(parent);
      if (parentState?.partitions !== undefined) {
        const reads = readsOfPartitioned(graph, key, parentState, plan);
        if (reads.planned) upstreamRuns = true;
        const tolerated = readsLastGood(graph, key, parent) && reads.unavailable < reads.count;
        if (reads.unavailable > 0 && !tolerated) {
          blockers.push(parent);
          reasons.push(
            `upstream ${parent} has no version of ${reads.unavailable} partition${reads.unavailable === 1 ? '' : 's'} it reads${selectHint(graph, selection, parent, key)}`,
          );
        } else if (!reads.planned && parentState.status !== 'fresh' && !selection.has(parent)) {
          staleUpstream.push({ key: parent, status: parentState.status });
        }
        continue;
      }
      if (planned.has(parent)) {
        upstreamRuns = true;
        continue;
      }
      if (blocked.has(parent)) {
        blockers.push(parent);
        reasons.push(`upstream ${parent} cannot run`);
      } else if (options.failedSources?.has(parent)) {
        blockers.push(parent);
        reasons.push(`source ${parent} could not be observed`);
      } else if (parentState?.dataVersion === undefined) {
        blockers.push(parent);
        reasons.push(
          parentState?.kind === 'source'
            ? `source ${parent} has never been observed`
            : parentState?.record?.materialization !== undefined
              ? `upstream ${parent} has no version that passed its blocking checks`
              : `upstream ${parent} has never been materialized and is not selected (select it too, e.g. +${key})`,
        );
      } else if (parentState.status !== 'fresh' && !selection.has(parent)) {
        staleUpstream.push({ key: parent, status: parentState.status });
      }
    }
    if (blockers.length > 0) {
      blocked.add(key);
      plan.blocked.push({ key, reason: reasons.join('; '), blockedBy: blockers });
      continue;
    }
    const state = states.get(key);
    const ownCause = state?.causes.some((cause) => cause.category !== 'dependency') ?? true;
    if (options.force || upstreamRuns || ownCause) {
      planned.add(key);
      plan.steps.push(key);
      if (!options.force && !ownCause) plan.conditional.push(key);
    } else {
      plan.upToDate.push(key);
      if (staleUpstream.length > 0) plan.staleUpstream.push({ key, upstream: staleUpstream });
    }
  }
  return plan;
}

/** What an unpartitioned asset reads of a partitioned parent: planned partitions, and partitions with no version. */
function readsOfPartitioned(
  graph: AssetGraph,
  key: string,
  parent: AssetState,
  plan: Plan,
): { planned: boolean; unavailable: number; count: number } {
  const view = viewOf(parent);
  const mapping = graph.mappingOf(key, parent.key, view.space, UNPARTITIONED_SPACE);
  const all = PartitionSet.all(1);
  const reads = mapping.upstreamFor(all, UNPARTITIONED_SPACE, view.space).partitions;
  const planned = plan.partitions.get(parent.key)?.planned ?? PartitionSet.empty(view.space.size);
  return {
    planned: !reads.intersect(planned).isEmpty(),
    unavailable: reads.difference(view.usable.union(planned)).count,
    count: reads.count,
  };
}

/**
 * Plans the partitions of one partitioned asset: those requested that have a cause of their
 * own (missing, failed, code changed, an input changed since they read it), or read a
 * partition planned upstream, or all requested when forced; minus those reading an
 * upstream partition that has no version and is not planned.
 */
function planPartitions(
  graph: AssetGraph,
  key: string,
  states: ReadonlyMap<string, AssetState>,
  plan: Plan,
  options: PlanOptions,
  selection: ReadonlySet<string>,
): void {
  const state = states.get(key)!.partitions!;
  const { space } = state;
  const requested = options.requested?.get(key) ?? PartitionSet.all(space.size);
  let wanted = options.force
    ? requested.clone()
    : requested.intersect(state.missing.union(state.failed).union(state.codeChanged));
  if (!options.force) {
    for (const moved of state.dataMoved.values()) wanted = wanted.union(requested.intersect(moved));
  }
  /** Planned with a cause of their own; the rest only because an upstream partition runs. */
  const ownCause = wanted.clone();
  let blocked = PartitionSet.empty(space.size);
  let waiting = PartitionSet.empty(space.size);
  const blockedBy: string[] = [];
  const reasons: string[] = [];
  const node = graph.node(key);
  const definition = node.definition as AssetDefinition;
  for (const parent of node.parents) {
    const parentState = states.get(parent);
    if (parentState === undefined) continue;
    const view = viewOf(parentState);
    const mapping = graph.mappingOf(key, parent, view.space, space);
    const readsOne =
      definition.backfillPolicy !== 'single-run' &&
      [...node.inputs].some(([name, p]) => p === parent && !definition.inputModes[name]?.many);
    if (readsOne) {
      const reading = mapping.downstreamFor(PartitionSet.all(view.space.size), view.space, space);
      waiting = waiting.union(requested.difference(reading));
    }
    const parentPlan = plan.partitions.get(parent);
    const parentPlanned =
      parentPlan?.planned ??
      (plan.steps.includes(parent) ? PartitionSet.all(1) : PartitionSet.empty(view.space.size));
    if (!parentPlanned.isEmpty()) {
      wanted = wanted.union(
        requested.intersect(mapping.downstreamFor(parentPlanned, view.space, space)),
      );
    }
    const unobserved = options.failedSources?.has(parent) ?? false;
    const unavailable = unobserved
      ? PartitionSet.all(view.space.size)
      : view.usable.union(parentPlanned).complement();
    if (unavailable.isEmpty()) continue;
    let cannot = wanted.intersect(mapping.downstreamFor(unavailable, view.space, space));
    if (!unobserved && readsLastGood(graph, key, parent)) {
      // Readers of last good versions are held back only where nothing they read has one.
      const available = view.usable.union(parentPlanned);
      cannot = cannot.difference(mapping.downstreamFor(available, view.space, space));
    }
    if (cannot.isEmpty()) continue;
    blocked = blocked.union(cannot);
    blockedBy.push(parent);
    reasons.push(
      unobserved
        ? `source ${parent} could not be observed`
        : view.space.definition === undefined
          ? `upstream ${parent} has no version${selectHint(graph, selection, parent, key, 'it')}`
          : `upstream ${parent} has no version of partitions they read${selectHint(graph, selection, parent, key)}`,
    );
  }
  blocked = blocked.difference(waiting);
  const run = wanted.difference(blocked).difference(waiting);
  plan.partitions.set(key, {
    planned: run,
    conditional: run.difference(ownCause),
    blocked,
    blockedReason: reasons.join('; '),
    blockedBy,
    waiting,
  });
  if (!run.isEmpty()) plan.steps.push(key);
  // Partitions left as they are that read stale partitions of an upstream not selected.
  const staleUpstream: Array<{ key: string; status: string }> = [];
  let left = PartitionSet.empty(space.size);
  for (const [parent, reading] of state.upstreamNotFresh) {
    if (selection.has(parent)) continue;
    const waits = reading.intersect(requested).difference(run).difference(blocked);
    if (waits.isEmpty()) continue;
    staleUpstream.push({
      key: parent,
      status: statusRead(graph, key, space, waits, states.get(parent)),
    });
    left = left.union(waits);
  }
  if (staleUpstream.length > 0) {
    plan.staleUpstream.push({ key, upstream: staleUpstream, partitions: left.count });
  }
  if (!blocked.isEmpty()) {
    plan.blocked.push({
      key,
      reason: `${blocked.count} partition${blocked.count === 1 ? '' : 's'}: ${reasons.join('; ')}`,
      blockedBy,
    });
  }
  if (run.isEmpty() && blocked.isEmpty()) plan.upToDate.push(key);
}

/**
 * What `waits` (partitions of `key`) read of `parent`: failed when any of those partitions
 * failed, else stale (the parent's own status covers partitions they do not read).
 */
function statusRead(
  graph: AssetGraph,
  key: string,
  space: PartitionSpace,
  waits: PartitionSet,
  parent: AssetState | undefined,
): string {
  if (parent?.partitions === undefined) return parent?.status ?? 'stale';
  const { space: up, failed } = parent.partitions;
  const read = graph.mappingOf(key, parent.key, up, space).upstreamFor(waits, space, up);
  return read.partitions.intersect(failed).isEmpty() ? 'stale' : 'failed';
}

/**
 * The hint to select an upstream that has no version: only when it is an asset left out of
 * the selection (a source is observed, not run; a selected asset that cannot run says why).
 */
function selectHint(
  graph: AssetGraph,
  selection: ReadonlySet<string>,
  parent: string,
  key: string,
  what = 'them',
): string {
  if (selection.has(parent) || graph.node(parent).kind === 'source') return '';
  return ` (select ${what} too, e.g. +${key})`;
}
