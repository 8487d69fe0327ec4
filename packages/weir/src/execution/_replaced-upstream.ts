/**
 * @module execution/_replaced-upstream
 * A unit must not be built from inputs that disagree about an upstream another run replaced
 * while this run went on. Its claim reads each input at the newest version, but an input this
 * run built earlier (or one built from it) still carries the replaced version: a diamond
 * `a → b, a → c, b + c → d` would otherwise give `d` a `b` of one `a` and a `c` of another, a
 * state no order of the two commands produces. Such a unit does not run, and says why; it
 * stays stale, and the next run builds it from one version.
 */
import { PartitionSet } from '../definitions/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { AssetState } from '../versioning/index.js';
import { mappedKeys, provenanceOf } from './_inputs.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';

/**
 * Why `unit` must not be built now: one of its inputs was built (directly or further up)
 * from a version of an asset that another run has replaced since. Undefined when none was,
 * and at once while this run has seen no other run replace anything.
 */
export async function replacedUpstream(
  run: RunContext,
  unit: StepUnit,
): Promise<string | undefined> {
  const { keys: replaced, refreshes } = run.versions.replacedKeys();
  if (replaced.size === 0) return undefined;
  const { graph } = run;
  let walk = walks.get(run.versions);
  if (walk === undefined || walk.refreshes !== refreshes) {
    // Only what a replaced asset reaches can have been built from one of its old versions.
    walk = { refreshes, reached: graph.downstreamOf(replaced), found: new Map() };
    walks.set(run.versions, walk);
  }
  const { reached, found: memo } = walk;

  /** The asset of whose old version `key[partition]` was built (directly or further up), if any. */
  const stale = async (key: string, partition: string): Promise<string | undefined> => {
    const event = run.versions.event(key, partition);
    if (event?.type !== 'asset:materialized') return undefined;
    // By event: a version this run builds afterwards is judged afresh.
    const at = `${key}\0${partition}\0${event.id}`;
    if (memo.has(at)) return memo.get(at);
    const node = graph.node(key);
    const self = unitOf(run, key, partition);
    const reads = node.parents
      .filter((parent) => reached.has(parent))
      .map((parent): [string, string[]] => [parent, partitionsOf(run, key, self, parent)]);
    await refreshAll(reads);
    const now = await provenanceOf(run, node, self);
    const read = event.materialization.inputs;
    let found: string | undefined;
    for (const [parent, partitions] of reads) {
      if (read[parent]?.dataVersion !== now[parent]?.dataVersion) {
        found = parent;
        break;
      }
      // A replaced asset that nothing replaced reaches stands as its run built it.
      if (replaced.has(parent) && !graph.node(parent).parents.some((up) => reached.has(up))) {
        continue;
      }
      found = await staleAmong(parent, partitions);
      if (found !== undefined) break;
    }
    memo.set(at, found);
    return found;
  };
  const staleAmong = async (key: string, partitions: readonly string[]) => {
    await loadAll(run, key, partitions);
    for (const partition of partitions) {
      const found = await stale(key, partition);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  /** Takes what another run moved on since this run learnt it: judge what stands, not a memory. */
  const refreshAll = async (reads: Array<[string, string[]]>) => {
    for (const [key, partitions] of reads) {
      if (graph.node(key).kind !== 'source') await run.versions.refresh(key, partitions);
    }
  };

  const inputs = graph
    .node(unit.key)
    .parents.filter((parent) => reached.has(parent) && graph.node(parent).kind !== 'source');
  const reads = inputs.map((parent): [string, string[]] => [
    parent,
    partitionsOf(run, unit.key, unit, parent),
  ]);
  await refreshAll(reads);
  for (const [parent, partitions] of reads) {
    const upstream = await staleAmong(parent, partitions);
    if (upstream !== undefined) {
      return `its input ${parent} was built from a version of ${upstream} that has been replaced since (another run replaced it meanwhile): run it again to build it from one version`;
    }
  }
  return undefined;
}

/**
 * Assets another run replaced between the plan and the reading of their records (the run
 * learns them after it plans): the run starts knowing them as replaced.
 */
export function replacedSincePlan(
  graph: RunContext['graph'],
  versions: RunContext['versions'],
  states: ReadonlyMap<string, AssetState>,
): void {
  for (const [key, state] of states) {
    if (graph.node(key).kind !== 'asset' || versions.isPartitioned(key)) continue;
    const now = versions.current(key).dataVersion;
    if (now !== '' && now !== (state.dataVersion ?? '')) versions.markReplaced(key);
  }
}

/**
 * What a run has judged since its last refresh, by (asset, partition, event): kept across its
 * claims, so a long run after a replacement does not walk the same versions again.
 */
const walks = new WeakMap<
  object,
  { refreshes: number; reached: Set<string>; found: Map<string, string | undefined> }
>();

/** The partitions of `parent` that `unit` of `key` reads (`['']` when `parent` is unpartitioned). */
function partitionsOf(run: RunContext, key: string, unit: StepUnit, parent: string): string[] {
  if (!run.versions.isPartitioned(parent)) return [NO_PARTITION];
  return mappedKeys(run, run.graph.node(key), unit, parent);
}

async function loadAll(run: RunContext, key: string, partitions: readonly string[]) {
  if (run.versions.isPartitioned(key)) await run.versions.load(key, partitions);
}

/** A unit of one partition of `key` (all of it when unpartitioned), to ask what it reads. */
function unitOf(run: RunContext, key: string, partition: string): StepUnit {
  const space = run.spaces.get(key);
  const index = space === undefined ? -1 : space.indexOf(partition);
  return {
    id: -1,
    key,
    partitions: index < 0 ? undefined : PartitionSet.empty(space!.size).add(index),
    space: index < 0 ? undefined : space,
    keys: [partition],
    label: key,
    parents: [],
    children: [],
  };
}
